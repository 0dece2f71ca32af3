#include "candor/rules/rule_tests.h"

#include <algorithm>

namespace candor::rules {

std::size_t TestReport::failed() const {
  return static_cast<std::size_t>(std::count_if(results.begin(), results.end(),
                                                [](const TestResult& r) { return !r.passed(); }));
}

std::vector<TestResult> run_rule_tests(const Rule& rule) {
  std::vector<TestResult> results;
  for (const RuleTest& test : rule.tests) {
    TestResult r;
    r.rule_id = rule.id;
    r.name = test.name;
    r.file = test.file;
    r.position = test.position;
    r.expected = test.expect;
    r.finding = evaluate_rule(rule, *test.record, test.as_of.value_or(Date()));
    r.finding.file = test.file;
    r.actual = r.finding.outcome;
    results.push_back(std::move(r));
  }
  return results;
}

TestReport run_tests(const Pack& pack) {
  TestReport report;
  for (const Rule& rule : pack.rules) {
    if (rule.tests.empty()) report.untested.push_back(rule.id);
    std::vector<TestResult> results = run_rule_tests(rule);
    std::move(results.begin(), results.end(), std::back_inserter(report.results));
  }
  return report;
}

}  // namespace candor::rules
