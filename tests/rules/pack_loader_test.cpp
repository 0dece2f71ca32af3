// Pack loading: every class of mistake is reported, all at once, at its line and column.
#include "candor/rules/pack_loader.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "rules_test_support.h"

using namespace candor::rules;
using candor::registry::Position;
using candor::registry::Problem;
using candor::registry::Problems;
using candor::rules::testing::find_problem;
using candor::rules::testing::load;
using candor::rules::testing::pack_text;
using candor::rules::testing::problems_of;

namespace {

// The 1-based line and column of the `nth` occurrence of `needle` in the pack's full text.
Position where(std::string_view body, std::string_view needle, int nth = 1) {
  const std::string text = pack_text(body);
  std::size_t at = std::string::npos;
  for (int i = 0; i < nth; ++i) at = text.find(needle, at == std::string::npos ? 0 : at + 1);
  REQUIRE(at != std::string::npos);
  const std::size_t line_start = text.rfind('\n', at) + 1;  // npos + 1 == 0 on the first line
  const auto line = static_cast<std::uint32_t>(
      std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1);
  return Position{line, static_cast<std::uint32_t>(at - line_start + 1)};
}

// A rule body whose `require` line is replaced by `require`, plus `extra` lines.
std::string rule(std::string_view require, std::string_view extra = {},
                 std::string_view id = "T-1") {
  return "rules:\n"
         "  - id: " +
         std::string(id) +
         "\n"
         "    title: a rule\n"
         "    severity: error\n"
         "    recommendation: 1\n"
         "    message: it failed\n"
         "    require: " +
         std::string(require) + "\n" + std::string(extra);
}

// Loads `body`, expects a problem with `code` at the position of `needle`, returns it.
Problem expect_problem(const std::string& body, std::string_view code, std::string_view needle,
                       int nth = 1) {
  const Problems problems = problems_of(body);
  const Problem p = find_problem(problems, code);
  INFO(candor::rules::testing::describe(problems));
  CHECK(p.file == "pack.yaml");
  CHECK(p.position == where(body, needle, nth));
  return p;
}

}  // namespace

TEST_CASE("a valid single-file pack loads with its metadata, parameters and rules",
          "[rules][loader]") {
  const Pack pack = load(
      "parameters:\n"
      "  review_max_days: {value: 365, description: \"policy\"}\n"
      "  live: {value: [pilot, production]}\n" +
      rule("{field: record.last_reviewed, within_days: {param: review_max_days}}",
           "    when: {field: phase, in: {param: live}}\n"
           "    tags: [transparency]\n"
           "    sources:\n"
           "      - {cite: \"ATRS v3\", url: https://example.org}\n"
           "    locate: record.last_reviewed\n"
           "    remediation: review it\n"
           "    help_uri: https://example.org/T-1\n"
           "    tests:\n"
           "      - name: recent\n"
           "        as_of: 2025-06-01\n"
           "        record: {phase: pilot, record: {last_reviewed: 2025-01-01}}\n"
           "        expect: pass\n"));
  CHECK(pack.metadata.name == "test-pack");
  CHECK(pack.metadata.version == "1");
  REQUIRE(pack.parameters.size() == 2);
  CHECK(pack.find_parameter("review_max_days")->values.at(0).integer == 365);
  CHECK(pack.find_parameter("live")->is_list);
  REQUIRE(pack.rules.size() == 1);
  const Rule& r = pack.rules[0];
  CHECK(r.id == "T-1");
  CHECK(r.severity == Severity::error);
  CHECK(r.recommendation == 1);
  CHECK(r.tags == std::vector<std::string>{"transparency"});
  CHECK(r.sources.at(0).url == "https://example.org");
  CHECK(r.locate->text == "record.last_reviewed");
  CHECK(r.require.op == Op::within_days);
  CHECK(r.require.param == "review_max_days");
  CHECK(r.when->operands.size() == 2);
  CHECK(r.tests.at(0).as_of == Date::parse("2025-06-01"));
  CHECK(r.tests.at(0).record->is_mapping());
  CHECK(r.file == "pack.yaml");
  CHECK(r.position == Position{8, 5});  // after three lines of parameters
  CHECK(pack.find_rule("T-1") == &r);
  CHECK(pack.find_rule("T-2") == nullptr);
}

