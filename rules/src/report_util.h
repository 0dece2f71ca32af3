// Helpers shared by the report writers: escaping for each output format.
#pragma once

#include <string>
#include <string_view>

#include "candor/rules/report.h"

namespace candor::rules {

// Control characters (newlines, tabs, ESC...) become spaces: one finding, one line, and no
// terminal escape sequences from a hostile record.
std::string one_line(std::string_view text);

// XML 1.0 text and attribute escaping: & < > " ' become entities; characters XML 1.0 forbids
// (C0 controls other than tab, newline and carriage return) become U+FFFD.
std::string xml_escape(std::string_view text);

// An artifact URI for a file name as given: relative paths stay relative (percent-encoded, '/'
// kept), absolute paths become file:// URIs.
std::string file_uri(std::string_view path);

// True for an http(s) address that is safe to put in an href.
bool is_web_link(std::string_view url);

// "file:line:col" (or just "file" when the position is unknown).
std::string location_text(const Finding& finding);

}  // namespace candor::rules
