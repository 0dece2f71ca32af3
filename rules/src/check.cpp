#include "candor/rules/check.h"

#include "candor/registry/schema.h"
#include "candor/rules/engine.h"

namespace candor::rules {
namespace {

ReportFinding schema_finding(const registry::Problem& p) {
  ReportFinding rf;
  rf.finding.rule_id = std::string(kSchemaRuleId);
  rf.finding.outcome = Outcome::fail;
  rf.finding.severity = Severity::error;
  rf.finding.message = p.message;
  rf.finding.file = p.file;
  rf.finding.path = p.path;
  rf.finding.position = p.position;
  rf.code = p.code;
  rf.hint = p.hint;
  return rf;
}

std::string text_at(const registry::Node& root, std::string_view key) {
  const registry::Node* n = root.get(key);
  return n != nullptr && n->kind() == registry::NodeKind::string ? n->text() : std::string();
}

}  // namespace

RecordReport check_record(const std::string& file,
                          const registry::Result<registry::Document>& loaded,
                          std::span<const Pack> packs, const CheckOptions& options) {
  RecordReport report;
  report.file = file;
  if (!loaded.ok()) {
    report.parsed = false;
    for (const registry::Problem& p : loaded.problems()) {
      report.findings.push_back(schema_finding(p));
      if (report.findings.back().finding.file.empty()) report.findings.back().finding.file = file;
    }
    return report;
  }
  return check_document(file, loaded.value(), packs, options);
}

RecordReport check_document(const std::string& file, const registry::Document& doc,
                            std::span<const Pack> packs, const CheckOptions& options) {
  RecordReport report;
  report.file = file;
  const registry::Node& root = doc.root();
  if (root.is_mapping()) {
    report.record_id = text_at(root, "id");
    if (const registry::Node* org = root.get("organisation"); org != nullptr && org->is_mapping()) {
      report.organisation_id = text_at(*org, "id");
    }
  }

  const registry::Problems problems = registry::SchemaValidator::record_v1().validate(doc);
  for (const registry::Problem& p : problems) report.findings.push_back(schema_finding(p));
  if (problems.empty()) {
    ReportFinding pass;
    pass.finding.rule_id = std::string(kSchemaRuleId);
    pass.finding.outcome = Outcome::pass;
    pass.finding.severity = Severity::error;
    pass.finding.message = "The record matches the candor.record/v1 schema.";
    pass.finding.file = file;
    pass.finding.position = root.position();
    report.findings.push_back(std::move(pass));
  }

  const RecordKey key{report.organisation_id, report.record_id};
  for (const Pack& pack : packs) {
    for (Finding& f : evaluate(pack, doc, options.as_of)) {
      ReportFinding rf;
      rf.finding = std::move(f);
      if (rf.finding.file.empty()) rf.finding.file = file;
      if (!options.keep_evidence) std::vector<Evidence>().swap(rf.finding.evidence);
      if (options.waivers != nullptr) {
        rf.waiver = apply_waivers(rf.finding, *options.waivers, key, options.as_of);
      }
      report.findings.push_back(std::move(rf));
    }
  }
  return report;
}

RecordReport check_record_file(const std::string& file, std::span<const Pack> packs,
                               const CheckOptions& options, const registry::LoadOptions& load) {
  return check_record(file, registry::load_document_file(file, load), packs, options);
}

Report make_report(std::span<const Pack> packs, Date as_of, Severity fail_on) {
  Report report;
  report.as_of = as_of;
  report.fail_on = fail_on;
  report.rules.push_back(schema_rule_info());
  for (const Pack& pack : packs) {
    report.packs.push_back(PackInfo{pack.metadata.name, pack.metadata.version, pack.metadata.owner,
                                    pack.metadata.effective_from});
    for (const Rule& rule : pack.rules) report.rules.push_back(rule_info(rule, pack.metadata));
  }
  return report;
}

}  // namespace candor::rules
