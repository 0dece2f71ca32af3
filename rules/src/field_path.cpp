#include "candor/rules/field_path.h"

#include <charconv>

namespace candor::rules {
namespace {

bool key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// One step from `node`, or nullptr.
const registry::Node* step_into(const registry::Node& node, const PathStep& step,
                                registry::Position* key_position) {
  if (step.is_index) {
    if (!node.is_sequence() || step.index >= node.items().size()) return nullptr;
    const registry::Node* item = node.items()[step.index];
    if (key_position) *key_position = item->position();
    return item;
  }
  if (!node.is_mapping()) return nullptr;
  const registry::Entry* entry = node.entry(step.key);
  if (!entry) return nullptr;
  if (key_position) *key_position = entry->key_position;
  return entry->value;
}

void append_step(std::string& path, const PathStep& step) {
  if (step.is_index) {
    path += '[';
    path += std::to_string(step.index);
    path += ']';
  } else {
    if (!path.empty()) path += '.';
    path += step.key;
  }
}

}  // namespace

std::optional<FieldPath> FieldPath::parse(std::string_view text) {
  FieldPath out;
  out.text = std::string(text);
  if (text == ".") return out;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    while (i < text.size() && key_char(text[i])) ++i;
    if (i == start) return std::nullopt;  // empty key: "", ".a", "a..b", "a."
    if (text[start] == '-' || (text[start] >= '0' && text[start] <= '9')) return std::nullopt;
    out.steps.push_back(PathStep{false, std::string(text.substr(start, i - start)), 0});
    while (i < text.size() && text[i] == '[') {
      const std::size_t close = text.find(']', i);
      if (close == std::string_view::npos) return std::nullopt;
      const std::string_view digits = text.substr(i + 1, close - i - 1);
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
        return std::nullopt;
      }
      out.steps.push_back(PathStep{true, {}, index});
      i = close + 1;
    }
    if (i == text.size()) return out;
    if (text[i] != '.') return std::nullopt;
    ++i;
  }
}

const registry::Node* resolve(const registry::Node& from, const FieldPath& path) {
  const registry::Node* node = &from;
  for (const PathStep& step : path.steps) {
    node = step_into(*node, step, nullptr);
    if (!node) return nullptr;
  }
  return node;
}

Located locate(const registry::Node& from, const FieldPath& path) {
  Located out;
  out.node = &from;
  out.position = from.position();
  out.exact = true;
  for (const PathStep& step : path.steps) {
    registry::Position position;
    const registry::Node* next = step_into(*out.node, step, &position);
    if (!next) {
      out.exact = false;
      break;
    }
    out.node = next;
    out.position = position;
    append_step(out.path, step);
  }
  return out;
}

std::string join_path(std::string_view base, const FieldPath& relative) {
  std::string out(base);
  for (const PathStep& step : relative.steps) append_step(out, step);
  return out;
}

}  // namespace candor::rules
