// candor import --from SOURCE FILE --out DIR [--imported-on DATE]
//                [--submit --server URL (--token-file F | --token-env VAR) [--receipts DIR]]
//
// Turns an existing register into Candor records, one YAML file per row in DIR
// ("<organisation>--<id>.yaml"), with nothing lost (importers/, docs/importers.md). Each rejected
// row is reported with its row number, line and reason, and the run goes on; the summary says
// how many rows were read, written and rejected (read = written + rejected). With --submit the
// records written are then submitted to a server exactly as `candor submit` does. The output
// directory also loads with `candor register add DIR --any-org`.
//
// Exit status: 0 every row imported (and, with --submit, accepted); 1 some row rejected (or some
// record refused by the server); 2 usage, unreadable or unusable input, output or server errors.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "candor/importers/importer.h"
#include "candor/registry/problem.h"
#include "commands.h"
#include "progress.h"
#include "store_cli_support.h"
#include "submit.h"

namespace candor::cli {

namespace {

namespace fs = std::filesystem;

struct ImportCommandOptions {
  std::string from;
  std::string file;
  std::string out;
  std::string imported_on;
  std::size_t max_bytes = importers::CsvLimits{}.max_bytes;
  bool submit = false;
  SubmitOptions submit_options;
};

std::string today_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Writes `contents` to `path` through a temporary file and a rename, so a reader never sees half a
// record. Unlike replace_file() there is no fsync per file: an import writes thousands of files
// (3,600 fsyncs took 60% of an import's time), and sync_output() flushes them once at the end.
bool write_record(const fs::path& path, const std::string& contents, std::string& error) {
  const std::string tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  std::size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      ::close(fd);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = std::strerror(errno);
    return false;
  }
  return true;
}

// Flushes the file system holding `dir` (every record written) in one call.
bool sync_output(const std::string& dir, std::string& error) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::syncfs(fd) != 0) {
    error = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return false;
  }
  ::close(fd);
  return true;
}

bool is_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

int run_import(const ImportCommandOptions& options) {
  constexpr const char* command = "candor import";
  const auto source = importers::source_from_name(options.from);
  if (!source) {
    std::cerr << command << ": unknown source '" << options.from
              << "'; use us-omb-2025, nl-algoritmeregister or uk-atrs\n";
    return k_usage;
  }
  const std::string imported_on = options.imported_on.empty() ? today_utc() : options.imported_on;
  if (!is_date(imported_on)) {
    std::cerr << command << ": --imported-on must be a date written YYYY-MM-DD\n";
    return k_usage;
  }
  if (options.submit && options.submit_options.server.empty()) {
    std::cerr << command << ": --submit needs --server URL and --token-file or --token-env\n";
    return k_usage;
  }
  std::string error;
  auto text = read_text_file(options.file, options.max_bytes, error);
  if (!text) {
    std::cerr << command << ": cannot read " << options.file << ": " << error << '\n';
    return k_usage;
  }

  importers::ImportOptions settings;
  settings.imported_on = imported_on;
  settings.input_name = fs::path(options.file).filename().string();
  settings.limits.max_bytes = options.max_bytes;
  Progress progress("importing rows");
  settings.progress = [&progress](std::size_t done, std::size_t total) {
    progress.update(done, total);
  };
  importers::ImportReport report =
      importers::import_register(*source, *text, options.file, settings);
  progress.finish();
  if (!report.file_problems.empty()) {
    for (const auto& p : report.file_problems) std::cout << registry::format_problem(p) << '\n';
    std::cout << options.file << ": nothing imported\n";
    return k_usage;
  }
  for (const auto& rejected : report.rejected) {
    for (const auto& p : rejected.problems) std::cout << registry::format_problem(p) << '\n';
  }

  std::error_code ec;
  fs::create_directories(options.out, ec);
  if (ec) {
    std::cerr << command << ": cannot create " << options.out << ": " << ec.message() << '\n';
    return k_usage;
  }
  std::vector<std::string> written;
  std::size_t partial = 0;
  Progress writing("writing records");
  for (const auto& record : report.records) {
    const fs::path path = fs::path(options.out) / record.file_name;
    if (!write_record(path, record.yaml, error)) {
      writing.finish();
      std::cerr << command << ": cannot write " << path.string() << ": " << error << '\n';
      return k_usage;
    }
    written.push_back(path.string());
    if (!record.missing.empty()) ++partial;
    writing.update(written.size(), report.records.size());
  }
  writing.finish();
  if (!written.empty() && !sync_output(options.out, error)) {
    std::cerr << command << ": cannot flush " << options.out << " to disk: " << error << '\n';
    return k_usage;
  }
  std::cout << options.file << ": " << report.rows_read
            << (report.rows_read == 1 ? " row read, " : " rows read, ") << written.size()
            << (written.size() == 1 ? " record written to " : " records written to ") << options.out
            << ", " << report.rejected.size()
            << (report.rejected.size() == 1 ? " row rejected\n" : " rows rejected\n");
  if (partial != 0) {
    std::cout << partial << (partial == 1 ? " record is a summary" : " records are summaries")
              << " without fields the schema requires (extensions."
              << importers::extension_key(*source)
              << ".missing_fields); candor check lists what to add\n";
  }
  int status = report.rejected.empty() ? k_clean : k_findings;
  if (options.submit && !written.empty()) {
    SubmitOptions submit = options.submit_options;
    submit.paths = written;
    const int submitted = run_submit(submit);
    status = std::max(status, submitted);
  }
  return status;
}  // namespace

}  // namespace

void add_import_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ImportCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Import an existing register as Candor records, one YAML file per row, with nothing lost "
      "(docs/importers.md).\nExit status: 0 every row imported, 1 some row rejected, 2 usage or "
      "unusable input.");
  cmd->add_option("--from", options->from,
                  "The source format: us-omb-2025 (CSV), nl-algoritmeregister (CSV or JSON), "
                  "uk-atrs (JSON listing)")
      ->required();
  cmd->add_option("file", options->file, "The register's export file")->required();
  cmd->add_option("--out", options->out, "Directory to write the records into")->required();
  cmd->add_option("--imported-on", options->imported_on,
                  "Date written as record.provenance.imported_on (default: today, UTC)");
  cmd->add_option("--max-bytes", options->max_bytes, "Refuse input files larger than this")
      ->capture_default_str();
  cmd->add_flag("--submit", options->submit,
                "Then submit the records written to --server, as candor submit does");
  cmd->add_option("--server", options->submit_options.server,
                  "With --submit: the server, e.g. https://register.example.gov.uk");
  cmd->add_option("--token-file", options->submit_options.token_file,
                  "With --submit: file holding the token (from candor token create)");
  cmd->add_option("--token-env", options->submit_options.token_env,
                  "With --submit: environment variable holding the token");
  cmd->add_option("--receipts", options->submit_options.receipts,
                  "With --submit: write receipts into this directory instead of beside the "
                  "records");
  cmd->callback([options, &exit_code] { exit_code = run_import(*options); });
}

}  // namespace candor::cli
