// Whole-log audits (log_audit.h) over logs built in memory: a good log verifies; rollbacks, forks,
// altered entries, tiles or roots, missing files and broken version chains are refused with the
// reason; fetch failures are "unavailable", not "failed".
#include <catch2/catch.hpp>

#include <map>

#include "candor/registry/checkpoint.h"
#include "candor/registry/leaf.h"
#include "candor/registry/log_audit.h"
#include "candor/registry/merkle.h"
#include "candor/registry/review.h"
#include "candor/registry/tiles.h"

using namespace candor::registry;

namespace {

constexpr std::string_view kOrigin = "example.org/ai-register";

NoteSigner test_key(std::uint8_t first = 0) {
  Ed25519Seed seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(first + i);
  return NoteSigner::from_seed(std::string(kOrigin), seed);
}

// Leaf statements for `records` records, each updated `versions` times, interleaved.
std::vector<std::string> candor_entries(int records, int versions,
                                        std::string_view origin = kOrigin) {
  std::vector<std::string> out;
  std::map<int, std::uint64_t> last;
  for (int v = 1; v <= versions; ++v) {
    for (int r = 0; r < records; ++r) {
      LeafStatement leaf;
      leaf.origin = std::string(origin);
      leaf.organisation = "org-" + std::to_string(r % 3);
      leaf.record_id = "record-" + std::to_string(r);
      leaf.version = static_cast<std::uint64_t>(v);
      leaf.action = v == 1 ? LeafAction::create : LeafAction::update;
      leaf.body_hash = leaf_hash("body " + std::to_string(r) + " " + std::to_string(v));
      if (v > 1) leaf.previous_leaf = last.at(r);
      leaf.accepted_at = "2026-09-14T10:00:00Z";
      last[r] = out.size();
      out.push_back(format_leaf(leaf));
    }
  }
  return out;
}

struct Log {
  std::vector<std::string> entries;
  MerkleTree tree;
  std::map<std::string, std::string> files;

  Log(std::vector<std::string> e, const NoteSigner& key) : entries(std::move(e)) {
    for (const std::string& entry : entries) tree.append_entry(entry);
    write_tiles(
        tree.size(), tree.reader(),
        [this](std::uint64_t b, std::uint64_t end) {
          return std::vector<std::string>(entries.begin() + static_cast<std::ptrdiff_t>(b),
                                          entries.begin() + static_cast<std::ptrdiff_t>(end));
        },
        [this](const TileId& t, std::string_view bytes) {
          files[tile_path(t)] = std::string(bytes);
        });
    files["checkpoint"] = sign_checkpoint(checkpoint(), key);
  }
  Checkpoint checkpoint() const {
    return Checkpoint{std::string(kOrigin), tree.size(), tree.root(), {}};
  }
  Checkpoint checkpoint_at(std::uint64_t size) const {
    return Checkpoint{std::string(kOrigin), size, tree.root(size), {}};
  }
  LogFetcher fetcher() const {
    return [this](const std::string& path, std::size_t max_bytes) {
      auto found = files.find(path);
      if (found == files.end()) throw FetchError("no such file " + path, true);
      if (found->second.size() > max_bytes) throw FetchError(path + " is too large", false);
      return found->second;
    };
  }
};

AuditOptions options_for(const NoteSigner& key) {
  AuditOptions o;
  o.origin = std::string(kOrigin);
  o.keys = {key.verifier()};
  return o;
}

std::string first_code(const AuditReport& report) {
  return report.problems.empty() ? "" : report.problems.front().code;
}

}  // namespace

TEST_CASE("a good log verifies entry by entry and tile by tile", "[tlog][audit]") {
  const NoteSigner key = test_key();
  const Log log(candor_entries(200, 3), key);  // 600 entries: 2 full bundles and a partial one
  std::vector<std::uint64_t> progress;
  AuditOptions options = options_for(key);
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    CHECK(total == 600);
    progress.push_back(done);
  };
  const AuditReport report = audit_log(log.fetcher(), options);
  INFO((report.problems.empty() ? "" : report.problems.front().message));
  CHECK(report.outcome == AuditOutcome::verified);
  CHECK(report.problems.empty());
  CHECK(report.entries == 600);
  CHECK(report.bundles == 3);
  CHECK(report.tiles == 4);  // 0/000, 0/001, 0/002.p/88, 1/000.p/2
  CHECK(report.records == 200);
  CHECK(report.checkpoint == log.checkpoint());
  CHECK(report.checkpoint_note == log.files.at("checkpoint"));
  CHECK_FALSE(report.checked_against_previous);
  CHECK(progress == std::vector<std::uint64_t>{256, 512, 600});
}

