#include "candor/rules/intake_findings.h"

#include <algorithm>

#include "candor/rules/check.h"

namespace candor::rules {

IntakeEvaluation evaluate_for_intake(const std::string& file, const registry::Document& document,
                                     std::span<const Pack> packs, Date as_of) {
  CheckOptions options;
  options.as_of = as_of;
  options.waivers = nullptr;
  IntakeEvaluation result;
  result.record = check_document(file, document, packs, options);
  result.findings.evaluated = true;
  result.findings.json = write_findings_json(result.record);
  for (const ReportFinding& rf : result.record.findings) {
    if (!is_failure(rf)) continue;
    result.findings.failing_rules.push_back(rf.finding.rule_id);
    switch (rf.finding.severity) {
      case Severity::error:
        ++result.findings.counts.error;
        break;
      case Severity::warning:
        ++result.findings.counts.warning;
        break;
      case Severity::info:
        ++result.findings.counts.info;
        break;
    }
  }
  auto& failing = result.findings.failing_rules;
  std::sort(failing.begin(), failing.end());
  failing.erase(std::unique(failing.begin(), failing.end()), failing.end());
  return result;
}

}  // namespace candor::rules
