#include "candor/rules/waivers.h"

#include <algorithm>
#include <array>
#include <tuple>

#include "candor/registry/document.h"
#include "text.h"

namespace candor::rules {
namespace {

using registry::Node;
using registry::NodeKind;
using registry::Position;

constexpr std::array<std::string_view, 3> kFileKeys = {"apiVersion", "kind", "waivers"};
constexpr std::array<std::string_view, 9> kWaiverKeys = {"rule",   "record",        "organisation",
                                                         "scope",  "justification", "approved_by",
                                                         "ticket", "granted_on",    "expires_on"};

// The id the schema problems carry in reports; waivers may not name it.
constexpr std::string_view kSchemaRule = "SCHEMA";

class WaiverParser {
 public:
  WaiverParser(std::string file, std::span<const Pack> packs)
      : file_(std::move(file)), packs_(packs) {
    list_.file = file_;
  }

  registry::Result<WaiverList> parse(const registry::Document& doc) {
    const Node& root = doc.root();
    if (!root.is_mapping()) {
      report(root.position(), "", "waivers.bad-header",
             "a waiver file must be a mapping with apiVersion, kind and waivers, not " +
                 std::string(registry::describe(root.kind())));
      return std::move(problems_);
    }
    check_header(root);
    check_keys(root, kFileKeys, "");
    const Node* list = root.get("waivers");
    if (list == nullptr) {
      report(root.position(), "", "waivers.missing-key", "the file needs `waivers`",
             "list the waivers under `waivers:` (an empty list `[]` if there are none)");
    } else if (!list->is_sequence()) {
      report(list->position(), "waivers", "waivers.bad-value",
             "`waivers` must be a list, not " + std::string(registry::describe(list->kind())));
    } else {
      for (std::size_t i = 0; i < list->items().size(); ++i) {
        read_waiver(*list->items()[i], "waivers[" + std::to_string(i) + "]");
      }
    }
    check_overlaps();
    if (!problems_.empty()) return std::move(problems_);
    return std::move(list_);
  }

 private:
  void report(Position at, std::string path, std::string code, std::string message,
              std::string hint = {}) {
    problems_.push_back(registry::Problem{file_, at, std::move(path), std::move(code),
                                          std::move(message), std::move(hint)});
  }

  void check_keys(const Node& mapping, std::span<const std::string_view> allowed,
                  const std::string& path) {
    for (const registry::Entry& e : mapping.entries()) {
      if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
      const std::string_view near = closest(e.key, allowed);
      std::string hint;
      if (!near.empty()) {
        hint = "did you mean `" + std::string(near) + "`?";
      } else {
        for (std::string_view a : allowed)
          hint += (hint.empty() ? "allowed here: " : ", ") + std::string(a);
      }
      report(e.key_position, path.empty() ? e.key : path + "." + e.key, "waivers.unknown-key",
             "unknown key `" + e.key + "`", std::move(hint));
    }
  }

  void check_header(const Node& root) {
    const Node* api = root.get("apiVersion");
    if (api == nullptr) {
      report(root.position(), "", "waivers.bad-header", "missing `apiVersion`",
             "start the file with `apiVersion: candor.waivers/v1`");
    } else if (api->text() != "candor.waivers/v1" && api->text() != "ai-register.waivers/v1") {
      report(api->position(), "apiVersion", "waivers.bad-header",
             "unsupported apiVersion `" + api->text() + "`", "use `candor.waivers/v1`");
    }
    const Node* kind = root.get("kind");
    if (kind == nullptr) {
      report(root.position(), "", "waivers.bad-header", "missing `kind`", "add `kind: WaiverList`");
    } else if (kind->text() != "WaiverList") {
      report(kind->position(), "kind", "waivers.bad-header",
             "kind `" + kind->text() + "` where WaiverList was expected",
             "write `kind: WaiverList`");
    }
  }

  // Non-empty text at `key`; reports a missing key when `required`.
  std::optional<std::string> text(const Node& w, std::string_view key, const std::string& path,
                                  bool required) {
    const Node* node = w.get(key);
    if (node == nullptr) {
      if (required) {
        report(w.position(), path, "waivers.missing-key",
               "the waiver needs `" + std::string(key) + "`", hint_for(key));
      }
      return std::nullopt;
    }
    // An unquoted ticket number (1234) is still a fine ticket: take scalars as written.
    const bool scalar_ok =
        key == "ticket" ? node->is_scalar() && !node->is_null() : node->kind() == NodeKind::string;
    if (!scalar_ok || node->text().empty()) {
      // Built with append: GCC 12 at -O3 misreports `"literal" + std::string` (bug 105329).
      std::string message = "`";
      message.append(key).append("` must be non-empty text, not ");
      message.append(node->kind() == NodeKind::string ? std::string_view("empty text")
                                                      : registry::describe(node->kind()));
      report(node->position(), path + "." + std::string(key), "waivers.bad-value",
             std::move(message));
      return std::nullopt;
    }
    return node->text();
  }

