// SARIF 2.1.0: valid against the official schema (tests/data/sarif/, draft-04), and shaped for
// GitHub code scanning.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "report_test_support.h"
#include "sarif_validation.h"

namespace candor::rules::testing {
namespace {

using Json = nlohmann::json;

const std::string k_schema = CANDOR_TEST_DATA "/sarif/sarif-schema-2.1.0.json";

Json sarif(const Report& report, bool passes = false) {
  const Json j = Json::parse(sarif_of(report, passes));
  INFO(j.dump(2).substr(0, 4000));
  CHECK(candor::test::sarif_schema_errors(j, k_schema) == "");
  return j;
}

WaiverList active_waiver() {
  auto result = load_waivers_text(
      "apiVersion: candor.waivers/v1\nkind: WaiverList\nwaivers:\n"
      "  - {rule: T-WARN, record: hostile-record, justification: Rewording in progress, "
      "approved_by: CDO, ticket: GOV-9, granted_on: 2026-05-01, expires_on: 2026-09-01}\n",
      "waivers.yaml");
  REQUIRE(result.ok());
  return std::move(result).value();
}

}  // namespace

TEST_CASE("sarif: the validator rejects what the schema forbids (the test can fail)") {
  Json bad = Json::parse(sarif_of(sample_report({report_pack()})));
  bad["runs"][0]["columnKind"] = "bytes";
  bad["version"] = "2.0.0";
  CHECK(candor::test::sarif_schema_errors(bad, k_schema) != "");
}

TEST_CASE("sarif: valid, with the fields GitHub code scanning needs") {
  const std::vector<Pack> packs{report_pack()};
  const WaiverList waivers = active_waiver();
  const Json j = sarif(sample_report(packs, &waivers, date("2026-06-01")));
  CHECK(j["version"] == "2.1.0");
  REQUIRE(j["runs"].size() == 1);
  const Json& run = j["runs"][0];
  CHECK(run["columnKind"] == "unicodeCodePoints");
  CHECK(run["tool"]["driver"]["name"] == "candor");
  CHECK(run["tool"]["driver"]["version"] == "9.9.9");
  const Json& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == 4);
  CHECK(rules[0]["id"] == "SCHEMA");
  CHECK(rules[1]["id"] == "T-ERR");
  CHECK(rules[1]["helpUri"] == "https://example.org/rules/T-ERR");
  CHECK(rules[1]["defaultConfiguration"]["level"] == "error");
  CHECK(rules[3]["defaultConfiguration"]["level"] == "note");
  CHECK(rules[1]["shortDescription"]["text"] == "The tool is named");

  bool saw_waived = false, saw_err = false;
  for (const Json& r : run["results"]) {
    CHECK(r["kind"] == "fail");
    CHECK(r.contains("partialFingerprints"));
    REQUIRE(r["locations"].size() == 1);
    const Json& loc = r["locations"][0]["physicalLocation"];
    CHECK(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
    CHECK(rules[r["ruleIndex"].get<std::size_t>()]["id"] == r["ruleId"]);
    if (r["ruleId"] == "T-WARN") {
      saw_waived = true;
      CHECK(r["level"] == "warning");
      REQUIRE(r["suppressions"].size() == 1);
      CHECK(r["suppressions"][0]["kind"] == "external");
      CHECK(r["suppressions"][0]["status"] == "accepted");
      CHECK(r["suppressions"][0]["justification"].get<std::string>().find(
                "Rewording in progress") != std::string::npos);
      CHECK(r["properties"]["outcome"] == "waived");
    }
    if (r["ruleId"] == "T-ERR") {
      saw_err = true;
      CHECK(r["level"] == "error");
      CHECK(loc["artifactLocation"]["uri"] == "records/hostile.yaml");
      CHECK(loc["region"]["startLine"] == 6);
      CHECK(loc["region"]["startColumn"] == 1);
      CHECK(r["partialFingerprints"]["candorFinding/v1"] ==
            "\"><img src=x onerror=alert(1)>/hostile-record:T-ERR:tool");
      CHECK_FALSE(r.contains("suppressions"));
    }
  }
  CHECK(saw_waived);
  CHECK(saw_err);
}

TEST_CASE("sarif: results is present when there is nothing to report") {
  const std::vector<Pack> packs{report_pack()};
  Report report = make_report(packs, date("2026-06-01"), Severity::error);
  const Json j = sarif(report);
  REQUIRE(j["runs"][0].contains("results"));
  CHECK(j["runs"][0]["results"].is_array());
  CHECK(j["runs"][0]["results"].empty());
}

TEST_CASE("sarif: passes and not-applicable results only when asked for") {
  const std::vector<Pack> packs{report_pack()};
  const Report report = sample_report(packs);
  const Json fails_only = sarif(report);
  for (const Json& r : fails_only["runs"][0]["results"]) CHECK(r["kind"] == "fail");
  std::size_t pass = 0, na = 0;
  const Json with_passes = sarif(report, true);
  for (const Json& r : with_passes["runs"][0]["results"]) {
    if (r["kind"] == "pass") ++pass;
    if (r["kind"] == "notApplicable") ++na;
    if (r["kind"] != "fail") CHECK(r["level"] == "none");
  }
  CHECK(pass == 3);
  CHECK(na == 1);
}

TEST_CASE(
    "sarif: absolute paths and odd characters become valid URIs, and unknown positions have no "
    "region") {
  const std::vector<Pack> packs{report_pack()};
  Report report = make_report(packs, date("2026-06-01"), Severity::error);
  report.records.push_back(
      check_text("a: [1, 2\n", "/tmp/my records/a#b.yaml", packs, date("2026-06-01")));
  report.records.push_back(check_text("", "empty.yaml", packs, date("2026-06-01")));
  report.input_problems.push_back(
      registry::Problem{"missing dir", {}, "", "io.not-found", "no such file or directory", ""});
  const Json j = sarif(report);
  const Json& results = j["runs"][0]["results"];
  REQUIRE(results.size() == 2);
  const Json& first = results[0]["locations"][0]["physicalLocation"];
  CHECK(first["artifactLocation"]["uri"] == "file:///tmp/my%20records/a%23b.yaml");
  CHECK_FALSE(first["artifactLocation"].contains("uriBaseId"));
  CHECK_FALSE(results[1]["locations"][0]["physicalLocation"].contains("region"));
  CHECK(j["runs"][0]["invocations"][0]["executionSuccessful"] == false);
}

}  // namespace candor::rules::testing