TEST_CASE("unknown keys are reported with a near-miss hint", "[rules][loader]") {
  const std::string body = rule("{field: a, present: true}", "    remedation: fix it\n");
  const Problem p = expect_problem(body, "rules.unknown-key", "remedation");
  CHECK(p.message == "unknown key `remedation`");
  CHECK(p.hint == "did you mean `remediation`?");
  CHECK(p.path == "rules[0].remedation");
  const Problem top = expect_problem("rulez: []\n" + rule("{field: a, present: true}"),
                                     "rules.unknown-key", "rulez");
  CHECK(top.hint == "did you mean `rules`?");
}

TEST_CASE("unknown operators are reported with a near-miss hint", "[rules][loader]") {
  const std::string body = rule("{field: a, match: 'x'}");
  const Problem p = expect_problem(body, "rules.unknown-operator", "match:");
  CHECK(p.message == "unknown operator `match`");
  CHECK(p.hint == "did you mean `matches`?");
  CHECK(p.path == "rules[0].require.match");
  CHECK(expect_problem(rule("{field: a, equal: 1}"), "rules.unknown-operator", "equal").hint ==
        "did you mean `equals`?");
  CHECK(expect_problem(rule("{field: a, within_day: 3}"), "rules.unknown-operator", "within_day")
            .hint == "did you mean `within_days`?");
  CHECK(expect_problem(rule("{field: a, notin: [1]}"), "rules.unknown-operator", "notin").hint ==
        "did you mean `not_in`?");
  CHECK(expect_problem(rule("{feild: a, equals: 1}"), "rules.unknown-operator", "feild").hint ==
        "did you mean `field`?");
  CHECK(expect_problem(rule("{field: a, frobnicate: 1}"), "rules.unknown-operator", "frobnicate")
            .hint.starts_with("operators: present, equals"));
}

TEST_CASE("a leaf needs exactly one operator", "[rules][loader]") {
  expect_problem(rule("{field: a}"), "rules.no-operator", "{field: a}");
  const Problem two =
      expect_problem(rule("{field: a, equals: 1, in: [1]}"), "rules.too-many-operators", "in:");
  CHECK(two.message == "a condition has one operator; this one has `equals` and `in`");
  expect_problem(rule("{equals: 1}"), "rules.missing-key", "{equals: 1}");
}

TEST_CASE("operands of the wrong type are refused", "[rules][loader]") {
  struct Case {
    const char* require;
    const char* needle;
    const char* message;
  };
  const Case cases[] = {
      {"{field: a, present: yes}", "yes", "`present` needs true or false, not text"},
      {"{field: a, present: 1}", "1}", "`present` needs true or false, not a whole number"},
      {"{field: a, equals: [1, 2]}", "[1, 2]",
       "`equals` needs a single value (text, number or true/false), not a list"},
      {"{field: a, equals: null}", "null",
       "`equals` needs a single value (text, number or true/false), not empty (null)"},
      {"{field: a, in: production}", "production",
       "`in` needs a non-empty list of single values, not text"},
      {"{field: a, not_in: []}", "[]",
       "`not_in` needs a non-empty list of single values, not an empty list"},
      {"{field: a, in: [[1]]}", "[[1]]",
       "`in` needs a non-empty list of single values, not a list containing null or lists"},
      {"{field: a, matches: 3}", "3}",
       "`matches` needs a regular expression in quotes, not a whole number"},
      {"{field: a, min_length: -1}", "-1}",
       "`min_length` needs a whole number of 0 or more, not a negative number"},
      {"{field: a, count_at_least: 1.5}", "1.5",
       "`count_at_least` needs a whole number of 0 or more, not a number"},
      {"{field: a, within_days: '30'}", "'30'",
       "`within_days` needs a whole number of 0 or more, not text"},
      {"{field: a, at_least: abc}", "abc", "`at_least` needs a number, not text"},
      {"{field: a, at_most: .nan}", ".nan", "`at_most` needs a number, not a number"},
      {"{field: a, on_or_before_field: 2025-01-01}", "2025", "`2025-01-01` is not a field path"},
      {"{field: a, on_or_before_field: .}", ". }", "`.` is not a field path"},
  };
  for (const Case& c : cases) {
    INFO(c.require);
    const Problems problems = problems_of(rule(c.require));
    const bool path_case = std::string_view(c.message).find("field path") != std::string_view::npos;
    const Problem p = find_problem(problems, path_case ? "rules.bad-path" : "rules.bad-operand");
    CHECK(p.message == c.message);
    if (std::string_view(c.needle) != ". }") CHECK(p.position == where(rule(c.require), c.needle));
  }
  CHECK(expect_problem(rule("{field: a, in: pilot}"), "rules.bad-operand", "pilot").hint ==
        "write a list, e.g. `in: [pilot]`, or use `equals`");
}