  std::optional<Date> date(const Node& w, std::string_view key, const std::string& path) {
    const std::optional<std::string> t = text(w, key, path, true);
    if (!t) return std::nullopt;
    std::optional<Date> d = Date::parse(*t);
    if (!d) {
      report(w.get(key)->position(), path + "." + std::string(key), "waivers.bad-date",
             "`" + *t + "` is not a date", "write a real day as YYYY-MM-DD, e.g. 2026-05-01");
    }
    return d;
  }

  static std::string hint_for(std::string_view key) {
    if (key == "justification")
      return "say why the rule cannot be met yet and what is done meanwhile";
    if (key == "approved_by") return "name the role that approved the exception";
    if (key == "ticket")
      return "give the reference of the decision, e.g. a ticket or minute number";
    if (key == "expires_on") return "every waiver ends; at most 365 days after granted_on";
    return {};
  }

  void read_waiver(const Node& w, const std::string& path) {
    if (!w.is_mapping()) {
      report(w.position(), path, "waivers.bad-value",
             "a waiver is a mapping with rule, record, justification, approved_by, ticket, "
             "granted_on and expires_on, not " +
                 std::string(registry::describe(w.kind())));
      return;
    }
    const std::size_t before = problems_.size();
    check_keys(w, kWaiverKeys, path);
    Waiver waiver;
    waiver.file = file_;
    waiver.position = w.position();
    waiver.rule = text(w, "rule", path, true).value_or("");
    waiver.record = text(w, "record", path, true).value_or("");
    waiver.organisation = text(w, "organisation", path, false).value_or("");
    waiver.justification = text(w, "justification", path, true).value_or("");
    waiver.approved_by = text(w, "approved_by", path, true).value_or("");
    waiver.ticket = text(w, "ticket", path, true).value_or("");
    const std::optional<std::string> scope = text(w, "scope", path, false);
    const std::optional<Date> granted = date(w, "granted_on", path);
    const std::optional<Date> expires = date(w, "expires_on", path);

    if (!waiver.rule.empty()) check_rule(w, waiver.rule, path);
    check_scope(w, waiver.record, scope, path);
    if (granted && expires) {
      const Position at = w.get("expires_on")->position();
      const std::int32_t days = expires->days_after(*granted);
      if (days <= 0) {
        report(at, path + ".expires_on", "waivers.bad-period",
               "the waiver expires on " + expires->to_string() + ", " +
                   (days == 0 ? "the day" : "before") + " it was granted (" + granted->to_string() +
                   ")",
               "expires_on is the first day the waiver no longer applies: a later date than "
               "granted_on");
      } else if (days > kMaxWaiverDays) {
        report(at, path + ".expires_on", "waivers.too-long",
               "the waiver lasts " + std::to_string(days) + " days, more than the 365 allowed",
               "set expires_on to " + granted->plus_days(kMaxWaiverDays).to_string() +
                   " or earlier, and renew the waiver if it is still needed then");
      }
      waiver.granted_on = *granted;
      waiver.expires_on = *expires;
    }
    if (problems_.size() == before) list_.waivers.push_back(std::move(waiver));
  }

  void check_rule(const Node& w, const std::string& rule, const std::string& path) {
    const Position at = w.get("rule")->position();
    if (rule == kSchemaRule) {
      report(at, path + ".rule", "waivers.not-waivable", "schema problems cannot be waived",
             "fix the record: a record that breaks the schema is not a valid record");
      return;
    }
    if (packs_.empty()) return;
    std::vector<std::string_view> ids;
    for (const Pack& pack : packs_) {
      for (const Rule& r : pack.rules) {
        if (r.id == rule) return;
        ids.push_back(r.id);
      }
    }
    const std::string_view near = closest(rule, ids);
    report(at, path + ".rule", "waivers.unknown-rule",
           "no loaded rule pack has a rule `" + rule + "`",
           near.empty() ? "check the id against `candor rules docs`"
                        : "did you mean `" + std::string(near) + "`?");
  }

  void check_scope(const Node& w, const std::string& record,
                   const std::optional<std::string>& scope, const std::string& path) {
    if (scope && *scope != "all") {
      report(w.get("scope")->position(), path + ".scope", "waivers.bad-value",
             "`scope` can only be `all`", "leave it out to waive one record");
      return;
    }
    if (record == "*" && !scope) {
      report(w.get("record")->position(), path + ".record", "waivers.wildcard",
             "`record: \"*\"` waives the rule for every record and needs `scope: all`",
             "add `scope: all` if the approver signed off every record, or name the record");
    } else if (scope && !record.empty() && record != "*") {
      report(w.get("scope")->position(), path + ".scope", "waivers.wildcard",
             "`scope: all` goes with `record: \"*\"`, not with one record (`" + record + "`)",
             "remove `scope: all`, or set `record: \"*\"`");
    }
  }

