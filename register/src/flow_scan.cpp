#include "flow_scan.h"

#include <vector>

namespace candor::registry {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_break(char c) { return c == '\n' || c == '\r'; }

// Offset just past a quoted scalar that starts at text[i] (a ' or "), or text.size().
std::size_t skip_quoted(std::string_view text, std::size_t i) {
  const char quote = text[i];
  for (std::size_t j = i + 1; j < text.size(); ++j) {
    if (quote == '"' && text[j] == '\\') {
      ++j;
    } else if (text[j] == quote) {
      if (quote == '\'' && j + 1 < text.size() && text[j + 1] == '\'') {
        ++j;  // '' is an escaped quote
        continue;
      }
      return j + 1;
    }
  }
  return text.size();
}

std::size_t line_indent(std::string_view text, std::size_t line_start) {
  std::size_t k = line_start;
  while (k < text.size() && text[k] == ' ') ++k;
  return k - line_start;
}

// Offset of the first line after a block scalar's header line whose indentation is not deeper
// than `indent` (blank lines belong to the scalar).
std::size_t skip_block_scalar(std::string_view text, std::size_t i, std::size_t indent) {
  std::size_t line = text.find('\n', i);
  while (line != std::string_view::npos) {
    const std::size_t start = line + 1;
    std::size_t k = start;
    while (k < text.size() && text[k] == ' ') ++k;
    const bool blank = k >= text.size() || is_break(text[k]);
    if (!blank && k - start <= indent) return start;
    line = text.find('\n', start);
  }
  return text.size();
}

}  // namespace

FlowScan scan_flow_nesting(std::string_view text, unsigned max_depth) {
  FlowScan result;
  std::vector<std::size_t> open;  // offsets of the open brackets, innermost last
  std::size_t line_start = 0;
  // True where a new value may begin: line start (after indentation), after ": ", "- ", "? ",
  // and in flow context after "[", "{" and ",".
  bool value_start = true;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      line_start = i + 1;
      value_start = true;
      ++i;
      continue;
    }
    if (is_space(c) || c == '\r') {
      ++i;
      continue;
    }
    const bool after_space = i == 0 || is_space(text[i - 1]) || is_break(text[i - 1]);
    if (c == '#' && after_space) {
      const std::size_t nl = text.find('\n', i);
      i = nl == std::string_view::npos ? text.size() : nl;
      continue;
    }
    const bool in_flow = !open.empty();
    if ((c == '"' || c == '\'') && value_start) {
      i = skip_quoted(text, i);
      value_start = false;
      continue;
    }
    if ((c == '[' || c == '{') && (in_flow || value_start)) {
      open.push_back(i);
      if (open.size() > max_depth) {
        result.too_deep = true;
        result.offset = i;
        for (auto it = open.rbegin(); it != open.rend(); ++it) {
          result.closers += text[*it] == '[' ? ']' : '}';
        }
        return result;
      }
      value_start = true;
      ++i;
      continue;
    }
    if ((c == ']' || c == '}') && in_flow) {
      open.pop_back();
      value_start = false;
      ++i;
      continue;
    }
    if (c == ',' && in_flow) {
      value_start = true;
      ++i;
      continue;
    }
    const bool indicator_then_space =
        (c == ':' || c == '-' || c == '?') &&
        (i + 1 >= text.size() || is_space(text[i + 1]) || is_break(text[i + 1]) ||
         (in_flow && c == ':'));
    if (indicator_then_space) {
      value_start = true;
      ++i;
      continue;
    }
    if ((c == '|' || c == '>') && value_start && !in_flow) {
      i = skip_block_scalar(text, i, line_indent(text, line_start));
      line_start = i;
      value_start = true;
      continue;
    }
    value_start = false;
    ++i;
  }
  if (!open.empty()) {
    result.unclosed = true;
    result.unclosed_offset = open.back();
  }
  return result;
}

}  // namespace candor::registry
