#include "candor/registry/log_audit.h"

#include <array>
#include <map>
#include <utility>

#include "candor/registry/log_entry.h"
#include "candor/registry/tiles.h"

namespace candor::registry {

namespace {

std::string str(std::uint64_t n) {
  return std::to_string(n);
}

Problem problem(std::string code, std::string message, std::string hint = {}) {
  Problem p;
  p.code = std::move(code);
  p.message = std::move(message);
  p.hint = std::move(hint);
  return p;
}

// Thrown inside the auditor to stop at the first failure that makes going on pointless.
struct Stop {
  AuditOutcome outcome;
  Problems problems;
};

[[noreturn]] void fail(std::string code, std::string message, std::string hint = {}) {
  throw Stop{AuditOutcome::failed,
             Problems{problem(std::move(code), std::move(message), std::move(hint))}};
}

// The right frontier of an append-only tree: the root of every prefix, in O(log n) memory.
class Frontier {
 public:
  void add(const Hash& leaf) {
    Hash h = leaf;
    for (std::uint64_t j = size_; (j & 1) != 0; j >>= 1) {
      h = node_hash(hashes_.back(), h);
      hashes_.pop_back();
    }
    hashes_.push_back(h);
    ++size_;
  }
  std::uint64_t size() const { return size_; }
  Hash root() const {
    if (hashes_.empty()) return empty_tree_root();
    Hash r = hashes_.back();
    for (std::size_t k = hashes_.size() - 1; k-- > 0;) r = node_hash(hashes_[k], r);
    return r;
  }

 private:
  std::vector<Hash> hashes_;
  std::uint64_t size_ = 0;
};

class Auditor {
 public:
  Auditor(const LogFetcher& fetch, const AuditOptions& options, AuditReport& report)
      : fetch_(fetch), options_(options), report_(report) {}

  void run() {
    open_checkpoint_note();
    const Checkpoint& cp = *report_.checkpoint;
    compare_with_previous_first(cp);
    recompute(cp);
    if (options_.previous && options_.previous->size > 0 && options_.previous->size <= cp.size) {
      check_consistency(cp);
      report_.checked_against_previous = true;
    }
  }

 private:
  std::string get(const std::string& path, std::size_t max_bytes) {
    try {
      return fetch_(path, max_bytes);
    } catch (const FetchError& e) {
      if (e.not_found() && report_.checkpoint) {
        fail("log.missing",
             "the log does not serve " + path + ", which its checkpoint (size " +
                 str(report_.checkpoint->size) + ") requires: " + e.what(),
             "a copy of a log must hold every tile and entry bundle of its checkpoint");
      }
      throw Stop{
          AuditOutcome::unavailable,
          Problems{problem("log.unavailable", "cannot fetch " + path + ": " + e.what(),
                           e.not_found() ? "check the log's address (DIR or URL prefix)" : "")}};
    }
  }

  void open_checkpoint_note() {
    report_.checkpoint_note = get("checkpoint", kMaxNoteBytes);
    auto opened = open_checkpoint(report_.checkpoint_note, options_.origin, options_.keys);
    if (!opened.ok()) {
      Problems problems = opened.problems();
      for (Problem& p : problems) p.file = "checkpoint";
      throw Stop{AuditOutcome::failed, std::move(problems)};
    }
    report_.checkpoint = opened.value();
  }

  // What can be decided from the two checkpoints alone, before fetching anything else.
  void compare_with_previous_first(const Checkpoint& cp) {
    if (!options_.previous) return;
    const Checkpoint& prev = *options_.previous;
    if (cp.size < prev.size) {
      fail("log.rollback",
           "rollback: the log now says it has " + str(cp.size) + " entries, but it said " +
               str(prev.size) + " before (root " + to_hex(prev.root) +
               "). A transparency log only grows; entries have been withdrawn, or this copy of the "
               "log is stale (an old mirror or cache)",
           "keep both signed checkpoints: together they show the log going backwards");
    }
    if (cp.size == prev.size && cp.root != prev.root) {
      fail("log.fork",
           "fork: the log signed two different trees of the same size " + str(cp.size) + ": root " +
               to_hex(cp.root) + " now, root " + to_hex(prev.root) +
               " before. Its history has been rewritten, or it shows different histories to "
               "different people",
           "keep both signed checkpoints: together they prove the fork");
    }
  }

