// Compliance reports: what `candor check` found, as one value, and the writers that print it.
//
// A Report is plain data assembled by check_record() (check.h) for each record file: the record's
// identity, its YAML and schema problems as findings of the built-in `SCHEMA` rule, and one
// finding per pack rule after waivers. The writers turn that value into text for people (like a
// compiler), JSON (docs/report-format.md, versioned, stored and served by the web server), SARIF
// 2.1.0 (code scanning), JUnit XML (CI test tabs) and one self-contained HTML page (regulators).
//
// Writers are pure functions of the Report: no clock, no environment, no file system, so the
// same report always gives the same bytes (`--jobs 1` and `--jobs 8` print the same thing).
// Everything that comes from a record or a pack is escaped for its format: HTML and XML
// entities, JSON string escapes; text output flattens control characters.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/problem.h"
#include "candor/rules/date.h"
#include "candor/rules/engine.h"
#include "candor/rules/rule.h"
#include "candor/rules/waivers.h"

namespace candor::rules {

// The rule id under which YAML and schema problems are reported. Always severity error; cannot
// be waived.
inline constexpr std::string_view kSchemaRuleId = "SCHEMA";

// The six recommendations of the UK public dialogues that rules serve ("Transparency", ...).
// Empty for a number outside 1-6 (the built-in SCHEMA rule has 0).
std::string_view recommendation_name(int recommendation);

// What a report needs to know about a rule (a copy, so a Report outlives the packs).
struct RuleInfo {
  std::string id;
  std::string title;
  Severity severity = Severity::error;  // the default; findings carry their own (severity_when)
  int recommendation = 0;
  std::vector<std::string> tags;
  std::vector<Source> sources;
  std::string remediation;
  std::string help_uri;
  std::string pack;  // the pack's name; empty for SCHEMA
};

RuleInfo rule_info(const Rule& rule, const PackMetadata& pack);
RuleInfo schema_rule_info();

// A finding as reported: the engine's Finding (for SCHEMA: built from a Problem) plus the waiver
// that covered it or no longer covers it, and, for SCHEMA findings, the problem's code and hint.
struct ReportFinding {
  Finding finding;
  std::optional<AppliedWaiver> waiver;
  std::string code;  // SCHEMA only: the stable problem code ("schema.enum", "yaml.syntax")
  std::string hint;  // SCHEMA only: what to do
};

struct RecordReport {
  std::string file;
  std::string record_id;        // `id`, when it is text; else empty
  std::string organisation_id;  // `organisation.id`, when it is text; else empty
  bool parsed = true;  // false: the YAML could not be loaded; only SCHEMA findings, no rules run
  // SCHEMA findings first (document order), then every pack rule in pack order.
  std::vector<ReportFinding> findings;
};

struct PackInfo {
  std::string name;
  std::string version;
  std::string owner;
  std::optional<Date> effective_from;
};

// Tallies over (record, rule) pairs, and over records.
struct ReportCounts {
  std::size_t records = 0;
  std::size_t records_passed = 0;    // no unwaived failure at or above fail_on, and parsed
  std::size_t records_failed = 0;    // parsed, with an unwaived failure at or above fail_on
  std::size_t records_unparsed = 0;  // YAML could not be loaded
  std::size_t pass = 0;
  std::size_t fail = 0;
  std::size_t not_applicable = 0;
  std::size_t waived = 0;
  std::size_t errors = 0;  // unwaived failures by severity
  std::size_t warnings = 0;
  std::size_t infos = 0;
};

struct Report {
  std::string tool_name = "candor";
  std::string tool_version;
  Date as_of;
  Severity fail_on = Severity::error;
  bool waivers_used = false;  // false with --no-waivers or without a waiver file
  std::string waivers_file;   // the waiver file applied, if any
  std::vector<PackInfo> packs;
  std::vector<RuleInfo> rules;  // SCHEMA first, then every pack's rules in order
  std::vector<RecordReport> records;
  // Problems with the inputs themselves (a path that does not exist), not with a record.
  registry::Problems input_problems;

  const RuleInfo* find_rule(std::string_view id) const;  // nullptr when absent
  ReportCounts counts() const;
  ReportCounts counts(const RecordReport& record) const;
  // True when some unwaived failure has severity >= fail_on.
  bool has_failures_at_or_above(Severity threshold) const;
};

// A failure that counts: outcome fail (waived ones do not).
bool is_failure(const ReportFinding& finding);

struct SarifOptions {
  bool include_passes = false;  // also emit kind pass / notApplicable results (level none)
};

// Text like a compiler: one "file:line:col: error: [RULE] message" per failure (and waived
// finding), with remediation and waiver lines, then ONE summary line.
void write_text(std::ostream& out, const Report& report);
// JSON, format `candor.report/v1` (docs/report-format.md).
void write_json(std::ostream& out, const Report& report);
// One record's `findings` array exactly as write_json writes it under records[].findings
// (docs/report-format.md, `findings[]`), compact. What the register stores for a version.
std::string write_findings_json(const RecordReport& record);
// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
void write_sarif(std::ostream& out, const Report& report, const SarifOptions& options = {});
// JUnit XML: one testsuite per record, one testcase per rule.
void write_junit(std::ostream& out, const Report& report);
// One self-contained HTML page (inline CSS, no scripts, no external assets).
void write_html(std::ostream& out, const Report& report);

// The one summary line of the text report (without newline), e.g.
// "17 records (11 passed, 6 failed): 700 checks passed, 9 errors, 5 warnings, 0 info, 1 waived,
// 85 not applicable".
std::string summary_line(const Report& report);

}  // namespace candor::rules
