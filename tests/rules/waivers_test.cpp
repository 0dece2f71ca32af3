// Waivers: every mistake in a waiver file is a located problem; applying one is pure and judged
// on the as-of date (in force from granted_on up to, not including, expires_on).
#include <catch2/catch.hpp>

#include "candor/rules/waivers.h"
#include "report_test_support.h"

namespace candor::rules::testing {
namespace {

std::string waiver_file(std::string_view waivers) {
  return "apiVersion: candor.waivers/v1\nkind: WaiverList\nwaivers:\n" + std::string(waivers);
}

// One waiver for T-ERR on hostile-record, with `extra` lines appended. The item's mapping starts
// on line 5 ("-" alone on line 4), so every key has a line of its own: rule 5, record 6,
// justification 7, approved_by 8, ticket 9, granted_on 10, expires_on 11, extra 12.
std::string one(std::string_view granted = "2026-01-01", std::string_view expires = "2026-06-01",
                std::string_view extra = "") {
  return waiver_file(
      "  -\n"
      "    rule: T-ERR\n"
      "    record: hostile-record\n"
      "    justification: Naming is pending a procurement decision.\n"
      "    approved_by: Chief Data Officer\n"
      "    ticket: GOV-1\n"
      "    granted_on: " +
      std::string(granted) +
      "\n"
      "    expires_on: " +
      std::string(expires) + "\n" + std::string(extra));
}

WaiverList loaded(const std::string& text, const std::vector<Pack>& packs = {}) {
  auto result = load_waivers_text(text, "waivers.yaml", packs);
  INFO(describe(result.problems()));
  REQUIRE(result.ok());
  return std::move(result).value();
}

registry::Problems problems(const std::string& text, const std::vector<Pack>& packs = {}) {
  auto result = load_waivers_text(text, "waivers.yaml", packs);
  REQUIRE_FALSE(result.ok());
  return result.problems();
}

Finding failing(std::string rule = "T-ERR") {
  Finding f;
  f.rule_id = std::move(rule);
  f.outcome = Outcome::fail;
  f.severity = Severity::warning;
  f.message = "original message";
  return f;
}

const RecordKey k_record{"org", "hostile-record"};

}  // namespace

TEST_CASE("waivers: the reference example loads (ai-register.waivers/v1)") {
  const WaiverList list = loaded(
      "apiVersion: ai-register.waivers/v1\n"
      "kind: WaiverList\n"
      "waivers:\n"
      "  - rule: BIA-002\n"
      "    record: dwp-fraud-triage          # record id\n"
      "    justification: \"Annual bias re-test delayed pending new training data.\"\n"
      "    approved_by: \"Chief Data Officer, DWP\"\n"
      "    ticket: \"GOV-1234\"\n"
      "    granted_on: 2025-05-01\n"
      "    expires_on: 2025-08-01\n");
  REQUIRE(list.waivers.size() == 1);
  const Waiver& w = list.waivers.front();
  CHECK(w.rule == "BIA-002");
  CHECK(w.record == "dwp-fraud-triage");
  CHECK(w.organisation.empty());
  CHECK(w.approved_by == "Chief Data Officer, DWP");
  CHECK(w.ticket == "GOV-1234");
  CHECK(w.granted_on == date("2025-05-01"));
  CHECK(w.expires_on == date("2025-08-01"));
  CHECK(w.position == registry::Position{4, 5});
}

TEST_CASE("waivers: candor.waivers/v1, an organisation and an unquoted ticket number") {
  const WaiverList list = loaded(one("2026-01-01", "2026-06-01", "    organisation: org\n"));
  CHECK(list.waivers.front().organisation == "org");
  const WaiverList numbered =
      loaded(waiver_file("  - {rule: R, record: r, justification: j, approved_by: a, ticket: 1234, "
                         "granted_on: 2026-01-01, expires_on: 2026-02-01}\n"));
  CHECK(numbered.waivers.front().ticket == "1234");
  CHECK(loaded("apiVersion: candor.waivers/v1\nkind: WaiverList\nwaivers: []\n").waivers.empty());
}

TEST_CASE("waivers: an unknown key is located and a near miss suggested") {
  const auto p = find_problem(problems(one("2026-01-01", "2026-06-01", "    justifcation: typo\n")),
                              "waivers.unknown-key");
  CHECK(p.position == registry::Position{12, 5});
  CHECK(p.path == "waivers[0].justifcation");
  CHECK(p.hint == "did you mean `justification`?");
  CHECK(p.file == "waivers.yaml");
}

TEST_CASE("waivers: every required key is required") {
  for (const char* key :
       {"rule", "record", "justification", "approved_by", "ticket", "granted_on", "expires_on"}) {
    INFO(key);
    std::string text = one();
    const std::size_t at = text.find(std::string("    ") + key + ":");
    REQUIRE(at != std::string::npos);
    text.erase(at, text.find('\n', at) - at + 1);
    const auto p = find_problem(problems(text), "waivers.missing-key");
    CHECK(p.message == std::string("the waiver needs `") + key + "`");
    CHECK(p.position == registry::Position{5, 5});
  }
}

TEST_CASE("waivers: empty text and wrong types are refused") {
  std::string empty_approver = one();
  empty_approver.replace(empty_approver.find("Chief Data Officer"), 18, "\"\"");
  const auto p = find_problem(problems(empty_approver), "waivers.bad-value");
  CHECK(p.message == "`approved_by` must be non-empty text, not empty text");
  find_problem(problems(waiver_file("  - just a string\n")), "waivers.bad-value");
  find_problem(problems("apiVersion: candor.waivers/v1\nkind: WaiverList\nwaivers: {a: 1}\n"),
               "waivers.bad-value");
}

TEST_CASE("waivers: dates must be real days") {
  const auto p = find_problem(problems(one("2026-02-30", "2026-06-01")), "waivers.bad-date");
  CHECK(p.position == registry::Position{10, 17});
  CHECK(p.message == "`2026-02-30` is not a date");
  find_problem(problems(one("2026-01-01", "1 June 2026")), "waivers.bad-date");
}

TEST_CASE("waivers: at most 365 days, counted on the real calendar") {
  CHECK_NOTHROW(loaded(one("2025-01-01", "2026-01-01")));  // 365 days
  const auto p = find_problem(problems(one("2025-01-01", "2026-01-02")), "waivers.too-long");
  CHECK(p.message == "the waiver lasts 366 days, more than the 365 allowed");
  CHECK(p.hint.find("2026-01-01") != std::string::npos);
  CHECK(p.position == registry::Position{11, 17});
  // 2024 is a leap year: 2024-01-01 + 365 days is 2024-12-31.
  CHECK_NOTHROW(loaded(one("2024-01-01", "2024-12-31")));
  find_problem(problems(one("2024-01-01", "2025-01-01")), "waivers.too-long");
}

TEST_CASE("waivers: expiry must come after the grant") {
  const auto before = find_problem(problems(one("2026-06-01", "2026-01-01")), "waivers.bad-period");
  CHECK(before.message.find("before it was granted") != std::string::npos);
  const auto same = find_problem(problems(one("2026-06-01", "2026-06-01")), "waivers.bad-period");
  CHECK(same.message.find("the day it was granted") != std::string::npos);
}

TEST_CASE("waivers: rule ids are checked against the loaded packs") {
  const std::vector<Pack> packs{report_pack()};
  CHECK_NOTHROW(loaded(one(), packs));
  std::string text = one();
  text.replace(text.find("T-ERR"), 5, "T-ER");
  const auto p = find_problem(problems(text, packs), "waivers.unknown-rule");
  CHECK(p.hint == "did you mean `T-ERR`?");
  CHECK(p.path == "waivers[0].rule");
  CHECK_NOTHROW(loaded(text));  // no packs given: not checked
}

TEST_CASE("waivers: schema problems cannot be waived") {
  std::string text = one();
  text.replace(text.find("T-ERR"), 5, "SCHEMA");
  find_problem(problems(text), "waivers.not-waivable");
}

TEST_CASE("waivers: a wildcard record needs scope all, and scope all needs the wildcard") {
  std::string star = one();
  star.replace(star.find("hostile-record"), 14, "\"*\"");
  const auto p = find_problem(problems(star), "waivers.wildcard");
  CHECK(p.path == "waivers[0].record");
  const WaiverList ok = loaded(star + "    scope: all\n");
  CHECK(ok.waivers.front().all_records());
  find_problem(problems(one("2026-01-01", "2026-06-01", "    scope: all\n")), "waivers.wildcard");
  find_problem(problems(star + "    scope: everything\n"), "waivers.bad-value");
}

TEST_CASE("waivers: overlapping waivers for the same rule and record are refused") {
  const std::string first = one("2026-01-01", "2026-06-01");
  const std::size_t item = first.find("  -\n");
  const std::string second_overlapping = one("2026-05-01", "2026-09-01").substr(item);
  const auto p = find_problem(problems(first + second_overlapping), "waivers.duplicate");
  CHECK(p.position.line == 13);
  // A renewal that starts on the old expiry is fine.
  const std::string renewal = one("2026-06-01", "2026-12-01").substr(item);
  CHECK(loaded(first + renewal).waivers.size() == 2);
}

TEST_CASE("waivers: headers and YAML problems") {
  find_problem(problems("apiVersion: candor.waivers/v2\nkind: WaiverList\nwaivers: []\n"),
               "waivers.bad-header");
  find_problem(problems("apiVersion: candor.waivers/v1\nkind: Waivers\nwaivers: []\n"),
               "waivers.bad-header");
  find_problem(problems("apiVersion: candor.waivers/v1\nkind: WaiverList\n"),
               "waivers.missing-key");
  find_problem(problems("- a list\n"), "waivers.bad-header");
  find_problem(problems(one() + "    rule: again\n"), "yaml.duplicate-key");
  const auto io = load_waivers_file("/nonexistent/waivers.yaml");
  REQUIRE_FALSE(io.ok());
  CHECK(io.problems().front().code == "waivers.io");
}

TEST_CASE("waivers: an active waiver turns a failure into `waived`, keeping severity and message") {
  const WaiverList list = loaded(one("2026-01-01", "2026-06-01"));
  Finding f = failing();
  const auto applied = apply_waivers(f, list, k_record, date("2026-03-01"));
  REQUIRE(applied.has_value());
  CHECK(applied->state == WaiverState::active);
  CHECK(f.outcome == Outcome::waived);
  CHECK(f.severity == Severity::warning);
  CHECK(f.message == "original message");
  CHECK(describe(*applied) ==
        "waived: Naming is pending a procurement decision. (approved by Chief Data Officer, "
        "GOV-1, expires on 2026-06-01)");
}

TEST_CASE("waivers: in force from granted_on up to the day before expires_on") {
  const WaiverList list = loaded(one("2026-01-01", "2026-06-01"));
  const auto state_on = [&](const char* day) {
    Finding f = failing();
    const auto applied = apply_waivers(f, list, k_record, date(day));
    REQUIRE(applied.has_value());
    CHECK((f.outcome == Outcome::waived) == (applied->state == WaiverState::active));
    return applied->state;
  };
  CHECK(state_on("2025-12-31") == WaiverState::not_yet_in_force);
  CHECK(state_on("2026-01-01") == WaiverState::active);
  CHECK(state_on("2026-05-31") == WaiverState::active);
  CHECK(state_on("2026-06-01") == WaiverState::expired);
  CHECK(state_on("2027-01-01") == WaiverState::expired);

  Finding f = failing();
  const auto expired = apply_waivers(f, list, k_record, date("2026-06-01"));
  CHECK(f.outcome == Outcome::fail);
  CHECK(describe(*expired) ==
        "waiver expired on 2026-06-01 (GOV-1, approved by Chief Data Officer)");
}

TEST_CASE("waivers: only failures of the named rule, record and organisation are waived") {
  const WaiverList list = loaded(one("2026-01-01", "2026-06-01", "    organisation: org\n"));
  const Date day = date("2026-03-01");
  Finding pass = failing();
  pass.outcome = Outcome::pass;
  CHECK_FALSE(apply_waivers(pass, list, k_record, day).has_value());
  CHECK(pass.outcome == Outcome::pass);
  Finding na = failing();
  na.outcome = Outcome::not_applicable;
  CHECK_FALSE(apply_waivers(na, list, k_record, day).has_value());

  Finding other_rule = failing("T-WARN");
  CHECK_FALSE(apply_waivers(other_rule, list, k_record, day).has_value());
  Finding other_record = failing();
  CHECK_FALSE(apply_waivers(other_record, list, RecordKey{"org", "another"}, day).has_value());
  Finding other_org = failing();
  CHECK_FALSE(apply_waivers(other_org, list, RecordKey{"elsewhere", "hostile-record"}, day));
  CHECK(other_org.outcome == Outcome::fail);
}

TEST_CASE("waivers: the active waiver wins, and a named record wins over the wildcard") {
  const std::string star =
      "  - {rule: T-ERR, record: \"*\", scope: all, justification: every record, approved_by: "
      "Regulator, ticket: ALL-1, granted_on: 2026-01-01, expires_on: 2026-12-01}\n";
  const std::string named_expired =
      "  - {rule: T-ERR, record: hostile-record, justification: old, approved_by: CDO, ticket: "
      "OLD-1, granted_on: 2025-01-01, expires_on: 2025-06-01}\n";
  const std::string named_active =
      "  - {rule: T-ERR, record: hostile-record, justification: new, approved_by: CDO, ticket: "
      "NEW-1, granted_on: 2026-02-01, expires_on: 2026-08-01}\n";
  const WaiverList list = loaded(waiver_file(star + named_expired + named_active));
  CHECK(find_waiver(list, "T-ERR", k_record, date("2026-03-01"))->waiver.ticket == "NEW-1");
  CHECK(find_waiver(list, "T-ERR", k_record, date("2026-01-15"))->waiver.ticket == "ALL-1");
  CHECK(
      find_waiver(list, "T-ERR", RecordKey{"x", "any-record"}, date("2026-03-01"))->waiver.ticket ==
      "ALL-1");
  // After everything expired: the named record's waiver that expired last.
  CHECK(find_waiver(list, "T-ERR", k_record, date("2027-01-01"))->waiver.ticket == "NEW-1");
  CHECK(find_waiver(list, "T-ERR", k_record, date("2025-07-01"))->waiver.ticket == "OLD-1");
}

}  // namespace candor::rules::testing
