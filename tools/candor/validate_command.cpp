// candor validate PATH...: schema-checks records and reports every problem with its location.
#include <algorithm>
#include <iostream>

#include "candor/registry/document.h"
#include "candor/registry/schema.h"
#include "commands.h"
#include "input_files.h"
#include "problem_json.h"

namespace candor::cli {

namespace {

struct ValidateOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  std::size_t max_bytes = registry::LoadOptions{}.max_bytes;
  unsigned max_depth = registry::LoadOptions{}.max_depth;
};

struct FileReport {
  std::string file;
  registry::Problems problems;
};

// Loads and validates one file; every problem found, from YAML or from the schema.
FileReport validate_file(const std::string& file, const registry::LoadOptions& load) {
  FileReport report{file, {}};
  auto doc = registry::load_document_file(file, load);
  report.problems = std::move(doc.problems());
  if (doc.has_value()) {
    auto schema = registry::SchemaValidator::record_v1().validate(doc.value());
    report.problems.insert(report.problems.end(), schema.begin(), schema.end());
  }
  // Top to bottom, as a person reads the file; file-level problems (no position) first.
  std::stable_sort(report.problems.begin(), report.problems.end(),
                   [](const registry::Problem& a, const registry::Problem& b) {
                     if (a.position.line != b.position.line) return a.position.line < b.position.line;
                     return a.position.column < b.position.column;
                   });
  return report;
}

int run(const ValidateOptions& options) {
  registry::LoadOptions load;
  load.max_bytes = options.max_bytes;
  load.max_depth = options.max_depth;

  InputFiles inputs = expand_inputs(options.paths);
  std::vector<FileReport> reports;
  reports.reserve(inputs.files.size());
  for (const auto& file : inputs.files) reports.push_back(validate_file(file, load));

  std::size_t invalid = 0, problems = 0;
  for (const auto& r : reports) {
    invalid += r.problems.empty() ? 0 : 1;
    problems += r.problems.size();
  }

  if (options.format == "json") {
    nlohmann::json out = {{"version", 1}, {"files", nlohmann::json::array()}};
    for (const auto& r : reports) {
      nlohmann::json f = {{"file", r.file}, {"valid", r.problems.empty()},
                          {"problems", nlohmann::json::array()}};
      for (const auto& p : r.problems) f["problems"].push_back(problem_json(p));
      out["files"].push_back(std::move(f));
    }
    out["errors"] = nlohmann::json::array();
    for (const auto& p : inputs.problems) out["errors"].push_back(problem_json(p));
    out["summary"] = {{"files", reports.size()}, {"valid", reports.size() - invalid},
                      {"invalid", invalid}, {"problems", problems}};
    std::cout << out.dump(2) << '\n';
  } else {
    for (const auto& p : inputs.problems) std::cerr << registry::format_problem(p) << '\n';
    for (const auto& r : reports) {
      for (const auto& p : r.problems) std::cout << registry::format_problem(p) << '\n';
    }
    std::cout << reports.size() << (reports.size() == 1 ? " file" : " files") << " checked: "
              << reports.size() - invalid << " valid, " << invalid << " invalid ("
              << problems << (problems == 1 ? " problem" : " problems") << ")\n";
  }
  if (!inputs.problems.empty()) return k_usage;
  return invalid == 0 ? k_clean : k_findings;
}

}  // namespace

void add_validate_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate",
      "Check records against the record schema (candor.record/v1) and report every problem "
      "with its file, line, column and field path.\n"
      "Exit status: 0 all valid, 1 some record is invalid, 2 usage or I/O error.");
  cmd->add_option("paths", options->paths, "Record files, or directories searched for *.yaml/*.yml")
      ->required();
  cmd->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--max-bytes", options->max_bytes, "Refuse files larger than this")
      ->capture_default_str();
  cmd->add_option("--max-depth", options->max_depth, "Refuse nesting deeper than this")
      ->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace candor::cli
