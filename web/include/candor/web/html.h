// HTML text helpers for the few places that build markup in C++ rather than in a template.
// Templates escape on their own ({{x}}); use these only to prepare a value a template prints raw.
#pragma once

#include <string>
#include <string_view>

namespace candor::web {

// & < > " ' as entities: safe in element content and in quoted attribute values.
std::string escape_html(std::string_view text);

// Escapes `text`, then turns the store's snippet marks (open/close: registry::SearchQuery's
// control characters) into <mark> elements. Unbalanced marks are closed at the end, so the
// result is always well-formed.
std::string highlight_marks(std::string_view text, char open = '\x02', char close = '\x03');

}  // namespace candor::web
