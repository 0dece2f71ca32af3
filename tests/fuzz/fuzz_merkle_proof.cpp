// Fuzz target: the Merkle proof verifiers (RFC 9162 §2.1.3.2 and §2.1.4.2), which take every
// number and hash from untrusted proofs. The first byte picks a mode:
//   0  inclusion:   index (u64 LE), size (u64 LE), leaf hash, root, then proof hashes
//   1  consistency: size1 (u64 LE), size2 (u64 LE), root1, root2, then proof hashes
//   2  model check: a real tree of 1-256 leaves built from the input; its genuine proofs must
//      verify and the same proofs with one bit flipped (chosen by the input) must not
// Hashes are 32 bytes each; a trailing partial hash is ignored. make_seeds.cpp writes seeds in
// this layout from real trees.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "candor/registry/merkle.h"

using namespace candor::registry;

namespace {

// Reads the input front to back; past the end it yields zeros, so every input is usable.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t{byte()} << (8 * i);
    return v;
  }
  Hash hash() {
    Hash h{};
    for (auto& b : h) b = byte();
    return h;
  }
  std::vector<Hash> hashes() {
    std::vector<Hash> out;
    while (size_ - std::min(at_, size_) >= kHashSize) out.push_back(hash());
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

void check_inclusion(Reader& in) {
  const std::uint64_t index = in.u64();
  const std::uint64_t size = in.u64();
  const Hash leaf = in.hash();
  const Hash root = in.hash();
  const std::vector<Hash> proof = in.hashes();
  (void)verify_inclusion(index, size, leaf, proof, root);
}

void check_consistency(Reader& in) {
  const std::uint64_t size1 = in.u64();
  const std::uint64_t size2 = in.u64();
  const Hash root1 = in.hash();
  const Hash root2 = in.hash();
  const std::vector<Hash> proof = in.hashes();
  (void)verify_consistency(size1, size2, proof, root1, root2);
}

// Flips one bit of one proof hash; false when the proof is empty (nothing to tamper with).
bool tamper(std::vector<Hash>& proof, std::uint8_t which, std::uint8_t bit) {
  if (proof.empty()) return false;
  proof[which % proof.size()][(bit / 8) % kHashSize] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  return true;
}

// Genuine proofs from the in-memory tree must verify; tampered ones must not. A violation is a
// verifier bug that would let a forged proof through (or refuse a true one): trap.
void check_model(Reader& in) {
  MerkleTree tree;
  const std::uint64_t size = std::uint64_t{in.byte()} + 1;
  for (std::uint64_t i = 0; i < size; ++i) {
    const std::uint8_t entry[2] = {static_cast<std::uint8_t>(i), in.byte()};
    tree.append_entry(std::span<const std::uint8_t>(entry, 2));
  }
  const std::uint64_t index = in.byte() % size;
  const std::uint64_t size1 = in.byte() % size + 1;
  const std::uint8_t which = in.byte();
  const std::uint8_t bit = in.byte();

  std::vector<Hash> inclusion = tree.inclusion_proof(index, size);
  const Hash leaf = tree.stored_hash({0, index});
  if (!verify_inclusion(index, size, leaf, inclusion, tree.root())) __builtin_trap();
  if (tamper(inclusion, which, bit) && verify_inclusion(index, size, leaf, inclusion, tree.root()))
    __builtin_trap();

  std::vector<Hash> consistency = tree.consistency_proof(size1, size);
  if (!verify_consistency(size1, size, consistency, tree.root(size1), tree.root()))
    __builtin_trap();
  if (tamper(consistency, which, bit) &&
      verify_consistency(size1, size, consistency, tree.root(size1), tree.root()))
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader in(data, size);
  switch (in.byte() % 3) {
    case 0:
      check_inclusion(in);
      break;
    case 1:
      check_consistency(in);
      break;
    default:
      check_model(in);
      break;
  }
  return 0;
}
