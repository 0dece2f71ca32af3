// Merkle tree: RFC 6962 known answers, and differential tests against a deliberately naive
// transcription of RFC 6962 §2.1 (MTH, PATH, PROOF/SUBPROOF) for every proof of every tree up to
// 256 leaves and for random proofs in large trees.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <sstream>
#include <utility>

#include "candor/registry/merkle.h"
#include "tlog_test_support.h"

using namespace candor::registry;
using candor::registry::test::from_hex;
using candor::registry::test::hex_hash;

namespace {

// RFC 6962 §2.1, written as in the RFC: recursion on D[lo:hi] with k the largest power of two
// smaller than n. Memoised by range only so the exhaustive tests run in seconds.
class ReferenceTree {
 public:
  explicit ReferenceTree(std::vector<Hash> leaves) : leaves_(std::move(leaves)) {}

  Hash mth(std::uint64_t lo, std::uint64_t hi) {
    const std::uint64_t n = hi - lo;
    if (n == 0) return empty_tree_root();
    if (n == 1) return leaves_.at(lo);
    auto found = memo_.find({lo, hi});
    if (found != memo_.end()) return found->second;
    const std::uint64_t k = split(n);
    Hash h = node_hash(mth(lo, lo + k), mth(lo + k, hi));
    memo_.emplace(std::make_pair(lo, hi), h);
    return h;
  }

  // PATH(m, D[lo:hi]) with m relative to lo.
  std::vector<Hash> path(std::uint64_t m, std::uint64_t lo, std::uint64_t hi) {
    const std::uint64_t n = hi - lo;
    if (n == 1) return {};
    const std::uint64_t k = split(n);
    std::vector<Hash> out;
    if (m < k) {
      out = path(m, lo, lo + k);
      out.push_back(mth(lo + k, hi));
    } else {
      out = path(m - k, lo + k, hi);
      out.push_back(mth(lo, lo + k));
    }
    return out;
  }

  // SUBPROOF(m, D[lo:hi], b) with m relative to lo.
  std::vector<Hash> subproof(std::uint64_t m, std::uint64_t lo, std::uint64_t hi, bool b) {
    const std::uint64_t n = hi - lo;
    if (m == n) return b ? std::vector<Hash>{} : std::vector<Hash>{mth(lo, hi)};
    const std::uint64_t k = split(n);
    std::vector<Hash> out;
    if (m <= k) {
      out = subproof(m, lo, lo + k, b);
      out.push_back(mth(lo + k, hi));
    } else {
      out = subproof(m - k, lo + k, hi, false);
      out.push_back(mth(lo, lo + k));
    }
    return out;
  }

  std::vector<Hash> inclusion(std::uint64_t index, std::uint64_t size) { return path(index, 0, size); }
  std::vector<Hash> consistency(std::uint64_t m, std::uint64_t n) { return subproof(m, 0, n, true); }

 private:
  static std::uint64_t split(std::uint64_t n) {
    std::uint64_t k = 1;
    while (k * 2 < n) k *= 2;
    return k;
  }
  std::vector<Hash> leaves_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, Hash> memo_;
};

std::vector<Hash> numbered_leaves(std::uint64_t n) {
  std::vector<Hash> out;
  for (std::uint64_t i = 0; i < n; ++i) out.push_back(leaf_hash("leaf " + std::to_string(i)));
  return out;
}

MerkleTree tree_of(const std::vector<Hash>& leaves) {
  MerkleTree tree;
  for (const Hash& h : leaves) tree.append(h);
  return tree;
}

Hash flip(Hash h, int bit) {
  h[static_cast<std::size_t>(bit / 8) % h.size()] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  return h;
}

}  // namespace

