// The text report: what a person reads in a terminal or a CI log, shaped like compiler output
// so editors and problem matchers can jump to the line.
#include <algorithm>
#include <vector>

#include "candor/rules/report.h"
#include "report_util.h"

namespace candor::rules {
namespace {

void write_finding(std::ostream& out, const Report& report, const ReportFinding& rf) {
  const Finding& f = rf.finding;
  const bool waived = f.outcome == Outcome::waived;
  out << location_text(f) << ": " << (waived ? "waived" : to_string(f.severity)) << ": ["
      << f.rule_id << "] " << one_line(f.message);
  if (rf.code.empty() && waived) out << " (" << to_string(f.severity) << ")";
  if (!rf.code.empty() && !f.path.empty()) out << " [" << one_line(f.path) << "]";
  out << '\n';
  if (!rf.hint.empty()) out << "  hint: " << one_line(rf.hint) << '\n';
  if (rf.waiver) out << "  " << one_line(describe(*rf.waiver)) << '\n';
  if (waived || !rf.code.empty()) return;
  if (const RuleInfo* rule = report.find_rule(f.rule_id); rule && !rule->remediation.empty()) {
    out << "  remediation: " << one_line(rule->remediation) << '\n';
  }
}

}  // namespace

void write_text(std::ostream& out, const Report& report) {
  for (const RecordReport& record : report.records) {
    std::vector<const ReportFinding*> shown;
    for (const ReportFinding& rf : record.findings) {
      if (rf.finding.outcome == Outcome::fail || rf.finding.outcome == Outcome::waived) {
        shown.push_back(&rf);
      }
    }
    // Top to bottom, as a person reads the file (and as compilers print); ties keep pack order.
    std::stable_sort(shown.begin(), shown.end(),
                     [](const ReportFinding* a, const ReportFinding* b) {
                       const registry::Position pa = a->finding.position, pb = b->finding.position;
                       return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
                     });
    for (const ReportFinding* rf : shown) write_finding(out, report, *rf);
  }
  out << summary_line(report) << '\n';
}

std::string summary_line(const Report& report) {
  const ReportCounts c = report.counts();
  const auto n = [](std::size_t count, std::string_view one, std::string_view many) {
    return std::to_string(count) + " " + std::string(count == 1 ? one : many);
  };
  std::string line = n(c.records, "record", "records") + ": " + std::to_string(c.records_passed) +
                     " passed, " + std::to_string(c.records_failed) + " failed";
  if (c.records_unparsed > 0) line += ", " + std::to_string(c.records_unparsed) + " unreadable";
  line += "; " + n(c.pass + c.fail + c.waived + c.not_applicable, "check", "checks") + ": " +
          std::to_string(c.pass) + " passed, " + n(c.errors, "error", "errors") + ", " +
          n(c.warnings, "warning", "warnings") + ", " + std::to_string(c.infos) + " info, " +
          std::to_string(c.waived) + " waived, " + std::to_string(c.not_applicable) +
          " not applicable";
  return line;
}

}  // namespace candor::rules
