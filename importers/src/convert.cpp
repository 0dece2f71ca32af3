#include "convert.h"

#include <array>
#include <cstdint>

namespace candor::importers {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum_ascii(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The ASCII letter(s) for a Latin-1 Supplement / Latin Extended-A letter, or "".
std::string_view fold_accent(std::uint32_t cp) {
  static const std::array<std::string_view, 64> k_latin1 = {
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};
  if (cp >= 0xC0 && cp <= 0xFF) return k_latin1[cp - 0xC0];
  return {};
}

// Decodes one UTF-8 sequence at s[i] (assumed valid); returns the code point and advances i.
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return s[i++];
  int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  std::uint32_t cp = c & (n == 3 ? 0x07 : n == 2 ? 0x0F : 0x1F);
  ++i;
  for (; n > 0 && i < s.size(); --n, ++i)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
  return cp;
}

int month_number(std::string_view m) {
  static constexpr std::array<std::string_view, 12> k_months = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string l = lower(m.substr(0, 3));
  for (std::size_t i = 0; i < k_months.size(); ++i) {
    if (l == k_months[i]) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

int to_int(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

bool real_date(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= (m == 2 && leap ? 29 : k_days[m - 1]);
}

std::string format_date(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string slugify(std::string_view text, std::size_t max) {
  std::string out;
  bool pending_hyphen = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::uint32_t cp = next_code_point(text, i);
    std::string_view piece;
    char ascii[2] = {0, 0};
    if (cp < 0x80 && is_alnum_ascii(static_cast<char>(cp))) {
      ascii[0] = static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
      piece = std::string_view(ascii, 1);
    } else {
      piece = fold_accent(cp);
    }
    if (piece.empty()) {
      pending_hyphen = !out.empty();
      continue;
    }
    if (pending_hyphen) out.push_back('-');
    pending_hyphen = false;
    out.append(piece);
  }
  if (out.size() > max) {
    out.resize(max);
    const std::size_t cut = out.rfind('-');
    if (cut != std::string::npos && cut + 20 >= max) out.resize(cut);
    while (!out.empty() && out.back() == '-') out.pop_back();
  }
  return out;
}

std::optional<ParsedDate> parse_date(std::string_view raw) {
  const std::string_view s = trim(raw);
  // YYYY-MM-DD, optionally followed by a time.
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-' && all_digits(s.substr(0, 4)) &&
      all_digits(s.substr(5, 2)) && all_digits(s.substr(8, 2))) {
    const std::string_view rest = s.substr(10);
    const bool time_ok = rest.empty() || (rest.front() == ' ' || rest.front() == 'T');
    const int y = to_int(s.substr(0, 4)), m = to_int(s.substr(5, 2)), d = to_int(s.substr(8, 2));
    if (time_ok && real_date(y, m, d))
      return ParsedDate{format_date(y, m, d), rest.empty() && s == raw};
    return std::nullopt;
  }
  // YYYY-MM
  if (s.size() == 7 && s[4] == '-' && all_digits(s.substr(0, 4)) && all_digits(s.substr(5, 2))) {
    const int y = to_int(s.substr(0, 4)), m = to_int(s.substr(5, 2));
    if (real_date(y, m, 1)) return ParsedDate{format_date(y, m, 1), false};
    return std::nullopt;
  }
  // M/D/YYYY or MM/YYYY
  if (const auto slash = s.find('/'); slash != std::string_view::npos) {
    const std::string_view a = s.substr(0, slash), rest = s.substr(slash + 1);
    const auto slash2 = rest.find('/');
    if (slash2 == std::string_view::npos) {
      if (all_digits(a) && a.size() <= 2 && all_digits(rest) && rest.size() == 4) {
        const int y = to_int(rest), m = to_int(a);
        if (real_date(y, m, 1)) return ParsedDate{format_date(y, m, 1), false};
      }
      return std::nullopt;
    }
    const std::string_view b = rest.substr(0, slash2), c = rest.substr(slash2 + 1);
    if (all_digits(a) && a.size() <= 2 && all_digits(b) && b.size() <= 2 && all_digits(c) &&
        c.size() == 4) {
      const int y = to_int(c), m = to_int(a), d = to_int(b);
      if (real_date(y, m, d)) return ParsedDate{format_date(y, m, d), false};
    }
    return std::nullopt;
  }
  // Mon-YY (a spreadsheet's rendering of a month): May-23 → 2023-05-01.
  if (s.size() == 6 && s[3] == '-' && all_digits(s.substr(4, 2))) {
    const int m = month_number(s.substr(0, 3));
    if (m != 0) return ParsedDate{format_date(2000 + to_int(s.substr(4, 2)), m, 1), false};
  }
  return std::nullopt;
}

bool looks_like_email(std::string_view s) {
  const auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos ||
      s.size() > 254) {
    return false;
  }
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= ' ' || c == ',' || c == ';' || c == '<' || c == '>' ||
        c == '"' || c == '(' || c == ')' || c == '[' || c == ']' || c == '\\' || c == ':') {
      return false;
    }
  }
  const std::string_view domain = s.substr(at + 1);
  return domain.find('.') != std::string_view::npos && domain.front() != '.' &&
         domain.back() != '.' && domain.find("..") == std::string_view::npos;
}

