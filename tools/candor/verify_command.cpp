// candor verify RECEIPT --vkey FILE [--record FILE.yaml | --note FILE] [--origin ORIGIN]
// candor verify --log DIR|URL --vkey FILE [--state FILE] [--origin ORIGIN]: audits a whole log
// instead (tools/candor/log_verify.h).
//
// Checks a receipt (c2sp.org/tlog-proof, see register/include/candor/registry/receipt.h) offline:
// the checkpoint is signed by a key in --vkey for the log's origin (by default the first key's
// name), the receipt's leaf statement belongs to that log, and the inclusion proof binds the
// statement to the signed root. With --record, also checks that the record file is the logged
// one: same organisation and id, and its canonical JSON hashes to the statement's body hash
// (so reformatting, reordering keys or editing comments does not matter; changing a value does).
// A receipt of a regulator's review note (review.h) verifies the same way; with --note, the file
// holding the note's text must hash (SHA-256, exact bytes) to the statement's note hash.
//
// Exit status: 0 verified, 1 verification failed (receipt or record does not check out),
// 2 usage or I/O error (missing file, unusable key file).
#include <iostream>
#include <vector>

#include "candor/registry/intake.h"
#include "candor/registry/receipt.h"
#include "commands.h"
#include "log_verify.h"
#include "store_cli_support.h"

