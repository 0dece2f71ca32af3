// Waivers: a regulator-approved, justified, expiring exception to one rule for one record.
//
// Waivers live outside records (`waivers.yaml`), so a department cannot silence a finding by
// editing the record it is about, and every exception can be reviewed on its own:
//
//   apiVersion: candor.waivers/v1          # ai-register.waivers/v1 (the draft's name) also works
//   kind: WaiverList
//   waivers:
//     - rule: BIA-002                      # a rule id of the loaded packs
//       record: fraud-triage               # a record `id`, or "*" (see below)
//       organisation: dwp                  # optional: only that organisation's record
//       justification: "Annual bias re-test delayed ..."
//       approved_by: "Chief Data Officer, DWP"
//       ticket: "GOV-1234"
//       granted_on: 2026-05-01
//       expires_on: 2026-08-01             # after granted_on, at most 365 days after it
//
// Every key above except `organisation` is required: a waiver nobody approved, with no reason or
// no end, is what this format exists to prevent.
//
// Decisions (documented in rules/README.md):
//   - A waiver is in force from `granted_on` up to, but not including, `expires_on`: on its
//     expiry date the finding is reported again, with "waiver expired on DATE". Before
//     `granted_on` it is not yet in force.
//   - `record: "*"` waives the rule for every record and is accepted only together with
//     `scope: all`, an explicit statement that the approver meant every record (the draft says
//     "only with regulator sign-off"). `scope: all` with a single record id is an error too.
//   - Schema problems (rule `SCHEMA`) cannot be waived: a record that breaks the schema is not a
//     valid record, whatever anyone approved.
//   - Two waivers for the same rule, record and organisation whose periods overlap are an error
//     (which one applies would be a guess). A renewal with a later period is fine.
//
// Loading reports every mistake as a located Problem (codes below). Applying is pure: the as-of
// date is passed in and nothing here reads the clock or the file system (except load_waivers_file).
//   waivers.io            the file cannot be read
//   yaml.*                not acceptable YAML (registry/document.h)
//   waivers.bad-header    apiVersion or kind missing or wrong
//   waivers.unknown-key   a key the format does not have (with "did you mean ...?")
//   waivers.missing-key   a required key is absent
//   waivers.bad-value     a value of the wrong type or shape
//   waivers.bad-date      a date that is not a real YYYY-MM-DD day
//   waivers.bad-period    expires_on not after granted_on
//   waivers.too-long      expires_on more than 365 days after granted_on
//   waivers.unknown-rule  a rule id that no loaded pack defines (only checked when packs are given)
//   waivers.not-waivable  a waiver for the built-in SCHEMA rule
//   waivers.wildcard      record "*" without `scope: all`, or `scope: all` without record "*"
//   waivers.duplicate     an overlapping waiver for the same rule, record and organisation
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/problem.h"
#include "candor/rules/date.h"
#include "candor/rules/engine.h"
#include "candor/rules/rule.h"

namespace candor::rules {

// The longest a waiver may last, in days from granted_on to expires_on.
inline constexpr std::int32_t kMaxWaiverDays = 365;

struct Waiver {
  std::string rule;          // rule id
  std::string record;        // record id, or "*" for every record (with scope: all)
  std::string organisation;  // organisation id; empty = any organisation
  std::string justification;
  std::string approved_by;
  std::string ticket;
  Date granted_on;
  Date expires_on;  // first day on which the waiver no longer applies
  std::string file;
  registry::Position position;  // of the waiver's list item

  bool all_records() const { return record == "*"; }
};

struct WaiverList {
  std::string file;
  std::vector<Waiver> waivers;  // in file order
};

// `packs` are the loaded rule packs; when non-empty, every waiver's rule must be one of theirs.
registry::Result<WaiverList> load_waivers_text(std::string_view text, std::string file,
                                               std::span<const Pack> packs = {});
registry::Result<WaiverList> load_waivers_file(const std::filesystem::path& path,
                                               std::span<const Pack> packs = {});

enum class WaiverState {
  active,            // granted_on <= as_of < expires_on: the finding is waived
  expired,           // as_of >= expires_on: the finding is reported again
  not_yet_in_force,  // as_of < granted_on
};
std::string_view to_string(WaiverState state);

// A waiver that matched a finding, and whether it applied on the as-of date.
struct AppliedWaiver {
  Waiver waiver;
  WaiverState state = WaiverState::active;
};

// Which record a finding is about: a waiver names a record by its `id` and, optionally, its
// `organisation.id`.
struct RecordKey {
  std::string organisation;
  std::string record;
};

// The waiver that decides (rule, record) on `as_of`, if any covers it. When several match, an
// active one wins (the one expiring last), then the one that expired last, then the one that
// starts first; a waiver naming the record wins over `record: "*"` at the same state.
std::optional<AppliedWaiver> find_waiver(const WaiverList& waivers, std::string_view rule_id,
                                         const RecordKey& record, Date as_of);

// Applies waivers to one finding. Only a failure can be waived: an active waiver turns its
// outcome into `waived` (severity, message and location kept). The returned waiver is attached
// to the report: the active one that waived the failure, or the expired / not-yet-valid one that
// did not, so the report can say why the failure is back. Passes and not_applicable findings are
// left alone and get nothing.
std::optional<AppliedWaiver> apply_waivers(Finding& finding, const WaiverList& waivers,
                                           const RecordKey& record, Date as_of);

// One line for people: "waived: <reason> (approved by ..., GOV-1234, expires on 2026-08-01)",
// "waiver expired on 2026-08-01 (GOV-1234, approved by ...)", "waiver not in force until ...".
std::string describe(const AppliedWaiver& applied);

}  // namespace candor::rules
