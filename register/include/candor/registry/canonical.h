// Canonical JSON of a record (RFC 8785, JSON Canonicalization Scheme) and its body hash.
//
// The register signs and logs a record by the SHA-256 of its canonical bytes, so the same record
// must always give the same bytes however its YAML was written: key order, quoting, comments,
// flow or block style, anchors and aliases, `!!str` tags and number spellings (0x1F, 0o37 and 31
// are the same number) all disappear. Two records give the same bytes exactly when they hold the
// same JSON value.
//
// Mapping from a Document (scalars as the loader resolved them with the YAML 1.2 core schema):
//   null -> null;  boolean -> true / false;  string -> a JSON string;  mapping -> an object;
//   sequence -> an array (aliases are written out in full, as if copied);
//   integer / real -> a JSON number (below).  Dates are strings in the Document and stay strings.
//
// RFC 8785 output, exactly:
//   - no whitespace; object members sorted by their keys as arrays of UTF-16 code units (so a
//     key starting with U+1F600, surrogates D83D DE00, sorts before one starting with U+FB01);
//   - strings: `"` and `\` escaped, U+0008/09/0A/0C/0D as \b \t \n \f \r, other control
//     characters below U+0020 as \u00xx (lowercase hex); everything else, including U+007F and
//     all non-ASCII text, is written as literal UTF-8;
//   - numbers as ECMAScript's Number.prototype.toString of an IEEE-754 double: shortest digits
//     that round-trip, plain up to 1e21 ("100", "0.000001"), exponent form beyond
//     ("1e+21", "1e-7", "1.5e+300"), and -0 written as 0.
//     Integers (int64 in the Document) are exact when |n| <= 2^53; larger ones are first rounded
//     to the nearest double, as any JSON consumer would, so 9223372036854775807 is written
//     "9223372036854776000". Records should keep such identifiers as strings.
//
// NaN and infinities (YAML `.nan`, `.inf`) have no JSON form. They are never written silently:
// the result carries a located Problem (code `canonical.number`) for each, and no value.
//
// Nodes come from a loaded Document, so text is valid UTF-8 and mapping keys are unique.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "candor/registry/document.h"
#include "candor/registry/problem.h"

namespace candor::registry {

using BodyHash = std::array<std::uint8_t, 32>;

// The RFC 8785 bytes of `root` (problems name no file) or of a whole document.
Result<std::string> canonical_json(const Node& root);
Result<std::string> canonical_json(const Document& doc);

// SHA-256 of canonical_json(doc): the record body hash that the log's leaves refer to.
Result<BodyHash> body_hash(const Document& doc);

// Lowercase hex of any bytes, e.g. a BodyHash as 64 digits.
std::string lowercase_hex(std::span<const std::uint8_t> bytes);

}  // namespace candor::registry
