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
