// URL pieces: percent-decoding and query strings (RFC 3986, and the HTML form encoding where
// '+' stands for a space). Decoders are strict: a '%' not followed by two hex digits is an
// error, never passed through, so "%2e%2e" and friends cannot hide from later checks.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace candor::web {

// Decodes %XX escapes. With plus_as_space ('+' → ' ') for query strings. nullopt if an escape is
// malformed. The result may hold any byte, NUL included: callers vet it.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space = false);

// Encodes everything except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string percent_encode(std::string_view text);

// "a=1&b=x+y&a=2" → {{"a","1"},{"b","x y"},{"a","2"}}. Pairs whose name or value has a malformed
// escape are dropped; a name without '=' gets an empty value.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

}  // namespace candor::web
