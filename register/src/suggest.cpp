#include "candor/registry/suggest.h"

#include <algorithm>
#include <vector>

namespace candor::registry {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rolling rows: d[i-2], d[i-1], d[i].
  std::vector<std::size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string_view closest(std::string_view word, std::span<const std::string_view> candidates) {
  if (word.empty()) return {};
  std::string_view best;
  std::size_t best_distance = static_cast<std::size_t>(-1);
  for (std::string_view candidate : candidates) {
    // A third of the longer word may differ ("review_days" -> "review_max_days"); short
    // words get one edit, so "eq" suggests nothing rather than "in".
    const std::size_t longer = std::max(word.size(), candidate.size());
    const std::size_t allowed = longer <= 3 ? 1 : std::max<std::size_t>(2, longer / 3);
    std::size_t d = edit_distance(word, candidate);
    const bool prefix =
        word.size() >= 3 && (candidate.starts_with(word) || word.starts_with(candidate));
    if (prefix) d = std::min(d, allowed);
    if (d <= allowed && d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace candor::registry
