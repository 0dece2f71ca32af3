// The engine, operator by operator: present values, missing fields, nulls and wrong types.
#include "candor/rules/engine.h"

#include <thread>

#include "rules_test_support.h"

using namespace candor::rules;
using candor::registry::Position;
using candor::rules::testing::date;
using candor::rules::testing::outcome;
using candor::rules::testing::record;
using candor::rules::testing::rule_pack;
using candor::rules::testing::run;

namespace {
constexpr Outcome pass = Outcome::pass;
constexpr Outcome fail = Outcome::fail;
}  // namespace

TEST_CASE("present", "[rules][engine]") {
  CHECK(outcome("{field: a, present: true}", "{a: x}") == pass);
  CHECK(outcome("{field: a, present: true}", "{a: ''}") == pass);  // present, if empty
  CHECK(outcome("{field: a, present: true}", "{a: []}") == pass);
  CHECK(outcome("{field: a, present: true}", "{b: x}") == fail);
  CHECK(outcome("{field: a, present: true}", "{a: null}") == fail);
  CHECK(outcome("{field: a, present: true}", "{a: }") == fail);
  CHECK(outcome("{field: a.b, present: true}", "{a: x}") == fail);  // step into a scalar
  CHECK(outcome("{field: a, present: false}", "{b: x}") == pass);
  CHECK(outcome("{field: a, present: false}", "{a: null}") == pass);
  CHECK(outcome("{field: a, present: false}", "{a: x}") == fail);
  CHECK(outcome("{field: a.b.c, present: false}", "{a: 1}") == pass);
}

TEST_CASE("equals compares kind and value", "[rules][engine]") {
  CHECK(outcome("{field: phase, equals: production}", "{phase: production}") == pass);
  CHECK(outcome("{field: phase, equals: production}", "{phase: pilot}") == fail);
  CHECK(outcome("{field: phase, equals: production}", "{}") == fail);
  CHECK(outcome("{field: phase, equals: production}", "{phase: null}") == fail);
  CHECK(outcome("{field: n, equals: 3}", "{n: 3}") == pass);
  CHECK(outcome("{field: n, equals: 3}", "{n: 3.0}") == pass);
  CHECK(outcome("{field: n, equals: 3}", "{n: '3'}") == fail);
  CHECK(outcome("{field: n, equals: '3'}", "{n: 3}") == fail);
  CHECK(outcome("{field: b, equals: true}", "{b: true}") == pass);
  CHECK(outcome("{field: b, equals: true}", "{b: 'true'}") == fail);
  CHECK(outcome("{field: b, equals: true}", "{b: yes}") == fail);  // YAML 1.1's trap stays text
  CHECK(outcome("{field: b, equals: false}", "{b: false}") == pass);

  const Finding f = run("{field: phase, equals: production}", "{phase: [production]}");
  CHECK(f.outcome == fail);
  REQUIRE(f.evidence.size() == 1);
  CHECK(f.evidence[0].note == "not a single value (a list)");
}

TEST_CASE("in and not_in", "[rules][engine]") {
  const char* in = "{field: phase, in: [pilot, production]}";
  const char* not_in = "{field: phase, not_in: [idea, retired]}";
  CHECK(outcome(in, "{phase: pilot}") == pass);
  CHECK(outcome(in, "{phase: idea}") == fail);
  CHECK(outcome(in, "{}") == fail);
  CHECK(outcome(in, "{phase: null}") == fail);
  CHECK(outcome(in, "{phase: {x: 1}}") == fail);
  CHECK(outcome(not_in, "{phase: pilot}") == pass);
  CHECK(outcome(not_in, "{phase: idea}") == fail);
  CHECK(outcome(not_in, "{}") == fail);  // fail closed: not "not in" when absent
  CHECK(outcome(not_in, "{phase: 7}") == pass);
  CHECK(outcome(not_in, "{phase: [pilot]}") == fail);
  CHECK(outcome("{field: level, in: [1, 2, 3, 4]}", "{level: 2}") == pass);
  CHECK(outcome("{field: level, in: [1, 2, 3, 4]}", "{level: '2'}") == fail);
  CHECK(outcome("{field: flag, in: [true, false]}", "{flag: false}") == pass);
  CHECK(outcome("{field: flag, in: [true, false]}", "{flag: no}") == fail);
}

