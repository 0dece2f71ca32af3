// Field paths as users see them: "organisation.id", "bias.testing[0].date".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace candor::registry {

struct PathStep {
  bool is_index = false;
  std::string key;
  std::size_t index = 0;
};

// Splits a path into steps. Malformed pieces ("a..b", "x[z]") yield a step that matches nothing.
std::vector<PathStep> parse_field_path(std::string_view path);

// Appends a key to a path with a dot when needed.
inline void append_key(std::string& path, std::string_view key) {
  if (!path.empty()) path += '.';
  path += key;
}

inline void append_index(std::string& path, std::size_t index) {
  path += '[' + std::to_string(index) + ']';
}

}  // namespace candor::registry
