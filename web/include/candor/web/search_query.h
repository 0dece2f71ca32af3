// Turning what a person types into the search box into a full-text query the store accepts.
//
// People type words, not query syntax: "police facial recognition", "children's services",
// "AND", a stray quote. Each word becomes a quoted FTS5 string ("police" "facial"), which FTS5
// ANDs together, so no input can be a syntax error or an operator. A word is a run of letters,
// digits and other non-space, non-punctuation characters; punctuation separates words, as the
// index's tokenizer does. At most k_max_search_terms words are kept.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace candor::web {

inline constexpr std::size_t k_max_search_terms = 16;
inline constexpr std::size_t k_max_search_chars = 256;

// "" when the text holds no word (the page then asks for one).
std::string to_fts_query(std::string_view text);

}  // namespace candor::web
