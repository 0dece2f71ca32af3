// Oversight: a regulator's view of a whole register — who complies and who does not, by
// organisation or by mission area, which failures serve which of the six dialogue
// recommendations, and what has lapsed: reviews that are overdue and evidence (bias testing,
// threat models) more than twelve months old.
//
//   std::vector<RegisteredRecord> records = ...;   // the caller reads its store
//   Oversight o = build_oversight(records, GroupBy::organisation, Date::today_utc(),
//                                 recommendations_of(packs));
//   std::string csv = oversight_csv(o);            // or oversight_json(o), oversight_html(o)
//
// Pure: the caller (`candor report`, the server's /regulator pages) reads the register and hands
// in one RegisteredRecord per current record; nothing here touches a database or the clock, so
// the same inputs and as-of date always give the same report. Groups and records are sorted by
// key, so output is deterministic.
//
// What lapses (only for a tool in use, phase pilot or production: an idea or a retired tool has
// nothing to keep current):
//   review        record.last_reviewed + governance.review_cycle_months (12 when absent) is
//                 before as-of, or there is no review date;
//   bias-testing  the latest bias.testing[].date is more than 365 days before as-of;
//   threat-model  security.threat_model.completed_on is more than 365 days before as-of.
// Missing bias testing or threat models are the rules' business (BIA-002, SEC-001): these are
// the dates a regulator chases, not a second rule engine.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "candor/rules/date.h"
#include "candor/rules/rule.h"

namespace candor::rules {

// One current record as the register holds it.
struct RegisteredRecord {
  std::string organisation;  // id
  std::string organisation_name;
  std::string record_id;
  std::string title;
  std::string mission_area;
  std::string compliance;     // the register's status: not-assessed, failing, warnings, passing
  nlohmann::json findings;    // the current version's findings array (docs/report-format.md)
  nlohmann::json record;      // the current version, canonical JSON
};

enum class GroupBy { organisation, mission };
std::string_view to_string(GroupBy by);
std::optional<GroupBy> parse_group_by(std::string_view text);  // "organisation" | "mission"

// rule id -> recommendation (1-6) for the rules of these packs.
std::map<std::string, int, std::less<>> recommendations_of(std::span<const Pack> packs);

struct Lapse {
  std::string kind;         // "review", "bias-testing", "threat-model"
  std::string description;  // plain words, e.g. "Review overdue since 2026-05-01"
  std::string last;         // the date it was last done ("" when not recorded)
  std::string due;          // the date it fell due ("" when it was never done)
};

struct RecordOversight {
  std::string organisation;
  std::string organisation_name;
  std::string record_id;
  std::string title;
  std::string mission_area;
  std::string compliance;
  std::size_t errors = 0;  // unwaived failed findings by severity
  std::size_t warnings = 0;
  std::size_t infos = 0;
  std::vector<std::string> failed_rules;  // ids, in findings order
  std::vector<Lapse> lapses;
};

struct GroupOversight {
  std::string key;    // organisation id, or mission area
  std::string label;  // organisation name, or the mission area in words
  std::size_t records = 0;
  std::size_t failing = 0;
  std::size_t warnings = 0;
  std::size_t passing = 0;
  std::size_t not_assessed = 0;
  std::size_t records_with_lapses = 0;
  // Unwaived failed findings per recommendation; index 0 counts rules of unknown packs and SCHEMA.
  std::array<std::size_t, 7> failures_by_recommendation{};
};

struct Oversight {
  Date as_of;
  GroupBy by = GroupBy::organisation;
  std::vector<GroupOversight> groups;    // by key
  GroupOversight total;                  // key "", label "All records"
  std::vector<RecordOversight> records;  // by group key, then organisation, then record id
};

Oversight build_oversight(std::span<const RegisteredRecord> records, GroupBy by, Date as_of,
                          const std::map<std::string, int, std::less<>>& recommendations);

// The lapses of one record (see the header comment); exposed for the record pages and tests.
std::vector<Lapse> lapses_of(const nlohmann::json& record, Date as_of);

// "crime-and-policing" -> "Crime and policing".
std::string mission_area_label(std::string_view mission_area);

// Writers. JSON (format "candor.oversight/v1"), CSV (RFC 4180, one row per group then a total
// row; cells that a spreadsheet would run as formulas are prefixed with '), and one
// self-contained HTML page a regulator can open or print.
nlohmann::json oversight_json(const Oversight& oversight);
std::string oversight_csv(const Oversight& oversight);
std::string oversight_html(const Oversight& oversight);

// One CSV cell: always quoted, quotes doubled, a leading = + - @ tab or CR neutralised with '.
std::string csv_cell(std::string_view text);

}  // namespace candor::rules
