#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "candor/rules/oversight.h"

using namespace candor::rules;
using nlohmann::json;

namespace {

Date day(const char* text) {
  const auto d = Date::parse(text);
  REQUIRE(d);
  return *d;
}

json live_record() {
  return {{"phase", "production"},
          {"record", {{"last_reviewed", "2026-01-31"}}},
          {"governance", {{"review_cycle_months", 1}}},
          {"bias", {{"testing", json::array({{{"date", "2025-01-01"}}, {{"date", "2025-11-26"}}})}}},
          {"security", {{"threat_model", {{"completed_on", "2025-11-25"}}}}}};
}

std::vector<std::string> kinds(const std::vector<Lapse>& lapses) {
  std::vector<std::string> out;
  for (const Lapse& l : lapses) out.push_back(l.kind);
  return out;
}

RegisteredRecord registered(std::string org, std::string id, std::string mission,
                            std::string compliance, json findings, json record = json::object()) {
  RegisteredRecord r;
  r.organisation = std::move(org);
  r.organisation_name = "Org " + r.organisation;
  r.record_id = std::move(id);
  r.title = "Title of " + r.record_id;
  r.mission_area = std::move(mission);
  r.compliance = std::move(compliance);
  r.findings = std::move(findings);
  r.record = std::move(record);
  return r;
}

json fail(const char* rule, const char* severity) {
  return {{"rule_id", rule}, {"outcome", "fail"}, {"severity", severity}};
}

}  // namespace

TEST_CASE("oversight: review due dates add whole months, clamped to the month's end", "[oversight]") {
  // Reviewed 31 January with a one-month cycle: due 28 February 2026 (not a leap year).
  CHECK(kinds(lapses_of(live_record(), day("2026-02-28"))).empty());
  const auto day_after = lapses_of(live_record(), day("2026-03-01"));
  REQUIRE_FALSE(day_after.empty());
  CHECK(day_after[0].kind == "review");
  CHECK(day_after[0].due == "2026-02-28");
  CHECK(day_after[0].last == "2026-01-31");
  CHECK(day_after[0].description == "Review overdue since 2026-02-28 (every 1 months)");

  json leap = live_record();
  leap["record"]["last_reviewed"] = "2028-01-31";
  const auto leap_lapses = lapses_of(leap, day("2028-03-01"));
  REQUIRE_FALSE(leap_lapses.empty());
  CHECK(leap_lapses[0].due == "2028-02-29");
}

TEST_CASE("oversight: evidence lapses after 365 days, from the latest date", "[oversight]") {
  // Latest bias test 2025-11-26, threat model 2025-11-25: on 2026-11-26 the threat model is
  // 366 days old (lapsed) and the bias test exactly 365 (not yet).
  json r = live_record();
  r["governance"]["review_cycle_months"] = 12;
  r["record"]["last_reviewed"] = "2026-06-01";
  CHECK(kinds(lapses_of(r, day("2026-11-25"))).empty());
  CHECK(kinds(lapses_of(r, day("2026-11-26"))) == std::vector<std::string>{"threat-model"});
  CHECK(kinds(lapses_of(r, day("2026-11-27"))) ==
        std::vector<std::string>{"bias-testing", "threat-model"});
  const auto bias = lapses_of(r, day("2026-11-27"))[0];
  CHECK(bias.last == "2025-11-26");
  CHECK(bias.due == "2026-11-26");
}

TEST_CASE("oversight: only tools in use lapse; a missing review date is a lapse", "[oversight]") {
  json r = live_record();
  for (const char* phase : {"idea", "pre-deployment", "retired"}) {
    r["phase"] = phase;
    CHECK(lapses_of(r, day("2030-01-01")).empty());
  }
  json pilot = {{"phase", "pilot"}};
  const auto lapses = lapses_of(pilot, day("2026-11-26"));
  REQUIRE(lapses.size() == 1);
  CHECK(lapses[0].kind == "review");
  CHECK(lapses[0].description == "No review date recorded");
  // Wrong types are ignored, not thrown on.
  json odd = {{"phase", "pilot"},
              {"record", {{"last_reviewed", 20260101}}},
              {"governance", {{"review_cycle_months", "six"}}},
              {"bias", {{"testing", "yes"}}},
              {"security", {{"threat_model", nullptr}}}};
  CHECK(kinds(lapses_of(odd, day("2026-11-26"))) == std::vector<std::string>{"review"});
}

