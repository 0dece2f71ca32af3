// Fuzz target: the shipped default pack (rules/packs/uk-public-sector) evaluated over an
// arbitrary record, as `candor check` and the server's intake do. The record need not be valid:
// rules must explain any tree the loader accepts, whatever its shape.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "candor/registry/document.h"
#include "candor/rules/engine.h"
#include "candor/rules/shipped_packs.h"

using namespace candor;

namespace {

const rules::Pack& shipped_pack() {
  static const rules::Pack pack = [] {
    auto loaded = rules::load_shipped_pack(rules::kDefaultPack);
    if (!loaded.ok()) std::abort();  // the build ships a broken pack: nothing to fuzz
    return std::move(loaded.value());
  }();
  return pack;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto record = registry::load_document(text, "fuzz.yaml");
  if (!record.has_value()) return 0;
  // A fixed day keeps the run deterministic (rules with within_days read it).
  static const rules::Date as_of = *rules::Date::from_civil(2026, 11, 27);
  (void)rules::evaluate(shipped_pack(), record.value(), as_of);
  return 0;
}
