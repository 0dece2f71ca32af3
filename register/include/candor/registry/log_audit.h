// Auditing a whole log from its tiles (c2sp.org/tlog-tiles): what `candor verify --log` does, and
// what any monitor of a Candor register needs. Given a way to fetch the log's files, audit_log
//
//   1. fetches <prefix>/checkpoint and opens it with the log's keys (signature, origin, syntax);
//   2. compares it with the last checkpoint the caller saw, if any: a smaller tree is a rollback,
//      the same size with another root a fork — refused before anything else is fetched;
//   3. fetches every entry bundle, recomputes every leaf hash from the entries and, from them,
//      every hash tile, which must be byte for byte the tiles served (so clients that read only
//      tiles, like Go's sumdb/tlog, see the same tree), and the root, which must be the signed one;
//   4. on the way, recomputes the root at the previous checkpoint's size, which must be the root
//      seen then (otherwise history was rewritten: a fork), and then checks the consistency proof
//      between the two checkpoints computed from the served tiles (TileHashReader), as a client
//      with only tiles would;
//   5. unless told otherwise, checks that every entry is a Candor log entry (log_entry.h: a leaf
//      or review statement) of this log's origin, that each record's versions form an unbroken
//      chain (version 1 creates the record, and each later version names the leaf of the version
//      just before it), and that each review names an earlier entry that is the reviewed version
//      of that record.
//
// Nothing is trusted before it is checked, and audit_log never throws for anything the log serves:
// every failure is a Problem in the report. Memory is O(record versions), not O(entries): tiles are
// recomputed level by level as the entries stream past.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "candor/registry/checkpoint.h"
#include "candor/registry/note.h"
#include "candor/registry/problem.h"

namespace candor::registry {

// Fetching one of the log's files failed: it does not exist (HTTP 404/410, no such file) or it
// could not be read (network, server error, I/O, larger than allowed).
class FetchError : public std::runtime_error {
 public:
  FetchError(const std::string& message, bool not_found)
      : std::runtime_error(message), not_found_(not_found) {}
  bool not_found() const { return not_found_; }

 private:
  bool not_found_;
};

// Returns the bytes of `path` (relative to the log's prefix: "checkpoint", "tile/0/x001/234",
// "tile/entries/000.p/7"). Must throw FetchError for a file that is missing, unreadable, or larger
// than `max_bytes`.
using LogFetcher = std::function<std::string(const std::string& path, std::size_t max_bytes)>;

struct AuditOptions {
  std::string origin;                   // the log's origin (checkpoint first line)
  std::vector<NoteVerifier> keys;       // the log's verifier keys
  std::optional<Checkpoint> previous;   // the last checkpoint seen, already verified
  bool candor_leaves = true;            // check entries as Candor leaf statements (step 5)
  std::size_t max_entry_problems = 20;  // step 5 problems reported before it stops listing
  // Called after each entry bundle, with the entries done so far and the total.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

enum class AuditOutcome {
  verified,     // everything checked out
  failed,       // the log is not what its checkpoint (or the previous one) says
  unavailable,  // it could not be fetched (network, I/O): nothing can be said about the log
};

struct AuditReport {
  AuditOutcome outcome = AuditOutcome::failed;
  std::string checkpoint_note;            // the checkpoint as fetched (verbatim), if it was
  std::optional<Checkpoint> checkpoint;   // once its signature and syntax verified
  std::uint64_t entries = 0;              // entries recomputed
  std::uint64_t tiles = 0;                // hash tiles compared
  std::uint64_t bundles = 0;              // entry bundles read
  std::uint64_t records = 0;              // distinct records (with candor_leaves)
  std::uint64_t reviews = 0;              // review entries (with candor_leaves)
  bool checked_against_previous = false;  // previous given, and the log extends it
  // Why it failed or was unavailable. Codes: log.unavailable, log.missing (a file the checkpoint
  // requires is not served), log.rollback, log.fork, log.tile-mismatch, log.root-mismatch,
  // log.consistency, log.entry, tile.malformed, and those of open_checkpoint.
  Problems problems;
};

AuditReport audit_log(const LogFetcher& fetch, const AuditOptions& options);

}  // namespace candor::registry
