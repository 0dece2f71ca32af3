// SARIF 2.1.0 for code scanning (GitHub and other viewers). Checked against the OASIS schema in
// the tests (tests/data/sarif/). What GitHub needs beyond the schema: `results` present even
// when empty, rules with helpUri, a location on every result, partialFingerprints so a finding
// keeps its identity when lines move, and suppressions for waived findings (shown as dismissed).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "candor/rules/report.h"
#include "report_util.h"

namespace candor::rules {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kSarifSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

std::string_view level_of(Severity s) {
  switch (s) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::info:
      return "note";
  }
  return "error";
}

Json rule_json(const RuleInfo& r) {
  Json sources = Json::array();
  for (const Source& s : r.sources)
    sources.push_back(s.url.empty() ? s.cite : s.cite + " <" + s.url + ">");
  Json props = {{"tags", r.tags}, {"recommendation", r.recommendation}};
  if (!recommendation_name(r.recommendation).empty()) {
    props["recommendationName"] = recommendation_name(r.recommendation);
  }
  props["sources"] = std::move(sources);
  if (!r.pack.empty()) props["pack"] = r.pack;
  Json j = {{"id", r.id}, {"shortDescription", {{"text", r.title}}}};
  if (!r.remediation.empty()) j["help"] = {{"text", r.remediation}};
  if (!r.help_uri.empty()) j["helpUri"] = r.help_uri;
  j["defaultConfiguration"] = {{"level", level_of(r.severity)}};
  j["properties"] = std::move(props);
  return j;
}

Json location_json(const Finding& f) {
  Json artifact = {{"uri", file_uri(f.file)}};
  if (!f.file.starts_with('/')) artifact["uriBaseId"] = "%SRCROOT%";
  Json physical = {{"artifactLocation", std::move(artifact)}};
  if (f.position.known()) {
    physical["region"] = {{"startLine", f.position.line},
                          {"startColumn", std::max<std::uint32_t>(f.position.column, 1)}};
  }
  Json loc = {{"physicalLocation", std::move(physical)}};
  if (!f.path.empty()) {
    loc["logicalLocations"] =
        Json::array({Json{{"fullyQualifiedName", f.path}, {"kind", "member"}}});
  }
  return loc;
}

// Identity of a finding that survives edits elsewhere in the file: which record, which rule,
// which field (and, for schema problems, which problem).
std::string fingerprint(const RecordReport& record, const ReportFinding& rf) {
  std::string who =
      record.record_id.empty()
          ? record.file
          : (record.organisation_id.empty() ? "" : record.organisation_id + "/") + record.record_id;
  std::string fp = who + ":" + rf.finding.rule_id + ":" + rf.finding.path;
  if (!rf.code.empty()) fp += ":" + rf.code;
  return fp;
}

}  // namespace

void write_sarif(std::ostream& out, const Report& report, const SarifOptions& options) {
  Json rules = Json::array();
  for (const RuleInfo& r : report.rules) rules.push_back(rule_json(r));

  Json results = Json::array();
  for (const RecordReport& record : report.records) {
    for (const ReportFinding& rf : record.findings) {
      const Finding& f = rf.finding;
      const bool failed = f.outcome == Outcome::fail || f.outcome == Outcome::waived;
      if (!failed && !options.include_passes) continue;
      Json r = {{"ruleId", f.rule_id}};
      for (std::size_t i = 0; i < report.rules.size(); ++i) {
        if (report.rules[i].id == f.rule_id) r["ruleIndex"] = i;
      }
      r["kind"] = failed ? "fail" : f.outcome == Outcome::pass ? "pass" : "notApplicable";
      r["level"] = failed ? level_of(f.severity) : "none";  // SARIF: non-fail kinds have level none
      std::string message = f.message;
      if (!rf.hint.empty()) message += " Hint: " + rf.hint;
      if (rf.waiver && rf.waiver->state != WaiverState::active && f.outcome == Outcome::fail) {
        message += " (" + describe(*rf.waiver) + ")";
      }
      r["message"] = {{"text", message}};
      r["locations"] = Json::array({location_json(f)});
      r["partialFingerprints"] = {{"candorFinding/v1", fingerprint(record, rf)}};
      if (f.outcome == Outcome::waived && rf.waiver) {
        r["suppressions"] = Json::array({Json{{"kind", "external"},
                                              {"status", "accepted"},
                                              {"justification", describe(*rf.waiver)}}});
      }
      Json props = {{"outcome", to_string(f.outcome)}, {"severity", to_string(f.severity)}};
      if (!record.record_id.empty()) props["recordId"] = record.record_id;
      if (!record.organisation_id.empty()) props["organisationId"] = record.organisation_id;
      if (!rf.code.empty()) props["code"] = rf.code;
      r["properties"] = std::move(props);
      results.push_back(std::move(r));
    }
  }

  Json notifications = Json::array();
  for (const registry::Problem& p : report.input_problems) {
    notifications.push_back(Json{
        {"level", "error"},
        {"message", {{"text", p.file + ": " + p.message}}},
        {"locations", Json::array({Json{{"physicalLocation",
                                         {{"artifactLocation", {{"uri", file_uri(p.file)}}}}}}})}});
  }
  Json invocation = {{"executionSuccessful", report.input_problems.empty()}};
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = std::move(notifications);

  Json packs = Json::array();
  for (const PackInfo& p : report.packs)
    packs.push_back(Json{{"name", p.name}, {"version", p.version}});

  Json driver = {{"name", report.tool_name},
                 {"version", report.tool_version},
                 {"semanticVersion", report.tool_version},
                 {"rules", std::move(rules)}};
  if (report.tool_version.empty()) {
    driver.erase("version");
    driver.erase("semanticVersion");
  }
  Json run = {{"tool", {{"driver", std::move(driver)}}},
              {"invocations", Json::array({std::move(invocation)})},
              {"columnKind", "unicodeCodePoints"},
              {"results", std::move(results)},
              {"properties",
               {{"asOf", report.as_of.to_string()},
                {"failOn", to_string(report.fail_on)},
                {"waiversUsed", report.waivers_used},
                {"packs", std::move(packs)}}}};
  Json sarif = {
      {"$schema", kSarifSchema}, {"version", "2.1.0"}, {"runs", Json::array({std::move(run)})}};
  out << sarif.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace candor::rules
