// The plain-language pack reference (docs.h): derived from the conditions themselves.
#include <catch2/catch.hpp>

#include "candor/rules/docs.h"
#include "rules_test_support.h"

namespace candor::rules::testing {
namespace {

std::string described(std::string_view require, DocsOptions options = {}) {
  const Pack pack = rule_pack(require, {}, "  limit: {value: 30, description: a limit}\n");
  return describe_condition(pack.rules.front().require, options);
}

}  // namespace

TEST_CASE("docs: leaves in plain language") {
  CHECK(described("{field: tool.name, present: true}") == "`tool.name` is given");
  CHECK(described("{field: tool.name, present: false}") ==
        "`tool.name` is not given (missing or empty)");
  CHECK(described("{field: phase, in: [pilot, production]}") ==
        "`phase` is one of `pilot` or `production`");
  CHECK(described("{field: phase, not_in: [idea]}") == "`phase` is given and is not `idea`");
  CHECK(described("{field: a.b, equals: true}") == "`a.b` is `true`");
  CHECK(described("{field: x, matches: 'a`b'}") == "`x` is text matching the pattern `` a`b ``");
  CHECK(described("{field: d, within_days: {param: limit}}") ==
        "`d` is a date at most 30 days before the check date (pack parameter `limit`) (a later "
        "date also passes)");
  CHECK(described("{field: d, on_or_before_field: deployment.start_date}") ==
        "`d` is a date on or before `deployment.start_date`");
  CHECK(described("{field: xs, count_at_least: 1}") == "`xs` lists at least 1 item");
}

TEST_CASE("docs: lengths say items for lists and characters for text when the schema is known") {
  DocsOptions options;
  options.is_list = [](std::string_view path) { return path == "xs" || path == "list[].inner"; };
  CHECK(described("{field: xs, min_length: 2}", options) == "`xs` has at least 2 items");
  CHECK(described("{field: text, max_length: 9}", options) ==
        "`text` is at most 9 characters long");
  CHECK(described("{some: {field: list, where: {field: inner, min_length: 1}}}", options) ==
        "`list` has at least one entry where `inner` has at least 1 items");
  CHECK(described("{field: text, min_length: 2}") == "`text` has a length of at least 2");
}

TEST_CASE("docs: combinators become nested lists, and negation keeps its fail-closed meaning") {
  CHECK(
      described("{all: [{field: a, present: true}, {any: [{field: b, equals: 1}, {not: {field: c, "
                "equals: x}}]}]}") ==
      "all of these hold:\n\n"
      "- `a` is given\n"
      "- at least one of these holds:\n"
      "  - `b` is 1\n"
      "  - `c` is not `x` (or is not given)\n");
  CHECK(described("{some: {field: tags, where: {field: \".\", equals: age}}}") ==
        "`tags` includes `age`");
  CHECK(described("{each: {field: items, require: {field: name, present: true}}}") ==
        "in every entry of `items` (a missing or empty list passes this part), `name` is given");
}

TEST_CASE("docs: the pack reference has one section per rule with sources and remediation") {
  const Pack pack = load(
      "rules:\n"
      "  - id: R-1\n"
      "    title: \"A title with | and *stars*\"\n"
      "    severity: warning\n"
      "    recommendation: 5\n"
      "    sources: [{cite: \"Act s.1 [x]\", url: \"https://example.org/a_(b)\"}, {cite: No "
      "link}]\n"
      "    when: {field: phase, equals: production}\n"
      "    require: {field: a, present: true}\n"
      "    message: Missing a.\n"
      "    remediation: Add a.\n"
      "    help_uri: https://example.org/R-1\n"
      "    tests:\n"
      "      - {name: p, record: {phase: production, a: 1}, expect: pass}\n"
      "      - {name: f, record: {phase: production}, expect: fail}\n");
  const std::string md = pack_markdown(pack);
  CHECK(md.starts_with("# Rule pack `test-pack` (version 1)\n"));
  CHECK(md.find("| R-1 | A title with \\| and \\*stars\\* | warning | 5 Privacy |") !=
        std::string::npos);
  CHECK(md.find("## R-1: A title with \\| and \\*stars\\*\n") != std::string::npos);
  CHECK(md.find("| Recommendation | 5 — Privacy |") != std::string::npos);
  CHECK(md.find("| Tests | 2 tests (1 pass, 1 fail, 0 not applicable) |") != std::string::npos);
  CHECK(md.find("**Applies to** records where `phase` is `production`.") != std::string::npos);
  CHECK(md.find("**Passes when** `a` is given.") != std::string::npos);
  CHECK(md.find("- [Act s.1 \\[x\\]](https://example.org/a_%28b%29)\n- No link\n") !=
        std::string::npos);
  CHECK(md.find("**What to do.** Add a.") != std::string::npos);
  CHECK(md.find("More: <https://example.org/R-1>") != std::string::npos);
  CHECK(md.ends_with(">\n"));
}

}  // namespace candor::rules::testing