TEST_CASE("bad and unsafe regular expressions are refused at load", "[rules][loader][regex]") {
  const Problem bad =
      expect_problem(rule("{field: a, matches: '(unclosed'}"), "rules.bad-regex", "'(unclosed'");
  CHECK(bad.message.starts_with("`(unclosed` is not a valid regular expression"));
  const Problem nested =
      expect_problem(rule("{field: a, matches: '(a+)+$'}"), "rules.unsafe-regex", "'(a+)+$'");
  CHECK(nested.message.find("exponential") != std::string::npos);
  expect_problem(rule("{field: a, matches: '(x|xx)*'}"), "rules.unsafe-regex", "'(x|xx)*'");
  expect_problem(rule("{field: a, matches: '(a)\\1'}"), "rules.unsafe-regex", "'(a)");
  expect_problem(rule("{field: a, matches: '" + std::string(257, 'a') + "'}"), "rules.unsafe-regex",
                 "'aaa");
  // A parameter supplying a hostile pattern is refused just the same.
  const std::string via_param =
      "parameters:\n  p: {value: '(a*)*'}\n" + rule("{field: a, matches: {param: p}}");
  expect_problem(via_param, "rules.unsafe-regex", "{param: p}");
}

TEST_CASE("missing required rule fields are all reported", "[rules][loader]") {
  const std::string body = "rules:\n  - id: T-9\n    tags: [x]\n";
  const Problems problems = problems_of(body);
  for (const char* key : {"title", "severity", "recommendation", "require", "message"}) {
    bool found = false;
    for (const Problem& p : problems) {
      found = found || (p.code == "rules.missing-key" &&
                        p.message == "rule T-9 needs `" + std::string(key) + "`" &&
                        p.position == where(body, "id: T-9"));
    }
    INFO(key << "\n" << candor::rules::testing::describe(problems));
    CHECK(found);
  }
  const Problem id = find_problem(problems_of("rules:\n  - title: t\n"), "rules.missing-key");
  CHECK(id.message == "a rule needs `id`");
}

TEST_CASE("rule ids are checked and unique", "[rules][loader]") {
  const std::string body = rule("{field: a, present: true}") +
                           rule("{field: b, present: true}").substr(std::string("rules:\n").size());
  const Problem dup = expect_problem(body, "rules.duplicate-id", "T-1", 2);
  CHECK(dup.message == "rule id T-1 is already used at pack.yaml:5:9");
  CHECK(dup.path == "rules[1].id");
  expect_problem(rule("{field: a, present: true}", {}, "\"has space\""), "rules.bad-id",
                 "\"has space\"");
  expect_problem(rule("{field: a, present: true}", {}, "-T1"), "rules.bad-id", "-T1");
  expect_problem(rule("{field: a, present: true}", {}, "12"), "rules.bad-id", "12");  // a number
}