TEST_CASE("oversight: groups count compliance, lapses and failures by recommendation",
          "[oversight]") {
  const std::vector<RegisteredRecord> records = {
      registered("b-org", "r2", "health", "failing",
                 json::array({fail("SEC-001", "error"), fail("TRN-006", "warning"),
                              {{"rule_id", "PRV-001"}, {"outcome", "pass"}, {"severity", "error"}},
                              {{"rule_id", "BIA-002"}, {"outcome", "waived"}, {"severity", "warning"}},
                              fail("X-999", "info")}),
                 json{{"phase", "pilot"}}),
      registered("a-org", "r1", "health", "passing", json::array()),
      registered("b-org", "r1", "education", "not-assessed", json()),
  };
  const std::map<std::string, int, std::less<>> recs = {{"SEC-001", 6}, {"TRN-006", 1}};
  const Oversight by_org = build_oversight(records, GroupBy::organisation, day("2026-11-26"), recs);
  REQUIRE(by_org.groups.size() == 2);
  CHECK(by_org.groups[0].key == "a-org");
  CHECK(by_org.groups[0].label == "Org a-org");
  CHECK(by_org.groups[0].passing == 1);
  const GroupOversight& b = by_org.groups[1];
  CHECK(b.records == 2);
  CHECK(b.failing == 1);
  CHECK(b.not_assessed == 1);
  CHECK(b.records_with_lapses == 1);  // the pilot without a review date
  CHECK(b.failures_by_recommendation[6] == 1);
  CHECK(b.failures_by_recommendation[1] == 1);
  CHECK(b.failures_by_recommendation[0] == 1);  // X-999 is in no known pack
  CHECK(by_org.total.records == 3);
  CHECK(by_org.total.failures_by_recommendation[6] == 1);
  REQUIRE(by_org.records.size() == 3);
  CHECK(by_org.records[1].record_id == "r1");
  CHECK(by_org.records[2].errors == 1);
  CHECK(by_org.records[2].warnings == 1);
  CHECK(by_org.records[2].infos == 1);
  CHECK(by_org.records[2].failed_rules == std::vector<std::string>{"SEC-001", "TRN-006", "X-999"});

  const Oversight by_mission = build_oversight(records, GroupBy::mission, day("2026-11-26"), recs);
  REQUIRE(by_mission.groups.size() == 2);
  CHECK(by_mission.groups[0].key == "education");
  CHECK(by_mission.groups[1].label == "Health");
  CHECK(by_mission.groups[1].records == 2);
}

TEST_CASE("oversight: writers escape what records say", "[oversight]") {
  RegisteredRecord r = registered("evil", "x", "health", "failing", json::array());
  r.organisation_name = "=cmd|' /C calc'!A0 <script>\"";
  r.title = "<img src=x onerror=alert(1)>";
  r.record = {{"phase", "pilot"}};
  const std::vector<RegisteredRecord> records = {r};
  const Oversight o = build_oversight(records, GroupBy::organisation, day("2026-11-26"), {});

  const std::string csv = oversight_csv(o);
  CHECK(csv.starts_with("organisation,label,records,failing,"));
  CHECK(csv.find(R"("'=cmd|' /C calc'!A0 <script>""")") != std::string::npos);
  CHECK(csv.ends_with("\r\n"));

  const std::string html = oversight_html(o);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  CHECK(html.find("No review date recorded") != std::string::npos);

  const json j = oversight_json(o);
  CHECK(j.at("format") == "candor.oversight/v1");
  CHECK(j.at("records")[0].at("title") == "<img src=x onerror=alert(1)>");
  CHECK(j.at("records")[0].at("lapses")[0].at("last").is_null());
  CHECK(parse_group_by("mission") == GroupBy::mission);
  CHECK_FALSE(parse_group_by("Mission"));
  CHECK(mission_area_label("crime-and-policing") == "Crime and policing");
}
