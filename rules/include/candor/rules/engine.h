// The rule engine: evaluates a loaded pack against one record and explains every outcome.
//
// Pure and deterministic: no I/O, no clock (the caller passes `as_of`), no global state. A Pack
// and a record are only read, so any number of threads may evaluate at once. Evaluation is
// total: conditions are finite trees, lists are finite, patterns run in the breadth-first
// executor on capped input (pattern.h explains the regex defences).
//
// Outcome per rule: not_applicable when `when` is present and false; otherwise pass or fail by
// `require`. (`waived` is set later by waivers, never by the engine.) Semantics of each operator
// are in rule.h.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "candor/registry/document.h"
#include "candor/rules/date.h"
#include "candor/rules/rule.h"

namespace candor::rules {

// Strings longer than this many bytes are never matched by `matches` (the leaf is false and the
// evidence says why): std::regex is not built for unbounded hostile input.
inline constexpr std::size_t kMaxMatchLength = 10000;

// At most this many evidence entries are kept per finding; the rest are counted.
inline constexpr std::size_t kMaxEvidence = 64;

// One test the rule made, in evaluation order: `when`, then `require`, then `severity_when`.
// Leaves appear once per path and test; `some`/`each` add an entry for the list ("some" or
// "each") before their items'. Combinators stop early, as C's && and || do, so a failed `all`
// shows the leaf that failed it.
struct Evidence {
  std::string path;             // absolute field path in the record: "bias.testing[0].date"
  std::string value;            // the value, rendered on one line; "(missing)" if absent or null
  registry::Position position;  // of the value's key (or item) in the record; unknown if absent
  std::string test;     // the operator and operand: "within_days 365 (param review_max_days)"
  bool result = false;  // what the leaf evaluated to
  std::string note;     // why, when not obvious: "not a date", "longer than 10000 bytes"
};

struct Finding {
  std::string rule_id;
  Outcome outcome = Outcome::pass;
  Severity severity = Severity::error;  // after severity_when
  std::string message;  // the rule's message, {{placeholders}} filled (for every outcome)
  std::string file;     // the record's file (empty when evaluated from a bare Node)
  std::string path;     // the located field, or its nearest present parent ("" = root)
  registry::Position position;
  std::vector<Evidence> evidence;
  std::size_t evidence_omitted = 0;  // entries beyond kMaxEvidence
};

// Where a finding points: the rule's `locate` path; else, for a failure, the first leaf or list
// of `require` that was false; else the record root. In each case it falls back to the nearest
// present parent. Mapping fields are reported at their key, list items at the item.
//
// Message placeholders: "{{ path }}" is replaced by the value at that path from the record root,
// rendered as in Evidence::value ("(missing)" when absent or null, long text cut).

// One rule against a record whose root is `root` (a whole record, or a test record that sits
// inside a pack file).
Finding evaluate_rule(const Rule& rule, const registry::Node& root, Date as_of);

// Every rule of the pack, in pack order: one Finding per rule, including passes and
// not_applicable ones, so reports can show coverage.
std::vector<Finding> evaluate(const Pack& pack, const registry::Node& root, Date as_of);
std::vector<Finding> evaluate(const Pack& pack, const registry::Document& record, Date as_of);

}  // namespace candor::rules
