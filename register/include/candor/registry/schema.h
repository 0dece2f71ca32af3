// Record schema validation: JSON Schema (draft-07) through valijson, with Candor's own checks of
// formats and plain-language, located messages.
//
// The schema is the contract for a `candor.record/v1` record. Validation converts the Document to
// JSON, runs valijson, and maps each error back to the YAML node's line and column (or the nearest
// present parent's). Messages name the field, what was expected and what was found, and hint at
// the fix: the nearest known key for a typo, the allowed values of a closed list, `true`/`false`
// for YAML 1.1 booleans such as `yes`. Formats are checked here, not by valijson: real calendar
// dates (`date`), e-mail addresses (`email`) and https URLs (`uri`).
#pragma once

#include <memory>
#include <string_view>

#include "candor/registry/document.h"
#include "candor/registry/problem.h"

namespace candor::registry {

// The record schema shipped in this build (schemas/record.v1.schema.json), as JSON text.
std::string_view record_schema_text();

class SchemaValidator {
 public:
  // Parses a JSON Schema; throws std::invalid_argument if it is not a usable schema (a bug in
  // what we ship, not a user error).
  explicit SchemaValidator(std::string_view schema_json);
  SchemaValidator(SchemaValidator&&) noexcept;
  ~SchemaValidator();

  // The validator for the shipped record schema, built once.
  static const SchemaValidator& record_v1();

  // All problems of `doc` against the schema, in document order. Thread-safe.
  Problems validate(const Document& doc) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace candor::registry
