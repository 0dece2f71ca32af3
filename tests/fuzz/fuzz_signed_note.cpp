// Fuzz target: signed notes and what is written in them. The same bytes go through every text
// parser of the log's note formats: the note splitter and its verification against trusted keys,
// the checkpoint body and signed-checkpoint parsers, verifier-key text, and log entries (leaf
// and review statements, which receipts and tile bundles carry).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "candor/registry/checkpoint.h"
#include "candor/registry/log_entry.h"
#include "candor/registry/note.h"
#include "tlog_keys.h"

using namespace candor::registry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto& keys = candor::fuzz::trusted_keys();

  auto note = parse_note(text);
  if (note.ok()) {
    // A parsed note must print back to the bytes it came from: one text form per note.
    if (format_note(note.value()) != text) __builtin_trap();
  }
  (void)open_note(text, keys);
  auto checkpoint = parse_checkpoint(text);
  if (checkpoint.ok() && format_checkpoint(checkpoint.value()) != text) __builtin_trap();
  (void)open_checkpoint(text, candor::fuzz::kOrigin, keys);
  (void)NoteVerifier::parse(text);
  (void)parse_log_entry(text);
  (void)base64_decode(text);
  return 0;
}