TEST_CASE("parameters must exist and be well formed", "[rules][loader]") {
  const std::string params =
      "parameters:\n  review_max_days: {value: 365}\n  live: {value: [pilot]}\n";
  const Problem unknown =
      expect_problem(params + rule("{field: d, within_days: {param: review_days}}"),
                     "rules.unknown-param", "review_days");
  CHECK(unknown.message == "unknown parameter `review_days`");
  CHECK(unknown.hint == "did you mean `review_max_days`?");
  CHECK(expect_problem(rule("{field: d, within_days: {param: x}}"), "rules.unknown-param", "x}")
            .hint == "define it under `parameters:` in the pack");

  const Problem type = expect_problem(params + rule("{field: d, within_days: {param: live}}"),
                                      "rules.bad-operand", "{param: live}");
  CHECK(type.message ==
        "parameter `live` (used by `within_days`) needs a whole number of 0 or more, not a list");
  expect_problem(rule("{field: d, within_days: {parameter: x}}"), "rules.bad-operand",
                 "{parameter");

  expect_problem("parameters:\n  p: 365\n" + rule("{field: a, present: true}"), "rules.bad-param",
                 "365");
  expect_problem("parameters:\n  p: {value: null}\n" + rule("{field: a, present: true}"),
                 "rules.bad-param", "null");
  expect_problem("parameters:\n  p: {description: x}\n" + rule("{field: a, present: true}"),
                 "rules.missing-key", "{description");
  expect_problem("parameters:\n  p: {value: 1, vlaue: 2}\n" + rule("{field: a, present: true}"),
                 "rules.unknown-key", "vlaue");
}

TEST_CASE("values of the wrong shape are refused", "[rules][loader]") {
  const auto with = [](std::string_view extra) { return rule("{field: a, present: true}", extra); };
  std::string list_title = rule("{field: a, present: true}");
  list_title.replace(list_title.find("title: a rule"), 13, "title: [a]");
  CHECK(expect_problem(list_title, "rules.bad-value", "[a]").message ==
        "`title` must be non-empty text, not a list");
  CHECK(expect_problem(with("    remediation: ''\n"), "rules.bad-value", "''").message ==
        "`remediation` must be non-empty text, not empty text");
  expect_problem(with("    help_uri: example.org/x\n"), "rules.bad-value", "example.org");
  expect_problem(with("    tags: [a, [b]]\n"), "rules.bad-value", "[b]");
  expect_problem(with("    tags: a\n"), "rules.bad-value", "a\n", 1);
  expect_problem(with("    sources: [x]\n"), "rules.bad-value", "x]");
  expect_problem(with("    sources: [{url: https://x.example}]\n"), "rules.missing-key", "{url");
  expect_problem(with("    severity_when: {when: x}\n"), "rules.bad-value", "{when");
  expect_problem(with("    severity_when: [{severity: info}]\n"), "rules.missing-key", "{severity");
  expect_problem("rules:\n  - just text\n", "rules.bad-value", "just");
  expect_problem(rule("{field: 3, present: true}"), "rules.bad-value", "3,");
}

TEST_CASE("severity and recommendation are checked", "[rules][loader]") {
  const auto with = [](std::string_view severity, std::string_view recommendation) {
    return "rules:\n  - id: T-1\n    title: t\n    severity: " + std::string(severity) +
           "\n    recommendation: " + std::string(recommendation) +
           "\n    message: m\n    require: {field: a, present: true}\n";
  };
  const Problem typo = expect_problem(with("eror", "1"), "rules.bad-severity", "eror");
  CHECK(typo.hint == "did you mean `error`?");
  CHECK(expect_problem(with("critical", "1"), "rules.bad-severity", "critical").hint ==
        "one of: error, warning, info");
  expect_problem(with("[error]", "1"), "rules.bad-severity", "[error]");
  expect_problem(with("error", "7"), "rules.bad-recommendation", "7");
  expect_problem(with("error", "0"), "rules.bad-recommendation", "0");
  expect_problem(with("error", "one"), "rules.bad-recommendation", "one");
  expect_problem(with("error", "1.0"), "rules.bad-recommendation", "1.0");
  expect_problem(
      rule("{field: a, present: true}",
           "    severity_when:\n      - {when: {field: a, present: true}, severity: high}\n"),
      "rules.bad-severity", "high");
}

