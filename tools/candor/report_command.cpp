// candor report --db FILE [--by organisation|mission] [--format html|csv|json] [--as-of DATE]
//               [--output FILE]
//
// The regulator's oversight report of a whole register, offline: compliance of every current
// record grouped by organisation or mission area, failures by dialogue recommendation, overdue
// reviews and stale evidence (rules/oversight.h). The server's /regulator pages serve the same
// report. Reads the database only; never writes to it.
//
// Exit status: 0 written; 2 usage, database or I/O error. (A register full of failing records is
// still a report written: use `candor check` to gate a pipeline.)
#include <fstream>
#include <iostream>
#include <memory>

#include "candor/registry/store.h"
#include "candor/rules/date.h"
#include "candor/rules/oversight.h"
#include "candor/rules/shipped_packs.h"
#include "commands.h"
#include "store_cli_support.h"

namespace candor::cli {

namespace {

struct ReportOptions {
  std::string db;
  std::string by = "organisation";
  std::string format = "html";
  std::string as_of;
  std::string output;
};

// Pages through the register so memory stays proportional to one page plus the report.
std::vector<rules::RegisteredRecord> read_register(registry::Store& store) {
  constexpr std::size_t k_page = 1000;
  std::vector<rules::RegisteredRecord> out;
  registry::RecordFilter filter;
  filter.limit = k_page;
  for (filter.offset = 0;; filter.offset += k_page) {
    const auto page = store.current_records(filter);
    for (const registry::CurrentRecord& r : page) {
      rules::RegisteredRecord rec;
      rec.organisation = r.organisation;
      rec.organisation_name = r.organisation_name;
      rec.record_id = r.record_id;
      rec.title = r.title;
      rec.mission_area = r.facets.mission_area;
      rec.compliance = std::string{registry::to_string(r.compliance)};
      if (const auto f = store.findings(r.organisation, r.record_id, r.version); f && f->evaluated) {
        rec.findings = nlohmann::json::parse(f->json, nullptr, false);
      }
      const auto versions = store.versions(r.organisation, r.record_id);
      if (!versions.empty()) {
        if (const auto body = store.body(versions.back().body_hash)) {
          rec.record = nlohmann::json::parse(*body, nullptr, false);
        }
      }
      out.push_back(std::move(rec));
    }
    if (page.size() < k_page) break;
  }
  return out;
}

int run_report(const ReportOptions& options) {
  constexpr std::string_view command = "candor report";
  const auto by = rules::parse_group_by(options.by);
  if (!by) {
    std::cerr << command << ": --by must be organisation or mission\n";
    return k_usage;
  }
  if (options.format != "html" && options.format != "csv" && options.format != "json") {
    std::cerr << command << ": --format must be html, csv or json\n";
    return k_usage;
  }
  rules::Date as_of = rules::Date::today_utc();
  if (!options.as_of.empty()) {
    const auto parsed = rules::Date::parse(options.as_of);
    if (!parsed) {
      std::cerr << command << ": --as-of must be a date written YYYY-MM-DD, such as 2026-11-26\n";
      return k_usage;
    }
    as_of = *parsed;
  }
  auto store = open_register(options.db, command);
  if (!store) return k_usage;

  std::map<std::string, int, std::less<>> recommendations;
  for (const std::string& name : rules::shipped_pack_names()) {
    auto pack = rules::load_shipped_pack(name);
    if (pack.ok()) {
      const rules::Pack packs[] = {std::move(pack.value())};
      recommendations.merge(rules::recommendations_of(packs));
    }
  }

  std::string text;
  try {
    const auto records = read_register(*store);
    const rules::Oversight oversight = rules::build_oversight(records, *by, as_of, recommendations);
    text = options.format == "csv"    ? rules::oversight_csv(oversight)
           : options.format == "json" ? rules::oversight_json(oversight).dump(2) + "\n"
                                      : rules::oversight_html(oversight);
  } catch (const std::exception& e) {
    std::cerr << command << ": cannot read " << options.db << ": " << e.what() << '\n';
    return k_usage;
  }
  if (options.output.empty() || options.output == "-") {
    std::cout << text << std::flush;
    return std::cout ? k_clean : k_usage;
  }
  std::string error;
  if (!replace_file(options.output, text, error)) {
    std::cerr << command << ": " << error << '\n';
    return k_usage;
  }
  return k_clean;
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Oversight report of a register for regulators: compliance by organisation or mission "
      "area, failures by recommendation, overdue reviews and stale evidence.\nExit status: 0 "
      "written, 2 usage, database or I/O error.");
  cmd->add_option("--db", options->db, "Register database")->required();
  cmd->add_option("--by", options->by, "Group by organisation or mission")->capture_default_str();
  cmd->add_option("--format", options->format, "html, csv or json")->capture_default_str();
  cmd->add_option("--as-of", options->as_of, "Judge dates as of this day (default: today, UTC)");
  cmd->add_option("--output,-o", options->output, "Write here instead of standard output");
  cmd->callback([options, &exit_code] { exit_code = run_report(*options); });
}

}  // namespace candor::cli
