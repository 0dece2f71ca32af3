// A small pack and records for the waiver and report-writer tests, including hostile text that
// reaches messages through {{placeholders}}.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "candor/rules/check.h"
#include "candor/rules/report.h"
#include "candor/rules/waivers.h"
#include "rules_test_support.h"

namespace candor::rules::testing {

// Three rules: T-ERR (error, tool.name given), T-WARN (warning, the public description is
// "safe"; the message quotes it), T-INFO (info, applies only in production: contact.email given).
inline const char* const k_report_pack_body = R"YAML(rules:
  - id: T-ERR
    title: The tool is named
    severity: error
    recommendation: 1
    sources:
      - {cite: "Source <b>one</b> & co", url: "https://example.org/a?x=1&y=2"}
      - {cite: "A link that is no web address", url: "javascript:alert(1)"}
    require: {field: tool.name, present: true}
    locate: tool
    message: "The tool has no name."
    remediation: "Set tool.name."
    help_uri: https://example.org/rules/T-ERR
    tests:
      - {name: named passes, record: {tool: {name: x}}, expect: pass}
      - {name: unnamed fails, record: {tool: {}}, expect: fail}
  - id: T-WARN
    title: The description is safe
    severity: warning
    recommendation: 4
    require: {field: tool.description_public, equals: safe}
    message: "The description {{tool.description_public}} is not safe."
    remediation: "Write a safe description."
  - id: T-INFO
    title: Production tools say so
    severity: info
    recommendation: 6
    when: {field: phase, equals: production}
    require: {field: contact.email, present: true}
    message: "No contact e-mail."
)YAML";

inline Pack report_pack() {
  return load(k_report_pack_body);
}

// A record that fails T-ERR and T-WARN (with a hostile description) and is not applicable to
// T-INFO.
inline const char* const k_hostile_record = R"YAML(schema: candor.record/v1
id: hostile-record
organisation:
  id: "\"><img src=x onerror=alert(1)>"
  name: Test
tool:
  description_public: "<script>alert('x')</script> & \"quotes\" \u0007bell"
phase: pilot
)YAML";

// A schema-valid record that passes T-ERR and T-WARN and fails T-INFO (no contact e-mail).
inline const char* const k_good_record = R"YAML(schema: candor.record/v1
id: good-record
organisation:
  id: good-org
  name: Good Org
mission_area: growth
tool:
  name: Good tool
  type: generative
  description_public: safe
phase: production
)YAML";

inline RecordReport check_text(std::string_view yaml, const std::string& file,
                               const std::vector<Pack>& packs, Date as_of,
                               const WaiverList* waivers = nullptr) {
  CheckOptions options;
  options.as_of = as_of;
  options.waivers = waivers;
  return check_record(file, registry::load_document(yaml, file), packs, options);
}

inline Report sample_report(const std::vector<Pack>& packs, const WaiverList* waivers = nullptr,
                            Date as_of = Date::from_days(20600)) {
  Report report = make_report(packs, as_of, Severity::error);
  report.tool_version = "9.9.9";
  report.waivers_used = waivers != nullptr;
  if (waivers != nullptr) report.waivers_file = waivers->file;
  report.records.push_back(
      check_text(k_hostile_record, "records/hostile.yaml", packs, as_of, waivers));
  report.records.push_back(check_text(k_good_record, "records/good.yaml", packs, as_of, waivers));
  return report;
}

template <class Writer>
std::string render(Writer writer, const Report& report) {
  std::ostringstream out;
  writer(out, report);
  return out.str();
}

inline std::string text_of(const Report& r) {
  return render([](std::ostream& o, const Report& x) { write_text(o, x); }, r);
}
inline std::string json_of(const Report& r) {
  return render([](std::ostream& o, const Report& x) { write_json(o, x); }, r);
}
inline std::string junit_of(const Report& r) {
  return render([](std::ostream& o, const Report& x) { write_junit(o, x); }, r);
}
inline std::string html_of(const Report& r) {
  return render([](std::ostream& o, const Report& x) { write_html(o, x); }, r);
}
inline std::string sarif_of(const Report& r, bool passes = false) {
  std::ostringstream out;
  write_sarif(out, r, SarifOptions{passes});
  return out.str();
}

inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace candor::rules::testing
