// Running the tests packs carry.
#include "candor/rules/rule_tests.h"

#include <filesystem>
#include <optional>

#include "rules_test_support.h"

using namespace candor::rules;
using candor::registry::Position;
using candor::rules::testing::load;

TEST_CASE("a pack's tests run against their inline records", "[rules][rule-tests]") {
  const Pack pack = load(
      "rules:\n"                             // 4
      "  - id: PRV-003\n"                    // 5
      "    title: DPIA before deployment\n"  // 6
      "    severity: error\n"                // 7
      "    recommendation: 5\n"              // 8
      "    message: \"DPIA {{privacy.dpia.completed_on}} after {{deployment.start_date}}\"\n"
      "    when: {field: personal_data.processed, equals: true}\n"  // 10
      "    require: {field: privacy.dpia.completed_on, on_or_before_field: deployment.start_date}\n"
      "    locate: privacy.dpia\n"             // 12
      "    tests:\n"                           // 13
      "      - name: before go-live passes\n"  // 14
      "        record: {personal_data: {processed: true}, deployment: {start_date: 2025-03-01},\n"
      "                 privacy: {dpia: {completed_on: 2025-02-01}}}\n"
      "        expect: pass\n"
      "      - name: after go-live fails\n"  // 18
      "        record: {personal_data: {processed: true}, deployment: {start_date: 2025-03-01},\n"
      "                 privacy: {dpia: {completed_on: 2025-04-01}}}\n"
      "        expect: fail\n"
      "      - name: wrongly expected to pass\n"  // 22
      "        record: {personal_data: {processed: true}, deployment: {start_date: 2025-03-01}}\n"
      "        expect: pass\n"
      "      - name: no personal data\n"  // 25
      "        record: {personal_data: {processed: false}}\n"
      "        expect: not_applicable\n"
      "  - id: GOV-004\n"
      "    title: no tests here\n"
      "    severity: warning\n"
      "    recommendation: 2\n"
      "    message: m\n"
      "    require: {field: governance.review_cycle_months, at_most: 12}\n");
  const TestReport report = run_tests(pack);
  REQUIRE(report.results.size() == 4);
  CHECK(report.failed() == 1);
  CHECK_FALSE(report.ok());
  CHECK(report.untested == std::vector<std::string>{"GOV-004"});

  CHECK(report.results[0].passed());
  CHECK(report.results[1].passed());
  CHECK(report.results[3].passed());
  CHECK(report.results[3].actual == Outcome::not_applicable);

  const TestResult& bad = report.results[2];
  CHECK_FALSE(bad.passed());
  CHECK(bad.rule_id == "PRV-003");
  CHECK(bad.name == "wrongly expected to pass");
  CHECK(bad.file == "pack.yaml");
  CHECK(bad.position == Position{22, 9});
  CHECK(bad.expected == Outcome::pass);
  CHECK(bad.actual == Outcome::fail);
  // The record is the test's own subtree: placeholders and root paths resolve inside it, and
  // the location points into the pack file.
  CHECK(bad.finding.message == "DPIA (missing) after 2025-03-01");
  CHECK(bad.finding.file == "pack.yaml");
  CHECK(bad.finding.path.empty());
  CHECK(bad.finding.position.line == 23);
  CHECK(report.results[1].finding.path == "privacy.dpia");
  CHECK(report.results[1].finding.position.line == 20);
}

TEST_CASE("tests use their own as_of", "[rules][rule-tests][date]") {
  const Pack pack = load(
      "rules:\n"
      "  - id: TRN-006\n"
      "    title: reviewed within a year\n"
      "    severity: warning\n"
      "    recommendation: 1\n"
      "    message: m\n"
      "    require: {field: record.last_reviewed, within_days: 365}\n"
      "    tests:\n"
      "      - {name: exactly a year, as_of: 2025-02-28, record: {record: {last_reviewed: "
      "2024-02-29}}, expect: pass}\n"
      "      - {name: a day more, as_of: 2025-03-01, record: {record: {last_reviewed: "
      "2024-02-29}}, expect: fail}\n");
  const TestReport report = run_tests(pack);
  CHECK(report.ok());
  CHECK(report.results.size() == 2);
  CHECK(run_rule_tests(pack.rules.at(0)).size() == 2);
}

TEST_CASE("the reference draft's example tests all pass", "[rules][rule-tests]") {
  const auto result =
      load_pack(std::filesystem::path(CANDOR_RULES_TEST_DATA) / "reference-example.yaml");
  INFO(candor::rules::testing::describe(result.problems()));
  REQUIRE(result.ok());
  const TestReport report = run_tests(result.value());
  for (const TestResult& r : report.results) {
    INFO(r.rule_id << " / " << r.name << ": expected " << to_string(r.expected) << ", got "
                   << to_string(r.actual));
    CHECK(r.passed());
  }
  CHECK(report.results.size() == 10);
  CHECK(report.ok());
}

TEST_CASE("a copied pack keeps its test records alive", "[rules][rule-tests]") {
  std::optional<Pack> original = load(
      "rules:\n"
      "  - id: T-1\n"
      "    title: t\n"
      "    severity: info\n"
      "    recommendation: 1\n"
      "    message: m\n"
      "    require: {field: a, equals: 1}\n"
      "    tests:\n"
      "      - {name: one, record: {a: 1}, expect: pass}\n");
  const Pack copy = *original;
  original.reset();
  CHECK(run_tests(copy).ok());
}

TEST_CASE("every shipped pack loads and passes its own tests", "[rules][rule-tests][packs]") {
  const std::filesystem::path packs = std::filesystem::path(CANDOR_SOURCE_DIR) / "rules" / "packs";
  if (!std::filesystem::is_directory(packs)) return;
  for (const auto& entry : std::filesystem::directory_iterator(packs)) {
    if (!entry.is_directory()) continue;
    INFO(entry.path().string());
    const auto result = load_pack(entry.path());
    INFO(candor::rules::testing::describe(result.problems()));
    REQUIRE(result.ok());
    const TestReport report = run_tests(result.value());
    for (const TestResult& r : report.results) {
      INFO(r.file << ":" << r.position.line << ": " << r.rule_id << " / " << r.name << ": expected "
                  << to_string(r.expected) << ", got " << to_string(r.actual));
      CHECK(r.passed());
    }
    CHECK(report.untested.empty());
  }
}
