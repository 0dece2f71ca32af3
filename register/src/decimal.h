// Strict unsigned decimal, as the log's text formats (checkpoints, leaves, receipts, tile paths)
// write numbers: ASCII digits only, no sign, no leading zero except "0" itself, no overflow past
// 2^64-1. Anything else is nullopt, so two spellings of one number can never both parse.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace candor::registry {

inline std::optional<std::uint64_t> parse_strict_decimal(std::string_view s) {
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

}  // namespace candor::registry
