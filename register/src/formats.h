// String formats the record schema names, checked by hand: valijson's checks are either missing
// (email, uri) or compile a std::regex per call.
#pragma once

#include <string_view>

namespace candor::registry {

// A real calendar date written YYYY-MM-DD (years 0001-9999): 2026-02-30 is not one.
bool is_calendar_date(std::string_view s);

// A practical e-mail address: one @, a non-empty local part without spaces, and a domain with a
// dot whose labels are letters, digits and hyphens. Not the whole of RFC 5322, on purpose.
bool is_email(std::string_view s);

// An absolute URL with a scheme and a host ("https://host/..."), no spaces or control characters.
bool is_absolute_url(std::string_view s);

}  // namespace candor::registry