TEST_CASE("matches is a full match on text only", "[rules][engine]") {
  const char* https = "{field: url, matches: '^https://'}";
  CHECK(outcome("{field: url, matches: '^https://.*'}", "{url: 'https://x.example'}") == pass);
  CHECK(outcome(https, "{url: 'https://x.example'}") == fail);  // full match, not search
  CHECK(outcome(https, "{url: 'https://'}") == pass);
  CHECK(outcome("{field: n, matches: '[A-Z0-9]{8}'}", "{n: '12345678'}") == pass);
  CHECK(outcome("{field: n, matches: '[A-Z0-9]{8}'}", "{n: 'AB12345'}") == fail);
  CHECK(outcome("{field: n, matches: '[A-Z0-9]{8}'}", "{}") == fail);

  const Finding number = run("{field: n, matches: '[A-Z0-9]{8}'}", "{n: 12345678}");
  CHECK(number.outcome == fail);
  CHECK(number.evidence.at(0).note == "not text (a whole number)");

  const char* e_mail = "{field: email, matches: '^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$'}";
  CHECK(outcome(e_mail, "{email: ai-team@dept.gov.uk}") == pass);
  CHECK(outcome(e_mail, "{email: 'not an address'}") == fail);
  CHECK(outcome("{field: name, matches: 'Zo.'}", "{name: 'Zoë'}") ==
        fail);  // bytes, not code points
  CHECK(outcome("{field: name, matches: 'Zo..'}", "{name: 'Zoë'}") == pass);
}

TEST_CASE("matches refuses inputs over the length cap and says so", "[rules][engine]") {
  const std::string at_cap(kMaxMatchLength, 'a');
  const std::string over_cap(kMaxMatchLength + 1, 'a');
  CHECK(outcome("{field: s, matches: 'a*'}", "{s: " + at_cap + "}") == pass);
  const Finding f = run("{field: s, matches: 'a*'}", "{s: " + over_cap + "}");
  CHECK(f.outcome == fail);
  CHECK(f.evidence.at(0).note == "longer than 10000 bytes: not matched");
  CHECK(f.evidence.at(0).value.size() < 300);  // evidence does not copy the whole input
}

TEST_CASE("min_length and max_length count code points or items", "[rules][engine]") {
  CHECK(outcome("{field: s, min_length: 3}", "{s: abc}") == pass);
  CHECK(outcome("{field: s, min_length: 3}", "{s: ab}") == fail);
  CHECK(outcome("{field: s, min_length: 3}", "{s: 'éé'}") == fail);  // 2 code points, 4 bytes
  CHECK(outcome("{field: s, max_length: 2}", "{s: 'éé'}") == pass);
  CHECK(outcome("{field: s, max_length: 2}", "{s: abc}") == fail);
  CHECK(outcome("{field: s, min_length: 0}", "{s: ''}") == pass);
  CHECK(outcome("{field: l, min_length: 2}", "{l: [a, b]}") == pass);
  CHECK(outcome("{field: l, min_length: 2}", "{l: [a]}") == fail);
  CHECK(outcome("{field: l, max_length: 0}", "{l: []}") == pass);
  CHECK(outcome("{field: s, min_length: 1}", "{s: 12345}") == fail);  // a number is not text
  CHECK(outcome("{field: s, min_length: 0}", "{}") == fail);
  CHECK(outcome("{field: s, max_length: 10}", "{s: null}") == fail);
  CHECK(run("{field: s, min_length: 3}", "{s: ab}").evidence.at(0).note == "length 2");
}

