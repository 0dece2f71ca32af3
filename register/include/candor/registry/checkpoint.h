// C2SP checkpoints (c2sp.org/tlog-checkpoint): the signed statement "the log with this origin had
// this many leaves and this root". The text of a signed note, line by line:
//
//   <origin>                non-empty; conventionally the log's schema-less URL prefix
//   <tree size>             ASCII decimal, no sign, no leading zeros (the empty tree is "0")
//   <root hash>             standard base64 of the 32-byte RFC 6962 root (44 characters)
//   [<extension line>...]   optional, opaque, each non-empty
//
// Every line ends with "\n" (the note text's final newline included). Parsing is strict and
// never throws on hostile text: anything not written exactly so is refused with a Problem naming
// the line. format_checkpoint writes exactly what parse_checkpoint reads; it throws
// std::invalid_argument for a Checkpoint that has no text form (a programmer error).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/merkle.h"
#include "candor/registry/note.h"
#include "candor/registry/problem.h"

namespace candor::registry {

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// Parses a checkpoint body (a note's text, ending in "\n").
Result<Checkpoint> parse_checkpoint(std::string_view text);
std::string format_checkpoint(const Checkpoint& checkpoint);

// The signed note of a checkpoint.
std::string sign_checkpoint(const Checkpoint& checkpoint, const NoteSigner& log_key);

// Opens a signed checkpoint: the note must carry a valid signature by one of `log_keys` (whose
// names need not equal the origin: sum.golang.org signs "go.sum database tree"), its text must
// parse, and its origin must be `origin`. Other signatures (witnesses) are ignored here.
Result<Checkpoint> open_checkpoint(std::string_view note, std::string_view origin,
                                   std::span<const NoteVerifier> log_keys);

}  // namespace candor::registry
