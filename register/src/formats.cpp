#include "formats.h"

#include <algorithm>
#include <vector>

namespace candor::registry {

namespace {

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_domain(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  while (start <= d.size()) {
    std::size_t end = d.find('.', start);
    if (end == std::string_view::npos) end = d.size();
    const std::string_view label = d.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!is_alnum(c) && c != '-' && static_cast<unsigned char>(c) < 0x80) return false;
    }
    start = end + 1;
  }
  return true;
}

}  // namespace

bool is_calendar_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  const auto y = s.substr(0, 4), m = s.substr(5, 2), d = s.substr(8, 2);
  if (!digits(y) || !digits(m) || !digits(d)) return false;
  const int year = number(y), month = number(m), day = number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int max_day = month == 2 && leap ? 29 : k_days[month - 1];
  return day <= max_day;
}

bool is_email(std::string_view s) {
  const std::size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  if (s.size() > 254) return false;
  for (char c : s.substr(0, at)) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == '(' || c == ')' ||
        c == ',' || c == ';' || c == ':' || c == '"' || c == '[' || c == ']' || c == '\\') {
      return false;
    }
  }
  return is_domain(s.substr(at + 1));
}

bool is_absolute_url(std::string_view s) {
  const std::size_t colon = s.find("://");
  if (colon == std::string_view::npos || colon == 0) return false;
  for (char c : s.substr(0, colon)) {
    if (!is_alnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  }
  std::string_view rest = s.substr(colon + 3);
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  if (const auto port = host.rfind(':'); port != std::string_view::npos &&
                                         host.find(']') == std::string_view::npos) {
    if (!digits(host.substr(port + 1))) return false;
    host = host.substr(0, port);
  }
  return !host.empty();
}

}  // namespace candor::registry
