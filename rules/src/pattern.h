// Regular expressions in rules: compiled once at load, safe to run on hostile input.
//
// std::regex backtracks, and libstdc++'s default executor recurses once per input character,
// so a hostile pattern can take exponential time and a long input can overflow the stack. Three
// defences, each enough for a different attack:
//   1. check_pattern() refuses, at load, patterns longer than kMaxPatternLength, back-references
//      (\1..\9) and any repeated group (`(...)*`, `(...)+`, `(...){2,}`, `(...){n,m}` with m > 1)
//      that itself contains a quantifier or an alternation: `(a+)+`, `(a|aa)*`, `(x?)+`. These
//      are the shapes behind catastrophic backtracking. Harmless patterns of the same shape, such
//      as `[a-z]+(-[a-z]+)*`, are refused too: write `[a-z][a-z-]*` instead. A rule that is easy
//      to state beats a clever analysis that may be wrong.
//   2. With libstdc++, patterns are compiled with its `__polynomial` flag, which selects the
//      breadth-first executor: time linear in the input for a given pattern, stack depth
//      independent of the input. Other standard libraries use their default executor.
//   3. The engine never matches strings longer than kMaxMatchLength bytes (engine.h).
#pragma once

#include <cstddef>
#include <regex>
#include <string>
#include <string_view>

#include "candor/rules/rule.h"

namespace candor::rules {

inline constexpr std::size_t kMaxPatternLength = 256;

struct CompiledPattern {
  std::string source;
  std::regex regex;
};

// Empty when `pattern` passes the safety rules above, else why it does not (a sentence).
std::string check_pattern(std::string_view pattern);

// Compiles a pattern that passed check_pattern(). Throws std::regex_error for bad syntax.
CompiledPattern compile_pattern(std::string_view pattern);

// Full match of `text` (already length-capped by the caller).
bool full_match(const CompiledPattern& pattern, std::string_view text);

}  // namespace candor::rules
