#include "log_verify.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <optional>

#include "candor/registry/checkpoint.h"
#include "candor/registry/log_audit.h"
#include "commands.h"
#include "log_source.h"
#include "store_cli_support.h"

namespace candor::cli {

namespace {

using registry::AuditOutcome;

void print_note(const std::string& title, const std::string& note) {
  std::cout << "  " << title << ":\n";
  std::string_view rest = note;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    std::cout << (line.empty() ? "" : "    ") << line << '\n';
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  }
}

std::string plural(std::uint64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

int run_log_verify(const LogVerifyOptions& options,
                   const std::vector<registry::NoteVerifier>& keys) {
  registry::AuditOptions audit;
  audit.origin = options.origin;
  audit.keys = keys;

  // The checkpoint seen last time, if any: it must itself be a valid checkpoint of this log.
  std::string previous_note;
  if (!options.state.empty()) {
    std::error_code ec;
    if (std::filesystem::exists(options.state, ec)) {
      std::string error;
      auto text = read_text_file(options.state, registry::kMaxNoteBytes, error);
      if (!text) {
        std::cerr << "candor verify: cannot read the state file " << options.state << ": " << error
                  << '\n';
        return k_usage;
      }
      auto previous = registry::open_checkpoint(*text, options.origin, keys);
      if (!previous.ok()) {
        std::cerr << "candor verify: " << options.state << " does not hold a checkpoint of "
                  << options.origin
                  << " signed by the key given: " << previous.problems().front().message << '\n';
        return k_usage;
      }
      audit.previous = previous.value();
      previous_note = *text;
    } else if (ec) {
      std::cerr << "candor verify: cannot use the state file " << options.state << ": "
                << ec.message() << '\n';
      return k_usage;
    }
  }

  registry::LogFetcher fetch;
  try {
    fetch = make_log_fetcher(options.location);
  } catch (const std::invalid_argument& e) {
    std::cerr << "candor verify: " << e.what() << '\n';
    return k_usage;
  }
  const bool show_progress = ::isatty(STDERR_FILENO) == 1;
  if (show_progress) {
    audit.progress = [](std::uint64_t done, std::uint64_t total) {
      std::cerr << "\r  " << done << " / " << total << " entries" << std::flush;
      if (done == total) std::cerr << "\r\033[K" << std::flush;
    };
  }

  const registry::AuditReport report = registry::audit_log(fetch, audit);

  if (report.outcome != AuditOutcome::verified) {
    for (registry::Problem p : report.problems) {
      if (p.file.empty())
        p.file = options.location;
      else
        p.file = options.location + "/" + p.file;
      std::cout << registry::format_problem(p) << '\n';
    }
    if (report.outcome == AuditOutcome::unavailable) {
      std::cerr << "candor verify: could not read the log at " << options.location
                << "; nothing was verified\n";
      return k_usage;
    }
    std::cout << options.location << ": FAILED: not a valid log of " << options.origin << '\n';
    const bool fork_or_rollback =
        !report.problems.empty() && (report.problems.back().code == "log.fork" ||
                                     report.problems.back().code == "log.rollback" ||
                                     report.problems.back().code == "log.consistency");
    if (fork_or_rollback && report.checkpoint) {
      std::cout << "Evidence (two checkpoints signed by the log that cannot both be true):\n";
      print_note("kept in " + options.state, previous_note);
      print_note("served now by " + options.location, report.checkpoint_note);
      std::cout << options.state << " was left unchanged.\n";
    }
    return k_findings;
  }

  const registry::Checkpoint& cp = *report.checkpoint;
  std::cout << options.location << ": verified log " << cp.origin << '\n'
            << "  checkpoint  size " << cp.size << ", root " << registry::to_hex(cp.root)
            << ", signature verified\n"
            << "  entries     " << plural(report.entries, "entry", "entries") << " rehashed from "
            << plural(report.bundles, "entry bundle", "entry bundles") << "; "
            << plural(report.tiles, "hash tile", "hash tiles") << " and the root match; "
            << plural(report.records, "record", "records") << " with unbroken version chains\n";
  if (report.reviews > 0) {
    std::cout << "  reviews     " << plural(report.reviews, "review note", "review notes")
              << ", each of an earlier version of its record\n";
  }
  if (options.state.empty()) {
    std::cout << "  history     not compared (no --state file)\n";
    return k_clean;
  }
  if (audit.previous) {
    if (audit.previous->size == cp.size) {
      std::cout << "  history     unchanged since the checkpoint in " << options.state << '\n';
    } else {
      std::cout << "  history     consistent: the log grew from " << audit.previous->size << " to "
                << cp.size << " entries without changing any (checkpoint in " << options.state
                << ")\n";
    }
  } else {
    std::cout << "  history     first audit: nothing to compare yet\n";
  }
  if (previous_note != report.checkpoint_note) {
    std::string error;
    if (!replace_file(options.state, report.checkpoint_note, error)) {
      std::cerr << "candor verify: the log verified, but " << options.state
                << " could not be written: " << error << '\n';
      return k_usage;
    }
    std::cout << "  state       " << options.state << " now holds this checkpoint\n";
  }
  return k_clean;
}

}  // namespace candor::cli
