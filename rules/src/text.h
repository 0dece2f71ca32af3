// Small text helpers shared by the loader and the engine.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "candor/registry/document.h"
#include "candor/registry/suggest.h"

namespace candor::rules {

// Code points in UTF-8 text (the loader has already rejected invalid UTF-8).
std::size_t code_points(std::string_view text);

// "Did you mean" support is shared with the record validator.
using registry::closest;
using registry::edit_distance;

// A record value as one line of text for messages and evidence: scalars as written, a list of
// scalars as "[a, b]", other containers described ("a mapping with 3 fields"), nullptr as
// "(missing)". Control characters become spaces and long text is cut at `max_code_points`
// with "…", so a hostile record cannot flood a report or break its lines.
std::string render_value(const registry::Node* node, std::size_t max_code_points = 200);

}  // namespace candor::rules
