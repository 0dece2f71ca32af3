// The HTML report: one page a regulator can open from disk or print. The page is a mustache
// template (rules/templates/report.html.mustache, embedded at build time); kainjow's mustache
// HTML-escapes every {{value}}, and the template never uses triple braces, so nothing a record
// or a pack says can become markup. Links are emitted only for http(s) addresses.
#include <algorithm>
#include <kainjow/mustache.hpp>
#include <map>
#include <string_view>

#include "candor/rules/report.h"
#include "report_util.h"

namespace candor::embedded {
std::string_view report_html_template();
}

namespace candor::rules {
namespace {

namespace m = kainjow::mustache;

// Optional values are set explicitly (false when absent): mustache looks a missing name up in
// the enclosing contexts, which would show a record's value inside a finding.
void set_opt(m::data& d, const std::string& key, const std::string& value) {
  if (value.empty()) {
    d.set(key, m::data(false));
  } else {
    d.set(key, m::data(value));
  }
}

std::string num(std::size_t n) {
  return std::to_string(n);
}

struct Tally {
  std::size_t pass = 0, errors = 0, warnings = 0, infos = 0, waived = 0, not_applicable = 0;
  void add(const Finding& f) {
    switch (f.outcome) {
      case Outcome::pass:
        ++pass;
        break;
      case Outcome::waived:
        ++waived;
        break;
      case Outcome::not_applicable:
        ++not_applicable;
        break;
      case Outcome::fail:
        (f.severity == Severity::error     ? errors
         : f.severity == Severity::warning ? warnings
                                           : infos)++;
        break;
    }
  }
  void set(m::data& d, const std::string& prefix) const {
    d.set(prefix + "pass", num(pass));
    d.set(prefix + "errors", num(errors));
    d.set(prefix + "warnings", num(warnings));
    d.set(prefix + "infos", num(infos));
    d.set(prefix + "waived", num(waived));
    d.set(prefix + "not_applicable", num(not_applicable));
  }
};

std::string record_title(const RecordReport& r) {
  if (r.record_id.empty()) return r.file;
  return r.organisation_id.empty() ? r.record_id : r.organisation_id + " / " + r.record_id;
}

m::data finding_data(const Report& report, const ReportFinding& rf) {
  const Finding& f = rf.finding;
  const RuleInfo* rule = report.find_rule(f.rule_id);
  const bool waived = f.outcome == Outcome::waived;
  m::data d;
  d.set("severity", std::string(to_string(f.severity)));
  d.set("waived", m::data(waived));
  d.set("badge", waived ? "waived " + std::string(to_string(f.severity))
                        : std::string(to_string(f.severity)));
  d.set("rule_id", f.rule_id);
  set_opt(d, "rule_title", rule != nullptr ? rule->title : "");
  d.set("message", f.message);
  d.set("location", location_text(f));
  set_opt(d, "path", f.path);
  std::string rec;
  if (rule != nullptr && !recommendation_name(rule->recommendation).empty()) {
    rec = std::to_string(rule->recommendation) + " (" +
          std::string(recommendation_name(rule->recommendation)) + ")";
  }
  set_opt(d, "recommendation", rec);
  set_opt(d, "hint", rf.hint);
  set_opt(d, "waiver", rf.waiver ? describe(*rf.waiver) : "");
  // A schema problem's hint is its remediation; the generic SCHEMA text would only repeat it.
  set_opt(d, "remediation", rule != nullptr && rf.code.empty() ? rule->remediation : "");
  m::data sources(m::data::type::list);
  if (rule != nullptr) {
    for (const Source& s : rule->sources) {
      m::data sd;
      sd.set("cite", s.cite);
      set_opt(sd, "source_url", is_web_link(s.url) ? s.url : "");
      sources.push_back(sd);
    }
  }
  d.set("has_sources", m::data(rule != nullptr && !rule->sources.empty()));
  d.set("sources", sources);
  set_opt(d, "help_uri", rule != nullptr && is_web_link(rule->help_uri) ? rule->help_uri : "");
  return d;
}

m::data record_data(const Report& report, const RecordReport& record, std::size_t index) {
  m::data d;
  d.set("index", num(index + 1));
  d.set("title", record_title(record));
  d.set("file", record.file);
  set_opt(d, "organisation", record.organisation_id);
  const ReportCounts c = report.counts(record);
  const std::string status = c.records_unparsed ? "unreadable" : c.records_failed ? "fail" : "pass";
  d.set("status", status);
  d.set("status_text", status == "unreadable" ? "Could not be read"
                       : status == "fail"     ? "Fails"
                                              : "Passes");
  d.set("count_errors", num(c.errors));
  d.set("count_warnings", num(c.warnings));
  d.set("count_infos", num(c.infos));
  d.set("count_waived", num(c.waived));

  std::vector<const ReportFinding*> shown;
  std::string passed, not_applicable;
  for (const ReportFinding& rf : record.findings) {
    switch (rf.finding.outcome) {
      case Outcome::fail:
      case Outcome::waived:
        shown.push_back(&rf);
        break;
      case Outcome::pass:
        passed += (passed.empty() ? "" : ", ") + rf.finding.rule_id;
        break;
      case Outcome::not_applicable:
        not_applicable += (not_applicable.empty() ? "" : ", ") + rf.finding.rule_id;
        break;
    }
  }
  // Grouped as the summary is: by recommendation (schema first), then the most severe first.
  const auto rec_of = [&](const ReportFinding* rf) {
    const RuleInfo* rule = report.find_rule(rf->finding.rule_id);
    return rule != nullptr ? rule->recommendation : 0;
  };
  std::stable_sort(shown.begin(), shown.end(), [&](const ReportFinding* a, const ReportFinding* b) {
    if (rec_of(a) != rec_of(b)) return rec_of(a) < rec_of(b);
    return a->finding.severity > b->finding.severity;
  });
  m::data findings(m::data::type::list);
  for (std::size_t i = 0; i < shown.size(); ++i) {
    m::data fd = finding_data(report, *shown[i]);
    fd.set("first", m::data(i == 0));
    fd.set("last", m::data(i + 1 == shown.size()));
    findings.push_back(fd);
  }
  d.set("findings", findings);
  set_opt(d, "passed", passed);
  set_opt(d, "not_applicable", not_applicable);
  return d;
}

}  // namespace

void write_html(std::ostream& out, const Report& report) {
  m::data page;
  page.set("tool",
           report.tool_name + (report.tool_version.empty() ? "" : " " + report.tool_version));
  page.set("as_of", report.as_of.to_string());
  page.set("fail_on", std::string(to_string(report.fail_on)));
  page.set("summary", summary_line(report));
  set_opt(page, "waivers_file", report.waivers_used ? report.waivers_file : "");

  m::data packs(m::data::type::list);
  for (std::size_t i = 0; i < report.packs.size(); ++i) {
    m::data p;
    p.set("name", report.packs[i].name);
    p.set("version", report.packs[i].version);
    set_opt(p, "owner", report.packs[i].owner);
    p.set("last", m::data(i + 1 == report.packs.size()));
    packs.push_back(p);
  }
  page.set("packs", packs);

  // Summary by recommendation: rules per recommendation, outcomes over every record.
  std::map<int, std::pair<std::size_t, Tally>> by_rec;
  for (const RuleInfo& r : report.rules) ++by_rec[r.recommendation].first;
  Tally total;
  for (const RecordReport& record : report.records) {
    for (const ReportFinding& rf : record.findings) {
      const RuleInfo* rule = report.find_rule(rf.finding.rule_id);
      by_rec[rule != nullptr ? rule->recommendation : 0].second.add(rf.finding);
      total.add(rf.finding);
    }
  }
  m::data recs(m::data::type::list);
  for (const auto& [number, entry] : by_rec) {
    m::data r;
    r.set("label", number == 0
                       ? std::string("Record schema")
                       : std::to_string(number) + ". " + std::string(recommendation_name(number)));
    r.set("rules", num(entry.first));
    entry.second.set(r, "");
    recs.push_back(r);
  }
  page.set("recommendations", recs);
  page.set("total_rules", num(report.rules.size()));
  total.set(page, "total_");

  m::data records(m::data::type::list);
  for (std::size_t i = 0; i < report.records.size(); ++i) {
    records.push_back(record_data(report, report.records[i], i));
  }
  page.set("records", records);

  m::data problems(m::data::type::list);
  for (const registry::Problem& p : report.input_problems) {
    m::data pd;
    pd.set("problem_file", p.file);
    pd.set("problem_message", p.message);
    problems.push_back(pd);
  }
  page.set("input_problems", problems);

  // Braces, not parentheses: clang reads the parenthesised form as a function declaration
  // (-Wvexing-parse).
  m::mustache tmpl{std::string(embedded::report_html_template())};
  if (!tmpl.is_valid()) {
    // The template ships with the binary, so this is a build defect, not a user error.
    throw std::logic_error("report.html.mustache: " + tmpl.error_message());
  }
  tmpl.render(page, out);
}

}  // namespace candor::rules
