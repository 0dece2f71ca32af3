#include "candor/web/search_query.h"

#include <vector>

namespace candor::web {

namespace {

// ASCII punctuation and spaces separate words; bytes >= 0x80 (UTF-8 letters) belong to words,
// like SQLite's unicode61 tokenizer treats letters.
bool is_separator(unsigned char c) {
  if (c >= 0x80) return false;
  return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
}

}  // namespace

std::string to_fts_query(std::string_view text) {
  if (text.size() > k_max_search_chars) {
    text = text.substr(0, k_max_search_chars);
    // Do not keep half of a UTF-8 sequence cut at the limit.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) {
      text.remove_suffix(1);
    }
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.remove_suffix(1);
  }
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size() && words.size() < k_max_search_terms) {
    while (i < text.size() && is_separator(static_cast<unsigned char>(text[i]))) ++i;
    const std::size_t start = i;
    while (i < text.size() && !is_separator(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  std::string query;
  for (std::string_view word : words) {
    if (!query.empty()) query += ' ';
    // A word holds no '"' (it is a separator), so quoting needs no escaping.
    query += '"';
    query += word;
    query += '"';
  }
  return query;
}

}  // namespace candor::web
