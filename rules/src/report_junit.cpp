// JUnit XML, for the test tabs of CI systems: each record is a test suite and each rule a test
// case, so a department sees "48 passed, 2 failed" per record in the tools it already uses.
#include <algorithm>
#include <map>
#include <vector>

#include "candor/rules/report.h"
#include "report_util.h"

namespace candor::rules {
namespace {

std::string record_name(const RecordReport& record) {
  if (record.record_id.empty()) return record.file;
  return record.organisation_id.empty() ? record.record_id
                                        : record.organisation_id + "/" + record.record_id;
}

struct Case {
  std::string name;
  enum class Kind { passed, failed, skipped } kind = Kind::passed;
  std::string type;     // failure: the severity
  std::string message;  // failure or skipped: the short message
  std::string body;     // failure: the details
};

Case make_case(const RecordReport& record, const RuleInfo& rule,
               const std::vector<const ReportFinding*>& found) {
  Case c;
  c.name = rule.id + ": " + rule.title;
  if (found.empty()) {
    c.kind = Case::Kind::skipped;
    c.message = record.parsed ? "not run" : "not run: the file could not be read as YAML";
    return c;
  }
  std::vector<const ReportFinding*> failures;
  for (const ReportFinding* rf : found) {
    if (is_failure(*rf)) failures.push_back(rf);
  }
  if (!failures.empty()) {
    c.kind = Case::Kind::failed;
    Severity worst = Severity::info;
    for (const ReportFinding* rf : failures) worst = std::max(worst, rf->finding.severity);
    c.type = std::string(to_string(worst));
    c.message = failures.front()->finding.message;
    if (failures.size() > 1) c.message += " (and " + std::to_string(failures.size() - 1) + " more)";
    for (const ReportFinding* rf : failures) {
      c.body += location_text(rf->finding) + ": " + std::string(to_string(rf->finding.severity)) +
                ": [" + rf->finding.rule_id + "] " + rf->finding.message + "\n";
      if (!rf->hint.empty()) c.body += "  hint: " + rf->hint + "\n";
      if (rf->waiver) c.body += "  " + describe(*rf->waiver) + "\n";
    }
    if (!rule.remediation.empty() && failures.front()->code.empty()) {
      c.body += "remediation: " + rule.remediation + "\n";
    }
    return c;
  }
  const ReportFinding& first = *found.front();
  switch (first.finding.outcome) {
    case Outcome::waived:
      c.kind = Case::Kind::skipped;
      c.message = first.waiver ? describe(*first.waiver) : "waived";
      break;
    case Outcome::not_applicable:
      c.kind = Case::Kind::skipped;
      c.message = "not applicable: " + first.finding.message;
      break;
    default:
      break;
  }
  return c;
}

}  // namespace

void write_junit(std::ostream& out, const Report& report) {
  std::vector<std::vector<Case>> suites;
  std::size_t tests = 0, failures = 0, skipped = 0;
  for (const RecordReport& record : report.records) {
    std::map<std::string, std::vector<const ReportFinding*>, std::less<>> by_rule;
    for (const ReportFinding& rf : record.findings) by_rule[rf.finding.rule_id].push_back(&rf);
    std::vector<Case> cases;
    for (const RuleInfo& rule : report.rules) {
      const auto it = by_rule.find(rule.id);
      cases.push_back(make_case(
          record, rule, it == by_rule.end() ? std::vector<const ReportFinding*>{} : it->second));
    }
    for (const Case& c : cases) {
      ++tests;
      failures += c.kind == Case::Kind::failed ? 1 : 0;
      skipped += c.kind == Case::Kind::skipped ? 1 : 0;
    }
    suites.push_back(std::move(cases));
  }

  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"candor check\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"0\" skipped=\"" << skipped << "\">\n";
  for (std::size_t i = 0; i < report.records.size(); ++i) {
    const RecordReport& record = report.records[i];
    const std::vector<Case>& cases = suites[i];
    std::size_t f = 0, s = 0;
    for (const Case& c : cases) {
      f += c.kind == Case::Kind::failed ? 1 : 0;
      s += c.kind == Case::Kind::skipped ? 1 : 0;
    }
    const std::string name = xml_escape(record_name(record));
    out << "  <testsuite name=\"" << name << "\" tests=\"" << cases.size() << "\" failures=\"" << f
        << "\" errors=\"0\" skipped=\"" << s << "\">\n";
    out << "    <properties>\n";
    out << "      <property name=\"file\" value=\"" << xml_escape(record.file) << "\"/>\n";
    out << "      <property name=\"as_of\" value=\"" << report.as_of.to_string() << "\"/>\n";
    out << "    </properties>\n";
    for (const Case& c : cases) {
      out << "    <testcase classname=\"" << name << "\" name=\"" << xml_escape(c.name)
          << "\" file=\"" << xml_escape(record.file) << "\"";
      switch (c.kind) {
        case Case::Kind::passed:
          out << "/>\n";
          break;
        case Case::Kind::skipped:
          out << ">\n      <skipped message=\"" << xml_escape(c.message)
              << "\"/>\n    </testcase>\n";
          break;
        case Case::Kind::failed:
          out << ">\n      <failure type=\"" << c.type << "\" message=\"" << xml_escape(c.message)
              << "\">" << xml_escape(c.body) << "</failure>\n    </testcase>\n";
          break;
      }
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace candor::rules
