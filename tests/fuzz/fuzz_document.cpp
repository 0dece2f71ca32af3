// Fuzz target: a record as a user writes it. The YAML Document loader (hostile-input limits,
// positions, scalar resolution), then schema validation and canonicalisation of what loaded.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "candor/registry/canonical.h"
#include "candor/registry/document.h"
#include "candor/registry/schema.h"

using namespace candor::registry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto loaded = load_document(text, "fuzz.yaml");
  if (!loaded.has_value()) return 0;
  const Document& doc = loaded.value();
  const Problems problems = SchemaValidator::record_v1().validate(doc);
  // Field paths are looked up by the rules engine and the web pages; the record's own keys
  // exercise the path parser on real input.
  (void)doc.find("organisation.id");
  (void)doc.find("bias.testing[0].date");
  if (problems.empty()) (void)body_hash(doc);
  return 0;
}