  // Overlapping periods for the same (rule, record, organisation) make the answer a guess.
  void check_overlaps() {
    const auto& ws = list_.waivers;
    for (std::size_t i = 0; i < ws.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        const Waiver& a = ws[j];
        const Waiver& b = ws[i];
        if (a.rule != b.rule || a.record != b.record || a.organisation != b.organisation) continue;
        if (b.granted_on < a.expires_on && a.granted_on < b.expires_on) {
          report(b.position, "", "waivers.duplicate",
                 "this waiver for " + b.rule + " on `" + b.record + "` overlaps the one at line " +
                     std::to_string(a.position.line) + " (" + a.granted_on.to_string() + " to " +
                     a.expires_on.to_string() + ")",
                 "keep one waiver per period; a renewal starts on or after the old expiry");
          break;
        }
      }
    }
  }

  std::string file_;
  std::span<const Pack> packs_;
  WaiverList list_;
  registry::Problems problems_;
};

WaiverState state_on(const Waiver& w, Date as_of) {
  if (as_of < w.granted_on) return WaiverState::not_yet_in_force;
  if (as_of >= w.expires_on) return WaiverState::expired;
  return WaiverState::active;
}

bool covers(const Waiver& w, std::string_view rule_id, const RecordKey& record) {
  if (w.rule != rule_id) return false;
  if (!w.organisation.empty() && w.organisation != record.organisation) return false;
  return w.all_records() || (!record.record.empty() && w.record == record.record);
}

// Lower is better: the order find_waiver documents.
auto rank(const AppliedWaiver& a) {
  const int state = a.state == WaiverState::active ? 0 : a.state == WaiverState::expired ? 1 : 2;
  // Active: latest expiry first; expired: latest expiry first; pending: earliest start first.
  const std::int32_t when = a.state == WaiverState::not_yet_in_force
                                ? a.waiver.granted_on.days_since_epoch()
                                : -a.waiver.expires_on.days_since_epoch();
  return std::make_tuple(state, a.waiver.all_records() ? 1 : 0, when);
}

}  // namespace

registry::Result<WaiverList> load_waivers_text(std::string_view text, std::string file,
                                               std::span<const Pack> packs) {
  registry::Result<registry::Document> doc = registry::load_document(text, file);
  if (!doc.ok()) return std::move(doc.problems());
  return WaiverParser(std::move(file), packs).parse(doc.value());
}

registry::Result<WaiverList> load_waivers_file(const std::filesystem::path& path,
                                               std::span<const Pack> packs) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return registry::Problems{registry::Problem{path.string(),
                                                {},
                                                "",
                                                "waivers.io",
                                                "no such waiver file",
                                                "check the path given to --waivers"}};
  }
  registry::Result<registry::Document> doc = registry::load_document_file(path);
  if (!doc.ok()) return std::move(doc.problems());
  return WaiverParser(path.string(), packs).parse(doc.value());
}

std::string_view to_string(WaiverState state) {
  switch (state) {
    case WaiverState::active:
      return "active";
    case WaiverState::expired:
      return "expired";
    case WaiverState::not_yet_in_force:
      return "not_yet_in_force";
  }
  return "expired";
}

std::optional<AppliedWaiver> find_waiver(const WaiverList& waivers, std::string_view rule_id,
                                         const RecordKey& record, Date as_of) {
  std::optional<AppliedWaiver> best;
  for (const Waiver& w : waivers.waivers) {
    if (!covers(w, rule_id, record)) continue;
    AppliedWaiver candidate{w, state_on(w, as_of)};
    if (!best || rank(candidate) < rank(*best)) best = std::move(candidate);
  }
  return best;
}

std::optional<AppliedWaiver> apply_waivers(Finding& finding, const WaiverList& waivers,
                                           const RecordKey& record, Date as_of) {
  if (finding.outcome != Outcome::fail) return std::nullopt;
  std::optional<AppliedWaiver> applied = find_waiver(waivers, finding.rule_id, record, as_of);
  if (applied && applied->state == WaiverState::active) finding.outcome = Outcome::waived;
  return applied;
}

std::string describe(const AppliedWaiver& applied) {
  const Waiver& w = applied.waiver;
  switch (applied.state) {
    case WaiverState::active:
      return "waived: " + w.justification + " (approved by " + w.approved_by + ", " + w.ticket +
             ", expires on " + w.expires_on.to_string() + ")";
    case WaiverState::expired:
      return "waiver expired on " + w.expires_on.to_string() + " (" + w.ticket + ", approved by " +
             w.approved_by + ")";
    case WaiverState::not_yet_in_force:
      return "waiver not in force until " + w.granted_on.to_string() + " (" + w.ticket +
             ", approved by " + w.approved_by + ")";
  }
  return {};
}

}  // namespace candor::rules
