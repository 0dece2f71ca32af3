// Validates a SARIF log against the official SARIF 2.1.0 schema (tests/data/sarif/), with
// valijson. The schema declares draft-04, so it is parsed as draft-04. Returns the validation
// errors, one per line ("<path>: <description>"); empty when the document is valid.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
// GCC 12 reports a false -Wrestrict inside std::string as inlined into valijson (bug 105329).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace candor::test {

inline std::string sarif_schema_errors(const nlohmann::json& document,
                                       const std::string& schema_file) {
  std::ifstream in(schema_file, std::ios::binary);
  if (!in) return "cannot read " + schema_file;
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json schema_json = nlohmann::json::parse(text.str());
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);

  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::adapters::NlohmannJsonAdapter adapter(document);
  valijson::ValidationResults results;
  std::string errors;
  if (!validator.validate(schema, adapter, &results)) {
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      std::string path;
      for (const std::string& p : error.context) path += p;
      errors += path + ": " + error.description + "\n";
    }
    if (errors.empty()) errors = "invalid (no details)\n";
  }
  return errors;
}

}  // namespace candor::test
