// Oversight across a register (oversight.h). The HTML page is a mustache template
// (rules/templates/oversight.html.mustache, embedded at build time) that never uses triple
// braces, so nothing from a record can become markup.
#include "candor/rules/oversight.h"

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <stdexcept>
#include <tuple>

#include "candor/rules/report.h"

namespace candor::embedded {
std::string_view oversight_html_template();
}

namespace candor::rules {

namespace {

using nlohmann::json;
namespace m = kainjow::mustache;

constexpr int k_default_review_months = 12;
constexpr int k_evidence_max_age_days = 365;

std::string string_at(const json& j, std::initializer_list<const char*> path) {
  const json* at = &j;
  for (const char* key : path) {
    if (!at->is_object() || !at->contains(key)) return {};
    at = &(*at)[key];
  }
  return at->is_string() ? at->get<std::string>() : std::string{};
}

std::optional<Date> date_at(const json& j, std::initializer_list<const char*> path) {
  return Date::parse(string_at(j, path));
}

// `from` plus whole months, on the same day of the month or the month's last day.
Date plus_months(Date from, int months) {
  const int index = from.year() * 12 + (from.month() - 1) + months;
  const int year = index / 12;
  const int month = index % 12 + 1;
  const int day = std::min(from.day(), days_in_month(year, month));
  return Date::from_civil(year, month, day).value_or(from);
}

bool in_use(const json& record) {
  const std::string phase = string_at(record, {"phase"});
  return phase == "pilot" || phase == "production";
}

void count_compliance(GroupOversight& g, std::string_view compliance, bool lapsed) {
  ++g.records;
  if (compliance == "failing") {
    ++g.failing;
  } else if (compliance == "warnings") {
    ++g.warnings;
  } else if (compliance == "passing") {
    ++g.passing;
  } else {
    ++g.not_assessed;
  }
  if (lapsed) ++g.records_with_lapses;
}

std::string num(std::size_t n) {
  return std::to_string(n);
}

json group_json(const GroupOversight& g) {
  json by_recommendation = json::object();
  for (int r = 0; r <= 6; ++r) {
    const std::string name = r == 0 ? "other" : std::string{recommendation_name(r)};
    by_recommendation[name] = g.failures_by_recommendation[static_cast<std::size_t>(r)];
  }
  return {{"key", g.key},
          {"label", g.label},
          {"records", g.records},
          {"failing", g.failing},
          {"warnings", g.warnings},
          {"passing", g.passing},
          {"not_assessed", g.not_assessed},
          {"records_with_lapses", g.records_with_lapses},
          {"failures_by_recommendation", by_recommendation}};
}

m::data group_data(const GroupOversight& g) {
  m::data d;
  d.set("key", g.key);
  d.set("label", g.label);
  d.set("records", num(g.records));
  d.set("failing", num(g.failing));
  d.set("warnings", num(g.warnings));
  d.set("passing", num(g.passing));
  d.set("not_assessed", num(g.not_assessed));
  d.set("lapses", num(g.records_with_lapses));
  m::data recs(m::data::type::list);
  for (int r = 1; r <= 6; ++r) recs.push_back(m::data(num(g.failures_by_recommendation[r])));
  d.set("by_recommendation", recs);
  return d;
}

}  // namespace

std::string_view to_string(GroupBy by) {
  return by == GroupBy::organisation ? "organisation" : "mission";
}

std::optional<GroupBy> parse_group_by(std::string_view text) {
  if (text == "organisation") return GroupBy::organisation;
  if (text == "mission") return GroupBy::mission;
  return std::nullopt;
}

std::map<std::string, int, std::less<>> recommendations_of(std::span<const Pack> packs) {
  std::map<std::string, int, std::less<>> out;
  for (const Pack& pack : packs) {
    for (const Rule& rule : pack.rules) out.emplace(rule.id, rule.recommendation);
  }
  return out;
}

std::string mission_area_label(std::string_view mission_area) {
  if (mission_area.empty()) return "Not stated";
  std::string out(mission_area);
  std::replace(out.begin(), out.end(), '-', ' ');
  out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::vector<Lapse> lapses_of(const json& record, Date as_of) {
  std::vector<Lapse> out;
  if (!in_use(record)) return out;

  const auto reviewed = date_at(record, {"record", "last_reviewed"});
  int cycle = k_default_review_months;
  if (const json* g = record.contains("governance") ? &record["governance"] : nullptr;
      g && g->is_object() && g->contains("review_cycle_months") &&
      (*g)["review_cycle_months"].is_number_integer()) {
    cycle = std::clamp((*g)["review_cycle_months"].get<int>(), 1, 120);
  }
  if (!reviewed) {
    out.push_back({"review", "No review date recorded", "", ""});
  } else if (const Date due = plus_months(*reviewed, cycle); due < as_of) {
    out.push_back({"review",
                   "Review overdue since " + due.to_string() + " (every " + std::to_string(cycle) +
                       " months)",
                   reviewed->to_string(), due.to_string()});
  }

  std::optional<Date> latest_bias;
  if (record.contains("bias") && record["bias"].is_object() && record["bias"].contains("testing") &&
      record["bias"]["testing"].is_array()) {
    for (const json& test : record["bias"]["testing"]) {
      if (const auto d = date_at(test, {"date"}); d && (!latest_bias || *d > *latest_bias)) {
        latest_bias = d;
      }
    }
  }
  if (latest_bias && as_of.days_after(*latest_bias) > k_evidence_max_age_days) {
    const Date due = latest_bias->plus_days(k_evidence_max_age_days);
    out.push_back({"bias-testing", "Bias testing more than 12 months old (last " +
                                       latest_bias->to_string() + ")",
                   latest_bias->to_string(), due.to_string()});
  }

  const auto threat_model = date_at(record, {"security", "threat_model", "completed_on"});
  if (threat_model && as_of.days_after(*threat_model) > k_evidence_max_age_days) {
    const Date due = threat_model->plus_days(k_evidence_max_age_days);
    out.push_back({"threat-model", "Threat model more than 12 months old (last " +
                                       threat_model->to_string() + ")",
                   threat_model->to_string(), due.to_string()});
  }
  return out;
}

Oversight build_oversight(std::span<const RegisteredRecord> records, GroupBy by, Date as_of,
                          const std::map<std::string, int, std::less<>>& recommendations) {
  Oversight o;
  o.as_of = as_of;
  o.by = by;
  o.total.label = "All records";
  std::map<std::string, GroupOversight> groups;

  for (const RegisteredRecord& r : records) {
    RecordOversight line{r.organisation, r.organisation_name, r.record_id, r.title,
                         r.mission_area, r.compliance, 0, 0, 0, {}, lapses_of(r.record, as_of)};
    const std::string key = by == GroupBy::organisation ? r.organisation : r.mission_area;
    GroupOversight& g = groups[key];
    if (g.key.empty() && g.records == 0) {
      g.key = key;
      g.label = by == GroupBy::organisation
                    ? (r.organisation_name.empty() ? r.organisation : r.organisation_name)
                    : mission_area_label(r.mission_area);
    }
    if (r.findings.is_array()) {
      for (const json& f : r.findings) {
        if (!f.is_object() || f.value("outcome", "") != "fail") continue;
        const std::string severity = f.value("severity", "");
        const std::string rule = f.value("rule_id", "");
        if (severity == "error") ++line.errors;
        if (severity == "warning") ++line.warnings;
        if (severity == "info") ++line.infos;
        line.failed_rules.push_back(rule);
        const auto it = recommendations.find(rule);
        const int rec = it == recommendations.end() ? 0 : std::clamp(it->second, 0, 6);
        ++g.failures_by_recommendation[static_cast<std::size_t>(rec)];
        ++o.total.failures_by_recommendation[static_cast<std::size_t>(rec)];
      }
    }
    count_compliance(g, r.compliance, !line.lapses.empty());
    count_compliance(o.total, r.compliance, !line.lapses.empty());
    o.records.push_back(std::move(line));
  }
  for (auto& [key, g] : groups) o.groups.push_back(std::move(g));
  const auto group_key = [by](const RecordOversight& r) {
    return by == GroupBy::organisation ? r.organisation : r.mission_area;
  };
  std::sort(o.records.begin(), o.records.end(), [&](const RecordOversight& a, const RecordOversight& b) {
    return std::make_tuple(group_key(a), a.organisation, a.record_id) <
           std::make_tuple(group_key(b), b.organisation, b.record_id);
  });
  return o;
}

json oversight_json(const Oversight& o) {
  json groups = json::array();
  for (const auto& g : o.groups) groups.push_back(group_json(g));
  json records = json::array();
  for (const auto& r : o.records) {
    json lapses = json::array();
    for (const Lapse& l : r.lapses) {
      lapses.push_back({{"kind", l.kind},
                        {"description", l.description},
                        {"last", l.last.empty() ? json() : json(l.last)},
                        {"due", l.due.empty() ? json() : json(l.due)}});
    }
    records.push_back({{"organisation", r.organisation},
                       {"organisation_name", r.organisation_name},
                       {"id", r.record_id},
                       {"title", r.title},
                       {"mission_area", r.mission_area},
                       {"compliance", r.compliance},
                       {"failures", {{"error", r.errors}, {"warning", r.warnings}, {"info", r.infos}}},
                       {"failed_rules", r.failed_rules},
                       {"lapses", lapses}});
  }
  return {{"format", "candor.oversight/v1"},
          {"as_of", o.as_of.to_string()},
          {"by", std::string{to_string(o.by)}},
          {"groups", groups},
          {"total", group_json(o.total)},
          {"records", records}};
}

std::string csv_cell(std::string_view text) {
  std::string out = "\"";
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    out += '\'';
  }
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string oversight_csv(const Oversight& o) {
  std::string out = std::string(o.by == GroupBy::organisation ? "organisation" : "mission_area") +
                    ",label,records,failing,warnings,passing,not_assessed,records_with_lapses";
  for (int r = 1; r <= 6; ++r) {
    std::string name(recommendation_name(r));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
      return c == ' ' || c == '-' ? '_' : static_cast<char>(std::tolower(c));
    });
    out += ",failures_" + name;
  }
  out += ",failures_other\r\n";
  const auto row = [&out](const GroupOversight& g) {
    out += csv_cell(g.key) + "," + csv_cell(g.label);
    for (std::size_t n : {g.records, g.failing, g.warnings, g.passing, g.not_assessed,
                          g.records_with_lapses}) {
      out += "," + num(n);
    }
    for (std::size_t r = 1; r <= 6; ++r) out += "," + num(g.failures_by_recommendation[r]);
    out += "," + num(g.failures_by_recommendation[0]) + "\r\n";
  };
  for (const auto& g : o.groups) row(g);
  row(o.total);
  return out;
}