TEST_CASE("at_least and at_most compare numbers", "[rules][engine]") {
  CHECK(outcome("{field: n, at_least: 183}", "{n: 183}") == pass);
  CHECK(outcome("{field: n, at_least: 183}", "{n: 182}") == fail);
  CHECK(outcome("{field: n, at_least: 183}", "{n: 182.5}") == fail);
  CHECK(outcome("{field: n, at_least: 0.5}", "{n: 1}") == pass);
  CHECK(outcome("{field: n, at_most: 12}", "{n: 12}") == pass);
  CHECK(outcome("{field: n, at_most: 12}", "{n: 13}") == fail);
  CHECK(outcome("{field: n, at_most: 0}", "{n: -1}") == pass);
  CHECK(outcome("{field: n, at_least: 1}", "{n: '5'}") == fail);
  CHECK(outcome("{field: n, at_least: 0}", "{n: true}") == fail);
  CHECK(outcome("{field: n, at_least: 0}", "{n: .nan}") == fail);
  CHECK(outcome("{field: n, at_most: 0}", "{n: .nan}") == fail);
  CHECK(outcome("{field: n, at_least: 0}", "{n: .inf}") == pass);
  CHECK(outcome("{field: n, at_least: 0}", "{}") == fail);
  CHECK(outcome("{field: n, at_least: 9223372036854775807}", "{n: 9223372036854775807}") == pass);
  CHECK(outcome("{field: n, at_least: 9223372036854775807}", "{n: 9223372036854775806}") == fail);
}

TEST_CASE("count_at_least counts list items", "[rules][engine]") {
  CHECK(outcome("{field: l, count_at_least: 1}", "{l: [age]}") == pass);
  CHECK(outcome("{field: l, count_at_least: 1}", "{l: []}") == fail);
  CHECK(outcome("{field: l, count_at_least: 0}", "{l: []}") == pass);
  CHECK(outcome("{field: l, count_at_least: 1}", "{l: age}") == fail);
  CHECK(outcome("{field: l, count_at_least: 1}", "{l: {a: 1}}") == fail);
  CHECK(outcome("{field: l, count_at_least: 0}", "{}") == fail);
}

TEST_CASE("within_days is inclusive and lets future dates pass", "[rules][engine][date]") {
  const Date as_of = date("2025-06-01");
  const char* within = "{field: d, within_days: 365}";
  CHECK(outcome(within, "{d: 2024-06-01}", as_of) == pass);  // exactly 365 days before
  CHECK(outcome(within, "{d: 2024-05-31}", as_of) == fail);  // 366
  CHECK(outcome(within, "{d: 2025-06-01}", as_of) == pass);
  CHECK(outcome(within, "{d: 2026-01-01}", as_of) == pass);  // future
  CHECK(outcome(within, "{}", as_of) == fail);
  CHECK(outcome(within, "{d: null}", as_of) == fail);
  CHECK(outcome(within, "{d: 2023-02-29}", as_of) == fail);  // no such day
  CHECK(outcome(within, "{d: '2025-05-01T10:00:00Z'}", as_of) == fail);
  CHECK(outcome(within, "{d: 20250501}", as_of) == fail);
  CHECK(outcome("{field: d, within_days: 0}", "{d: 2025-06-01}", as_of) == pass);
  CHECK(outcome("{field: d, within_days: 0}", "{d: 2025-05-31}", as_of) == fail);

  // Across 29 February: 2024-03-01 is two days after 2024-02-28.
  CHECK(outcome("{field: d, within_days: 1}", "{d: 2024-02-29}", date("2024-03-01")) == pass);
  CHECK(outcome("{field: d, within_days: 1}", "{d: 2024-02-28}", date("2024-03-01")) == fail);
  CHECK(outcome("{field: d, within_days: 1}", "{d: 2023-02-28}", date("2023-03-01")) == pass);
  CHECK(outcome("{field: d, within_days: 365}", "{d: 2024-02-29}", date("2025-02-28")) == pass);
  CHECK(outcome("{field: d, within_days: 365}", "{d: 2024-02-28}", date("2025-02-28")) == fail);

  const Finding f = run(within, "{d: 2024-05-31}", as_of);
  CHECK(f.evidence.at(0).note == "366 days before 2025-06-01");
  CHECK(run(within, "{d: 2023-02-29}", as_of).evidence.at(0).note == "not a date (YYYY-MM-DD)");
}

