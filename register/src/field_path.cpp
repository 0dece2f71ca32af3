#include "field_path.h"

#include <charconv>

namespace candor::registry {

std::vector<PathStep> parse_field_path(std::string_view path) {
  std::vector<PathStep> steps;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      PathStep step;
      step.is_index = true;
      const std::string_view digits =
          path.substr(i + 1, close == std::string_view::npos ? 0 : close - i - 1);
      const auto [end, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), step.index);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
        step.index = static_cast<std::size_t>(-1);  // matches nothing
      }
      steps.push_back(step);
      if (close == std::string_view::npos) break;
      i = close + 1;
      continue;
    }
    std::size_t end = i;
    while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
    steps.push_back(PathStep{false, std::string(path.substr(i, end - i)), 0});
    i = end;
  }
  return steps;
}

}  // namespace candor::registry