TEST_CASE("a log that extends the previous checkpoint verifies against it", "[tlog][audit]") {
  const NoteSigner key = test_key();
  const Log log(candor_entries(100, 7), key);  // 700 entries
  for (std::uint64_t previous : {1, 255, 256, 257, 512, 699, 700}) {
    INFO("previous size " << previous);
    AuditOptions options = options_for(key);
    options.previous = log.checkpoint_at(previous);
    const AuditReport report = audit_log(log.fetcher(), options);
    CHECK(report.outcome == AuditOutcome::verified);
    CHECK(report.checked_against_previous);
  }
  AuditOptions options = options_for(key);
  options.previous = Checkpoint{std::string(kOrigin), 0, empty_tree_root(), {}};
  CHECK(audit_log(log.fetcher(), options).outcome == AuditOutcome::verified);
}

TEST_CASE("the empty log verifies", "[tlog][audit]") {
  const NoteSigner key = test_key();
  const Log log({}, key);
  CHECK(log.files.size() == 1);
  const AuditReport report = audit_log(log.fetcher(), options_for(key));
  CHECK(report.outcome == AuditOutcome::verified);
  CHECK(report.entries == 0);
}

TEST_CASE("rollbacks and forks are refused and explained", "[tlog][audit]") {
  const NoteSigner key = test_key();
  const Log log(candor_entries(100, 3), key);  // 300 entries

  SECTION("a smaller tree than seen before is a rollback") {
    const Log longer(candor_entries(100, 4), key);
    AuditOptions options = options_for(key);
    options.previous = longer.checkpoint();
    const AuditReport report = audit_log(log.fetcher(), options);
    CHECK(report.outcome == AuditOutcome::failed);
    CHECK(first_code(report) == "log.rollback");
    CHECK_THAT(report.problems.front().message, Catch::Contains("400") && Catch::Contains("300"));
  }
  SECTION("the same size with another root is a fork") {
    std::vector<std::string> other = log.entries;
    other[17].replace(other[17].find("record-17"), 9, "record-99");
    const Log forked(other, key);
    AuditOptions options = options_for(key);
    options.previous = forked.checkpoint();
    const AuditReport report = audit_log(log.fetcher(), options);
    CHECK(first_code(report) == "log.fork");
    CHECK_THAT(report.problems.front().message, Catch::Contains("same size 300"));
  }
  SECTION("a longer tree whose beginning differs from what was seen is a fork") {
    // The operator rewrote entry 5 and re-signed a longer log.
    std::vector<std::string> rewritten = candor_entries(100, 4);
    std::vector<std::string> original = rewritten;
    rewritten[5].replace(rewritten[5].find("2026-09-14"), 10, "2026-09-15");
    const Log before(std::vector<std::string>(original.begin(), original.begin() + 250), key);
    const Log now(rewritten, key);
    AuditOptions options = options_for(key);
    options.previous = before.checkpoint();
    const AuditReport report = audit_log(now.fetcher(), options);
    CHECK(report.outcome == AuditOutcome::failed);
    CHECK(first_code(report) == "log.fork");
    CHECK_THAT(report.problems.front().message, Catch::Contains("first 250 entries"));
  }
}