TEST_CASE("as_of decides the result of a dated rule", "[rules][engine][date]") {
  const char* within = "{field: d, within_days: 30}";
  CHECK(outcome(within, "{d: 2025-01-01}", date("2025-01-31")) == pass);
  CHECK(outcome(within, "{d: 2025-01-01}", date("2025-02-01")) == fail);
}

TEST_CASE("older_than_days is the strict complement of within_days", "[rules][engine][date]") {
  const Date as_of = date("2025-06-01");
  const char* older = "{field: d, older_than_days: 365}";
  CHECK(outcome(older, "{d: 2024-06-01}", as_of) == fail);  // exactly 365: not older
  CHECK(outcome(older, "{d: 2024-05-31}", as_of) == pass);
  CHECK(outcome(older, "{d: 2026-01-01}", as_of) == fail);
  CHECK(outcome(older, "{}", as_of) == fail);
}

TEST_CASE("on_or_before_field compares with a date from the record root", "[rules][engine][date]") {
  const char* before = "{field: dpia, on_or_before_field: start}";
  CHECK(outcome(before, "{dpia: 2025-02-01, start: 2025-03-01}") == pass);
  CHECK(outcome(before, "{dpia: 2025-03-01, start: 2025-03-01}") == pass);
  CHECK(outcome(before, "{dpia: 2025-03-02, start: 2025-03-01}") == fail);
  CHECK(outcome(before, "{start: 2025-03-01}") == fail);
  CHECK(outcome(before, "{dpia: 2025-02-01}") == fail);
  CHECK(outcome(before, "{dpia: 2025-02-01, start: null}") == fail);
  CHECK(outcome(before, "{dpia: 2025-02-01, start: soon}") == fail);
  CHECK(outcome(before, "{dpia: 2024-02-29, start: 2024-02-29}") == pass);

  const Finding f = run(before, "{dpia: 2025-03-02, start: 2025-03-01}");
  CHECK(f.evidence.at(0).note == "start is 2025-03-01");
  CHECK(run(before, "{dpia: 2025-02-01}").evidence.at(0).note == "start is missing");
  CHECK(run(before, "{dpia: 2025-02-01, start: soon}").evidence.at(0).note ==
        "start is not a date (YYYY-MM-DD)");

  // Inside `some`, the field is the element's but the operand still comes from the root.
  const char* some =
      "{some: {field: tests, where: {field: date, on_or_before_field: deployment.start}}}";
  CHECK(outcome(
            some,
            "{deployment: {start: 2025-03-01}, tests: [{date: 2025-04-01}, {date: 2025-01-01}]}") ==
        pass);
  CHECK(outcome(some, "{deployment: {start: 2025-03-01}, tests: [{date: 2025-04-01}]}") == fail);
}

TEST_CASE("all, any and not", "[rules][engine]") {
  const char* all = "{all: [{field: a, equals: 1}, {field: b, equals: 2}]}";
  const char* any = "{any: [{field: a, equals: 1}, {field: b, equals: 2}]}";
  CHECK(outcome(all, "{a: 1, b: 2}") == pass);
  CHECK(outcome(all, "{a: 1, b: 3}") == fail);
  CHECK(outcome(all, "{a: 1}") == fail);
  CHECK(outcome(any, "{a: 0, b: 2}") == pass);
  CHECK(outcome(any, "{a: 0}") == fail);
  CHECK(outcome(any, "{}") == fail);
  CHECK(outcome("{not: {field: a, equals: 1}}", "{a: 2}") == pass);
  CHECK(outcome("{not: {field: a, equals: 1}}", "{a: 1}") == fail);
  // `not` negates as written: a missing field makes the inner leaf false, so `not` is true.
  CHECK(outcome("{not: {field: a, equals: 1}}", "{}") == pass);
  CHECK(outcome("{not: {not: {field: a, present: true}}}", "{a: x}") == pass);

  SECTION("combinators stop early, and the evidence shows what was looked at") {
    const Finding f = run(all, "{a: 0, b: 2}");
    REQUIRE(f.evidence.size() == 1);
    CHECK(f.evidence[0].path == "a");
    CHECK(f.evidence[0].value == "0");
    CHECK(f.evidence[0].test == "equals 1");
    CHECK_FALSE(f.evidence[0].result);
  }
}

