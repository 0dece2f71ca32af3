// Small helpers the route groups share. Private to web/src.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

#include "candor/registry/store.h"
#include "candor/web/app.h"

namespace candor::web {

// The App's store, or a 503 for the person asking (a server started without a register).
inline registry::Store& require_store(const App& app) {
  registry::Store* store = app.store();
  if (!store) {
    throw HttpError(503, "unavailable",
                    "The register is not available right now. Try again later.");
  }
  return *store;
}

// A whole number written plainly in a URL ("42": digits only, no sign or spaces, at most
// 2^64-1), or nullopt.
inline std::optional<std::uint64_t> parse_count(std::string_view text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

}  // namespace candor::web
