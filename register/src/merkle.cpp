#include "candor/registry/merkle.h"

#include <openssl/evp.h>

#include <algorithm>
#include <bit>
#include <new>
#include <stdexcept>
#include <utility>

namespace candor::registry {

namespace {

// ---- SHA-256 ---------------------------------------------------------------------------------
// Appending a leaf costs about two SHA-256 calls, so the per-call overhead matters as much as the
// hashing itself: fetch the algorithm once (implicit fetches by name cost a lock and a lookup per
// call in OpenSSL 3) and keep one digest context per thread, re-initialised for every hash.

const EVP_MD* sha256_algorithm() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("OpenSSL has no SHA-256 implementation");
  return md;
}

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr) throw std::bad_alloc();
  }
  ~Sha256() { EVP_MD_CTX_free(ctx_); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Hash digest(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b = {}) {
    Hash out;
    unsigned int length = 0;
    if (EVP_DigestInit_ex2(ctx_, sha256_algorithm(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx_, a.data(), a.size()) != 1 ||
        (!b.empty() && EVP_DigestUpdate(ctx_, b.data(), b.size()) != 1) ||
        EVP_DigestFinal_ex(ctx_, out.data(), &length) != 1 || length != out.size()) {
      throw std::runtime_error("SHA-256 computation failed in OpenSSL");
    }
    return out;
  }

 private:
  EVP_MD_CTX* ctx_;
};

Sha256& thread_hasher() {
  thread_local Sha256 hasher;
  return hasher;
}

// ---- Tree geometry ---------------------------------------------------------------------------

// Largest power of two strictly below n (n >= 2): RFC 6962's split point k.
std::uint64_t split_point(std::uint64_t n) {
  return std::bit_floor(n - 1);
}

// The complete subtrees that make up the leaf range [lo, hi), left to right, largest first. For
// every range that is a node of an RFC 6962 tree (all ranges used below), lo is aligned to the
// range's size rounded up to a power of two, so the pieces are the binary digits of hi - lo and
// folding them right to left gives the range's Merkle Tree Hash.
void cover(std::uint64_t lo, std::uint64_t hi, std::vector<NodeId>& out) {
  while (lo < hi) {
    int level = std::bit_width(hi - lo) - 1;
    if (lo != 0) level = std::min(level, std::countr_zero(lo));
    out.push_back(NodeId{static_cast<std::uint64_t>(level), lo >> level});
    lo += std::uint64_t{1} << level;
  }
}

// A list of leaf ranges whose hashes are wanted (the elements of a proof, or a single root).
// Collecting every needed stored hash first lets the reader answer in one call.
class RangePlan {
 public:
  void add(std::uint64_t lo, std::uint64_t hi) {
    std::size_t begin = nodes_.size();
    cover(lo, hi, nodes_);
    groups_.emplace_back(begin, nodes_.size());
  }
  void reverse() { std::reverse(groups_.begin(), groups_.end()); }

  std::vector<Hash> hashes(const HashReader& read) const {
    // A proof with nothing to read (size 1, equal sizes) costs the store no round trip.
    std::vector<Hash> stored = nodes_.empty() ? std::vector<Hash>{} : read(nodes_);
    if (stored.size() != nodes_.size()) {
      throw std::runtime_error("HashReader returned " + std::to_string(stored.size()) +
                               " hashes for " + std::to_string(nodes_.size()) + " nodes");
    }
    std::vector<Hash> out;
    out.reserve(groups_.size());
    for (auto [begin, end] : groups_) {
      Hash h = stored[end - 1];
      for (std::size_t i = end - 1; i-- > begin;) h = node_hash(stored[i], h);
      out.push_back(h);
    }
    return out;
  }

 private:
  std::vector<NodeId> nodes_;
  std::vector<std::pair<std::size_t, std::size_t>> groups_;
};

Problem proof_problem(std::string code, std::string message) {
  Problem p;
  p.code = std::move(code);
  p.message = std::move(message);
  return p;
}

std::string str(std::uint64_t n) {
  return std::to_string(n);
}

// Length of a valid inclusion proof (RFC 9162 §2.1.3.2's walk, counted without hashing): the
// levels below the point where the paths to `index` and to the last leaf diverge, plus one per
// left sibling above it.
std::uint64_t inclusion_proof_length(std::uint64_t index, std::uint64_t size) {
  int inner = std::bit_width(index ^ (size - 1));
  return static_cast<std::uint64_t>(inner) +
         static_cast<std::uint64_t>(std::popcount(inner == 64 ? 0 : index >> inner));
}

}  // namespace

