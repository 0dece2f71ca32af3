// candor check PATH...: validates records, evaluates rule packs, applies waivers and writes a
// compliance report (text, json, sarif, junit or html).
//
// Exit status (DESIGN.md): 0 clean; 1 a failure at or above --fail-on; 2 usage errors, rule
// packs or waivers that do not load, paths that do not exist, records that are not readable YAML.
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "candor/registry/problem.h"
#include "candor/rules/check.h"
#include "candor/rules/pack_loader.h"
#include "candor/rules/report.h"
#include "candor/rules/shipped_packs.h"
#include "candor/rules/waivers.h"
#include "commands.h"
#include "input_files.h"

#ifndef CANDOR_VERSION
#define CANDOR_VERSION "0.0.0"
#endif

namespace candor::cli {

namespace {

struct CheckOptions {
  std::vector<std::string> paths;
  std::vector<std::string> rules;
  std::string format = "text";
  std::string output;
  std::string fail_on = "error";
  std::string as_of;
  std::string waivers;
  bool no_waivers = false;
  unsigned jobs = 0;  // 0: one per core
  bool sarif_include_passes = false;
};

// Show progress only to a person watching a terminal, and only when it takes a while.
constexpr std::size_t kProgressMinFiles = 200;

void print_problems(const registry::Problems& problems) {
  for (const auto& p : problems) std::cerr << registry::format_problem(p) << '\n';
}

// The packs named by --rules (directories or files; a bare name that is no path selects a
// shipped pack), or the shipped default. Problems are printed; nullopt on any.
std::optional<std::vector<rules::Pack>> load_packs(const std::vector<std::string>& specs) {
  std::vector<rules::Pack> packs;
  bool ok = true;
  const auto take = [&](registry::Result<rules::Pack> result) {
    if (!result.ok()) {
      print_problems(result.problems());
      ok = false;
      return;
    }
    packs.push_back(std::move(result).value());
  };
  if (specs.empty()) take(rules::load_shipped_pack(rules::kDefaultPack));
  for (const std::string& spec : specs) {
    std::error_code ec;
    if (!std::filesystem::exists(spec, ec) && !rules::shipped_pack_files(spec).empty()) {
      take(rules::load_shipped_pack(spec));
    } else {
      take(rules::load_pack(spec));
    }
  }
  // Reports, waivers and fingerprints name findings by rule id: two packs may not share one.
  std::map<std::string, std::string> owner;
  for (const rules::Pack& pack : packs) {
    for (const rules::Rule& rule : pack.rules) {
      const auto [it, fresh] = owner.emplace(rule.id, pack.metadata.name);
      if (fresh) continue;
      std::cerr << rule.file << ':' << rule.position.line << ':' << rule.position.column
                << ": error: rule id " << rule.id << " is also defined by pack `" << it->second
                << "`\n  hint: give each rule of the packs checked together its own id\n";
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return packs;
}

// Checks every file on `jobs` threads. Each result lands in its input slot, so the report is in
// input order whatever the scheduling.
std::vector<rules::RecordReport> check_all(const std::vector<std::string>& files,
                                           const std::vector<rules::Pack>& packs,
                                           const rules::CheckOptions& options, unsigned jobs) {
  std::vector<rules::RecordReport> results(files.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  const bool progress = files.size() >= kProgressMinFiles && isatty(STDERR_FILENO) == 1;
  std::mutex progress_mutex;
  const std::size_t step = std::max<std::size_t>(1, files.size() / 100);

  const auto worker = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      results[i] = rules::check_record_file(files[i], packs, options);
      const std::size_t finished = ++done;
      if (progress && (finished % step == 0 || finished == files.size())) {
        const std::lock_guard<std::mutex> lock(progress_mutex);
        std::cerr << "\rcandor check: " << finished << "/" << files.size() << " files"
                  << std::flush;
      }
    }
  };
  const unsigned threads = static_cast<unsigned>(
      std::min<std::size_t>(std::max(1U, jobs), std::max<std::size_t>(1, files.size())));
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();  // this thread works too
  for (std::thread& t : pool) t.join();
  if (progress) std::cerr << "\r\033[K" << std::flush;
  return results;
}

void write_report(std::ostream& out, const rules::Report& report, const CheckOptions& options) {
  if (options.format == "json") {
    rules::write_json(out, report);
  } else if (options.format == "sarif") {
    rules::write_sarif(out, report, rules::SarifOptions{options.sarif_include_passes});
  } else if (options.format == "junit") {
    rules::write_junit(out, report);
  } else if (options.format == "html") {
    rules::write_html(out, report);
  } else {
    rules::write_text(out, report);
  }
}

int run(const CheckOptions& options) {
  rules::Date as_of = rules::Date::today_utc();
  if (!options.as_of.empty()) {
    const std::optional<rules::Date> parsed = rules::Date::parse(options.as_of);
    if (!parsed) {
      std::cerr << "candor check: --as-of `" << options.as_of
                << "` is not a date; write YYYY-MM-DD\n";
      return k_usage;
    }
    as_of = *parsed;
  }
  const rules::Severity fail_on =
      rules::parse_severity(options.fail_on).value_or(rules::Severity::error);

  const std::optional<std::vector<rules::Pack>> packs = load_packs(options.rules);
  if (!packs) return k_usage;

  std::optional<rules::WaiverList> waivers;
  if (!options.no_waivers && !options.waivers.empty()) {
    registry::Result<rules::WaiverList> loaded = rules::load_waivers_file(options.waivers, *packs);
    if (!loaded.ok()) {
      print_problems(loaded.problems());
      return k_usage;
    }
    waivers = std::move(loaded).value();
  }

  const InputFiles inputs = expand_inputs(options.paths);
  print_problems(inputs.problems);

  rules::CheckOptions check;
  check.as_of = as_of;
  check.waivers = waivers ? &*waivers : nullptr;
  check.keep_evidence = options.format == "json";
  const unsigned jobs =
      options.jobs != 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());

  rules::Report report = rules::make_report(*packs, as_of, fail_on);
  report.tool_version = CANDOR_VERSION;
  report.waivers_used = waivers.has_value();
  if (waivers) report.waivers_file = options.waivers;
  report.input_problems = inputs.problems;
  report.records = check_all(inputs.files, *packs, check, jobs);

  if (options.output.empty()) {
    write_report(std::cout, report, options);
    std::cout.flush();
  } else {
    std::ofstream file(options.output, std::ios::binary);
    write_report(file, report, options);
    file.flush();
    if (!file) {
      std::cerr << options.output << ": error: cannot write the report\n";
      return k_usage;
    }
    // Written to a file, the report is out of sight: say how it went on the terminal.
    std::cerr << rules::summary_line(report) << '\n';
  }

  bool unreadable = false;
  for (const rules::RecordReport& r : report.records) unreadable = unreadable || !r.parsed;
  if (!inputs.problems.empty() || unreadable) return k_usage;
  return report.has_failures_at_or_above(fail_on) ? k_findings : k_clean;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "Check records against the record schema and rule packs, apply waivers, and write a "
      "compliance report.\n"
      "Exit status: 0 clean, 1 a failure at or above --fail-on, 2 usage error, a rule pack or "
      "waiver file that does not load, a missing path, or a record that is not readable YAML.");
  cmd->add_option("paths", options->paths, "Record files, or directories searched for *.yaml/*.yml")
      ->required();
  cmd->add_option("--rules", options->rules,
                  "Rule pack directory or file (repeatable); default: the shipped "
                  "uk-public-sector pack, built into candor");
  cmd->add_option("--format", options->format, "Report format")
      ->check(CLI::IsMember({"text", "json", "sarif", "junit", "html"}))
      ->capture_default_str();
  cmd->add_option("--output,-o", options->output,
                  "Write the report to this file instead of standard output");
  cmd->add_option("--fail-on", options->fail_on,
                  "Exit 1 when a failure of this severity or above remains after waivers")
      ->check(CLI::IsMember({"error", "warning", "info"}))
      ->capture_default_str();
  cmd->add_option("--as-of", options->as_of,
                  "Judge dates as of this day (YYYY-MM-DD); default: today, UTC");
  cmd->add_option("--waivers", options->waivers, "Waiver file (waivers.yaml) to apply");
  cmd->add_flag("--no-waivers", options->no_waivers,
                "Ignore waivers: show every failure (overrides --waivers)");
  cmd->add_option("--jobs,-j", options->jobs, "Files checked in parallel; default: one per core")
      ->check(CLI::Range(1U, 1024U));
  cmd->add_flag("--sarif-include-passes", options->sarif_include_passes,
                "SARIF: also emit passed and not-applicable checks (kind pass / notApplicable)");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace candor::cli
