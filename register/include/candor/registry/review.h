// Review statements: what the register's transparency log records when a regulator attaches a
// public review note to a record version. The second kind of log entry, beside leaf statements
// (leaf.h); log_entry.h tells the two apart by their first line.
//
// Like a leaf, a review statement does not carry the note: the note's text is named by its
// SHA-256, so a lawful erasure can remove the text without breaking the log, and a verifier
// holding the text can check it against the statement. The exact bytes, one "key value" line
// each, in this order, every line ending in "\n":
//
//   candor.review/v1
//   origin <log origin: non-empty UTF-8, no control characters>
//   organisation <slug>      the reviewed record's organisation (slugs as in leaf.h)
//   record <slug>            the reviewed record's id
//   version <decimal, >= 1>  the reviewed version
//   leaf <decimal>           the leaf index of the reviewed version's leaf statement
//   note <64 lowercase hex digits: SHA-256 of the note text, UTF-8>
//   reviewer <slug>          the regulator's organisation (its token's organisation)
//   accepted <UTC time as YYYY-MM-DDThh:mm:ssZ>
//
// There is no other byte, so parse_review(format_review(x)) == x and each statement has exactly
// one byte form. Statements are at most kMaxLeafBytes. The reviewed leaf is always an earlier
// entry of the same log (the register logs a review only of a version it already holds).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "candor/registry/merkle.h"
#include "candor/registry/problem.h"

namespace candor::registry {

inline constexpr std::string_view kReviewFormatLine = "candor.review/v1";

struct ReviewStatement {
  std::string origin;
  std::string organisation;
  std::string record_id;
  std::uint64_t version = 1;
  std::uint64_t leaf_index = 0;  // the reviewed version's entry
  Hash note_hash{};              // SHA-256 of the note text
  std::string reviewer;          // the regulator's organisation
  std::string accepted_at;       // "2026-09-14T10:00:00Z"
  friend bool operator==(const ReviewStatement&, const ReviewStatement&) = default;
};

// Why `review` has no valid byte form (empty when it has one).
Problems review_problems(const ReviewStatement& review);

// The exact bytes of a statement. Throws std::invalid_argument if review_problems(review) is not
// empty: the register only ever logs statements it can read back.
std::string format_review(const ReviewStatement& review);

// Strict inverse of format_review, for untrusted bytes. Never throws; problems are coded
// "review.malformed" and name the line.
Result<ReviewStatement> parse_review(std::string_view bytes);

}  // namespace candor::registry