TEST_CASE("malformed conditions", "[rules][loader]") {
  expect_problem(rule("[a]"), "rules.bad-condition", "[a]");
  expect_problem(rule("{}"), "rules.bad-condition", "{}");
  expect_problem(rule("{all: []}"), "rules.bad-condition", "[]");
  expect_problem(rule("{any: {field: a, present: true}}"), "rules.bad-condition", "{field");
  expect_problem(rule("{all: [{field: a, present: true}], field: b}"), "rules.bad-condition",
                 "{all");
  expect_problem(rule("{some: {field: t, require: {field: a, present: true}}}"),
                 "rules.unknown-key", "require: {field: a", 1);
  expect_problem(rule("{each: {field: t}}"), "rules.missing-key", "{field: t}");
  expect_problem(rule("{some: [x]}"), "rules.bad-condition", "[x]");
  expect_problem(rule("{not: yes}"), "rules.bad-condition", "yes");
  expect_problem(rule("{field: a..b, present: true}"), "rules.bad-path", "a..b");
  expect_problem(rule("{field: a, present: true}", "    locate: 'x y'\n"), "rules.bad-path",
                 "'x y'");
  // Problems deep inside combinators carry the full path.
  const Problem deep = expect_problem(
      rule("{all: [{field: a, present: true}, {any: [{not: {field: b, matchs: x}}]}]}"),
      "rules.unknown-operator", "matchs");
  CHECK(deep.path == "rules[0].require.all[1].any[0].not.matchs");
}

TEST_CASE("message placeholders must be field paths", "[rules][loader]") {
  const auto with_message = [](std::string_view message) {
    return "rules:\n  - id: T-1\n    title: t\n    severity: error\n    recommendation: 1\n"
           "    message: \"" +
           std::string(message) + "\"\n    require: {field: a, present: true}\n";
  };
  expect_problem(with_message("see {{contact.email"), "rules.bad-placeholder", "\"see");
  CHECK(expect_problem(with_message("see {{contact email}}"), "rules.bad-placeholder", "\"see")
            .message == "`{{contact email}}` is not a field path");
  expect_problem(with_message("see {{}}"), "rules.bad-placeholder", "\"see");
  load(with_message("see {{ contact.email }} and {{bias.testing[0].date}}"));
}

TEST_CASE("malformed tests are reported", "[rules][loader]") {
  const auto with_tests = [](std::string_view tests) {
    return rule("{field: a, present: true}", "    tests:\n" + std::string(tests));
  };
  expect_problem(with_tests("      - {record: {a: 1}, expect: pass}\n"), "rules.bad-test",
                 "{record");
  const Problem expect =
      expect_problem(with_tests("      - {name: n, record: {a: 1}, expect: passes}\n"),
                     "rules.bad-test", "passes");
  CHECK(expect.hint == "did you mean `pass`?");
  expect_problem(with_tests("      - {name: n, record: {a: 1}, expect: waived}\n"),
                 "rules.bad-test", "waived");
  expect_problem(with_tests("      - {name: n, record: [a], expect: pass}\n"), "rules.bad-test",
                 "[a]");
  expect_problem(with_tests("      - {name: n, expect: pass}\n"), "rules.bad-test", "{name: n");
  expect_problem(with_tests("      - {name: n, record: {a: 1}}\n"), "rules.bad-test", "{name: n");
  expect_problem(with_tests("      - {name: n, as_of: 2025-02-30, record: {a: 1}, expect: pass}\n"),
                 "rules.bad-test", "2025-02-30");
  expect_problem(with_tests("      - {name: n, record: {a: 1}, expect: pass, notes: x}\n"),
                 "rules.unknown-key", "notes");
  expect_problem(with_tests("      - {name: n, record: {a: 1}, expect: pass}\n"
                            "      - {name: n, record: {}, expect: fail}\n"),
                 "rules.bad-test", "n,", 2);
  expect_problem(with_tests("      - just a string\n"), "rules.bad-test", "just");
}

TEST_CASE("tests of dated rules must fix as_of", "[rules][loader][date]") {
  const std::string body =
      rule("{field: d, within_days: 30}",
           "    tests:\n"
           "      - {name: dated, as_of: 2025-01-31, record: {d: 2025-01-01}, expect: pass}\n"
           "      - {name: floating, record: {d: 2025-01-01}, expect: pass}\n");
  const Problem p = expect_problem(body, "rules.test-needs-as-of", "{name: floating");
  CHECK(p.message == "test `floating` has no as_of, but the rule compares dates with it");
  CHECK(problems_of(body).size() == 1);
  // on_or_before_field does not read the as-of date.
  load(rule(
      "{field: d, on_or_before_field: e}",
      "    tests:\n      - {name: t, record: {d: 2025-01-01, e: 2025-01-02}, expect: pass}\n"));
}