TEST_CASE("hashing follows RFC 6962 with SHA-256", "[tlog][merkle]") {
  CHECK(to_hex(empty_tree_root()) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(to_hex(leaf_hash(std::string_view{})) ==
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  const Hash a = leaf_hash(std::string_view{});
  const Hash b = leaf_hash(std::span<const std::uint8_t>(from_hex("00")));
  CHECK(node_hash(a, b) == hex_hash("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"));
  CHECK(tree_root(std::vector<Hash>{}) == empty_tree_root());
}

TEST_CASE("hex and byte conversions of hashes are strict", "[tlog][merkle]") {
  const std::string hex = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";
  REQUIRE(hash_from_hex(hex));
  CHECK(to_hex(*hash_from_hex(hex)) == hex);
  CHECK_FALSE(hash_from_hex(hex.substr(1)));
  CHECK_FALSE(hash_from_hex(hex + "00"));
  CHECK_FALSE(hash_from_hex("zz" + hex.substr(2)));
  CHECK_FALSE(hash_from_bytes(std::vector<std::uint8_t>(31)));
  CHECK_FALSE(hash_from_bytes(std::vector<std::uint8_t>(33)));
  CHECK(hash_from_bytes(std::vector<std::uint8_t>(32, 7)) == Hash{7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                                                                7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                                                                7, 7, 7, 7, 7, 7, 7, 7, 7, 7});
}

TEST_CASE("the RFC 6962 reference 8-leaf tree", "[tlog][merkle]") {
  std::istringstream in(candor::registry::test::read_file(
      candor::registry::test::tlog_vectors("rfc6962-reference-8leaf.txt")));
  MerkleTree tree;
  std::vector<Hash> leaves;
  int checked_leaves = 0, checked_roots = 0, checked_inclusion = 0, checked_consistency = 0;
  // Leaves and roots come first in the file, so the tree is complete before any proof line.
  std::vector<std::pair<std::string, std::string>> proof_lines;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string kind;
    words >> kind;
    if (kind == "leaf") {
      std::string index, input, label, hash;
      words >> index >> input >> label >> hash;
      const auto bytes = input == "(empty)" ? std::vector<std::uint8_t>{} : from_hex(input);
      const Hash h = leaf_hash(std::span<const std::uint8_t>(bytes));
      CHECK(to_hex(h) == hash);
      CHECK(tree.append_entry(std::span<const std::uint8_t>(bytes)) == std::stoull(index));
      leaves.push_back(h);
      ++checked_leaves;
    } else if (kind == "root" || kind == "incl" || kind == "cons") {
      proof_lines.emplace_back(kind, line);
    }
  }
  REQUIRE(checked_leaves == 8);
  for (const auto& [kind, line] : proof_lines) {
    INFO(line);
    std::istringstream words(line);
    std::string skip;
    std::uint64_t a = 0, b = 0;
    words >> skip >> a;
    if (kind == "root") {
      std::string hash;
      words >> hash;
      CHECK(to_hex(tree.root(a)) == hash);
      CHECK(tree_root(std::span<const Hash>(leaves).first(a)) == hex_hash(hash));
      ++checked_roots;
      continue;
    }
    words >> b;
    std::vector<Hash> expected;
    for (std::string h; words >> h;) expected.push_back(hex_hash(h));
    if (kind == "incl") {
      CHECK(tree.inclusion_proof(a, b) == expected);
      CHECK(verify_inclusion(a, b, leaves[a], expected, tree.root(b)).ok());
      ++checked_inclusion;
    } else {
      CHECK(tree.consistency_proof(a, b) == expected);
      CHECK(verify_consistency(a, b, expected, tree.root(a), tree.root(b)).ok());
      ++checked_consistency;
    }
  }
  CHECK(checked_roots == 9);
  CHECK(checked_inclusion == 5);
  CHECK(checked_consistency == 5);
}

TEST_CASE("every inclusion proof up to 256 leaves matches RFC 6962 PATH", "[tlog][merkle]") {
  const auto leaves = numbered_leaves(256);
  ReferenceTree reference(leaves);
  const MerkleTree tree = tree_of(leaves);
  std::size_t failures = 0;
  for (std::uint64_t size = 0; size <= 256; ++size) {
    const Hash root = tree.root(size);
    REQUIRE(root == reference.mth(0, size));
    for (std::uint64_t index = 0; index < size; ++index) {
      const auto proof = tree.inclusion_proof(index, size);
      if (proof != reference.inclusion(index, size)) ++failures;
      if (!verify_inclusion(index, size, leaves[index], proof, root).ok()) ++failures;
      // Every single-bit change, wrong position, wrong leaf or wrong length must fail. (A larger
      // claimed tree size is not probed: the proof shows the right edge only as opaque hashes, so
      // e.g. the size-3 proof of leaf 1 is also a valid size-4 proof; sizes are bound by the
      // signed checkpoint, not by the proof.)
      for (std::size_t i = 0; i < proof.size(); ++i) {
        auto bad = proof;
        bad[i] = flip(bad[i], static_cast<int>(index + i) % 256);
        if (verify_inclusion(index, size, leaves[index], bad, root).ok()) ++failures;
      }
      if (index + 1 < size && verify_inclusion(index + 1, size, leaves[index], proof, root).ok()) ++failures;
      if (verify_inclusion(index, size, flip(leaves[index], 3), proof, root).ok()) ++failures;
      if (!proof.empty()) {
        auto shorter = proof;
        shorter.pop_back();
        if (verify_inclusion(index, size, leaves[index], shorter, root).ok()) ++failures;
      }
      auto longer = proof;
      longer.push_back(root);
      if (verify_inclusion(index, size, leaves[index], longer, root).ok()) ++failures;
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("every consistency proof up to 256 leaves matches RFC 6962 PROOF", "[tlog][merkle]") {
  const auto leaves = numbered_leaves(256);
  ReferenceTree reference(leaves);
  const MerkleTree tree = tree_of(leaves);
  std::size_t failures = 0;
  for (std::uint64_t n = 1; n <= 256; ++n) {
    const Hash root2 = tree.root(n);
    for (std::uint64_t m = 1; m <= n; ++m) {
      const Hash root1 = tree.root(m);
      const auto proof = tree.consistency_proof(m, n);
      if (proof != reference.consistency(m, n)) ++failures;
      if (!verify_consistency(m, n, proof, root1, root2).ok()) ++failures;
      if (m == n) continue;
      for (std::size_t i = 0; i < proof.size(); ++i) {
        auto bad = proof;
        bad[i] = flip(bad[i], static_cast<int>(m + i) % 256);
        if (verify_consistency(m, n, bad, root1, root2).ok()) ++failures;
      }
      if (verify_consistency(m, n, proof, root2, root1).ok()) ++failures;
      if (verify_consistency(m, n, proof, flip(root1, 1), root2).ok()) ++failures;
      if (verify_consistency(m, n, proof, root1, flip(root2, 1)).ok()) ++failures;
      if (verify_consistency(m + 1, n, proof, root1, root2).ok()) ++failures;
      if (verify_consistency(m - 1, n, proof, root1, root2).ok()) ++failures;
      auto shorter = proof;
      shorter.pop_back();
      if (verify_consistency(m, n, shorter, root1, root2).ok()) ++failures;
      auto longer = proof;
      longer.insert(longer.begin(), root1);
      if (verify_consistency(m, n, longer, root1, root2).ok()) ++failures;
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("random proofs in large trees match the reference", "[tlog][merkle]") {
  std::mt19937_64 random(20240601);
  const std::uint64_t big = 300'007;
  const auto leaves = numbered_leaves(big);
  ReferenceTree reference(leaves);
  const MerkleTree tree = tree_of(leaves);
  REQUIRE(tree.size() == big);
  CHECK(tree.root() == reference.mth(0, big));
  CHECK(tree.root() == tree_root(leaves));
  for (int round = 0; round < 40; ++round) {
    const std::uint64_t size = 1 + random() % big;
    const std::uint64_t index = random() % size;
    const std::uint64_t older = 1 + random() % size;
    INFO("size " << size << " index " << index << " older " << older);
    const auto inclusion = tree.inclusion_proof(index, size);
    CHECK(inclusion == reference.inclusion(index, size));
    CHECK(verify_inclusion(index, size, leaves[index], inclusion, tree.root(size)).ok());
    const auto consistency = tree.consistency_proof(older, size);
    CHECK(consistency == reference.consistency(older, size));
    CHECK(verify_consistency(older, size, consistency, tree.root(older), tree.root(size)).ok());
  }
}

TEST_CASE("a store built from hashes_to_store serves the same proofs through one read each",
          "[tlog][merkle]") {
  std::map<std::pair<std::uint64_t, std::uint64_t>, Hash> store;
  int reads = 0;
  HashReader read = [&](std::span<const NodeId> nodes) {
    ++reads;
    std::vector<Hash> out;
    for (const NodeId& n : nodes) out.push_back(store.at({n.level, n.index}));
    return out;
  };
  const auto leaves = numbered_leaves(1000);
  MerkleTree tree;
  for (std::uint64_t i = 0; i < leaves.size(); ++i) {
    for (const StoredHash& s : hashes_to_store(i, leaves[i], read)) {
      REQUIRE(store.emplace(std::make_pair(s.node.level, s.node.index), s.hash).second);
    }
    tree.append(leaves[i]);
  }
  for (const auto& [node, hash] : store) CHECK(tree.stored_hash({node.first, node.second}) == hash);
  CHECK(store.size() == 1994);  // n leaves + (n - popcount(n)) interior nodes

  // Each root or proof costs the store at most one read, however many hashes it needs.
  const auto one_read = [&](auto compute) {
    reads = 0;
    auto result = compute();
    CHECK(reads <= 1);
    return result;
  };
  for (std::uint64_t size : {1, 2, 3, 255, 256, 257, 999, 1000}) {
    INFO("size " << size);
    CHECK(one_read([&] { return tree_root(size, read); }) == tree.root(size));
    for (std::uint64_t index : {std::uint64_t{0}, size / 2, size - 1}) {
      CHECK(one_read([&] { return inclusion_proof(index, size, read); }) ==
            tree.inclusion_proof(index, size));
    }
    for (std::uint64_t older : {std::uint64_t{1}, size / 2 + 1, size}) {
      CHECK(one_read([&] { return consistency_proof(older, size, read); }) ==
            tree.consistency_proof(older, size));
    }
  }
}

TEST_CASE("asking for impossible proofs is a programmer error", "[tlog][merkle]") {
  MerkleTree tree;
  for (int i = 0; i < 5; ++i) tree.append_entry("entry " + std::to_string(i));
  CHECK_THROWS_AS(tree.inclusion_proof(5, 5), std::invalid_argument);
  CHECK_THROWS_AS(tree.inclusion_proof(0, 0), std::invalid_argument);
  CHECK_THROWS_AS(tree.inclusion_proof(0, 6), std::invalid_argument);
  CHECK_THROWS_AS(tree.consistency_proof(0, 3), std::invalid_argument);
  CHECK_THROWS_AS(tree.consistency_proof(4, 3), std::invalid_argument);
  CHECK_THROWS_AS(tree.consistency_proof(3, 6), std::invalid_argument);
  CHECK_THROWS_AS(tree.root(6), std::invalid_argument);
  CHECK_THROWS_AS(tree.stored_hash({0, 5}), std::out_of_range);
  CHECK_THROWS_AS(tree.stored_hash({2, 1}), std::out_of_range);  // leaves 4..7 not complete
  CHECK_NOTHROW(tree.stored_hash({2, 0}));
  CHECK(tree.root(0) == empty_tree_root());
}

TEST_CASE("verification failures say why", "[tlog][merkle]") {
  MerkleTree tree;
  for (int i = 0; i < 7; ++i) tree.append_entry("entry " + std::to_string(i));
  const Hash leaf = leaf_hash("entry 2");
  const auto proof = tree.inclusion_proof(2, 7);

  auto v = verify_inclusion(7, 7, leaf, proof, tree.root());
  REQUIRE_FALSE(v.ok());
  CHECK(v.problem().code == "merkle.index-out-of-range");
  CHECK(v.problem().message == "leaf index 7 is not below tree size 7");

  v = verify_inclusion(2, 7, leaf, std::span(proof).first(2), tree.root());
  REQUIRE_FALSE(v);
  CHECK(v.problem().code == "merkle.proof-length");
  CHECK(v.problem().message == "inclusion proof has 2 hashes; leaf 2 of a tree of size 7 needs 3");

  v = verify_inclusion(2, 7, leaf_hash("entry 3"), proof, tree.root());
  REQUIRE_FALSE(v);
  CHECK(v.problem().code == "merkle.root-mismatch");

  v = verify_consistency(3, 2, {}, tree.root(3), tree.root(2));
  CHECK(v.problem().code == "merkle.size-order");
  v = verify_consistency(0, 2, {}, tree.root(0), tree.root(2));
  CHECK(v.problem().code == "merkle.empty-tree");
  v = verify_consistency(3, 7, {}, tree.root(3), tree.root(7));
  CHECK(v.problem().code == "merkle.proof-length");
  v = verify_consistency(7, 7, {}, tree.root(3), tree.root(7));
  CHECK(v.problem().code == "merkle.root-mismatch");

  CHECK(verify_inclusion(2, 7, leaf, proof, tree.root()).ok());
  CHECK_THROWS_AS(verify_inclusion(2, 7, leaf, proof, tree.root()).problem(), std::logic_error);
}

TEST_CASE("verifiers survive extreme sizes and indices", "[tlog][merkle]") {
  const Hash h = leaf_hash("x");
  const std::uint64_t max = UINT64_MAX;
  std::vector<Hash> proof(64, h);
  for (std::size_t length : {0, 1, 63, 64, 65}) {
    const auto p = std::span<const Hash>(proof.data(), std::min<std::size_t>(length, 64));
    CHECK_FALSE(verify_inclusion(max - 1, max, h, p, h).ok());
    CHECK_FALSE(verify_inclusion(0, max, h, p, h).ok());
    CHECK_FALSE(verify_inclusion(max, max, h, p, h).ok());
    CHECK_FALSE(verify_consistency(max - 1, max, p, h, h).ok());
    CHECK_FALSE(verify_consistency(1, max, p, h, h).ok());
    CHECK_FALSE(verify_consistency(std::uint64_t{1} << 63, max, p, h, h).ok());
  }
}
