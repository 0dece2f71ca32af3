// The JSON report, format `candor.report/v1` (docs/report-format.md). The web server stores and
// serves this document, so its shape is a contract: add fields, never rename or remove them
// without bumping the format.
#include <nlohmann/json.hpp>

#include "candor/rules/report.h"

namespace candor::rules {
namespace {

using Json = nlohmann::ordered_json;

Json position_json(const std::string& path, registry::Position p) {
  return Json{{"path", path}, {"line", p.line}, {"column", p.column}};
}

Json waiver_json(const AppliedWaiver& a) {
  const Waiver& w = a.waiver;
  Json j = {{"state", to_string(a.state)},
            {"rule", w.rule},
            {"record", w.record},
            {"organisation", w.organisation.empty() ? Json() : Json(w.organisation)},
            {"justification", w.justification},
            {"approved_by", w.approved_by},
            {"ticket", w.ticket},
            {"granted_on", w.granted_on.to_string()},
            {"expires_on", w.expires_on.to_string()},
            {"file", w.file},
            {"line", w.position.line},
            {"column", w.position.column},
            {"description", describe(a)}};
  return j;
}

Json finding_json(const ReportFinding& rf) {
  const Finding& f = rf.finding;
  Json j = {{"rule_id", f.rule_id},
            {"outcome", to_string(f.outcome)},
            {"severity", to_string(f.severity)},
            {"message", f.message},
            {"location", position_json(f.path, f.position)}};
  if (!rf.code.empty()) j["code"] = rf.code;
  if (!rf.hint.empty()) j["hint"] = rf.hint;
  Json evidence = Json::array();
  for (const Evidence& e : f.evidence) {
    evidence.push_back(Json{{"path", e.path},
                            {"value", e.value},
                            {"line", e.position.line},
                            {"column", e.position.column},
                            {"test", e.test},
                            {"result", e.result},
                            {"note", e.note}});
  }
  j["evidence"] = std::move(evidence);
  j["evidence_omitted"] = f.evidence_omitted;
  j["waiver"] = rf.waiver ? waiver_json(*rf.waiver) : Json();
  return j;
}

Json counts_json(const ReportCounts& c, bool with_records) {
  Json j = Json::object();
  if (with_records) {
    j["records"] = c.records;
    j["records_passed"] = c.records_passed;
    j["records_failed"] = c.records_failed;
    j["records_unparsed"] = c.records_unparsed;
  }
  j["checks"] = c.pass + c.fail + c.waived + c.not_applicable;
  j["pass"] = c.pass;
  j["fail"] = c.fail;
  j["waived"] = c.waived;
  j["not_applicable"] = c.not_applicable;
  j["failures_by_severity"] = {{"error", c.errors}, {"warning", c.warnings}, {"info", c.infos}};
  return j;
}

std::string record_status(const Report& report, const RecordReport& record) {
  const ReportCounts c = report.counts(record);
  return c.records_unparsed != 0 ? "unreadable" : c.records_failed != 0 ? "fail" : "pass";
}

}  // namespace

std::string write_findings_json(const RecordReport& record) {
  Json findings = Json::array();
  for (const ReportFinding& rf : record.findings) findings.push_back(finding_json(rf));
  return findings.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void write_json(std::ostream& out, const Report& report) {
  Json j;
  j["format"] = "candor.report/v1";
  j["generator"] = {{"name", report.tool_name}, {"version", report.tool_version}};
  j["as_of"] = report.as_of.to_string();
  j["fail_on"] = to_string(report.fail_on);
  j["waivers"] = {{"used", report.waivers_used},
                  {"file", report.waivers_file.empty() ? Json() : Json(report.waivers_file)}};

  Json packs = Json::array();
  for (const PackInfo& p : report.packs) {
    packs.push_back(
        Json{{"name", p.name},
             {"version", p.version},
             {"owner", p.owner},
             {"effective_from", p.effective_from ? Json(p.effective_from->to_string()) : Json()}});
  }
  j["packs"] = std::move(packs);

  Json rules = Json::array();
  for (const RuleInfo& r : report.rules) {
    Json sources = Json::array();
    for (const Source& s : r.sources) {
      sources.push_back(Json{{"cite", s.cite}, {"url", s.url.empty() ? Json() : Json(s.url)}});
    }
    rules.push_back(Json{{"id", r.id},
                         {"title", r.title},
                         {"severity", to_string(r.severity)},
                         {"recommendation", r.recommendation},
                         {"recommendation_name", recommendation_name(r.recommendation)},
                         {"tags", r.tags},
                         {"sources", std::move(sources)},
                         {"remediation", r.remediation},
                         {"help_uri", r.help_uri.empty() ? Json() : Json(r.help_uri)},
                         {"pack", r.pack.empty() ? Json() : Json(r.pack)}});
  }
  j["rules"] = std::move(rules);

  Json records = Json::array();
  for (const RecordReport& record : report.records) {
    Json findings = Json::array();
    for (const ReportFinding& rf : record.findings) findings.push_back(finding_json(rf));
    records.push_back(Json{
        {"file", record.file},
        {"record_id", record.record_id.empty() ? Json() : Json(record.record_id)},
        {"organisation_id", record.organisation_id.empty() ? Json() : Json(record.organisation_id)},
        {"parsed", record.parsed},
        {"status", record_status(report, record)},
        {"counts", counts_json(report.counts(record), false)},
        {"findings", std::move(findings)}});
  }
  j["records"] = std::move(records);

  Json errors = Json::array();
  for (const registry::Problem& p : report.input_problems) {
    errors.push_back(Json{{"file", p.file},
                          {"line", p.position.line},
                          {"column", p.position.column},
                          {"path", p.path},
                          {"code", p.code},
                          {"message", p.message},
                          {"hint", p.hint}});
  }
  j["errors"] = std::move(errors);
  j["summary"] = counts_json(report.counts(), true);
  // Invalid UTF-8 can only come from file names; replace it rather than fail the whole report.
  out << j.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace candor::rules
