// Fuzz target: a single-file rule pack (kind RuleSet or RulePack) as a pack author writes it.
// A pack that loads has its inline tests run, which drives the condition engine over the
// pack's own test records.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "candor/rules/pack_loader.h"
#include "candor/rules/rule_tests.h"

using namespace candor::rules;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto pack = load_pack_text(text, "fuzz.rules.yaml");
  if (pack.ok()) (void)run_tests(pack.value());
  return 0;
}
