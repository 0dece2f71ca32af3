#include "statement_lines.h"

#include <utility>

#include "candor/registry/leaf.h"

namespace candor::registry {

Problem statement_problem(std::string_view code, std::string message, std::uint32_t line) {
  Problem p;
  p.position = Position{line, line == 0 ? 0u : 1u};
  p.code = std::string(code);
  p.message = std::move(message);
  return p;
}

Result<std::vector<std::string_view>> split_statement(std::string_view bytes,
                                                      std::string_view format_line,
                                                      std::span<const std::string_view> keys,
                                                      std::string_view code) {
  using R = Result<std::vector<std::string_view>>;
  const auto fail = [&](std::string message, std::uint32_t line = 0) {
    return R(Problems{statement_problem(code, std::move(message), line)});
  };
  if (bytes.size() > kMaxLeafBytes) return fail("more than 65,535 bytes");
  if (bytes.empty() || bytes.back() != '\n') return fail("a statement ends with a newline");
  std::vector<std::string_view> lines;
  for (std::string_view rest = bytes; !rest.empty();) {
    const std::size_t end = rest.find('\n');
    lines.push_back(rest.substr(0, end));
    rest.remove_prefix(end + 1);
  }
  if (lines.size() != keys.size()) {
    return fail("a statement has exactly " + std::to_string(keys.size()) + " lines, this one has " +
                std::to_string(lines.size()));
  }
  if (lines[0] != format_line) {
    return fail("the first line must be \"" + std::string(format_line) + "\"", 1);
  }
  std::vector<std::string_view> values(keys.size());
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const std::string_view key = keys[i];
    const auto line_no = static_cast<std::uint32_t>(i + 1);
    if (line.size() <= key.size() + 1 || line.substr(0, key.size()) != key ||
        line[key.size()] != ' ') {
      return fail(
          "line " + std::to_string(line_no) + " must be \"" + std::string(key) + " <value>\"",
          line_no);
    }
    values[i] = line.substr(key.size() + 1);
  }
  return values;
}

bool is_lower_hex(std::string_view s) {
  for (char c : s) {
    if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

}  // namespace candor::registry
