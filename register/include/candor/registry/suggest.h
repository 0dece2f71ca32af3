// "Did you mean ...?": the nearest known word to a mistyped one, for every message that names a
// key, an operator or a value from a closed list.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace candor::registry {

// Optimal string alignment distance: Levenshtein plus adjacent transpositions ("bais" → "bias"
// is 1). Inputs are short keys and values.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate a person most likely meant when they wrote `word`, or "" when none is close:
// within a distance that grows with the length (a third of the longer word; one edit for words
// of up to three letters), or a prefix of at least three letters ("match" → "matches").
std::string_view closest(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace candor::registry