TEST_CASE("altered entries, tiles and checkpoints are caught", "[tlog][audit]") {
  const NoteSigner key = test_key();
  const Log good(candor_entries(100, 3), key);  // 300 entries
  Log log = good;

  SECTION("an entry changed in its bundle") {
    std::string& bundle = log.files.at("tile/entries/000");
    char& digit = bundle[bundle.find("body ", bundle.find("record-3")) + 5];
    digit = digit == '0' ? '1' : '0';
    const AuditReport report = audit_log(log.fetcher(), options_for(key));
    CHECK(report.outcome == AuditOutcome::failed);
    CHECK(first_code(report) == "log.tile-mismatch");
    CHECK_THAT(report.problems.back().message, Catch::Contains("entry 3"));
  }
  SECTION("entries and every tile rewritten consistently, but not re-signed") {
    std::vector<std::string> other = good.entries;
    other[100].replace(other[100].find("2026"), 4, "2027");
    Log rewritten(other, key);
    rewritten.files["checkpoint"] = good.files.at("checkpoint");
    const AuditReport report = audit_log(rewritten.fetcher(), options_for(key));
    CHECK(report.outcome == AuditOutcome::failed);
    CHECK(first_code(report) == "log.root-mismatch");
  }
  SECTION("a hash tile altered") {
    log.files.at("tile/1/000.p/1")[3] ^= 0x20;
    const AuditReport report = audit_log(log.fetcher(), options_for(key));
    CHECK(first_code(report) == "log.tile-mismatch");
    CHECK_THAT(report.problems.front().message, Catch::Contains("tile/1/000.p/1"));
  }
  SECTION("a truncated bundle") {
    log.files.at("tile/entries/001.p/44").pop_back();
    const AuditReport report = audit_log(log.fetcher(), options_for(key));
    CHECK(first_code(report) == "tile.malformed");
  }
  SECTION("a checkpoint signed by another key") {
    log.files["checkpoint"] = sign_checkpoint(good.checkpoint(), test_key(1));
    const AuditReport report = audit_log(log.fetcher(), options_for(key));
    CHECK(report.outcome == AuditOutcome::failed);
    CHECK_FALSE(report.checkpoint.has_value());
    CHECK(report.problems.front().file == "checkpoint");
  }
  SECTION("a checkpoint for another origin") {
    AuditOptions options = options_for(key);
    options.origin = "example.org/other";
    const AuditReport report = audit_log(log.fetcher(), options);
    CHECK(report.outcome == AuditOutcome::failed);
  }
}

TEST_CASE("missing files fail the log; unreachable ones make it unavailable", "[tlog][audit]") {
  const NoteSigner key = test_key();
  Log log(candor_entries(100, 3), key);

  SECTION("a tile the checkpoint needs is missing") {
    log.files.erase("tile/0/001.p/44");
    const AuditReport report = audit_log(log.fetcher(), options_for(key));
    CHECK(report.outcome == AuditOutcome::failed);
    CHECK(first_code(report) == "log.missing");
  }
  SECTION("no checkpoint at all") {
    log.files.erase("checkpoint");
    const AuditReport report = audit_log(log.fetcher(), options_for(key));
    CHECK(report.outcome == AuditOutcome::unavailable);
    CHECK(first_code(report) == "log.unavailable");
  }
  SECTION("an I/O failure half way") {
    LogFetcher flaky = [inner = log.fetcher()](const std::string& path, std::size_t max) {
      if (path == "tile/entries/001.p/44") throw FetchError("connection reset", false);
      return inner(path, max);
    };
    const AuditReport report = audit_log(flaky, options_for(key));
    CHECK(report.outcome == AuditOutcome::unavailable);
    CHECK_THAT(report.problems.front().message, Catch::Contains("connection reset"));
  }
  SECTION("an oversized bundle is refused by the size limit") {
    log.files.at("tile/entries/001.p/44") += std::string(44 * 65537, 'x');
    const AuditReport report = audit_log(log.fetcher(), options_for(key));
    CHECK(report.outcome == AuditOutcome::unavailable);
  }
  SECTION("a fetcher that throws something else") {
    LogFetcher broken = [](const std::string&, std::size_t) -> std::string {
      throw std::runtime_error("bug");
    };
    CHECK(audit_log(broken, options_for(key)).outcome == AuditOutcome::unavailable);
  }
}

TEST_CASE("entries must be Candor leaf statements forming version chains", "[tlog][audit]") {
  const NoteSigner key = test_key();

  SECTION("not leaf statements") {
    const Log log({"leaf-0", "leaf-1", "leaf-2"}, key);
    AuditReport report = audit_log(log.fetcher(), options_for(key));
    CHECK(report.outcome == AuditOutcome::failed);
    CHECK(report.problems.size() == 3);
    CHECK(first_code(report) == "log.entry");
    CHECK_THAT(report.problems.front().message,
               Catch::StartsWith("entry 0: not a Candor log entry"));
    // Other logs' entries are fine when leaf checks are off.
    AuditOptions options = options_for(key);
    options.candor_leaves = false;
    CHECK(audit_log(log.fetcher(), options).outcome == AuditOutcome::verified);
  }
  SECTION("problems are listed up to a limit") {
    std::vector<std::string> junk(50, "junk");
    const Log log(junk, key);
    AuditOptions options = options_for(key);
    options.max_entry_problems = 5;
    const AuditReport report = audit_log(log.fetcher(), options);
    CHECK(report.problems.size() == 6);
    CHECK_THAT(report.problems.back().message, Catch::Contains("45 more"));
  }
  SECTION("another log's statements") {
    const Log log(candor_entries(2, 1, "example.org/elsewhere"), key);
    const AuditReport report = audit_log(log.fetcher(), options_for(key));
    CHECK(report.problems.size() == 2);
    CHECK_THAT(report.problems.front().message, Catch::Contains("example.org/elsewhere"));
  }
  SECTION("a version that skips its predecessor, or a second creation") {
    std::vector<std::string> entries = candor_entries(3, 3);  // record r version v at 3(v-1)+r
    entries.push_back(entries[0]);                            // record-0 created again
    auto bad = parse_leaf(entries[8]).value();                // record-2 version 3
    bad.previous_leaf = 2;                                    // names version 1, not version 2
    entries[8] = format_leaf(bad);
    const Log log(entries, key);
    const AuditReport report = audit_log(log.fetcher(), options_for(key));
    REQUIRE(report.problems.size() == 2);
    CHECK_THAT(report.problems[0].message, Catch::Contains("entry 8") &&
                                               Catch::Contains("after entry 2") &&
                                               Catch::Contains("version 2 at entry 5"));
    CHECK_THAT(report.problems[1].message,
               Catch::Contains("entry 9") && Catch::Contains("creates org-0/record-0 again"));
  }
}

