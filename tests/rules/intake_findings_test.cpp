// evaluate_for_intake: the findings `candor register add` and the server store with a version.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "candor/rules/intake_findings.h"
#include "report_test_support.h"

namespace candor::rules::testing {

using Json = nlohmann::json;

TEST_CASE("intake findings: the report's findings array, evaluated, with failures by severity") {
  const std::vector<Pack> packs{report_pack()};
  const Date as_of = Date::from_days(20600);
  auto doc = registry::load_document(k_good_record, "good.yaml");
  REQUIRE(doc.ok());
  const IntakeEvaluation good = evaluate_for_intake("good.yaml", doc.value(), packs, as_of);
  CHECK(good.findings.evaluated);
  // k_good_record passes T-ERR and T-WARN and fails T-INFO.
  CHECK(good.findings.counts == registry::FindingCounts{0, 0, 1});

  // Exactly what the JSON report (docs/report-format.md) says for the same record.
  Report report = make_report(packs, as_of, Severity::error);
  report.records.push_back(check_text(k_good_record, "good.yaml", packs, as_of));
  const Json expected = Json::parse(json_of(report))["records"][0]["findings"];
  CHECK(Json::parse(good.findings.json) == expected);
  CHECK(good.record.findings.size() == expected.size());

  auto hostile_doc = registry::load_document(k_hostile_record, "hostile.yaml");
  REQUIRE(hostile_doc.ok());
  const IntakeEvaluation hostile =
      evaluate_for_intake("hostile.yaml", hostile_doc.value(), packs, as_of);
  CHECK(hostile.findings.counts.warning == 1);  // T-WARN
  CHECK(hostile.findings.counts.error >= 1);    // T-ERR (and the schema's failures)
  CHECK(hostile.findings.counts.info == 0);     // T-INFO does not apply
}

}  // namespace candor::rules::testing
