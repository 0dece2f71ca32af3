#include "utf8.h"

#include <algorithm>
#include <cstring>

namespace candor::registry {

namespace {

// Length of the valid UTF-8 sequence at text[i], or 0 if it is not valid (RFC 3629 table).
std::size_t valid_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  const std::size_t left = text.size() - i;
  auto cont = [&](std::size_t k) { return k < left && (byte(i + k) & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (left < 3 || !cont(1) || !cont(2)) return 0;
    const unsigned char b1 = byte(i + 1);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
    if (b0 == 0xED && b1 > 0x9F) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (left < 4 || !cont(1) || !cont(2) || !cont(3)) return 0;
    const unsigned char b1 = byte(i + 1);
    if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
    if (b0 == 0xF4 && b1 > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

std::vector<TextFaultAt> find_text_faults(std::string_view text, std::size_t limit) {
  std::vector<TextFaultAt> faults;
  bool lone_cr_seen = false;
  std::size_t i = 0;
  while (i < text.size() && faults.size() < limit) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == '\r' && !lone_cr_seen && (i + 1 == text.size() || text[i + 1] != '\n')) {
      lone_cr_seen = true;
      faults.push_back({i, TextFault::lone_cr});
      ++i;
      continue;
    }
    if (b >= 0x01 && b < 0x80) {  // fast path for ASCII
      ++i;
      continue;
    }
    if (b == 0) {
      faults.push_back({i, TextFault::nul_byte});
      ++i;
      continue;
    }
    const std::size_t n = valid_sequence_length(text, i);
    if (n == 0) {
      faults.push_back({i, TextFault::invalid_utf8});
      ++i;
      // Skip the rest of this broken sequence so one bad character is one fault.
      while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
      continue;
    }
    if (n == 3 && i != 0 && text.compare(i, 3, "\xEF\xBB\xBF") == 0) {
      faults.push_back({i, TextFault::misplaced_bom});
    }
    i += n;
  }
  return faults;
}

std::size_t count_code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  const char* base = text.data();
  const char* end = base + text.size();
  for (const char* p = base; p < end;) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (nl == nullptr) break;
    p = static_cast<const char*>(nl) + 1;
    starts_.push_back(static_cast<std::size_t>(p - base));
  }
}

Position LineIndex::at_offset(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line0 = static_cast<std::size_t>(it - starts_.begin()) - 1;
  return at_line_column(line0, offset - starts_[line0]);
}

Position LineIndex::at_line_column(std::size_t line0, std::size_t byte_column0) const {
  line0 = std::min(line0, starts_.size() - 1);
  const std::size_t start = starts_[line0];
  const std::size_t end = line0 + 1 < starts_.size() ? starts_[line0 + 1] : text_.size();
  const std::size_t bytes = std::min(byte_column0, end - start);
  std::size_t from = 0, points = 0;
  if (line0 == cached_line_ && bytes >= cached_bytes_) {
    from = cached_bytes_;
    points = cached_points_;
  }
  points += count_code_points(text_.substr(start + from, bytes - from));
  cached_line_ = line0;
  cached_bytes_ = bytes;
  cached_points_ = points;
  return {static_cast<std::uint32_t>(line0 + 1), static_cast<std::uint32_t>(points + 1)};
}

}  // namespace candor::registry
