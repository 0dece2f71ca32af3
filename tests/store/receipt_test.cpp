// Receipts (c2sp.org/tlog-proof) built over an in-memory tree: they verify, and any change to the
// receipt, its statement, its proof or its checkpoint is caught.
#include <catch2/catch.hpp>

#include "candor/registry/checkpoint.h"
#include "candor/registry/receipt.h"
#include "store_test_support.h"

namespace {

using namespace candor::registry;
using candor::registry::test::k_origin;
using candor::registry::test::test_signer;
using candor::registry::test::test_verifiers;

LeafStatement statement(std::uint64_t i, std::string origin = k_origin) {
  LeafStatement leaf;
  leaf.origin = std::move(origin);
  leaf.organisation = "org-" + std::to_string(i % 3);
  leaf.record_id = "record-" + std::to_string(i);
  leaf.version = 1;
  leaf.action = LeafAction::create;
  leaf.body_hash = leaf_hash("body " + std::to_string(i));
  leaf.accepted_at = "2026-09-14T10:00:00Z";
  return leaf;
}

struct Log {
  MerkleTree tree;
  std::vector<std::string> entries;

  explicit Log(std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) add(format_leaf(statement(i)));
  }
  void add(const std::string& entry) {
    entries.push_back(entry);
    tree.append_entry(entry);
  }
  std::string checkpoint(const NoteSigner& signer = test_signer()) const {
    return sign_checkpoint(Checkpoint{signer.name(), tree.size(), tree.root(), {}}, signer);
  }
  Receipt receipt(std::uint64_t index) const {
    return Receipt{entries[index], index, tree.inclusion_proof(index, tree.size()), checkpoint()};
  }
};

std::string verify_code(const std::string& text, std::string_view origin = k_origin) {
  const auto keys = test_verifiers();
  auto v = verify_receipt(text, origin, keys);
  return v.ok() ? "ok" : v.problems().front().code;
}

}  // namespace

TEST_CASE("receipt: format and parse are inverses, in the tlog-proof layout") {
  Log log(13);
  const Receipt r = log.receipt(5);
  const std::string text = format_receipt(r);
  CHECK(text.rfind("c2sp.org/tlog-proof@v1\nextra ", 0) == 0);
  CHECK(text.find("\nindex 5\n") != std::string::npos);
  CHECK(text.find("\n\n" + r.checkpoint) != std::string::npos);
  auto parsed = parse_receipt(text);
  REQUIRE(parsed.ok());
  CHECK(parsed.value() == r);
}

TEST_CASE("receipt: every entry of logs of many sizes verifies") {
  for (std::uint64_t n : {1u, 2u, 3u, 7u, 8u, 9u, 33u}) {
    Log log(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      INFO("size " << n << " index " << i);
      const auto keys = test_verifiers();
      auto v = verify_receipt(format_receipt(log.receipt(i)), k_origin, keys);
      REQUIRE(v.ok());
      CHECK(v.value().index == i);
      CHECK(v.value().checkpoint.size == n);
      CHECK(v.value().leaf == statement(i));
    }
  }
}

TEST_CASE("receipt: a tampered receipt fails, and says why") {
  Log log(10);
  const Receipt good = log.receipt(6);
  REQUIRE(verify_code(format_receipt(good)) == "ok");

  SECTION("another index") {
    Receipt r = good;
    r.index = 7;
    CHECK(verify_code(format_receipt(r)) == "receipt.inclusion");
  }
  SECTION("a flipped bit in the proof") {
    Receipt r = good;
    r.proof[1][0] ^= 1;
    CHECK(verify_code(format_receipt(r)) == "receipt.inclusion");
  }
  SECTION("a proof hash dropped") {
    Receipt r = good;
    r.proof.pop_back();
    CHECK(verify_code(format_receipt(r)) == "receipt.inclusion");
  }
  SECTION("a changed statement (another body hash)") {
    Receipt r = good;
    LeafStatement leaf = statement(6);
    leaf.body_hash[0] ^= 1;
    r.extra = format_leaf(leaf);
    CHECK(verify_code(format_receipt(r)) == "receipt.inclusion");
  }
  SECTION("another entry's statement") {
    Receipt r = good;
    r.extra = log.entries[5];
    CHECK(verify_code(format_receipt(r)) == "receipt.inclusion");
  }
  SECTION("a checkpoint signed by another key") {
    Ed25519Seed seed{};
    seed.fill(7);
    Receipt r = good;
    r.checkpoint = log.checkpoint(NoteSigner::from_seed(k_origin, seed));
    CHECK(verify_code(format_receipt(r)) == "note.unverified");
  }
  SECTION("an edited checkpoint root") {
    Receipt r = good;
    const std::size_t at = r.checkpoint.find('\n', r.checkpoint.find('\n') + 1) + 1;
    r.checkpoint[at] = r.checkpoint[at] == 'A' ? 'B' : 'A';
    CHECK(verify_code(format_receipt(r)) == "note.bad-signature");
  }
  SECTION("a checkpoint for another origin") {
    CHECK(verify_code(format_receipt(good), "example.org/other-register") != "ok");
  }
  SECTION("no statement") {
    Receipt r = good;
    r.extra.clear();
    CHECK(verify_code(format_receipt(r)) == "receipt.no-statement");
  }
  SECTION("a statement that is not a log entry") {
    Receipt r = good;
    r.extra = "hello\n";
    CHECK(verify_code(format_receipt(r)) == "entry.unknown-format");
  }
  SECTION("a leaf statement that does not parse") {
    Receipt r = good;
    r.extra = "candor.leaf/v1\nhello\n";
    CHECK(verify_code(format_receipt(r)) == "leaf.malformed");
  }
  SECTION("a truncated receipt") {
    const std::string text = format_receipt(good);
    CHECK(verify_code(text.substr(0, text.find("\n\n"))) == "receipt.malformed");
  }
  SECTION("garbage") {
    CHECK(verify_code("") == "receipt.malformed");
    CHECK(verify_code("c2sp.org/tlog-proof@v1\nindex 01\n\nx\n") == "receipt.malformed");
    CHECK(verify_code("c2sp.org/tlog-proof@v2\n") == "receipt.malformed");
  }
}

TEST_CASE("receipt: a statement naming another log does not verify, even when included") {
  // A log that (wrongly) holds a statement of another origin: the inclusion proof holds, but
  // the receipt must not be taken as a statement of the other log.
  Log log(4);
  log.add(format_leaf(statement(4, "example.org/other-register")));
  CHECK(verify_code(format_receipt(log.receipt(4))) == "receipt.origin");
}

TEST_CASE("receipt: malformed proof lines are refused by the parser") {
  Log log(4);
  std::string text = format_receipt(log.receipt(1));
  const auto at = text.find("\nindex 1\n") + 9;
  CHECK_FALSE(parse_receipt(std::string(text).insert(at, "not base64!\n")).ok());
  CHECK_FALSE(parse_receipt(std::string(text).insert(at, "AAAA\n")).ok());  // 3 bytes, not 32
}
