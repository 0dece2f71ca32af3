// Rule packs as values: what a loaded pack is, independent of how it was written or loaded.
//
// A pack is data, not code: conditions form a small tree of leaf tests, combinators (all, any,
// not) and list quantifiers (some, each). Evaluating one always terminates, has no side effects
// and depends only on (record, rule, as-of date). Every value here is immutable once
// load_pack() returns it, and may be shared by any number of threads evaluating at once.
//
// Semantics (the engine's contract, engine.h):
//   - A leaf on a missing field is false (fail closed); a YAML null counts as missing. The one
//     exception is `present: false`, which is true exactly when the field is missing or null.
//   - `not` negates its child as it is, so `not: {field: x, equals: y}` is true when x is missing.
//   - `some` is false for a missing or empty list; `each` is true for a missing or empty list
//     (pair it with `some` or `count_at_least`).
//   - Leaf and quantifier paths are relative to the current object (the record, or the list
//     element inside some/each); "." names the current object itself (for lists of scalars).
//     `on_or_before_field`'s operand and message placeholders are resolved from the record root.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/document.h"
#include "candor/rules/date.h"
#include "candor/rules/field_path.h"

namespace candor::rules {

enum class Severity { info, warning, error };  // ordered: info < warning < error
enum class Outcome { pass, fail, not_applicable, waived };

std::string_view to_string(Severity severity);
std::string_view to_string(Outcome outcome);
std::optional<Severity> parse_severity(std::string_view text);
std::optional<Outcome> parse_outcome(std::string_view text);

// A scalar written in a pack (an operand, a list element or a parameter value).
struct Literal {
  registry::NodeKind kind = registry::NodeKind::null;  // boolean, integer, real or string
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0;
  std::string text;  // the scalar as written; for strings, the string
};

enum class Op {
  present,             // boolean: the field exists and is not null (true) / is missing or null
  equals,              // scalar: same kind and value (1 equals 1.0; true never equals "true")
  in,                  // non-empty list of scalars
  not_in,              // non-empty list of scalars; false on a missing field
  matches,             // string pattern: ECMAScript full match of a string value
  min_length,          // integer >= 0: code points of a string, or items of a list
  max_length,          // integer >= 0: likewise
  at_least,            // number: a numeric value >= operand
  at_most,             // number: a numeric value <= operand
  count_at_least,      // integer >= 0: items of a list
  within_days,         // integer >= 0: date value >= as_of - N (future dates pass)
  older_than_days,     // integer >= 0: date value < as_of - N (more than N days old)
  on_or_before_field,  // path from the record root: date value <= the date there
};

std::string_view to_string(Op op);
std::optional<Op> parse_op(std::string_view name);
std::span<const std::string_view> operator_names();

struct CompiledPattern;  // a compiled regular expression; defined in the engine

struct Condition {
  enum class Kind { leaf, all, any, negate, some, each };

  Kind kind = Kind::leaf;
  std::string file;  // where the condition was written, for messages
  registry::Position position;

  FieldPath field;  // leaf, some, each

  // Leaf only.
  Op op = Op::present;
  std::vector<Literal> operands;                   // one value; the whole list for in / not_in
  FieldPath other_field;                           // on_or_before_field
  std::shared_ptr<const CompiledPattern> pattern;  // matches
  std::string param;  // the parameter name when written as {param: NAME}

  // all / any: the operands; negate: one child; some: `where`; each: `require`.
  std::vector<Condition> children;
};

struct Parameter {
  std::string name;
  bool is_list = false;
  std::vector<Literal> values;  // one value unless is_list
  std::string description;
  std::string file;
  registry::Position position;
};

struct Source {
  std::string cite;
  std::string url;  // may be empty
};

struct SeverityWhen {  // `severity_when` entry: the first whose condition holds sets the severity
  Condition when;
  Severity severity = Severity::error;
};

struct RuleTest {
  std::string name;
  std::optional<Date> as_of;               // required when the rule uses a date operator
  const registry::Node* record = nullptr;  // a mapping inside one of Pack::documents
  Outcome expect = Outcome::pass;          // pass, fail or not_applicable
  std::string file;
  registry::Position position;
};

struct Rule {
  std::string id;
  std::string title;
  Severity severity = Severity::error;
  int recommendation = 0;  // 1-6
  std::vector<std::string> tags;
  std::vector<Source> sources;
  std::optional<Condition> when;  // absent: always applicable
  Condition require;
  std::optional<FieldPath> locate;
  std::string message;  // may contain {{field.path}} placeholders
  std::string remediation;
  std::string help_uri;
  std::vector<SeverityWhen> severity_when;
  std::vector<RuleTest> tests;
  std::string file;
  registry::Position position;
};

struct PackMetadata {
  std::string name;
  std::string version;
  std::string owner;
  std::string description;
  std::optional<Date> effective_from;
};

struct Pack {
  PackMetadata metadata;
  std::vector<Parameter> parameters;
  std::vector<Rule> rules;  // pack.yaml's first, then each *.rules.yaml in name order
  // The parsed pack files. Kept because RuleTest::record points into them.
  std::vector<std::shared_ptr<const registry::Document>> documents;

  const Rule* find_rule(std::string_view id) const;  // nullptr when absent
  const Parameter* find_parameter(std::string_view name) const;
};

}  // namespace candor::rules
