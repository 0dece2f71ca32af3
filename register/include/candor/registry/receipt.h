// Receipts: the proof a submitter gets that a record version is in the register's log.
//
// A receipt is a C2SP tlog-proof (c2sp.org/tlog-proof@v1), offline-verifiable with only the
// log's public key:
//
//   c2sp.org/tlog-proof@v1
//   extra <base64 of the leaf statement (leaf.h)>
//   index <leaf index>
//   <base64 inclusion proof hash, one per line, from the leaf's sibling up>
//   <blank line>
//   <the signed checkpoint, verbatim>
//
// The spec makes `extra` optional and unauthenticated; Candor always writes it and carries the
// leaf statement in it, because a verifier needs the leaf bytes to compute the leaf hash. It
// is authenticated by what follows: the statement's leaf hash must reach the signed root through
// the inclusion proof. So a receipt stands alone, and a verifier holding the record file can
// also check that the file canonicalises to the statement's body hash (intake.h).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/checkpoint.h"
#include "candor/registry/leaf.h"
#include "candor/registry/merkle.h"
#include "candor/registry/note.h"
#include "candor/registry/problem.h"
#include "candor/registry/review.h"

namespace candor::registry {

inline constexpr std::string_view kTlogProofHeader = "c2sp.org/tlog-proof@v1";
inline constexpr std::size_t kMaxReceiptBytes = 2 * kMaxNoteBytes;

struct Receipt {
  std::string extra;  // raw bytes (for Candor, the leaf statement); may be empty
  std::uint64_t index = 0;
  std::vector<Hash> proof;
  std::string checkpoint;  // the signed checkpoint note, verbatim
  friend bool operator==(const Receipt&, const Receipt&) = default;
};

// The tlog-proof text. Throws std::invalid_argument if the checkpoint does not start with a
// non-empty line (it could not be told apart from the proof lines).
std::string format_receipt(const Receipt& receipt);

// Syntax only (no signature or proof checked). Never throws; problems are coded
// "receipt.malformed" and name the line.
Result<Receipt> parse_receipt(std::string_view text);

// What a receipt proves once verified.
struct VerifiedReceipt {
  LeafStatement leaf;  // when the entry is a record version (review is then empty)
  std::optional<ReviewStatement> review;  // when the entry is a regulator's review note
  std::uint64_t index = 0;
  Checkpoint checkpoint;
};

// Verifies a Candor receipt: its checkpoint is signed by one of `log_keys` for `origin`, its extra
// data is a log entry (a leaf or review statement, log_entry.h) of that origin, and the inclusion
// proof binds that statement, as leaf `index`, to the checkpoint's root. Never throws. Problem
// codes: receipt.malformed, receipt.no-statement, receipt.origin, receipt.inclusion, and those of
// open_checkpoint/parse_log_entry.
Result<VerifiedReceipt> verify_receipt(std::string_view text, std::string_view origin,
                                       std::span<const NoteVerifier> log_keys);

}  // namespace candor::registry
