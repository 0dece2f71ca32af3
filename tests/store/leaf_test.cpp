// Leaf statements: the exact bytes documented in docs/log-format.md, and a strict parser.
#include <catch2/catch.hpp>

#include "candor/registry/leaf.h"

namespace {

using namespace candor::registry;

// The example of docs/log-format.md, byte for byte.
const std::string k_example =
    "candor.leaf/v1\n"
    "origin example.org/ai-register\n"
    "organisation northshire-police\n"
    "record custody-notes-assistant\n"
    "version 2\n"
    "action update\n"
    "body 31c594d0ccd3fd2b2d0e4b9731acd013d85fb947cddd1140eea2a6e2e0811b73\n"
    "previous 41\n"
    "accepted 2026-09-14T10:00:00Z\n";

LeafStatement example() {
  LeafStatement leaf;
  leaf.origin = "example.org/ai-register";
  leaf.organisation = "northshire-police";
  leaf.record_id = "custody-notes-assistant";
  leaf.version = 2;
  leaf.action = LeafAction::update;
  leaf.body_hash =
      *hash_from_hex("31c594d0ccd3fd2b2d0e4b9731acd013d85fb947cddd1140eea2a6e2e0811b73");
  leaf.previous_leaf = 41;
  leaf.accepted_at = "2026-09-14T10:00:00Z";
  return leaf;
}

std::string replace_line(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("leaf: the documented example has exactly these bytes and this leaf hash") {
  CHECK(format_leaf(example()) == k_example);
  CHECK(k_example.size() == 244);
  CHECK(to_hex(leaf_hash(k_example)) ==
        "429c8e70610e5f98069968a4c9e39c21d4e739fe590d2a056d0527a90b99425c");
}

TEST_CASE("leaf: parse is the exact inverse of format") {
  auto parsed = parse_leaf(k_example);
  REQUIRE(parsed.ok());
  CHECK(parsed.value() == example());

  LeafStatement first = example();
  first.version = 1;
  first.action = LeafAction::create;
  first.previous_leaf.reset();
  const std::string bytes = format_leaf(first);
  CHECK(bytes.find("previous -\n") != std::string::npos);
  auto again = parse_leaf(bytes);
  REQUIRE(again.ok());
  CHECK(again.value() == first);
  CHECK(format_leaf(again.value()) == bytes);
}

TEST_CASE("leaf: every action round-trips") {
  for (LeafAction a : {LeafAction::update, LeafAction::retract, LeafAction::redact}) {
    LeafStatement leaf = example();
    leaf.action = a;
    auto parsed = parse_leaf(format_leaf(leaf));
    REQUIRE(parsed.ok());
    CHECK(parsed.value().action == a);
  }
}

TEST_CASE("leaf: statements that are not written exactly so are refused") {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"wrong format line", replace_line(k_example, "candor.leaf/v1", "candor.leaf/v2")},
      {"missing final newline", k_example.substr(0, k_example.size() - 1)},
      {"extra blank line", k_example + "\n"},
      {"CR line ending", replace_line(k_example, "version 2\n", "version 2\r\n")},
      {"double space", replace_line(k_example, "version 2", "version  2")},
      {"leading zero", replace_line(k_example, "version 2", "version 02")},
      {"version 0", replace_line(k_example, "version 2", "version 0")},
      {"signed number", replace_line(k_example, "previous 41", "previous +41")},
      {"unknown action", replace_line(k_example, "action update", "action delete")},
      {"uppercase hex", replace_line(k_example, "body 31c5", "body 31C5")},
      {"short hash", replace_line(k_example, "body 31c5", "body 1c5")},
      {"not a slug",
       replace_line(k_example, "organisation northshire-police", "organisation Northshire-Police")},
      {"double hyphen", replace_line(k_example, "record custody-notes", "record custody--notes")},
      {"keys out of order", replace_line(replace_line(k_example, "version 2\n", ""),
                                         "action update\n", "action update\nversion 2\n")},
      {"update without previous", replace_line(k_example, "previous 41", "previous -")},
      {"create with previous", replace_line(replace_line(k_example, "version 2", "version 1"),
                                            "action update", "action create")},
      {"version 1 as update", replace_line(k_example, "version 2", "version 1")},
      {"local time", replace_line(k_example, "10:00:00Z", "10:00:00+01:00")},
      {"impossible date", replace_line(k_example, "2026-09-14", "2026-02-30")},
      {"empty origin", replace_line(k_example, "origin example.org/ai-register", "origin ")},
      {"control character", replace_line(k_example, "example.org/", "example.org/\x01")},
      {"trailing line", k_example + "note hello\n"},
  };
  for (const auto& [why, text] : bad) {
    INFO(why);
    auto parsed = parse_leaf(text);
    CHECK_FALSE(parsed.ok());
    if (!parsed.ok()) CHECK(parsed.problems().front().code == "leaf.malformed");
  }
}

TEST_CASE("leaf: statements are bounded by the tile bundle limit of 65,535 bytes") {
  LeafStatement leaf = example();
  leaf.origin = std::string(65535, 'a');
  CHECK_FALSE(leaf_problems(leaf).empty());
  CHECK_THROWS_AS(format_leaf(leaf), std::invalid_argument);
  CHECK_FALSE(parse_leaf(std::string(65536, 'a')).ok());
  leaf.origin = std::string(60000, 'a');
  CHECK(leaf_problems(leaf).empty());
  CHECK(format_leaf(leaf).size() <= kMaxLeafBytes);
}

TEST_CASE("leaf: slugs and times") {
  CHECK(is_slug("a"));
  CHECK(is_slug("northshire-police-2"));
  CHECK_FALSE(is_slug(""));
  CHECK_FALSE(is_slug("-a"));
  CHECK_FALSE(is_slug("a-"));
  CHECK_FALSE(is_slug("a b"));
  CHECK_FALSE(is_slug(std::string(81, 'a')));
  CHECK(is_leaf_time("2024-02-29T23:59:59Z"));
  CHECK_FALSE(is_leaf_time("2023-02-29T00:00:00Z"));
  CHECK_FALSE(is_leaf_time("2023-13-01T00:00:00Z"));
  CHECK_FALSE(is_leaf_time("2023-01-01T24:00:00Z"));
  CHECK_FALSE(is_leaf_time("2023-01-01 00:00:00Z"));
}
