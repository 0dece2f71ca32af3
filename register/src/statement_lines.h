// The line layout that log statements share (candor.leaf/v1, candor.review/v1, docs/log-format.md):
// a format line, then one "key value" line per key in a fixed order, each ending in a newline,
// at most kMaxLeafBytes in all.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/problem.h"

namespace candor::registry {

// A problem with a statement's bytes; `line` is 1-based, 0 for the statement as a whole.
Problem statement_problem(std::string_view code, std::string message, std::uint32_t line = 0);

// The values of `bytes`, by key position (keys[0] stands for the format line and its value is
// empty), or the first problem found, with `code`. Only the layout is checked here: each
// statement parses its own values.
Result<std::vector<std::string_view>> split_statement(std::string_view bytes,
                                                      std::string_view format_line,
                                                      std::span<const std::string_view> keys,
                                                      std::string_view code);

// Lowercase hexadecimal digits only (hashes in statements are written that way).
bool is_lower_hex(std::string_view s);

}  // namespace candor::registry
