// Documentation of rule packs for people: what each rule checks, in plain language, derived from
// its conditions (never written twice, so it cannot drift from what the engine does).
//
// `candor rules docs` writes pack_markdown(); rules/packs/*/RULES.md are its output and a test
// keeps them current.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "candor/rules/rule.h"

namespace candor::rules {

struct DocsOptions {
  // Tells whether a record field is a list, by its path with "[]" for list items
  // ("bias.testing[].protected_characteristics"); used to say "items" rather than "characters".
  // Unset: lengths are described neutrally.
  std::function<bool(std::string_view)> is_list;
};

// One condition in plain language, as Markdown: a sentence fragment ("`phase` is one of `pilot`,
// `production`"), followed by nested bullet lists for combinators. `base` is the absolute path
// of the current object ("" for the record root), used only for is_list lookups.
std::string describe_condition(const Condition& condition, const DocsOptions& options = {},
                               std::string_view base = {});

// The whole reference: pack metadata, parameters, an index, then one section per rule (title,
// severity, recommendation, when it applies, what it requires, sources with links, message,
// remediation, help link, test counts).
std::string pack_markdown(const Pack& pack, const DocsOptions& options = {});

}  // namespace candor::rules