TEST_CASE("some and each over lists", "[rules][engine]") {
  const char* some = "{some: {field: t, where: {field: ok, equals: true}}}";
  const char* each = "{each: {field: t, require: {field: ok, equals: true}}}";
  CHECK(outcome(some, "{t: [{ok: false}, {ok: true}]}") == pass);
  CHECK(outcome(some, "{t: [{ok: false}]}") == fail);
  CHECK(outcome(some, "{t: []}") == fail);
  CHECK(outcome(some, "{}") == fail);
  CHECK(outcome(some, "{t: null}") == fail);
  CHECK(outcome(some, "{t: {ok: true}}") == fail);  // a mapping is not a list
  CHECK(outcome(some, "{t: [1, 2]}") == fail);      // scalars have no field `ok`
  CHECK(outcome(each, "{t: [{ok: true}, {ok: true}]}") == pass);
  CHECK(outcome(each, "{t: [{ok: true}, {ok: false}]}") == fail);
  CHECK(outcome(each, "{t: [{ok: true}, {}]}") == fail);
  CHECK(outcome(each, "{t: []}") == pass);  // vacuously true
  CHECK(outcome(each, "{}") == pass);       // vacuously true
  CHECK(outcome(each, "{t: null}") == pass);
  CHECK(outcome(each, "{t: {ok: true}}") == fail);

  SECTION("`.` is the element itself, for lists of scalars") {
    const char* has_age = "{some: {field: pc, where: {field: ., equals: age}}}";
    CHECK(outcome(has_age, "{pc: [sex, age]}") == pass);
    CHECK(outcome(has_age, "{pc: [sex]}") == fail);
    CHECK(outcome("{each: {field: pc, require: {field: ., in: [age, sex]}}}", "{pc: [sex, age]}") ==
          pass);
  }
  SECTION("quantifiers nest; paths stay relative to the element") {
    const char* nested =
        "{some: {field: bias.testing, where: {all: ["
        "{field: date, within_days: 365},"
        "{some: {field: protected_characteristics, where: {field: ., equals: disability}}}]}}}";
    const Date as_of = date("2025-06-01");
    CHECK(outcome(nested,
                  "{bias: {testing: [{date: 2023-01-01, protected_characteristics: [disability]},"
                  " {date: 2025-01-01, protected_characteristics: [age, disability]}]}}",
                  as_of) == pass);
    CHECK(outcome(nested,
                  "{bias: {testing: [{date: 2023-01-01, protected_characteristics: [disability]},"
                  " {date: 2025-01-01, protected_characteristics: [age]}]}}",
                  as_of) == fail);
  }
  SECTION("evidence names list items by index") {
    const Finding f = run(each, "{t: [{ok: true}, {ok: false}]}");
    REQUIRE(f.evidence.size() == 3);
    CHECK(f.evidence[0].path == "t");
    CHECK(f.evidence[0].test == "each");
    CHECK(f.evidence[0].note == "item 1 does not satisfy the condition");
    CHECK(f.evidence[1].path == "t[0].ok");
    CHECK(f.evidence[2].path == "t[1].ok");
    CHECK_FALSE(f.evidence[2].result);
    CHECK(run(some, "{t: []}").evidence.at(0).note == "empty list");
    CHECK(run(each, "{}").evidence.at(0).note == "missing: nothing to check");
  }
}

TEST_CASE("when decides applicability and severity_when adjusts severity", "[rules][engine]") {
  const char* require = "{field: contact, present: true}";
  const char* when = "{field: phase, in: [pilot, production]}";
  CHECK(run(require, "{phase: idea}", Date(), when).outcome == Outcome::not_applicable);
  CHECK(run(require, "{}", Date(), when).outcome == Outcome::not_applicable);
  CHECK(run(require, "{phase: pilot}", Date(), when).outcome == fail);
  CHECK(run(require, "{phase: pilot, contact: x}", Date(), when).outcome == pass);

  const Pack pack = testing::load(
      "rules:\n"
      "  - id: SEC-007\n"
      "    title: inventory\n"
      "    severity: info\n"
      "    recommendation: 6\n"
      "    message: no inventory\n"
      "    require: {field: security.asset_inventory, present: true}\n"
      "    severity_when:\n"
      "      - when: {field: phase, equals: retired}\n"
      "        severity: warning\n"
      "      - when: {field: phase, in: [retired, production]}\n"
      "        severity: error\n");
  const auto severity = [&](const char* yaml) {
    const auto doc = record(yaml);
    return evaluate(pack, doc, Date()).at(0).severity;
  };
  CHECK(severity("{phase: pilot}") == Severity::info);
  CHECK(severity("{phase: retired}") == Severity::warning);  // the first match wins
  CHECK(severity("{phase: production}") == Severity::error);
}