TEST_CASE("file headers are checked", "[rules][loader]") {
  const auto problems = [](const std::string& text) {
    auto r = load_pack_text(text, "pack.yaml");
    REQUIRE_FALSE(r.ok());
    return r.problems();
  };
  const std::string rules = rule("{field: a, present: true}");
  const Problem api = find_problem(
      problems("apiVersion: candor.rules/v2\nkind: RuleSet\nmetadata: {name: n, version: 1}\n" +
               rules),
      "rules.bad-header");
  CHECK(api.position == Position{1, 13});
  CHECK(api.hint == "use `candor.rules/v1`");
  const Problem kind = find_problem(
      problems("apiVersion: candor.rules/v1\nkind: Rules\nmetadata: {name: n, version: 1}\n" +
               rules),
      "rules.bad-header");
  CHECK(kind.position == Position{2, 7});
  const Problems none = problems("metadata: {name: n, version: 1}\n" + rules);
  CHECK(std::count_if(none.begin(), none.end(),
                      [](const Problem& p) { return p.code == "rules.bad-header"; }) == 2);
  CHECK(find_problem(problems("- a\n- b\n"), "rules.bad-header").message ==
        "a pack file must be a mapping with apiVersion, kind and rules, not a list");
  const Problems metadata = problems("apiVersion: candor.rules/v1\nkind: RuleSet\n" + rules);
  CHECK(find_problem(metadata, "rules.missing-key").message == "the file needs `metadata`");
  const Problems md_fields = problems(
      "apiVersion: candor.rules/v1\nkind: RuleSet\nmetadata: {owner: x, effective_from: "
      "2025-13-01}\n" +
      rules);
  CHECK(find_problem(md_fields, "rules.bad-value").message == "`2025-13-01` is not a date");
  CHECK(std::count_if(md_fields.begin(), md_fields.end(),
                      [](const Problem& p) { return p.code == "rules.missing-key"; }) == 2);
  // The draft's apiVersion is accepted.
  CHECK(load_pack_text("apiVersion: ai-register.rules/v1\nkind: RuleSet\nmetadata: {name: n, "
                       "version: 2025.1}\n" +
                           rules,
                       "x.yaml")
            .ok());
}

TEST_CASE("a pack needs rules", "[rules][loader]") {
  CHECK(find_problem(problems_of("rules: []\n"), "rules.no-rules").message ==
        "the pack defines no rules");
  CHECK(find_problem(problems_of("description: x\n"), "rules.unknown-key").path == "description");
}

TEST_CASE("YAML problems in a pack file come through located", "[rules][loader]") {
  const std::string body = rule("{field: a, present: true, present: false}");
  const Problem p = find_problem(problems_of(body), "yaml.duplicate-key");
  CHECK(p.position.line == 10);
}

TEST_CASE("every problem is reported in one load", "[rules][loader]") {
  const std::string body =
      "rules:\n"
      "  - id: A-1\n"
      "    title: t\n"
      "    severity: eror\n"
      "    recommendation: 9\n"
      "    message: m\n"
      "    require: {all: [{field: a, match: x}, {field: b, in: 3}]}\n"
      "  - id: A-1\n"
      "    title: t\n"
      "    severity: error\n"
      "    recommendation: 1\n"
      "    message: m\n"
      "    require: {field: a, matches: '(a+)+'}\n";
  const Problems problems = problems_of(body);
  std::vector<std::string> codes;
  for (const Problem& p : problems) codes.push_back(p.code);
  std::sort(codes.begin(), codes.end());
  CHECK(codes == std::vector<std::string>{"rules.bad-operand", "rules.bad-recommendation",
                                          "rules.bad-severity", "rules.duplicate-id",
                                          "rules.unknown-operator", "rules.unsafe-regex"});
}

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("candor-rules-test-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
  }
};

const char* kManifest =
    "apiVersion: candor.rules/v1\n"
    "kind: RulePack\n"
    "metadata: {name: dir-pack, version: \"2025.1\", effective_from: 2025-04-01}\n"
    "parameters:\n"
    "  live: {value: [pilot, production]}\n";

