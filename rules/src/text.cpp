#include "text.h"

#include <algorithm>
#include <vector>

namespace candor::rules {
namespace {

bool continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Appends `text` with control characters replaced, stopping after `budget` code points.
// Returns false when it had to stop early.
bool append_clean(std::string& out, std::string_view text, std::size_t& budget) {
  std::size_t end = 0;  // bytes of `text` that fit in the budget
  while (end < text.size()) {
    if (!continuation(static_cast<unsigned char>(text[end]))) {
      if (budget == 0) break;
      --budget;
    }
    ++end;
  }
  const std::size_t from = out.size();
  out.append(text.data(), end);
  for (std::size_t i = from; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c < 0x20 || c == 0x7F) out[i] = ' ';
  }
  return end == text.size();
}

}  // namespace

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return !continuation(static_cast<unsigned char>(c));
  }));
}

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

std::string render_value(const registry::Node* node, std::size_t max_code_points) {
  if (node == nullptr || node->is_null()) return "(missing)";
  std::string out;
  std::size_t budget = max_code_points;
  if (node->is_scalar()) {
    if (!append_clean(out, node->text(), budget)) out += "…";
    return out;
  }
  if (node->is_mapping()) {
    return "a mapping with " + std::to_string(node->size()) +
           (node->size() == 1 ? " field" : " fields");
  }
  for (const registry::Node* item : node->items()) {
    if (!item->is_scalar() || item->is_null()) {
      return "a list of " + std::to_string(node->size()) + (node->size() == 1 ? " item" : " items");
    }
  }
  out = "[";
  for (std::size_t i = 0; i < node->items().size(); ++i) {
    if (i > 0) out += ", ";
    if (!append_clean(out, node->items()[i]->text(), budget)) {
      out += "…";
      return out;
    }
  }
  out += "]";
  return out;
}

}  // namespace candor::rules