TEST_CASE("parameters supply operands", "[rules][engine]") {
  const char* params =
      "  review_max_days: {value: 30, description: days}\n"
      "  live: {value: [pilot, production]}\n";
  const Date as_of = date("2025-06-01");
  const auto check = [&](const char* require, const char* yaml) {
    return run(require, yaml, as_of, {}, params);
  };
  CHECK(check("{field: d, within_days: {param: review_max_days}}", "{d: 2025-05-02}").outcome ==
        pass);
  CHECK(check("{field: d, within_days: {param: review_max_days}}", "{d: 2025-05-01}").outcome ==
        fail);
  CHECK(check("{field: p, in: {param: live}}", "{p: pilot}").outcome == pass);
  CHECK(check("{field: p, in: {param: live}}", "{p: idea}").outcome == fail);
  const Finding f = check("{field: d, within_days: {param: review_max_days}}", "{d: 2025-05-01}");
  CHECK(f.evidence.at(0).test == "within_days 30 (param review_max_days)");
  CHECK(check("{field: p, in: {param: live}}", "{p: idea}").evidence.at(0).test ==
        "in [\"pilot\", \"production\"] (param live)");
}

TEST_CASE("message placeholders are filled from the record root", "[rules][engine]") {
  const Pack pack = testing::load(
      "rules:\n"
      "  - id: T-1\n"
      "    title: t\n"
      "    severity: error\n"
      "    recommendation: 1\n"
      "    message: \"{{ tool.name }} ({{phase}}) lacks {{contact.email}}; tests: "
      "{{bias.testing}}; {{tags}}\"\n"
      "    require: {field: contact.email, present: true}\n");
  const auto doc = record(
      "tool: {name: Triage bot}\n"
      "phase: pilot\n"
      "bias: {testing: [{date: 2025-01-01}]}\n"
      "tags: [a, b]\n");
  const Finding f = evaluate(pack, doc, Date()).at(0);
  CHECK(f.message == "Triage bot (pilot) lacks (missing); tests: a list of 1 item; [a, b]");

  SECTION("values are cut and control characters flattened") {
    const auto hostile =
        record("tool: {name: \"line1\\nline2\\t" + std::string(500, 'x') + "\"}\n");
    const std::string message = evaluate(pack, hostile, Date()).at(0).message;
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.find("line1 line2 x") == 0);
    CHECK(message.size() < 300);
    CHECK(message.find("…") != std::string::npos);
  }
}

