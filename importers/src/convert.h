// Value conversions shared by the importers (docs/importers.md, "General rules"): slugs, dates,
// e-mail addresses, web addresses, list cells and the Dutch register's HTML.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace candor::importers {

// Lower-cased, accents removed (Latin letters), every run of other characters one '-', trimmed,
// at most `max` characters (cut at a hyphen when there is one in the last 20). Empty if nothing
// is left.
std::string slugify(std::string_view text, std::size_t max = 80);

// Leading and trailing white space removed.
std::string_view trim(std::string_view s);
std::string lower(std::string_view s);

// A date the source wrote, as YYYY-MM-DD, and whether it was already exactly that. Accepted:
// YYYY-MM-DD, "YYYY-MM-DD hh:mm:ss", M/D/YYYY, MM/YYYY, YYYY-MM, Mon-YY (May-23). A month
// without a day becomes the first day of the month. Anything else: nullopt.
struct ParsedDate {
  std::string date;
  bool exact = false;  // the source gave exactly this YYYY-MM-DD text
};
std::optional<ParsedDate> parse_date(std::string_view text);

// A practical e-mail address (one @, no spaces, a dotted domain).
bool looks_like_email(std::string_view s);
// https://host...
bool looks_like_https_url(std::string_view s);

// The e-mail addresses in a cell that may hold several (separated by commas, semicolons or
// spaces), in order.
std::vector<std::string> split_addresses(std::string_view cell);

// A list written as a JSON array or a Python list literal: ["a", "b"], ['a', 'b'], []. nullopt
// when the text is not such a list (then it is kept as text).
std::optional<std::vector<std::string>> parse_list_cell(std::string_view text);

// The Dutch register's allowed HTML (div, br, p, ul, ol, li) as plain text: paragraphs and line
// breaks become newlines, list items lines starting "- ", other tags are dropped and the five
// XML entities, &nbsp; and numeric references are decoded. `had_markup` says whether anything
// was changed.
std::string html_to_text(std::string_view html, bool& had_markup);

}  // namespace candor::importers