  void recompute(const Checkpoint& cp) {
    const std::uint64_t size = cp.size;
    const std::uint64_t full_bundles = size >> 8;
    const std::uint32_t last_width = static_cast<std::uint32_t>(size & 0xff);
    std::optional<Hash> root_at_previous;
    const std::uint64_t previous_size = options_.previous ? options_.previous->size : 0;

    for (std::uint64_t n = 0; n <= full_bundles; ++n) {
      const std::uint32_t width = n < full_bundles ? kTileWidth : last_width;
      if (width == 0) break;
      const TileId bundle = entry_bundle(n, width);
      const std::string path = tile_path(bundle);
      const std::string data = get(path, std::size_t{width} * (2 + kMaxBundleEntryBytes));
      auto entries = parse_entry_bundle(bundle, data);
      if (!entries.ok()) {
        throw Stop{AuditOutcome::failed, entries.problems()};
      }
      ++report_.bundles;
      for (const std::string& entry : entries.value()) {
        const std::uint64_t index = frontier_.size();
        const Hash h = leaf_hash(entry);
        if (options_.candor_leaves) check_leaf(index, entry, cp.origin);
        frontier_.add(h);
        if (frontier_.size() == previous_size) root_at_previous = frontier_.root();
        push(0, h);
      }
      report_.entries = frontier_.size();
      if (options_.progress) options_.progress(report_.entries, size);
    }
    // The rightmost tile of each level is partial (or absent when the level ends on a full one).
    for (unsigned level = 0; level < levels_.size(); ++level) {
      if (!levels_[level].hashes.empty()) {
        compare_tile(hash_tile(static_cast<std::uint8_t>(level), levels_[level].full_done,
                               static_cast<std::uint32_t>(levels_[level].hashes.size())),
                     levels_[level].hashes);
      }
    }
    if (entry_problems_ > options_.max_entry_problems) {
      report_.problems.push_back(
          problem("log.entry", "... and " + str(entry_problems_ - options_.max_entry_problems) +
                                   " more entries that are not valid Candor log entries"));
    }
    report_.records = chains_.size();

    const Hash root = frontier_.root();
    if (root != cp.root) {
      fail("log.root-mismatch", "the log's " + str(size) + " entries hash to the root " +
                                    to_hex(root) + ", but its signed checkpoint says " +
                                    to_hex(cp.root) +
                                    ": the entries served are not the ones the log signed");
    }
    if (root_at_previous && *root_at_previous != options_.previous->root) {
      fail("log.fork",
           "fork: the first " + str(previous_size) + " entries the log serves now hash to root " +
               to_hex(*root_at_previous) + ", but the log signed root " +
               to_hex(options_.previous->root) +
               " for that size before. Its history has been "
               "rewritten, or it shows different histories to different people",
           "keep both signed checkpoints: together they prove the fork");
    }
  }

  struct Level {
    std::vector<Hash> hashes;     // of the tile being filled
    std::uint64_t full_done = 0;  // full tiles completed at this level
  };

  void push(unsigned level, const Hash& h) {
    Level& l = levels_.at(level);
    l.hashes.push_back(h);
    if (l.hashes.size() < kTileWidth) return;
    compare_tile(hash_tile(static_cast<std::uint8_t>(level), l.full_done), l.hashes);
    const Hash up = full_tile_hash(l.hashes);
    l.hashes.clear();
    ++l.full_done;
    push(level + 1, up);
  }

  void compare_tile(const TileId& tile, const std::vector<Hash>& computed) {
    const std::string path = tile_path(tile);
    const std::string data = get(path, std::size_t{tile.width} * kHashSize);
    auto served = parse_tile(tile, data);
    if (!served.ok()) throw Stop{AuditOutcome::failed, served.problems()};
    ++report_.tiles;
    for (std::size_t i = 0; i < computed.size(); ++i) {
      if (served.value()[i] == computed[i]) continue;
      if (tile.level == 0) {
        fail("log.tile-mismatch", path + " and " + tile_path(entry_bundle(tile.index, tile.width)) +
                                      " disagree on entry " + str(tile.first_leaf() + i) +
                                      ": the tile says leaf hash " + to_hex(served.value()[i]) +
                                      ", the entry hashes to " + to_hex(computed[i]) +
                                      ". One of them has been altered");
      }
      fail("log.tile-mismatch", path + " hash " + str(i) + " is " + to_hex(served.value()[i]) +
                                    ", but the entries " + "below it hash to " +
                                    to_hex(computed[i]) + ". The tile has been altered");
    }
  }

  void entry_problem(std::uint64_t index, const std::string& message) {
    if (++entry_problems_ > options_.max_entry_problems) return;
    report_.problems.push_back(problem("log.entry", "entry " + str(index) + ": " + message));
  }

