#include "candor/rules/report.h"

#include <array>

namespace candor::rules {
namespace {

constexpr std::array<std::string_view, 6> kRecommendations = {"Transparency",
                                                              "Public-benefit governance",
                                                              "Regulation and accountability",
                                                              "Bias and reliability",
                                                              "Privacy",
                                                              "Security"};

void tally(ReportCounts& c, const ReportFinding& rf) {
  switch (rf.finding.outcome) {
    case Outcome::pass:
      ++c.pass;
      break;
    case Outcome::not_applicable:
      ++c.not_applicable;
      break;
    case Outcome::waived:
      ++c.waived;
      break;
    case Outcome::fail:
      ++c.fail;
      switch (rf.finding.severity) {
        case Severity::error:
          ++c.errors;
          break;
        case Severity::warning:
          ++c.warnings;
          break;
        case Severity::info:
          ++c.infos;
          break;
      }
      break;
  }
}

bool fails_at(const RecordReport& record, Severity threshold) {
  for (const ReportFinding& rf : record.findings) {
    if (is_failure(rf) && rf.finding.severity >= threshold) return true;
  }
  return false;
}

}  // namespace

std::string_view recommendation_name(int recommendation) {
  if (recommendation < 1 || recommendation > 6) return {};
  return kRecommendations[static_cast<std::size_t>(recommendation - 1)];
}

RuleInfo rule_info(const Rule& rule, const PackMetadata& pack) {
  return RuleInfo{rule.id,   rule.title,   rule.severity,    rule.recommendation,
                  rule.tags, rule.sources, rule.remediation, rule.help_uri,
                  pack.name};
}

RuleInfo schema_rule_info() {
  RuleInfo info;
  info.id = std::string(kSchemaRuleId);
  info.title = "The record is well-formed YAML and matches the candor.record/v1 schema";
  info.severity = Severity::error;
  info.tags = {"schema"};
  info.sources = {Source{"Candor record schema (schemas/record.v1.schema.json)", ""}};
  info.remediation =
      "Fix the field at the reported line and column; `candor schema docs` lists every field, "
      "its type and its allowed values.";
  info.help_uri = "https://candor.example/rules/SCHEMA";
  return info;
}

bool is_failure(const ReportFinding& finding) {
  return finding.finding.outcome == Outcome::fail;
}

const RuleInfo* Report::find_rule(std::string_view id) const {
  for (const RuleInfo& r : rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

ReportCounts Report::counts(const RecordReport& record) const {
  ReportCounts c;
  c.records = 1;
  for (const ReportFinding& rf : record.findings) tally(c, rf);
  if (!record.parsed) {
    c.records_unparsed = 1;
  } else if (fails_at(record, fail_on)) {
    c.records_failed = 1;
  } else {
    c.records_passed = 1;
  }
  return c;
}

ReportCounts Report::counts() const {
  ReportCounts total;
  for (const RecordReport& record : records) {
    const ReportCounts c = counts(record);
    total.records += c.records;
    total.records_passed += c.records_passed;
    total.records_failed += c.records_failed;
    total.records_unparsed += c.records_unparsed;
    total.pass += c.pass;
    total.fail += c.fail;
    total.not_applicable += c.not_applicable;
    total.waived += c.waived;
    total.errors += c.errors;
    total.warnings += c.warnings;
    total.infos += c.infos;
  }
  return total;
}

bool Report::has_failures_at_or_above(Severity threshold) const {
  for (const RecordReport& record : records) {
    if (fails_at(record, threshold)) return true;
  }
  return false;
}

}  // namespace candor::rules
