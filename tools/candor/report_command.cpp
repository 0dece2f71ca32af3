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

#include "candor/registry/open_store.h"
#include "candor/registry/store.h"
#include "candor/rules/date.h"
#include "candor/rules/oversight.h"
#include "candor/web/oversight_source.h"
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

  std::string text;
  try {
    const rules::Oversight oversight = rules::build_oversight(
        web::registered_records(*store), *by, as_of, web::shipped_recommendations());
    text = options.format == "csv"    ? rules::oversight_csv(oversight)
           : options.format == "json" ? rules::oversight_json(oversight).dump(2) + "\n"
                                      : rules::oversight_html(oversight);
  } catch (const std::exception& e) {
    std::cerr << command << ": cannot read " << registry::redact_database_url(options.db) << ": "
              << e.what() << '\n';
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
  cmd->add_option("--db", options->db,
                  "Register: a database file, sqlite:FILE or postgresql://USER@HOST[:PORT]/DBNAME")
      ->required();
  cmd->add_option("--by", options->by, "Group by organisation or mission")->capture_default_str();
  cmd->add_option("--format", options->format, "html, csv or json")->capture_default_str();
  cmd->add_option("--as-of", options->as_of, "Judge dates as of this day (default: today, UTC)");
  cmd->add_option("--output,-o", options->output, "Write here instead of standard output");
  cmd->callback([options, &exit_code] { exit_code = run_report(*options); });
}

}  // namespace candor::cli