  void check_leaf(std::uint64_t index, const std::string& entry, const std::string& origin) {
    auto parsed = parse_log_entry(entry);
    if (!parsed.ok()) {
      entry_problem(index, "not a Candor log entry: " + parsed.problems().front().message);
      return;
    }
    if (entry_origin(parsed.value()) != origin) {
      entry_problem(index, "its statement names the log \"" + entry_origin(parsed.value()) +
                               "\", not \"" + origin + "\"");
    }
    if (const auto* review = std::get_if<ReviewStatement>(&parsed.value())) {
      check_review(index, *review);
      return;
    }
    const LeafStatement& leaf = std::get<LeafStatement>(parsed.value());
    const std::string key = leaf.organisation + "/" + leaf.record_id;
    auto found = chains_.find(key);
    if (leaf.version == 1) {
      if (found != chains_.end()) {
        entry_problem(index, "creates " + key + " again (entry " + str(found->second.leaf) +
                                 " already holds its version " + str(found->second.version) + ")");
      }
    } else if (found == chains_.end()) {
      entry_problem(index, "logs version " + str(leaf.version) + " of " + key +
                               ", which no earlier entry created");
    } else if (leaf.previous_leaf != found->second.leaf ||
               leaf.version != found->second.version + 1) {
      entry_problem(index, "logs version " + str(leaf.version) + " of " + key + " after entry " +
                               (leaf.previous_leaf ? str(*leaf.previous_leaf) : "-") +
                               ", but the record's latest version before it is version " +
                               str(found->second.version) + " at entry " + str(found->second.leaf));
    }
    Chain& chain = chains_[key];
    if (leaf.version == 1) chain.versions.clear();
    chain.leaf = index;
    chain.version = leaf.version;
    chain.versions[leaf.version] = index;
  }

  // A review must name an earlier entry that is the reviewed version of that record.
  void check_review(std::uint64_t index, const ReviewStatement& review) {
    ++report_.reviews;
    const std::string key = review.organisation + "/" + review.record_id;
    const auto found = chains_.find(key);
    bool known = false;
    if (found != chains_.end()) {
      const auto version = found->second.versions.find(review.version);
      known = version != found->second.versions.end() && version->second == review.leaf_index;
    }
    if (!known) {
      entry_problem(index, "reviews version " + str(review.version) + " of " + key + " at entry " +
                               str(review.leaf_index) +
                               ", but no earlier entry is that version of that record");
    }
  }

  void check_consistency(const Checkpoint& cp) {
    const Checkpoint& prev = *options_.previous;
    TileHashReader tiles(cp.size, cp.root, [this](const TileId& tile) {
      return get(tile_path(tile), std::size_t{tile.width} * kHashSize);
    });
    std::vector<Hash> proof;
    try {
      proof = consistency_proof(prev.size, cp.size, tiles.reader());
    } catch (const TileError& e) {
      fail("log.tile-mismatch", e.what());
    }
    auto verified = verify_consistency(prev.size, cp.size, proof, prev.root, cp.root);
    if (!verified) {
      fail("log.consistency",
           "fork: the tiles give no valid consistency proof from the tree you saw before (size " +
               str(prev.size) + ") to this one (size " + str(cp.size) +
               "): " + verified.problem().message,
           "keep both signed checkpoints: together they prove the fork");
    }
  }

  struct Chain {
    std::uint64_t leaf = 0;                           // the latest version's entry
    std::uint64_t version = 0;                        // the latest version
    std::map<std::uint64_t, std::uint64_t> versions;  // every version's entry, for reviews
  };

  const LogFetcher& fetch_;
  const AuditOptions& options_;
  AuditReport& report_;
  Frontier frontier_;
  std::array<Level, 8> levels_;
  std::map<std::string, Chain> chains_;
  std::size_t entry_problems_ = 0;
};

}  // namespace

AuditReport audit_log(const LogFetcher& fetch, const AuditOptions& options) {
  AuditReport report;
  try {
    Auditor(fetch, options, report).run();
    report.outcome = report.problems.empty() ? AuditOutcome::verified : AuditOutcome::failed;
  } catch (const Stop& stop) {
    report.outcome = stop.outcome;
    report.problems.insert(report.problems.end(), stop.problems.begin(), stop.problems.end());
  } catch (const TileError& e) {
    report.outcome = AuditOutcome::failed;
    report.problems.push_back(problem("log.tile-mismatch", e.what()));
  } catch (const std::exception& e) {
    report.outcome = AuditOutcome::unavailable;
    report.problems.push_back(problem("log.unavailable", e.what()));
  }
  return report;
}

}  // namespace candor::registry
