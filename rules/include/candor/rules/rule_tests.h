// Running the tests a pack carries: every rule says, by example, what it should decide.
//
// Each test's record is a mapping inside the pack file itself, so a failing test is reported at
// the test's own line. A test runs its rule alone, against that record, as of the test's
// `as_of` (the loader insists on one whenever the rule reads the date; other rules get
// 1970-01-01, which they cannot observe). Pure, like the engine.
#pragma once

#include <string>
#include <vector>

#include "candor/registry/document.h"
#include "candor/rules/engine.h"
#include "candor/rules/rule.h"

namespace candor::rules {

struct TestResult {
  std::string rule_id;
  std::string name;             // the test's name
  std::string file;             // the pack file holding the test
  registry::Position position;  // of the test entry
  Outcome expected = Outcome::pass;
  Outcome actual = Outcome::pass;
  Finding finding;  // the engine's full answer, to explain a failure

  bool passed() const { return expected == actual; }
};

struct TestReport {
  std::vector<TestResult> results;    // in pack order, then test order
  std::vector<std::string> untested;  // ids of rules with no tests (every rule should have some)

  std::size_t failed() const;
  bool ok() const { return failed() == 0 && untested.empty(); }
};

TestReport run_tests(const Pack& pack);

// One rule's tests only.
std::vector<TestResult> run_rule_tests(const Rule& rule);

}  // namespace candor::rules
