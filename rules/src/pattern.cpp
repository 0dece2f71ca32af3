#include "pattern.h"

#include <algorithm>
#include <vector>

namespace candor::rules {
namespace {

struct Quantifier {
  bool present = false;
  bool repeats = false;  // can match its atom more than once
  std::size_t length = 0;
};

// Reads a quantifier at p[i] ("*", "+", "?", "{n}", "{n,}", "{n,m}", each optionally lazy "?").
Quantifier read_quantifier(std::string_view p, std::size_t i) {
  Quantifier q;
  if (i >= p.size()) return q;
  if (p[i] == '*' || p[i] == '+') {
    q = {true, true, 1};
  } else if (p[i] == '?') {
    q = {true, false, 1};
  } else if (p[i] == '{') {
    std::size_t j = i + 1;
    unsigned long low = 0, high = 0;
    bool any_low = false, comma = false, any_high = false;
    for (; j < p.size() && p[j] >= '0' && p[j] <= '9'; ++j) {
      low = std::min(low * 10 + static_cast<unsigned long>(p[j] - '0'), 100000UL);
      any_low = true;
    }
    if (j < p.size() && p[j] == ',') {
      comma = true;
      for (++j; j < p.size() && p[j] >= '0' && p[j] <= '9'; ++j) {
        high = std::min(high * 10 + static_cast<unsigned long>(p[j] - '0'), 100000UL);
        any_high = true;
      }
    }
    if (!any_low || j >= p.size() || p[j] != '}') return q;  // not a quantifier; regex decides
    const bool unbounded = comma && !any_high;
    q.present = true;
    q.repeats = unbounded || (comma ? high > 1 : low > 1);
    q.length = j + 1 - i;
  }
  if (q.present && i + q.length < p.size() && p[i + q.length] == '?') ++q.length;  // lazy
  return q;
}

struct Group {
  bool has_quantifier = false;
  bool has_alternation = false;
};

}  // namespace

std::string check_pattern(std::string_view p) {
  if (p.size() > kMaxPatternLength) {
    return "the pattern is " + std::to_string(p.size()) + " characters long; the limit is " +
           std::to_string(kMaxPatternLength);
  }
  std::vector<Group> groups(1);
  std::size_t i = 0;
  while (i < p.size()) {
    const char c = p[i];
    if (c == '(') {
      groups.emplace_back();
      ++i;
      if (i + 1 < p.size() && p[i] == '?' &&
          (p[i + 1] == ':' || p[i + 1] == '=' || p[i + 1] == '!')) {
        i += 2;
      }
      continue;
    }
    if (c == '|') {
      groups.back().has_alternation = true;
      ++i;
      continue;
    }
    if (c == ')') {
      if (groups.size() == 1) return {};  // unbalanced: the compiler reports it
      const Group inner = groups.back();
      groups.pop_back();
      const Quantifier q = read_quantifier(p, i + 1);
      if (q.repeats && (inner.has_quantifier || inner.has_alternation)) {
        return "a repeated group contains " +
               std::string(inner.has_quantifier ? "a quantifier" : "an alternation (|)") +
               " (as in `(a+)+` or `(a|aa)*`), which can make matching take exponential time";
      }
      groups.back().has_quantifier |= inner.has_quantifier || q.present;
      groups.back().has_alternation |= inner.has_alternation;
      i += 1 + q.length;
      continue;
    }
    // An atom: an escape, a character class or a single character.
    if (c == '\\') {
      if (i + 1 < p.size() && p[i + 1] >= '1' && p[i + 1] <= '9') {
        return "back-references such as \\" + std::string(1, p[i + 1]) + " are not allowed";
      }
      i += 2;
    } else if (c == '[') {
      std::size_t j = i + 1;
      if (j < p.size() && p[j] == '^') ++j;
      while (j < p.size() && p[j] != ']') j += p[j] == '\\' ? 2 : 1;
      i = j + 1;
    } else {
      ++i;
    }
    const Quantifier q = read_quantifier(p, i);
    if (q.present) groups.back().has_quantifier = true;
    i += q.length;
  }
  return {};
}

CompiledPattern compile_pattern(std::string_view pattern) {
  auto flags = std::regex::ECMAScript;
#if defined(__GLIBCXX__)
  flags |= std::regex_constants::__polynomial;  // breadth-first executor: see pattern.h
#endif
  return CompiledPattern{std::string(pattern), std::regex(pattern.begin(), pattern.end(), flags)};
}

bool full_match(const CompiledPattern& pattern, std::string_view text) {
  return std::regex_match(text.begin(), text.end(), pattern.regex);
}

}  // namespace candor::rules