// ---- Encodings and hashing -------------------------------------------------------------------

std::string to_hex(const Hash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * hash.size());
  for (std::uint8_t b : hash) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

std::optional<Hash> hash_from_hex(std::string_view hex) {
  if (hex.size() != 2 * kHashSize) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Hash out;
  for (std::size_t i = 0; i < kHashSize; ++i) {
    int hi = nibble(hex[2 * i]);
    int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::optional<Hash> hash_from_bytes(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != kHashSize) return std::nullopt;
  Hash out;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

Hash leaf_hash(std::span<const std::uint8_t> entry) {
  static constexpr std::uint8_t kLeafPrefix[] = {0x00};
  return thread_hasher().digest(kLeafPrefix, entry);
}

Hash leaf_hash(std::string_view entry) {
  return leaf_hash(std::span(reinterpret_cast<const std::uint8_t*>(entry.data()), entry.size()));
}

Hash node_hash(const Hash& left, const Hash& right) {
  // One contiguous update is measurably faster than three small ones.
  std::array<std::uint8_t, 1 + 2 * kHashSize> block;
  block[0] = 0x01;
  std::copy(left.begin(), left.end(), block.begin() + 1);
  std::copy(right.begin(), right.end(), block.begin() + 1 + kHashSize);
  return thread_hasher().digest(block);
}

Hash empty_tree_root() {
  return thread_hasher().digest({});
}

Hash sha256_of(std::string_view bytes) {
  return thread_hasher().digest(
      {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

Hash tree_root(std::span<const Hash> leaf_hashes) {
  if (leaf_hashes.empty()) return empty_tree_root();
  // The same right frontier an append-only tree keeps: complete subtrees of strictly decreasing
  // size; merging on every odd index keeps it at most 64 entries.
  std::vector<Hash> frontier;
  for (std::uint64_t i = 0; i < leaf_hashes.size(); ++i) {
    Hash h = leaf_hashes[i];
    for (std::uint64_t j = i; j & 1; j >>= 1) {
      h = node_hash(frontier.back(), h);
      frontier.pop_back();
    }
    frontier.push_back(h);
  }
  Hash root = frontier.back();
  for (std::size_t k = frontier.size() - 1; k-- > 0;) root = node_hash(frontier[k], root);
  return root;
}

// ---- Generation over stored hashes -----------------------------------------------------------

std::vector<StoredHash> hashes_to_store(std::uint64_t index, const Hash& leaf,
                                        const HashReader& read) {
  if (index == UINT64_MAX) throw std::invalid_argument("the tree cannot grow beyond 2^64-1 leaves");
  std::vector<NodeId> siblings;
  for (std::uint64_t i = index, level = 0; i & 1; i >>= 1, ++level) {
    siblings.push_back(NodeId{level, i - 1});
  }
  std::vector<Hash> left = siblings.empty() ? std::vector<Hash>{} : read(siblings);
  if (left.size() != siblings.size()) {
    throw std::runtime_error("HashReader returned the wrong number of hashes");
  }
  std::vector<StoredHash> out;
  out.reserve(1 + siblings.size());
  out.push_back(StoredHash{NodeId{0, index}, leaf});
  Hash h = leaf;
  for (std::uint64_t level = 0; level < left.size(); ++level) {
    h = node_hash(left[level], h);
    out.push_back(StoredHash{NodeId{level + 1, index >> (level + 1)}, h});
  }
  return out;
}

Hash tree_root(std::uint64_t size, const HashReader& read) {
  if (size == 0) return empty_tree_root();
  RangePlan plan;
  plan.add(0, size);
  return plan.hashes(read).front();
}

std::vector<Hash> inclusion_proof(std::uint64_t index, std::uint64_t size, const HashReader& read) {
  if (index >= size) {
    throw std::invalid_argument("inclusion proof: leaf index " + str(index) +
                                " is not below tree size " + str(size));
  }
  // PATH(m, D[lo:hi]) of RFC 9162 §2.1.3.1, unrolled; siblings are collected root first.
  RangePlan plan;
  std::uint64_t lo = 0;
  std::uint64_t hi = size;
  while (hi - lo > 1) {
    std::uint64_t k = split_point(hi - lo);
    if (index < lo + k) {
      plan.add(lo + k, hi);
      hi = lo + k;
    } else {
      plan.add(lo, lo + k);
      lo += k;
    }
  }
  plan.reverse();
  return plan.hashes(read);
}

std::vector<Hash> consistency_proof(std::uint64_t size1, std::uint64_t size2,
                                    const HashReader& read) {
  if (size1 == 0 || size1 > size2) {
    throw std::invalid_argument("consistency proof: needs 0 < size1 <= size2, got " + str(size1) +
                                " and " + str(size2));
  }
  // SUBPROOF(m, D[lo:hi], b) of RFC 9162 §2.1.4.1, unrolled; m stays absolute (= size1).
  RangePlan plan;
  std::uint64_t lo = 0;
  std::uint64_t hi = size2;
  bool whole_old_tree = true;  // b: is D[lo:hi] still the whole of the old tree's ancestry?
  while (size1 != hi) {
    std::uint64_t k = split_point(hi - lo);
    if (size1 <= lo + k) {
      plan.add(lo + k, hi);
      hi = lo + k;
    } else {
      plan.add(lo, lo + k);
      lo += k;
      whole_old_tree = false;
    }
  }
  if (!whole_old_tree) plan.add(lo, hi);
  plan.reverse();
  return plan.hashes(read);
}

// ---- Verification ----------------------------------------------------------------------------

Verification Verification::fail(std::string code, std::string message) {
  Verification v;
  v.problem_ = proof_problem(std::move(code), std::move(message));
  return v;
}

const Problem& Verification::problem() const {
  if (!problem_) throw std::logic_error("Verification::problem() called on a passing verification");
  return *problem_;
}

Verification verify_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                              std::span<const Hash> proof, const Hash& root) {
  if (index >= size) {
    return Verification::fail("merkle.index-out-of-range",
                              "leaf index " + str(index) + " is not below tree size " + str(size));
  }
  std::uint64_t expected = inclusion_proof_length(index, size);
  if (proof.size() != expected) {
    return Verification::fail("merkle.proof-length", "inclusion proof has " + str(proof.size()) +
                                                         " hashes; leaf " + str(index) +
                                                         " of a tree of size " + str(size) +
                                                         " needs " + str(expected));
  }
  // RFC 9162 §2.1.3.2, step by step.
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return Verification::fail("merkle.proof-length", "inclusion proof is too long");
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Verification::fail("merkle.proof-length", "inclusion proof is too short");
  if (r != root) {
    return Verification::fail("merkle.root-mismatch",
                              "inclusion proof for leaf " + str(index) + " leads to root " +
                                  to_hex(r) + ", not to the tree's root " + to_hex(root));
  }
  return Verification::pass();
}

Verification verify_consistency(std::uint64_t size1, std::uint64_t size2,
                                std::span<const Hash> proof, const Hash& root1, const Hash& root2) {
  if (size1 > size2) {
    return Verification::fail("merkle.size-order", "the first tree (size " + str(size1) +
                                                       ") is larger than the second (size " +
                                                       str(size2) + ")");
  }
  if (size1 == 0) {
    return Verification::fail("merkle.empty-tree",
                              "a consistency proof from the empty tree proves nothing");
  }
  if (size1 == size2) {
    if (!proof.empty()) {
      return Verification::fail("merkle.proof-length",
                                "trees of equal size need an empty consistency proof, got " +
                                    str(proof.size()) + " hashes");
    }
    if (root1 != root2) {
      return Verification::fail("merkle.root-mismatch",
                                "two trees of size " + str(size1) + " have different roots");
    }
    return Verification::pass();
  }

  // When size1 is a power of two the old root is itself a node of the new tree, so the proof
  // omits it and the walk starts from root1 (RFC 9162 §2.1.4.2 step 2).
  const bool starts_at_old_root = std::has_single_bit(size1);
  const int shift = std::countr_zero(size1);
  const std::uint64_t expected = (starts_at_old_root ? 0 : 1) +
                                 inclusion_proof_length(size1 - 1, size2) -
                                 static_cast<std::uint64_t>(shift);
  if (proof.size() != expected) {
    return Verification::fail("merkle.proof-length", "consistency proof has " + str(proof.size()) +
                                                         " hashes; from size " + str(size1) +
                                                         " to size " + str(size2) + " it needs " +
                                                         str(expected));
  }

  std::size_t next = 0;
  const Hash& first = starts_at_old_root ? root1 : proof[next++];
  std::uint64_t fn = size1 - 1;
  std::uint64_t sn = size2 - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = first;
  Hash sr = first;
  for (; next < proof.size(); ++next) {
    const Hash& c = proof[next];
    if (sn == 0) return Verification::fail("merkle.proof-length", "consistency proof is too long");
    if ((fn & 1) != 0 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Verification::fail("merkle.proof-length", "consistency proof is too short");
  if (fr != root1) {
    return Verification::fail("merkle.root-mismatch",
                              "consistency proof does not lead to the first root " + to_hex(root1) +
                                  " (size " + str(size1) + ")");
  }
  if (sr != root2) {
    return Verification::fail("merkle.root-mismatch",
                              "consistency proof does not lead to the second root " +
                                  to_hex(root2) + " (size " + str(size2) + ")");
  }
  return Verification::pass();
}

// ---- MerkleTree ------------------------------------------------------------------------------

std::uint64_t MerkleTree::size() const {
  return levels_.empty() ? 0 : levels_[0].size();
}

std::uint64_t MerkleTree::append(const Hash& leaf) {
  const std::uint64_t index = size();
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf);
  // Every odd index completes a subtree one level up: the same nodes hashes_to_store returns,
  // computed from memory without the reader round trip.
  Hash h = leaf;
  std::size_t level = 0;
  for (std::uint64_t i = index; i & 1; i >>= 1) {
    h = node_hash(levels_[level][i - 1], h);
    ++level;
    if (levels_.size() == level) levels_.emplace_back();
    levels_[level].push_back(h);
  }
  return index;
}

std::uint64_t MerkleTree::append_entry(std::span<const std::uint8_t> entry) {
  return append(leaf_hash(entry));
}

std::uint64_t MerkleTree::append_entry(std::string_view entry) {
  return append(leaf_hash(entry));
}

Hash MerkleTree::root() const {
  return root(size());
}

Hash MerkleTree::root(std::uint64_t tree_size) const {
  if (tree_size > size()) {
    throw std::invalid_argument("root: size " + str(tree_size) + " is beyond the tree's " +
                                str(size()) + " leaves");
  }
  return tree_root(tree_size, reader());
}

std::vector<Hash> MerkleTree::inclusion_proof(std::uint64_t index, std::uint64_t tree_size) const {
  if (tree_size > size()) {
    throw std::invalid_argument("inclusion proof: size " + str(tree_size) +
                                " is beyond the tree's " + str(size()) + " leaves");
  }
  return registry::inclusion_proof(index, tree_size, reader());
}

std::vector<Hash> MerkleTree::consistency_proof(std::uint64_t size1, std::uint64_t size2) const {
  if (size2 > size()) {
    throw std::invalid_argument("consistency proof: size " + str(size2) + " is beyond the tree's " +
                                str(size()) + " leaves");
  }
  return registry::consistency_proof(size1, size2, reader());
}

const Hash& MerkleTree::stored_hash(NodeId node) const {
  if (node.level >= levels_.size() || node.index >= levels_[node.level].size()) {
    throw std::out_of_range("no stored hash at level " + str(node.level) + " index " +
                            str(node.index) + " in a tree of size " + str(size()));
  }
  return levels_[node.level][node.index];
}

HashReader MerkleTree::reader() const {
  return [this](std::span<const NodeId> nodes) {
    std::vector<Hash> out;
    out.reserve(nodes.size());
    for (const NodeId& n : nodes) out.push_back(stored_hash(n));
    return out;
  };
}

}  // namespace candor::registry