// A review of `version` of record-`r` in the log candor_entries(records, ...) made, naming `leaf`.
std::string review_entry(int r, std::uint64_t version, std::uint64_t leaf,
                         std::string_view origin = kOrigin) {
  ReviewStatement review;
  review.origin = std::string(origin);
  review.organisation = "org-" + std::to_string(r % 3);
  review.record_id = "record-" + std::to_string(r);
  review.version = version;
  review.leaf_index = leaf;
  review.note_hash = sha256_of("a note");
  review.reviewer = "ai-regulator";
  review.accepted_at = "2026-09-15T10:00:00Z";
  return format_review(review);
}

TEST_CASE("review entries verify when they name an earlier version of their record",
          "[tlog][audit]") {
  const NoteSigner key = test_key();
  std::vector<std::string> entries = candor_entries(3, 2);  // record r version v at 3(v-1)+r
  entries.push_back(review_entry(1, 1, 1));                 // record-1 version 1: entry 1
  entries.push_back(review_entry(2, 2, 5));                 // record-2 version 2: entry 5

  SECTION("good reviews") {
    const Log log(entries, key);
    const AuditReport report = audit_log(log.fetcher(), options_for(key));
    INFO((report.problems.empty() ? "" : report.problems.front().message));
    CHECK(report.outcome == AuditOutcome::verified);
    CHECK(report.entries == 8);
    CHECK(report.records == 3);
    CHECK(report.reviews == 2);
  }
  SECTION("a review that names another record's leaf, a later leaf, or a version never logged") {
    entries.push_back(review_entry(0, 1, 1));  // entry 1 is record-1's, not record-0's
    entries.push_back(review_entry(0, 3, 9));  // record-0 has no version 3 (yet)
    entries.push_back(review_entry(7, 1, 0));  // no record-7 at all
    entries.push_back(review_entry(0, 2, 0));  // version 2 of record-0 is entry 3, not 0
    entries.push_back(review_entry(0, 1, 0, "example.org/elsewhere"));
    const Log log(entries, key);
    const AuditReport report = audit_log(log.fetcher(), options_for(key));
    CHECK(report.outcome == AuditOutcome::failed);
    REQUIRE(report.problems.size() == 5);
    for (const Problem& p : report.problems) CHECK(p.code == "log.entry");
    CHECK_THAT(report.problems[0].message,
               Catch::StartsWith("entry 8: reviews version 1 of org-0/record-0 at entry 1"));
    CHECK_THAT(report.problems[1].message, Catch::StartsWith("entry 9: reviews version 3"));
    CHECK_THAT(report.problems[2].message, Catch::Contains("org-1/record-7"));
    CHECK_THAT(report.problems[3].message, Catch::StartsWith("entry 11: reviews version 2"));
    CHECK_THAT(report.problems[4].message,
               Catch::StartsWith("entry 12") && Catch::Contains("example.org/elsewhere"));
  }
  SECTION("a malformed review is not a Candor log entry") {
    std::string bad = entries[6];
    bad.replace(bad.find("version 1"), 9, "version 0");
    entries[6] = bad;
    const Log log(entries, key);
    const AuditReport report = audit_log(log.fetcher(), options_for(key));
    REQUIRE(report.problems.size() == 1);
    CHECK_THAT(report.problems[0].message, Catch::StartsWith("entry 6: not a Candor log entry") &&
                                               Catch::Contains("versions start at 1"));
  }
}
