// Small text helpers shared by the loader and the engine.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "candor/registry/document.h"

namespace candor::rules {

// Code points in UTF-8 text (the loader has already rejected invalid UTF-8).
std::size_t code_points(std::string_view text);

// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate a person most likely meant when they wrote `word`, or "" when none is close:
// within a distance that grows with the word's length, or a prefix ("match" -> "matches").
std::string_view closest(std::string_view word, std::span<const std::string_view> candidates);

// A record value as one line of text for messages and evidence: scalars as written, a list of
// scalars as "[a, b]", other containers described ("a mapping with 3 fields"), nullptr as
// "(missing)". Control characters become spaces and long text is cut at `max_code_points`
// with "…", so a hostile record cannot flood a report or break its lines.
std::string render_value(const registry::Node* node, std::size_t max_code_points = 200);

}  // namespace candor::rules