bool looks_like_https_url(std::string_view s) {
  if (s.substr(0, 8) != "https://" || s.size() <= 8 || s.size() > 2000) return false;
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  }
  const std::string_view host = s.substr(8, s.find_first_of("/?#", 8) - 8);
  return !host.empty();
}

std::vector<std::string> split_addresses(std::string_view cell) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < cell.size()) {
    while (i < cell.size() && (cell[i] == ',' || cell[i] == ';' || is_space(cell[i]))) ++i;
    std::size_t j = i;
    while (j < cell.size() && cell[j] != ',' && cell[j] != ';' && !is_space(cell[j])) ++j;
    if (j > i) out.emplace_back(cell.substr(i, j - i));
    i = j;
  }
  return out;
}

std::optional<std::vector<std::string>> parse_list_cell(std::string_view raw) {
  const std::string_view s = trim(raw);
  if (s.size() < 2 || s.front() != '[' || s.back() != ']') return std::nullopt;
  std::vector<std::string> items;
  std::size_t i = 1;
  const std::size_t end = s.size() - 1;
  auto skip_space = [&] {
    while (i < end && is_space(s[i])) ++i;
  };
  skip_space();
  if (i == end) return items;
  for (;;) {
    skip_space();
    if (i >= end || (s[i] != '\'' && s[i] != '"')) return std::nullopt;
    const char quote = s[i++];
    std::string item;
    bool closed = false;
    while (i < end) {
      const char c = s[i++];
      if (c == quote) {
        closed = true;
        break;
      }
      if (c == '\\') {
        if (i >= end) return std::nullopt;
        const char e = s[i++];
        switch (e) {
          case 'n':
            item.push_back('\n');
            break;
          case 't':
            item.push_back('\t');
            break;
          case 'r':
            item.push_back('\r');
            break;
          case '\\':
          case '\'':
          case '"':
          case '/':
            item.push_back(e);
            break;
          default:
            return std::nullopt;  // \uXXXX and others: keep the cell as text
        }
        continue;
      }
      item.push_back(c);
    }
    if (!closed) return std::nullopt;
    items.push_back(std::move(item));
    skip_space();
    if (i == end) return items;
    if (s[i] != ',') return std::nullopt;
    ++i;
  }
}

std::string html_to_text(std::string_view html, bool& had_markup) {
  had_markup = false;
  std::string out;
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      const std::size_t close = html.find('>', i);
      if (close == std::string_view::npos) {
        out.append(html.substr(i));
        break;
      }
      std::string tag = lower(html.substr(i + 1, close - i - 1));
      had_markup = true;
      i = close + 1;
      const bool closing = !tag.empty() && tag.front() == '/';
      if (closing) tag.erase(0, 1);
      const std::string name = tag.substr(0, tag.find_first_of(" \t\n/"));
      if (name == "br") {
        out.push_back('\n');
      } else if (name == "li" && !closing) {
        if (!out.empty() && out.back() != '\n') out.push_back('\n');
        out.append("- ");
      } else if (name == "p" || name == "div" || name == "ul" || name == "ol" || name == "li") {
        if (!out.empty() && out.back() != '\n') out.push_back('\n');
        if (closing && (name == "p")) out.push_back('\n');
      }
      continue;
    }
    if (c == '&') {
      const std::size_t semi = html.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        const std::string_view entity = html.substr(i + 1, semi - i - 1);
        std::string decoded;
        if (entity == "amp")
          decoded = "&";
        else if (entity == "lt")
          decoded = "<";
        else if (entity == "gt")
          decoded = ">";
        else if (entity == "quot")
          decoded = "\"";
        else if (entity == "apos" || entity == "#39")
          decoded = "'";
        else if (entity == "nbsp")
          decoded = " ";
        if (!decoded.empty()) {
          had_markup = true;
          out.append(decoded);
          i = semi + 1;
          continue;
        }
      }
    }
    out.push_back(c);
    ++i;
  }
  if (!had_markup) return std::string(html);
  // Tidy: no more than one blank line in a row, no blank lines at either end.
  std::string tidy;
  int newlines = 0;
  for (char c : out) {
    if (c == '\n') {
      if (++newlines > 2) continue;
    } else {
      newlines = 0;
    }
    tidy.push_back(c);
  }
  return std::string(trim(tidy));
}

}  // namespace candor::importers
