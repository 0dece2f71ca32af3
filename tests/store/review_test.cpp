// Review statements: the exact bytes documented in docs/log-format.md, a strict parser, and the
// dispatch between the two kinds of log entry.
#include <catch2/catch.hpp>

#include "candor/registry/log_entry.h"
#include "candor/registry/review.h"

namespace {

using namespace candor::registry;

// The example of docs/log-format.md, byte for byte.
const std::string k_example =
    "candor.review/v1\n"
    "origin example.org/ai-register\n"
    "organisation northshire-police\n"
    "record custody-notes-assistant\n"
    "version 2\n"
    "leaf 42\n"
    "note 0f3971d23bbae38a480f02f2f1c199ec10c2e7d085b58409f7fd499959a72608\n"
    "reviewer ai-regulator\n"
    "accepted 2026-09-15T09:30:00Z\n";

ReviewStatement example() {
  ReviewStatement r;
  r.origin = "example.org/ai-register";
  r.organisation = "northshire-police";
  r.record_id = "custody-notes-assistant";
  r.version = 2;
  r.leaf_index = 42;
  r.note_hash = sha256_of("Adequate bias testing.");
  r.reviewer = "ai-regulator";
  r.accepted_at = "2026-09-15T09:30:00Z";
  return r;
}

std::string replace_line(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("review: the documented example has exactly these bytes") {
  CHECK(format_review(example()) == k_example);
  CHECK(to_hex(sha256_of("Adequate bias testing.")) ==
        "0f3971d23bbae38a480f02f2f1c199ec10c2e7d085b58409f7fd499959a72608");
}

TEST_CASE("review: parse is the exact inverse of format") {
  auto parsed = parse_review(k_example);
  REQUIRE(parsed.ok());
  CHECK(parsed.value() == example());
  CHECK(format_review(parsed.value()) == k_example);

  ReviewStatement first = example();
  first.version = 1;
  first.leaf_index = 0;
  auto again = parse_review(format_review(first));
  REQUIRE(again.ok());
  CHECK(again.value() == first);
}

TEST_CASE("review: statements that are not written exactly so are refused, naming the line") {
  // {why, text, line named (0: the statement as a whole)}
  const std::vector<std::tuple<std::string, std::string, std::uint32_t>> bad = {
      {"wrong format line", replace_line(k_example, "candor.review/v1", "candor.review/v2"), 1},
      {"a leaf's format line", replace_line(k_example, "candor.review/v1", "candor.leaf/v1"), 1},
      {"missing final newline", k_example.substr(0, k_example.size() - 1), 0},
      {"extra blank line", k_example + "\n", 0},
      {"trailing line", k_example + "text hello\n", 0},
      {"empty origin", replace_line(k_example, "origin example.org/ai-register", "origin "), 2},
      {"control character in origin", replace_line(k_example, "example.org/", "example.org/\x01"),
       2},
      {"origin key misspelt", replace_line(k_example, "origin ", "orgin "), 2},
      {"organisation not a slug",
       replace_line(k_example, "organisation northshire-police", "organisation Northshire"), 3},
      {"record not a slug",
       replace_line(k_example, "record custody-notes", "record custody--notes"), 4},
      {"record key missing", replace_line(k_example, "record ", "id "), 4},
      {"version 0", replace_line(k_example, "version 2", "version 0"), 5},
      {"version with leading zero", replace_line(k_example, "version 2", "version 02"), 5},
      {"version double space", replace_line(k_example, "version 2", "version  2"), 5},
      {"leaf not a number", replace_line(k_example, "leaf 42", "leaf -"), 6},
      {"leaf signed", replace_line(k_example, "leaf 42", "leaf +42"), 6},
      {"leaf CR", replace_line(k_example, "leaf 42\n", "leaf 42\r\n"), 6},
      {"note uppercase hex", replace_line(k_example, "note 0f39", "note 0F39"), 7},
      {"note short", replace_line(k_example, "note 0f39", "note f39"), 7},
      {"reviewer not a slug", replace_line(k_example, "reviewer ai-regulator", "reviewer AI Reg"),
       8},
      {"reviewer empty", replace_line(k_example, "reviewer ai-regulator", "reviewer "), 8},
      {"local time", replace_line(k_example, "09:30:00Z", "09:30:00+01:00"), 9},
      {"impossible date", replace_line(k_example, "2026-09-15", "2026-02-30"), 9},
      {"keys out of order",
       replace_line(replace_line(k_example, "version 2\n", ""), "leaf 42\n",
                    "leaf 42\nversion 2\n"),
       5},
  };
  for (const auto& [why, text, line] : bad) {
    INFO(why);
    auto parsed = parse_review(text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.problems().front().code == "review.malformed");
    CHECK(parsed.problems().front().position.line == line);
  }
}

TEST_CASE("review: statements are bounded by the tile bundle limit of 65,535 bytes") {
  ReviewStatement r = example();
  r.origin = std::string(65535, 'a');
  CHECK_FALSE(review_problems(r).empty());
  CHECK_THROWS_AS(format_review(r), std::invalid_argument);
  CHECK_FALSE(parse_review(std::string(65536, 'a')).ok());
  r.origin = std::string(60000, 'a');
  CHECK(review_problems(r).empty());
  CHECK(format_review(r).size() <= kMaxLeafBytes);
}

TEST_CASE("log entries: dispatched on the first line") {
  auto review = parse_log_entry(k_example);
  REQUIRE(review.ok());
  REQUIRE(std::holds_alternative<ReviewStatement>(review.value()));
  CHECK(entry_origin(review.value()) == "example.org/ai-register");

  LeafStatement leaf;
  leaf.origin = "example.org/other";
  leaf.organisation = "a";
  leaf.record_id = "b";
  leaf.accepted_at = "2026-09-14T10:00:00Z";
  auto parsed_leaf = parse_log_entry(format_leaf(leaf));
  REQUIRE(parsed_leaf.ok());
  REQUIRE(std::holds_alternative<LeafStatement>(parsed_leaf.value()));
  CHECK(std::get<LeafStatement>(parsed_leaf.value()) == leaf);
  CHECK(entry_origin(parsed_leaf.value()) == "example.org/other");

  auto unknown = parse_log_entry("candor.other/v1\norigin x\n");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.problems().front().code == "entry.unknown-format");
  CHECK(parse_log_entry("").problems().front().code == "entry.unknown-format");
  // A known format line with a broken body gives that format's problem.
  auto broken = parse_log_entry(replace_line(k_example, "leaf 42", "leaf x"));
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.problems().front().code == "review.malformed");
}