std::string rule_file(std::string_view id, std::string_view extra = {}) {
  return "apiVersion: candor.rules/v1\nkind: RuleSet\n" + std::string(extra) +
         "rules:\n  - id: " + std::string(id) +
         "\n    title: t\n    severity: warning\n    recommendation: 2\n    message: m\n"
         "    require: {field: phase, in: {param: live}}\n";
}

}  // namespace

TEST_CASE("a pack directory: pack.yaml, then *.rules.yaml in name order", "[rules][loader]") {
  TempDir dir;
  dir.write("pack.yaml", kManifest);
  dir.write("b.rules.yaml", rule_file("B-1"));
  dir.write("a.rules.yaml", rule_file("A-1"));
  dir.write("README.md", "not yaml: [");
  dir.write("notes.yaml", "ignored: true\n");
  const auto result = load_pack(dir.path);
  INFO(candor::rules::testing::describe(result.problems()));
  REQUIRE(result.ok());
  const Pack& pack = result.value();
  CHECK(pack.metadata.name == "dir-pack");
  CHECK(pack.metadata.effective_from == Date::parse("2025-04-01"));
  REQUIRE(pack.rules.size() == 2);
  CHECK(pack.rules[0].id == "A-1");
  CHECK(pack.rules[1].id == "B-1");
  CHECK(pack.rules[0].file == (dir.path / "a.rules.yaml").string());
  CHECK(pack.documents.size() == 3);

  SECTION("metadata in a rule file is misplaced") {
    dir.write("c.rules.yaml", rule_file("C-1", "metadata: {name: x, version: 1}\n"));
    const auto bad = load_pack(dir.path);
    const Problem p = find_problem(bad.problems(), "rules.misplaced-key");
    CHECK(p.file == (dir.path / "c.rules.yaml").string());
    CHECK(p.position == Position{3, 1});
  }
  SECTION("a rule file must be a RuleSet, the manifest a RulePack") {
    dir.write("pack.yaml", std::string(kManifest).replace(std::string(kManifest).find("RulePack"),
                                                          8, "RuleSet"));
    CHECK(find_problem(load_pack(dir.path).problems(), "rules.bad-header").hint ==
          "pack.yaml is `kind: RulePack`");
  }
  SECTION("ids are unique across files") {
    dir.write("c.rules.yaml", rule_file("A-1"));
    const Problem p = find_problem(load_pack(dir.path).problems(), "rules.duplicate-id");
    CHECK(p.file == (dir.path / "c.rules.yaml").string());
    CHECK(p.message.find("a.rules.yaml:4:9") != std::string::npos);
  }
}

TEST_CASE("pack paths that are not packs", "[rules][loader]") {
  TempDir dir;
  CHECK(find_problem(load_pack(dir.path).problems(), "rules.io").message ==
        "the directory has no pack.yaml");
  CHECK(find_problem(load_pack(dir.path / "nope").problems(), "rules.io").message ==
        "no such pack file or directory");
  dir.write("single.yaml", pack_text(rule("{field: a, present: true}")));
  CHECK(load_pack(dir.path / "single.yaml").ok());
}

TEST_CASE("packs load from memory", "[rules][loader]") {
  const auto result = load_pack_files(
      {{"packs/x/z.rules.yaml", rule_file("Z-1")}, {"packs/x/pack.yaml", kManifest}});
  INFO(candor::rules::testing::describe(result.problems()));
  REQUIRE(result.ok());
  CHECK(result.value().rules.at(0).id == "Z-1");
  CHECK(find_problem(
            load_pack_files({{"a.rules.yaml", rule_file("A")}, {"b.rules.yaml", rule_file("B")}})
                .problems(),
            "rules.io")
            .message == "none of the pack's files is pack.yaml");
}

TEST_CASE("the reference draft's example pack loads and its tests pass", "[rules][loader]") {
  const auto result =
      load_pack(std::filesystem::path(CANDOR_RULES_TEST_DATA) / "reference-example.yaml");
  INFO(candor::rules::testing::describe(result.problems()));
  REQUIRE(result.ok());
  CHECK(result.value().rules.size() == 4);
  CHECK(result.value().metadata.version == "2025.1");
}
