// Writes the generated part of the fuzz seed corpora: signed notes, checkpoints, statements,
// receipts and Merkle proofs made from a real tree with the known-answer key of
// docs/log-format.md, so the fuzzers start from inputs that verify. Deterministic: the same
// bytes every run. Usage: fuzz_make_seeds CORPUS_DIR (tests/fuzz/make-corpus calls it).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "candor/registry/checkpoint.h"
#include "candor/registry/leaf.h"
#include "candor/registry/merkle.h"
#include "candor/registry/note.h"
#include "candor/registry/receipt.h"
#include "candor/registry/review.h"

using namespace candor::registry;
namespace fs = std::filesystem;

namespace {

constexpr const char* kOrigin = "example.org/ai-register";

NoteSigner signer(const std::string& name, std::uint8_t first) {
  Ed25519Seed seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(first + i);
  return NoteSigner::from_seed(name, seed);
}

void write(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + (dir / name).string());
}

LeafStatement leaf(std::uint64_t i) {
  LeafStatement s;
  s.origin = kOrigin;
  s.organisation = "northern-growth-agency";
  s.record_id = "record-" + std::to_string(i / 2);
  s.version = i % 2 + 1;
  s.action = i % 2 == 0 ? LeafAction::create : LeafAction::update;
  s.body_hash = sha256_of("body " + std::to_string(i));
  if (i % 2 == 1) s.previous_leaf = i - 1;
  s.accepted_at = "2026-09-14T10:00:0" + std::to_string(i % 10) + "Z";
  return s;
}

std::string u64le(std::uint64_t v) {
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return out;
}

std::string bytes(const Hash& h) {
  return std::string(h.begin(), h.end());
}

std::string bytes(const std::vector<Hash>& hashes) {
  std::string out;
  for (const Hash& h : hashes) out += bytes(h);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_seeds CORPUS_DIR\n");
    return 2;
  }
  const fs::path corpus = argv[1];
  const NoteSigner log_key = signer(kOrigin, 0);
  const NoteSigner witness = signer("witness.example", 32);

  // A log of 7 statements: 6 record versions and a review note of the first.
  MerkleTree tree;
  std::vector<std::string> entries;
  for (std::uint64_t i = 0; i < 6; ++i) entries.push_back(format_leaf(leaf(i)));
  ReviewStatement review{
      kOrigin, "northern-growth-agency",           "record-0",         1,
      0,       sha256_of("A regulator's note.\n"), "regulator-office", "2026-09-15T09:00:00Z"};
  entries.push_back(format_review(review));
  for (const std::string& e : entries) tree.append_entry(e);

  const fs::path notes = corpus / "fuzz_signed_note";
  const Checkpoint checkpoint{kOrigin, tree.size(), tree.root(), {}};
  const std::string signed_checkpoint = sign_checkpoint(checkpoint, log_key);
  write(notes, "gen-checkpoint-7.note", signed_checkpoint);
  write(notes, "gen-checkpoint-empty.note",
        sign_checkpoint({kOrigin, 0, empty_tree_root(), {}}, log_key));
  write(notes, "gen-checkpoint-extension.note",
        sign_checkpoint({kOrigin, 3, tree.root(3), {"extension line"}}, log_key));
  const std::string body = format_checkpoint(checkpoint);
  write(notes, "gen-cosigned.note", format_note({body, {log_key.sign(body), witness.sign(body)}}));
  write(notes, "gen-leaf.txt", entries[1]);
  write(notes, "gen-review.txt", entries[6]);
  write(notes, "gen-vkey.txt", log_key.verifier().to_string());

  const fs::path receipts = corpus / "fuzz_receipt";
  for (const std::uint64_t index : {0u, 3u, 6u}) {
    const Receipt r{entries[index], index, tree.inclusion_proof(index, tree.size()),
                    signed_checkpoint};
    write(receipts, "gen-receipt-" + std::to_string(index) + ".tlog-proof", format_receipt(r));
  }

  const fs::path proofs = corpus / "fuzz_merkle_proof";
  for (const std::uint64_t index : {0u, 4u, 6u}) {
    write(proofs, "gen-inclusion-" + std::to_string(index),
          std::string(1, '\0') + u64le(index) + u64le(tree.size()) +
              bytes(tree.stored_hash({0, index})) + bytes(tree.root()) +
              bytes(tree.inclusion_proof(index, tree.size())));
  }
  for (const std::uint64_t size1 : {1u, 3u, 4u}) {
    write(proofs, "gen-consistency-" + std::to_string(size1),
          std::string(1, '\1') + u64le(size1) + u64le(tree.size()) + bytes(tree.root(size1)) +
              bytes(tree.root()) + bytes(tree.consistency_proof(size1, tree.size())));
  }
  write(proofs, "gen-model", std::string("\2\x40\x11\x05\x21\x07\x33", 7));
  return 0;
}
