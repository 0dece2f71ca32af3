#include "candor/web/html.h"

namespace candor::web {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string highlight_marks(std::string_view text, char open, char close) {
  std::string out;
  bool in_mark = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != open && text[i] != close) continue;
    out += escape_html(text.substr(start, i - start));
    start = i + 1;
    if (i == text.size()) break;
    if (text[i] == open && !in_mark) {
      out += "<mark class=\"candor-mark\">";
      in_mark = true;
    } else if (text[i] == close && in_mark) {
      out += "</mark>";
      in_mark = false;
    }
  }
  if (in_mark) out += "</mark>";
  return out;
}

}  // namespace candor::web
