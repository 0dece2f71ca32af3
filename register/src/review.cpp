#include "candor/registry/review.h"

#include <array>
#include <stdexcept>
#include <utility>
#include <vector>

#include "candor/registry/leaf.h"
#include "candor/registry/note.h"
#include "decimal.h"
#include "statement_lines.h"

namespace candor::registry {

namespace {

constexpr std::array<std::string_view, 9> kKeys = {
    "",  // the format line has no key
    "origin", "organisation", "record", "version", "leaf", "note", "reviewer", "accepted"};

Problem malformed(std::string message, std::uint32_t line = 0) {
  return statement_problem("review.malformed", std::move(message), line);
}

}  // namespace

Problems review_problems(const ReviewStatement& review) {
  Problems out;
  if (review.origin.empty()) {
    out.push_back(malformed("the origin is empty"));
  } else if (!note_text_problems(review.origin + "\n").empty() ||
             review.origin.find('\n') != std::string::npos) {
    out.push_back(
        malformed("the origin must be one line of UTF-8 text without control characters"));
  }
  if (!is_slug(review.organisation)) {
    out.push_back(malformed("the organisation \"" + review.organisation + "\" is not a slug"));
  }
  if (!is_slug(review.record_id)) {
    out.push_back(malformed("the record id \"" + review.record_id + "\" is not a slug"));
  }
  if (review.version == 0) out.push_back(malformed("versions start at 1"));
  if (!is_slug(review.reviewer)) {
    out.push_back(malformed("the reviewer \"" + review.reviewer + "\" is not a slug"));
  }
  if (!is_leaf_time(review.accepted_at)) {
    out.push_back(malformed("the acceptance time \"" + review.accepted_at +
                            "\" is not UTC in the form YYYY-MM-DDThh:mm:ssZ"));
  }
  if (out.empty()) {
    // origin is the only unbounded field; everything else fits in about 400 bytes.
    const std::size_t size = review.origin.size() + 400;
    if (size > kMaxLeafBytes) out.push_back(malformed("the statement exceeds 65,535 bytes"));
  }
  return out;
}

std::string format_review(const ReviewStatement& review) {
  if (Problems p = review_problems(review); !p.empty()) {
    throw std::invalid_argument("review statement: " + p.front().message);
  }
  std::string out;
  out.reserve(300 + review.origin.size());
  out.append(kReviewFormatLine).append("\n");
  out.append("origin ").append(review.origin).append("\n");
  out.append("organisation ").append(review.organisation).append("\n");
  out.append("record ").append(review.record_id).append("\n");
  out.append("version ").append(std::to_string(review.version)).append("\n");
  out.append("leaf ").append(std::to_string(review.leaf_index)).append("\n");
  out.append("note ").append(to_hex(review.note_hash)).append("\n");
  out.append("reviewer ").append(review.reviewer).append("\n");
  out.append("accepted ").append(review.accepted_at).append("\n");
  return out;
}

Result<ReviewStatement> parse_review(std::string_view bytes) {
  using R = Result<ReviewStatement>;
  auto split = split_statement(bytes, kReviewFormatLine, kKeys, "review.malformed");
  if (!split.ok()) return R(std::move(split.problems()));
  const std::vector<std::string_view>& values = split.value();

  ReviewStatement review;
  review.origin = std::string(values[1]);
  review.organisation = std::string(values[2]);
  review.record_id = std::string(values[3]);
  const auto version = parse_strict_decimal(values[4]);
  if (!version) return R(Problems{malformed("the version is not a decimal number", 5)});
  review.version = *version;
  const auto leaf = parse_strict_decimal(values[5]);
  if (!leaf) return R(Problems{malformed("the reviewed leaf is not a decimal index", 6)});
  review.leaf_index = *leaf;
  const auto note =
      values[6].size() == 64 && is_lower_hex(values[6]) ? hash_from_hex(values[6]) : std::nullopt;
  if (!note) return R(Problems{malformed("the note hash is not 64 lowercase hex digits", 7)});
  review.note_hash = *note;
  review.reviewer = std::string(values[7]);
  review.accepted_at = std::string(values[8]);
  if (Problems p = review_problems(review); !p.empty()) {
    // Locate each field problem on its line, as the syntax problems above are.
    for (Problem& problem : p) {
      const std::string& m = problem.message;
      const std::uint32_t line = m.starts_with("the origin")         ? 2
                                 : m.starts_with("the organisation") ? 3
                                 : m.starts_with("the record")       ? 4
                                 : m.starts_with("versions")         ? 5
                                 : m.starts_with("the reviewer")     ? 8
                                 : m.starts_with("the acceptance")   ? 9
                                                                     : 0;
      problem.position = Position{line, line == 0 ? 0u : 1u};
    }
    return R(std::move(p));
  }
  return review;
}

}  // namespace candor::registry