namespace candor::cli {

namespace {

struct VerifyOptions {
  std::string receipt;
  std::string vkey;
  std::string record;
  std::string note;  // --note: the text of a review note the receipt logs
  std::string origin;
  std::string log;  // --log: audit a whole log (log_verify.h) instead of a receipt
  std::string state;
};

constexpr std::size_t k_max_vkey_file_bytes = std::size_t{64} * 1024;

// Every non-blank line of the file is a verifier key (several: key rotation, or a witness).
std::optional<std::vector<registry::NoteVerifier>> load_verifiers(const std::string& path) {
  std::string error;
  auto text = read_text_file(path, k_max_vkey_file_bytes, error);
  if (!text) {
    std::cerr << "candor verify: cannot read " << path << ": " << error << '\n';
    return std::nullopt;
  }
  std::vector<registry::NoteVerifier> keys;
  std::string_view rest = *text;
  for (int line_no = 1; !rest.empty(); ++line_no) {
    const std::size_t end = rest.find('\n');
    const std::string line = first_line(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (line.empty()) continue;
    auto key = registry::NoteVerifier::parse(line);
    if (!key.ok()) {
      std::cerr << path << ':' << line_no
                << ": not a verifier key: " << key.problems().front().message << '\n';
      return std::nullopt;
    }
    keys.push_back(std::move(key.value()));
  }
  if (keys.empty()) {
    std::cerr << "candor verify: " << path << " holds no verifier key\n";
    return std::nullopt;
  }
  return keys;
}

void print_failure(const std::string& file, const registry::Problems& problems) {
  for (registry::Problem p : problems) {
    if (p.file.empty()) p.file = file;
    std::cout << registry::format_problem(p) << '\n';
  }
}

// The receipt of a review note: what it says, and with --note whether the text is the logged one.
int report_review(const VerifyOptions& options, const registry::VerifiedReceipt& v) {
  const registry::ReviewStatement& review = *v.review;
  if (!options.record.empty()) {
    std::cout << options.receipt << ": FAILED: it logs a review note, not a record version\n";
    return k_findings;
  }
  if (!options.note.empty()) {
    std::string error;
    auto text = read_text_file(options.note, registry::kMaxLeafBytes, error);
    if (!text) {
      std::cerr << "candor verify: cannot read " << options.note << ": " << error << '\n';
      return k_usage;
    }
    if (registry::sha256_of(*text) != review.note_hash) {
      std::cout << options.note << ": FAILED: its text hashes to "
                << registry::to_hex(registry::sha256_of(*text)) << ", but the logged note has "
                << registry::to_hex(review.note_hash) << '\n';
      return k_findings;
    }
  }
  std::cout << options.receipt << ": verified\n"
            << "  review of   " << review.organisation << '/' << review.record_id << " version "
            << review.version << " (log entry " << review.leaf_index << ")\n"
            << "  reviewer    " << review.reviewer << '\n'
            << "  note        sha256 " << registry::to_hex(review.note_hash) << '\n'
            << "  accepted    " << review.accepted_at << '\n'
            << "  log entry   " << v.index << " of " << v.checkpoint.size << " in " << review.origin
            << '\n'
            << "  root        " << registry::to_hex(v.checkpoint.root) << '\n';
  if (!options.note.empty()) {
    std::cout << "  note file   " << options.note << " matches the logged note\n";
  }
  return k_clean;
}

int run(const VerifyOptions& options) {
  if (!options.log.empty()) {
    auto keys = load_verifiers(options.vkey);
    if (!keys) return k_usage;
    return run_log_verify({options.log, options.state,
                           options.origin.empty() ? keys->front().name() : options.origin},
                          *keys);
  }
  if (options.receipt.empty()) {
    std::cerr << "candor verify: name a RECEIPT file to check\n";
    return k_usage;
  }
  auto keys = load_verifiers(options.vkey);
  if (!keys) return k_usage;
  const std::string origin = options.origin.empty() ? keys->front().name() : options.origin;

  std::string error;
  auto text = read_text_file(options.receipt, registry::kMaxReceiptBytes, error);
  if (!text) {
    std::cerr << "candor verify: cannot read " << options.receipt << ": " << error << '\n';
    return k_usage;
  }
  auto verified = registry::verify_receipt(*text, origin, *keys);
  if (!verified.ok()) {
    print_failure(options.receipt, verified.problems());
    std::cout << options.receipt << ": FAILED: not a valid receipt of " << origin << '\n';
    return k_findings;
  }
  const registry::VerifiedReceipt& v = verified.value();
  if (v.review) return report_review(options, v);
  if (!options.note.empty()) {
    std::cout << options.receipt << ": FAILED: it logs a record version, not a review note\n";
    return k_findings;
  }
  const registry::LeafStatement& leaf = v.leaf;
  if (!options.record.empty()) {
    std::error_code ec;
    if (!std::filesystem::exists(options.record, ec)) {
      std::cerr << "candor verify: " << options.record << ": no such file\n";
      return k_usage;
    }
    auto doc = registry::load_document_file(options.record);
    registry::Problems problems = doc.problems();
    if (doc.has_value() && problems.empty()) {
      problems = registry::check_record_against_leaf(doc.value(), leaf);
    }
    if (!problems.empty()) {
      print_failure(options.record, problems);
      std::cout << options.record << ": FAILED: not the record that " << options.receipt
                << " logs (" << leaf.organisation << '/' << leaf.record_id << " version "
                << leaf.version << ")\n";
      return k_findings;
    }
  }
  std::cout << options.receipt << ": verified\n"
            << "  record      " << leaf.organisation << '/' << leaf.record_id << " version "
            << leaf.version << " (" << registry::to_string(leaf.action) << ")\n"
            << "  body        sha256 " << registry::to_hex(leaf.body_hash) << '\n'
            << "  accepted    " << leaf.accepted_at << '\n'
            << "  log entry   " << v.index << " of " << v.checkpoint.size << " in " << leaf.origin
            << '\n'
            << "  root        " << registry::to_hex(v.checkpoint.root) << '\n';
  if (!options.record.empty()) {
    std::cout << "  record file " << options.record << " matches the logged body\n";
  }
  return k_clean;
}

}  // namespace

void add_verify_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Verify a receipt (c2sp.org/tlog-proof) offline against the register's public key, and "
      "optionally that a record file is the version it logs; or, with --log, audit a whole "
      "published log (signature, every entry and tile, forks and rollbacks against --state).\n"
      "Exit status: 0 verified, 1 verification failed, 2 usage or I/O error.");
  // RECEIPT is optional to the parser so that other modes (auditing a whole log) can share
  // this command; run() insists on it for receipt verification.
  cmd->add_option("receipt", options->receipt, "Receipt file (.tlog-proof)");
  cmd->add_option("--vkey", options->vkey, "The register's verifier key file (.vkey)")->required();
  cmd->add_option("--record", options->record,
                  "Also check that this record file is the logged version");
  cmd->add_option("--note", options->note,
                  "For the receipt of a review note: also check that this file holds the logged "
                  "note text")
      ->excludes("--record");
  cmd->add_option("--origin", options->origin,
                  "The log's origin (default: the verifier key's name)");
  CLI::Option* log = cmd->add_option(
      "--log", options->log,
      "Audit a whole log instead: a directory (candor log export) or an http(s):// URL prefix "
      "serving c2sp.org/tlog-tiles");
  log->excludes("receipt")->excludes("--record")->excludes("--note");
  cmd->add_option("--state", options->state,
                  "With --log: file keeping the last verified checkpoint, to refuse forks and "
                  "rollbacks (created on first use)")
      ->needs(log);
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace candor::cli
