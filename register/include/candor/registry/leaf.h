// Leaf statements: what the register's transparency log records about one record version.
//
// A leaf is a small canonical statement, not the record: the record body is referred to by the
// SHA-256 of its canonical JSON (canonical.h), so a lawful erasure can remove a body without
// breaking the log, and a verifier holding the record file can check it against the statement.
// The exact bytes, one "key value" line each, in this order, every line ending in "\n":
//
//   candor.leaf/v1
//   origin <log origin: non-empty UTF-8, no control characters>
//   organisation <slug>          slugs: [a-z0-9]+(-[a-z0-9]+)*, at most 80 bytes (the schema's)
//   record <slug>
//   version <decimal, >= 1>      decimals: ASCII, no sign, no leading zeros, at most 2^64-1
//   action <create|update|retract|redact>
//   body <64 lowercase hex digits: SHA-256 of the canonical JSON body>
//   previous <decimal leaf index of the record's previous version, or "-" for none>
//   accepted <UTC time as YYYY-MM-DDThh:mm:ssZ>
//
// There is no other byte (no blank line, no CR), so parse_leaf(format_leaf(x)) == x and each
// statement has exactly one byte form. A first version is "action create", "version 1" and
// "previous -"; every later version names its predecessor's leaf index. Statements are at most
// kMaxLeafBytes (65,535: the uint16 length prefix of tlog-tiles entry bundles).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "candor/registry/merkle.h"
#include "candor/registry/problem.h"

namespace candor::registry {

inline constexpr std::size_t kMaxLeafBytes = 65535;
inline constexpr std::string_view kLeafFormatLine = "candor.leaf/v1";

enum class LeafAction { create, update, retract, redact };

std::string_view to_string(LeafAction action);
std::optional<LeafAction> parse_leaf_action(std::string_view text);

struct LeafStatement {
  std::string origin;
  std::string organisation;
  std::string record_id;
  std::uint64_t version = 1;
  LeafAction action = LeafAction::create;
  Hash body_hash{};
  std::optional<std::uint64_t> previous_leaf;  // the previous version's leaf index
  std::string accepted_at;                     // "2026-09-14T10:00:00Z"
  friend bool operator==(const LeafStatement&, const LeafStatement&) = default;
};

// Why `leaf` has no valid byte form (empty when it has one).
Problems leaf_problems(const LeafStatement& leaf);

// The exact bytes of a statement. Throws std::invalid_argument if leaf_problems(leaf) is not
// empty: the register only ever logs statements it can read back.
std::string format_leaf(const LeafStatement& leaf);

// Strict inverse of format_leaf, for untrusted bytes (a receipt's extra data, a tile bundle).
// Never throws; problems are coded "leaf.malformed" and name the line.
Result<LeafStatement> parse_leaf(std::string_view bytes);

// Whether `text` is a slug as the record schema defines it.
bool is_slug(std::string_view text);

// RFC 3339 UTC with seconds, as leaves carry it: "YYYY-MM-DDThh:mm:ssZ".
bool is_leaf_time(std::string_view text);

}  // namespace candor::registry
