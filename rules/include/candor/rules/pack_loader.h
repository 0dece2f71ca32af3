// Loading rule packs: YAML files in, a validated Pack (rule.h) or every problem out.
//
// Layouts (format: docs in /tmp/rule-format-notes.md and rules/README.md):
//   - a directory with `pack.yaml` (kind: RulePack: metadata, parameters, optionally rules) and
//     any number of `*.rules.yaml` (kind: RuleSet: rules only), read in name order; other files
//     in the directory are ignored;
//   - a single file of kind RuleSet or RulePack holding metadata, parameters and rules.
// apiVersion is candor.rules/v1 (ai-register.rules/v1, the draft's name, is also accepted).
//
// Loading checks the whole pack and reports every problem at once, each with file, line, column
// and the YAML path inside the pack ("rules[3].require.all[1].matches"). Problem codes:
//   rules.io                 a directory without pack.yaml, an unreadable path
//   yaml.*                   the file is not acceptable YAML (registry/document.h)
//   rules.bad-header         apiVersion or kind missing or wrong
//   rules.unknown-key        a key the format does not have (with "did you mean ...?")
//   rules.misplaced-key      metadata or parameters in a *.rules.yaml file (they go in pack.yaml)
//   rules.missing-key        a required key is absent (rule: id, title, severity, recommendation,
//                            require, message; metadata: name, version; ...)
//   rules.bad-value          a value of the wrong type or shape (e.g. a title that is a list)
//   rules.bad-id             a rule id outside [A-Za-z0-9][A-Za-z0-9._-]{0,63}
//   rules.duplicate-id       a rule id used twice in the pack
//   rules.bad-severity       severity not error|warning|info
//   rules.bad-recommendation recommendation not an integer 1-6
//   rules.bad-condition      a condition that is not a mapping, mixes combinators, or is empty
//   rules.unknown-operator   a leaf key that is no operator (with "did you mean ...?")
//   rules.no-operator        a leaf with `field` but no operator
//   rules.too-many-operators a leaf with two or more operators
//   rules.bad-operand        an operand of the wrong type for its operator
//   rules.bad-path           a field path that does not parse
//   rules.bad-regex          a pattern std::regex (ECMAScript) rejects
//   rules.unsafe-regex       a pattern over 256 characters, with a back-reference, or with a
//                            repeated group containing a quantifier or | (src/pattern.h)
//   rules.unknown-param      {param: X} where the pack defines no parameter X
//   rules.bad-param          a malformed parameter definition
//   rules.bad-placeholder    a message "{{...}}" that is unclosed or not a field path
//   rules.bad-test           a malformed test (name, as_of, record, expect)
//   rules.test-needs-as-of   a test without as_of for a rule that uses within_days or
//                            older_than_days: its result would change with the calendar
//   rules.no-rules           the pack defines no rules
//
// Only load_pack() touches the file system; the others are pure.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/problem.h"
#include "candor/rules/rule.h"

namespace candor::rules {

// A pack file in memory. `name` is used in problems; its last path component decides its role
// ("pack.yaml" is the manifest).
struct PackFile {
  std::string name;
  std::string text;
};

// A directory (see above) or a single file.
registry::Result<Pack> load_pack(const std::filesystem::path& path);

// A single-file pack from memory (tests, embedded packs).
registry::Result<Pack> load_pack_text(std::string_view text, std::string file);

// Several files from memory: one of them named pack.yaml, the others rule files; or exactly one
// file, which is then a single-file pack. Rule files are taken in `name` order.
registry::Result<Pack> load_pack_files(std::vector<PackFile> files);

}  // namespace candor::rules