std::string oversight_html(const Oversight& o) {
  m::data page;
  page.set("as_of", o.as_of.to_string());
  page.set("by_organisation", o.by == GroupBy::organisation ? m::data(true) : m::data(false));
  page.set("total", group_data(o.total));
  m::data names(m::data::type::list);
  for (int r = 1; r <= 6; ++r) names.push_back(m::data(std::string{recommendation_name(r)}));
  page.set("recommendations", names);
  m::data groups(m::data::type::list);
  for (const auto& g : o.groups) groups.push_back(group_data(g));
  page.set("groups", groups);

  m::data lapsed(m::data::type::list);
  std::size_t lapse_count = 0;
  for (const auto& r : o.records) {
    for (const Lapse& l : r.lapses) {
      m::data d;
      d.set("organisation", r.organisation_name.empty() ? r.organisation : r.organisation_name);
      d.set("record_id", r.record_id);
      d.set("title", r.title.empty() ? r.record_id : r.title);
      d.set("description", l.description);
      d.set("kind", l.kind);
      lapsed.push_back(d);
      ++lapse_count;
    }
  }
  page.set("lapses", lapsed);
  page.set("has_lapses", lapse_count ? m::data(true) : m::data(false));
  page.set("lapse_count", num(lapse_count));

  // Braces, not parentheses: clang reads the parenthesised form as a function declaration
  // (-Wvexing-parse).
  m::mustache tmpl{std::string(embedded::oversight_html_template())};
  if (!tmpl.is_valid()) {
    throw std::logic_error("oversight.html.mustache: " + tmpl.error_message());
  }
  return tmpl.render(page);
}

}  // namespace candor::rules
