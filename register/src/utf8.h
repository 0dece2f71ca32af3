// UTF-8 checks and the byte-offset → (line, code-point column) mapping used for every location.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "candor/registry/problem.h"

namespace candor::registry {

enum class TextFault { invalid_utf8, nul_byte, misplaced_bom, lone_cr };

struct TextFaultAt {
  std::size_t offset;  // byte offset of the first byte of the bad sequence
  TextFault fault;
};

// Scans `text` and returns its faults in order, at most `limit` of them. A byte-order mark is only
// allowed as the very first character. Overlong forms, surrogates and code points above U+10FFFF
// are invalid, as RFC 3629 says. A carriage return not followed by a line feed (old Mac line
// endings) is reported once: YAML would read such a file as one long line.
std::vector<TextFaultAt> find_text_faults(std::string_view text, std::size_t limit);

// Number of code points in valid UTF-8 (continuation bytes are not counted).
std::size_t count_code_points(std::string_view text);

// Maps byte offsets and yaml-cpp's (0-based line, 0-based byte column) marks to 1-based lines and
// 1-based code-point columns.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  Position at_offset(std::size_t offset) const;
  Position at_line_column(std::size_t line0, std::size_t byte_column0) const;

 private:
  std::string_view text_;
  std::vector<std::size_t> starts_;  // byte offset of the start of each line
  // Positions arrive mostly in increasing order, so the last answer is the start for the next:
  // without it, a 1 MiB single-line document would cost time quadratic in its length.
  mutable std::size_t cached_line_ = static_cast<std::size_t>(-1);
  mutable std::size_t cached_bytes_ = 0;
  mutable std::size_t cached_points_ = 0;
};

}  // namespace candor::registry