TEST_CASE("findings are located at `locate`, its nearest parent, or the first false leaf",
          "[rules][engine]") {
  const char* yaml =
      "phase: production\n"         // 1
      "contact:\n"                  // 2
      "  url: https://x.example\n"  // 3
      "privacy:\n"                  // 4
      "  dpia:\n"                   // 5
      "    reference: D-1\n";       // 6
  const auto doc = record(yaml);
  const auto locate_with = [&](const std::string& locate, const char* require) {
    std::string body =
        "rules:\n"
        "  - id: T-1\n"
        "    title: t\n"
        "    severity: error\n"
        "    recommendation: 1\n"
        "    message: m\n"
        "    require: " +
        std::string(require) + "\n";
    if (!locate.empty()) body += "    locate: " + locate + "\n";
    return evaluate(testing::load(body), doc, Date()).at(0);
  };

  SECTION("a present locate path") {
    const Finding f =
        locate_with("privacy.dpia", "{field: privacy.dpia.completed_on, present: true}");
    CHECK(f.outcome == fail);
    CHECK(f.path == "privacy.dpia");
    CHECK(f.position == Position{5, 3});
    CHECK(f.file == "record.yaml");
  }
  SECTION("a missing locate path falls back to its nearest present parent") {
    const Finding f = locate_with("contact.email", "{field: contact.email, present: true}");
    CHECK(f.path == "contact");
    CHECK(f.position == Position{2, 1});
  }
  SECTION("a missing top-level locate path falls back to the root") {
    const Finding f = locate_with("redress.route", "{field: redress.route, present: true}");
    CHECK(f.path.empty());
    CHECK(f.position == doc.root().position());
  }
  SECTION("without locate, the first false leaf of require") {
    const Finding f = locate_with("",
                                  "{all: [{field: phase, present: true}, {field: "
                                  "privacy.dpia.completed_on, present: true}]}");
    CHECK(f.path == "privacy.dpia");
    CHECK(f.position == Position{5, 3});
  }
  SECTION("without locate, a pass points at the root") {
    const Finding f = locate_with("", "{field: phase, present: true}");
    CHECK(f.outcome == pass);
    CHECK(f.path.empty());
  }
}

TEST_CASE("evidence carries paths, values and positions", "[rules][engine]") {
  const auto doc = record(
      "security:\n"
      "  testing:\n"
      "    - type: pentest\n"
      "      open_critical_findings: 2\n");
  const Pack pack = rule_pack(
      "{each: {field: security.testing, require: {field: open_critical_findings, at_most: 0}}}");
  const Finding f = evaluate(pack, doc, Date()).at(0);
  CHECK(f.outcome == fail);
  REQUIRE(f.evidence.size() == 2);
  CHECK(f.evidence[0].path == "security.testing");
  CHECK(f.evidence[0].value == "a list of 1 item");
  CHECK(f.evidence[0].position == Position{2, 3});
  CHECK(f.evidence[1].path == "security.testing[0].open_critical_findings");
  CHECK(f.evidence[1].value == "2");
  CHECK(f.evidence[1].position == Position{4, 7});
  CHECK(f.evidence[1].test == "at_most 0");
  CHECK(f.path == "security.testing[0].open_critical_findings");
}

TEST_CASE("evidence is capped", "[rules][engine]") {
  std::string list = "{t: [";
  for (int i = 0; i < 100; ++i) list += "{ok: false},";
  list += "]}";
  const Finding f = run("{some: {field: t, where: {field: ok, equals: true}}}", list);
  CHECK(f.outcome == fail);
  CHECK(f.evidence.size() == kMaxEvidence);
  CHECK(f.evidence_omitted == 101 - kMaxEvidence);
}

TEST_CASE("a rule evaluates the same on a Node as on the Document", "[rules][engine]") {
  const auto doc = record("outer: {phase: pilot}\nphase: idea\n");
  const Pack pack = rule_pack("{field: phase, equals: pilot}");
  CHECK(evaluate(pack, doc, Date()).at(0).outcome == fail);
  const auto inner = evaluate(pack, *doc.root().get("outer"), Date());
  CHECK(inner.at(0).outcome == pass);
  CHECK(inner.at(0).file.empty());
}

TEST_CASE("evaluation is deterministic and safe from many threads", "[rules][engine]") {
  const Pack pack = rule_pack(
      "{all: [{field: email, matches: '^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$'},"
      " {some: {field: t, where: {field: date, within_days: 365}}}]}");
  const auto doc = record("email: a@b.example\nt: [{date: 2025-01-01}, {date: 2020-01-01}]\n");
  const Date as_of = date("2025-06-01");
  const Finding expected = evaluate(pack, doc, as_of).at(0);
  REQUIRE(expected.outcome == pass);
  std::vector<std::thread> threads;
  std::vector<int> agree(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const Finding f = evaluate(pack, doc, as_of).at(0);
        agree[static_cast<std::size_t>(t)] +=
            f.outcome == expected.outcome && f.evidence.size() == expected.evidence.size();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int n : agree) CHECK(n == 200);
}
