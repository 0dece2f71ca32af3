// Intake: how a record becomes a logged, signed version of the register. The CLI
// (`candor register add`) and the server's submission endpoint both go through here.
//
//   prepare_record   (caller's thread)  load the YAML, validate it against the schema,
//                                       canonicalise it (RFC 8785) and hash it, extract facets
//                                       and search text. Rejections come back as Problems.
//   rules engine     (caller)           the caller evaluates its rule packs on the prepared
//                                       Document and passes the Findings in: the register never
//                                       includes the engine.
//   Intake::submit   (sequencer thread) in ONE store transaction per batch: for each record,
//                                       dedupe against its latest version, else store body,
//                                       source, version row, findings, current record, search
//                                       text and the leaf statement as the next log entry; then
//                                       the new tree hashes and a checkpoint signed over the new
//                                       tree. Commit, then acknowledge.
//
// Guarantees:
//   - A submission is acknowledged (its future becomes ready with a value) only after the
//     transaction holding it and the checkpoint covering it has committed durably. A crash
//     before that loses the whole batch and publishes nothing; after it, nothing is lost.
//   - Group commit: one sequencer thread takes every submission waiting when it starts a batch
//     (up to max_batch), so concurrent submitters share one transaction, one fsync and one
//     signature instead of paying one each.
//   - Dedupe: a record whose canonical body equals its latest version's is not logged again;
//     the submitter gets that version (duplicate = true) with a fresh receipt. A body equal to an
//     older version (a revert) is a new version.
//   - Review notes (submit_review) take the same path: validated in the caller's thread, then
//     logged by the sequencer as review statements (review.h) in the same batches.
//   - Versions of a record are numbered 1, 2, 3... in log order; each leaf names the previous
//     version's leaf index. A batch that fails is rolled back and its records retried one by
//     one, so one bad submission cannot sink the others.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>

#include "candor/registry/document.h"
#include "candor/registry/leaf.h"
#include "candor/registry/note.h"
#include "candor/registry/problem.h"
#include "candor/registry/review.h"
#include "candor/registry/store.h"

namespace candor::registry {

// A record that passed loading, schema validation and canonicalisation.
struct PreparedRecord {
  std::string file;
  std::string yaml;   // exactly as submitted
  Document document;  // for the caller's rules engine
  std::string canonical_json;
  Hash body_hash{};           // SHA-256 of canonical_json
  Hash source_hash{};         // SHA-256 of yaml
  Organisation organisation;  // organisation.{id,name,type} of the record
  std::string record_id;
  std::string title;  // tool.name
  RecordFacets facets;
  SearchText search;
};

// Loads, validates and canonicalises. Problems are those `candor validate` reports, plus
// canonical.number for a value JSON cannot hold.
Result<PreparedRecord> prepare_record(std::string yaml, std::string file,
                                      const LoadOptions& options = {});

// Who submits: the organisation the submitter is authenticated for (a record may only be
// submitted for it) and a name for the version row and the audit log ("cli:alice", "token:ci").
struct Submitter {
  std::string organisation;
  std::string name;
};

struct Acceptance {
  RecordVersion version;
  bool duplicate = false;       // identical to the latest version: nothing new was logged
  std::string leaf;             // the version's leaf statement (leaf.h)
  StoredCheckpoint checkpoint;  // the checkpoint the receipt proves inclusion in
  std::string receipt;          // c2sp.org/tlog-proof text (receipt.h)
};

// A regulator's review note on a record version, as submitted. The caller checks that the
// submitter is a regulator; intake records the submitter's organisation as the reviewer.
struct ReviewNote {
  std::string organisation;  // the reviewed record
  std::string record_id;
  std::uint64_t version = 0;  // the reviewed version
  std::string text;           // the note, UTF-8
};

// Review note texts: at most this many characters (Unicode code points), after normalising.
inline constexpr std::size_t kMaxReviewNoteChars = 5000;

// The note text as it is stored and hashed: CRLF and lone CR become LF (web forms send CRLF),
// and white space at the start and end is removed.
std::string normalise_review_note(std::string_view text);

// Why a (normalised) note text cannot be logged, each Problem with path "text": codes
// review.text-empty, review.text-too-long (more than kMaxReviewNoteChars), review.text-encoding
// (not valid UTF-8), review.text-control (a control character other than newline and tab).
Problems review_note_problems(std::string_view text);

struct ReviewAcceptance {
  Review review;                // as stored, with the note's normalised text
  std::string entry;            // the review statement (review.h)
  StoredCheckpoint checkpoint;  // the checkpoint the receipt proves inclusion in
  std::string receipt;          // c2sp.org/tlog-proof text (receipt.h), the statement as extra
};

struct IntakeOptions {
  std::size_t max_batch = 1024;
  // Acceptance times come from here (UTC); tests fix it.
  std::function<std::chrono::system_clock::time_point()> clock;
  std::string actor = "sequencer";  // audit actor for tree hashes and checkpoints
};

class Intake {
 public:
  // The store must be initialised (init_register) for `signer`'s key: std::invalid_argument
  // otherwise. Starts the sequencer thread.
  Intake(Store& store, NoteSigner signer, IntakeOptions options = {});
  Intake(const Intake&) = delete;
  Intake& operator=(const Intake&) = delete;
  // Finishes every submission already queued, then stops the sequencer.
  ~Intake();

  // Queues a record. The future is ready once its batch commits: a value with the Acceptance,
  // or Problems if the submission is refused (code intake.organisation: the record belongs to
  // another organisation than the submitter's). Store failures are rethrown by get(). The
  // receipt's proof is built by the thread calling get() (from the batch's tree hashes, and the
  // store for any it lacks), which must do so while the store lives.
  std::future<Result<Acceptance>> submit(PreparedRecord record, Submitter submitter,
                                         Findings findings = {});

  // Queues a review note; it goes through the same sequencer, batches and checkpoints as
  // records, so records and reviews share one log order. The text is normalised
  // (normalise_review_note) and refused at once with review_note_problems; the sequencer refuses
  // a review of a version that does not exist (review.no-such-version, path "version", also
  // when the version is submitted in the same batch but after the review) or by an unknown
  // reviewer organisation (review.reviewer). The submitter's organisation is the reviewer.
  std::future<Result<ReviewAcceptance>> submit_review(ReviewNote note, Submitter reviewer);

  struct Stats {
    std::uint64_t batches = 0;      // committed transactions
    std::uint64_t submissions = 0;  // acknowledged submissions, duplicates and reviews included
    std::uint64_t checkpoints = 0;  // checkpoints signed
  };
  Stats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Makes an empty store the log of `signer` (origin = key name): stores the log settings and the
// signed checkpoint of the empty tree in one transaction. std::logic_error if it already is a
// log. `signer_key_path` is recorded so that later commands can find the key; the key itself is
// never stored.
StoredCheckpoint init_register(Store& store, const NoteSigner& signer, std::string signer_key_path,
                               std::string_view actor);

// Whether a record document is the one a leaf statement logs: same organisation and record id,
// and its canonical JSON hashes to the statement's body hash. Codes verify.record-id,
// verify.body-hash (and canonical.number).
Problems check_record_against_leaf(const Document& record, const LeafStatement& leaf);

// "YYYY-MM-DDThh:mm:ssZ" for a point in time (UTC, seconds).
std::string leaf_time(std::chrono::system_clock::time_point t);

}  // namespace candor::registry
