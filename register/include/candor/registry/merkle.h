// The register's Merkle tree: RFC 6962 / RFC 9162 hashing, roots, proofs and their verification.
//
// Hashing is exactly RFC 9162 §2.1.1 with SHA-256, so every CT / C2SP tool can check our log:
//   leaf hash = SHA-256(0x00 ‖ entry)        node hash = SHA-256(0x01 ‖ left ‖ right)
//   the root of the empty tree = SHA-256("")
//
// Storage model (the one of tlog-tiles and Go's sumdb/tlog): only hashes of *complete* subtrees are
// stored, addressed by NodeId{level, index}, which covers leaves [index·2^level, (index+1)·2^level).
// Level 0 holds the leaf hashes. Those hashes never change once written, so a store can persist
// them as they appear (hashes_to_store) and any root or proof for any size is computed on demand
// from O(log n) of them. Proof generation is generic over a HashReader, so the in-memory
// MerkleTree and a database produce identical proofs from the same code.
//
// Errors: asking for a proof the tree cannot have (index ≥ size, size beyond the stored leaves) is
// a programmer error and throws std::invalid_argument; a reader that cannot supply a hash throws
// whatever it throws. Verifiers take untrusted input and never throw: they return a Verification
// saying why a proof does not hold.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/problem.h"

namespace candor::registry {

inline constexpr std::size_t kHashSize = 32;

// A SHA-256 digest: a leaf hash, an interior node hash or a tree root.
using Hash = std::array<std::uint8_t, kHashSize>;

// Lowercase hex, and its strict inverse (exactly 64 hex digits, either case).
std::string to_hex(const Hash& hash);
std::optional<Hash> hash_from_hex(std::string_view hex);
// Exactly 32 bytes, or nothing: the one gate between untrusted bytes and a Hash.
std::optional<Hash> hash_from_bytes(std::span<const std::uint8_t> bytes);

Hash leaf_hash(std::span<const std::uint8_t> entry);
Hash leaf_hash(std::string_view entry);
Hash node_hash(const Hash& left, const Hash& right);
Hash empty_tree_root();
// Plain SHA-256 of some bytes (what log statements use to name a body or a note).
Hash sha256_of(std::string_view bytes);

// The RFC 6962 Merkle Tree Hash of the given leaf hashes (O(n) time, O(log n) memory).
Hash tree_root(std::span<const Hash> leaf_hashes);

// ---- Stored hashes -------------------------------------------------------------------------

// A complete subtree: leaves [index << level, (index + 1) << level). level < 64.
struct NodeId {
  std::uint64_t level = 0;
  std::uint64_t index = 0;
  friend bool operator==(const NodeId&, const NodeId&) = default;
};

struct StoredHash {
  NodeId node;
  Hash hash;
};

// Returns the stored hash of each requested node, in request order. One call per root or proof,
// so a database can answer with one query. It throws if a hash is missing (a corrupt store is not
// a condition the proof code can work around).
using HashReader = std::function<std::vector<Hash>(std::span<const NodeId>)>;

// The hashes that appending the leaf with hash `leaf` at position `index` (the tree then has
// `index` leaves) adds to storage: the leaf itself, plus one node per subtree it completes. Reads
// the left siblings it needs (at most 63) through `read`.
std::vector<StoredHash> hashes_to_store(std::uint64_t index, const Hash& leaf,
                                        const HashReader& read);

// Root of the tree made of the first `size` leaves.
Hash tree_root(std::uint64_t size, const HashReader& read);

// RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the tree of `size` leaves, ordered from
// the leaf's sibling up to the root's child. Requires index < size.
std::vector<Hash> inclusion_proof(std::uint64_t index, std::uint64_t size, const HashReader& read);

// RFC 9162 §2.1.4.1 consistency proof from the tree of size1 leaves to the tree of size2.
// Requires 0 < size1 <= size2; size1 == size2 gives an empty proof.
std::vector<Hash> consistency_proof(std::uint64_t size1, std::uint64_t size2,
                                    const HashReader& read);

// ---- Verification of untrusted proofs --------------------------------------------------------

// Whether an untrusted proof holds and, when it does not, why (Problem::code is stable, e.g.
// "merkle.root-mismatch"; Problem::message is for people).
class [[nodiscard]] Verification {
 public:
  static Verification pass() { return Verification{}; }
  static Verification fail(std::string code, std::string message);

  bool ok() const { return !problem_.has_value(); }
  explicit operator bool() const { return ok(); }
  // The reason; throws std::logic_error on a passing Verification.
  const Problem& problem() const;

 private:
  std::optional<Problem> problem_;
};

// RFC 9162 §2.1.3.2: does `proof` prove `leaf` is leaf number `index` of the tree of `size`
// leaves whose root is `root`?
Verification verify_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                              std::span<const Hash> proof, const Hash& root);

// RFC 9162 §2.1.4.2: does `proof` prove the tree (size1, root1) is a prefix of (size2, root2)?
// size1 == 0 is refused: every tree extends the empty one, so such a "proof" proves nothing and
// the transparency-dev vectors require it to fail. Callers skip the check when they have no
// earlier checkpoint. size1 == size2 needs an empty proof and root1 == root2.
Verification verify_consistency(std::uint64_t size1, std::uint64_t size2,
                                std::span<const Hash> proof, const Hash& root1, const Hash& root2);

// ---- In-memory tree ------------------------------------------------------------------------

// An append-only tree keeping every stored hash in memory (2 hashes per leaf, 64 bytes), for
// tests, tools, and as the model a persistent store follows. Not thread-safe for writes.
class MerkleTree {
 public:
  std::uint64_t size() const;

  // Appends a leaf by its hash; returns its index.
  std::uint64_t append(const Hash& leaf_hash);
  std::uint64_t append_entry(std::span<const std::uint8_t> entry);
  std::uint64_t append_entry(std::string_view entry);

  Hash root() const;
  Hash root(std::uint64_t size) const;  // size <= this->size()
  std::vector<Hash> inclusion_proof(std::uint64_t index, std::uint64_t size) const;
  std::vector<Hash> consistency_proof(std::uint64_t size1, std::uint64_t size2) const;

  // The stored hash of a complete subtree; throws std::out_of_range if it is not complete yet.
  const Hash& stored_hash(NodeId node) const;
  // A reader over this tree's stored hashes; valid while the tree lives.
  HashReader reader() const;

 private:
  std::vector<std::vector<Hash>> levels_;  // levels_[l][i] is NodeId{l, i}
};

}  // namespace candor::registry
