// candor_bench_log: Candor's side of tools/bench/log (see tools/bench/README.md).
//
//   candor_bench_log memory [--leaves N] [--proofs P] [--distinct D] [--signs S]
//       The in-memory operations that tools/bench/go/tlogbench measures with Go's sumdb/tlog,
//       on the same data: N appends of the entries "leaf-<i>" (MerkleTree::append_entry), P
//       inclusion and P consistency proofs at size N for indices and sizes from the same
//       splitmix64 sequences, P verifications of each kind (over D distinct proofs), S checkpoint
//       signatures and S checkpoint openings (signature check and parse).
//
//   candor_bench_log durable --records DIR --work DIR --writers W [--count C] [--seconds T]
//                            [--db URL] [--nodes N] [--label NAME]
//       Durable accepted submissions per second through the register's intake (intake.h) into a
//       fresh register — by default a SQLite file in DIR (WAL, synchronous=FULL: every commit is
//       fsynced), or the empty database URL names (open_store.h: postgresql://...) — with N nodes
//       (each its own Store and Intake over the same database, as N `candor serve` processes
//       would be: writer w submits through node w mod N) and W concurrent writers, each submitting
//       one record and waiting for its acknowledgement before the next, for T seconds or C records.
//       Records are the *.yaml files of DIR, made distinct by suffixing their id (DIR/a.yaml → ids
//       x-0, x-1, ...), prepared (parsed, validated, canonicalised) before the clock starts. Also
//       reports the latency from submit to acknowledgement (p50, p99, max) and how many
//       transactions (batches) it took.
//
// Output: one line per measurement, "op<TAB>count<TAB>seconds[<TAB>extra]", for the script
// (durable's op is "durable-<label>-<nodes>-<writers>", label default "sqlite").
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "candor/registry/checkpoint.h"
#include "candor/registry/intake.h"
#include "candor/registry/merkle.h"
#include "candor/registry/note.h"
#include "candor/registry/open_store.h"
#include "candor/registry/sqlite.h"

namespace {

namespace fs = std::filesystem;
using namespace candor::registry;
using Clock = std::chrono::steady_clock;

struct SplitMix {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void report(const std::string& op, std::uint64_t count, double secs,
            const std::string& extra = {}) {
  std::printf("%s\t%llu\t%.6f%s%s\n", op.c_str(), static_cast<unsigned long long>(count), secs,
              extra.empty() ? "" : "\t", extra.c_str());
  std::fflush(stdout);
}

// "--name value" options.
std::string option(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 2; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return fallback;
}

int memory(int argc, char** argv) {
  const std::uint64_t n = std::stoull(option(argc, argv, "--leaves", "1000000"));
  const std::size_t proofs = std::stoull(option(argc, argv, "--proofs", "200000"));
  const std::size_t distinct = std::stoull(option(argc, argv, "--distinct", "10000"));
  const std::size_t signs = std::stoull(option(argc, argv, "--signs", "20000"));
  if (n < 2 || distinct == 0 || distinct > proofs) {
    std::cerr << "candor_bench_log: need --leaves >= 2 and 0 < --distinct <= --proofs\n";
    return 2;
  }

  std::vector<std::string> entries;
  entries.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) entries.push_back("leaf-" + std::to_string(i));

  MerkleTree tree;
  auto start = Clock::now();
  for (const std::string& e : entries) tree.append_entry(e);
  report("append", n, seconds_since(start), "hashes=2.0");
  const Hash root = tree.root();

  SplitMix rng{1};
  std::vector<std::uint64_t> indexes(proofs);
  for (auto& x : indexes) x = rng.next() % n;
  rng = SplitMix{2};
  std::vector<std::uint64_t> sizes(proofs);
  for (auto& s : sizes) s = 1 + rng.next() % (n - 1);

  const HashReader reader = tree.reader();
  std::vector<std::vector<Hash>> kept(distinct);
  start = Clock::now();
  for (std::size_t i = 0; i < proofs; ++i) {
    auto p = inclusion_proof(indexes[i], n, reader);
    if (i < distinct) kept[i] = std::move(p);
  }
  report("inclusion", proofs, seconds_since(start));

  std::vector<std::vector<Hash>> kept_tree(distinct);
  start = Clock::now();
  for (std::size_t i = 0; i < proofs; ++i) {
    auto p = consistency_proof(sizes[i], n, reader);
    if (i < distinct) kept_tree[i] = std::move(p);
  }
  report("consistency", proofs, seconds_since(start));

  std::vector<Hash> leaves(distinct);
  std::vector<Hash> old_roots(distinct);
  for (std::size_t i = 0; i < distinct; ++i) {
    leaves[i] = leaf_hash(entries[indexes[i]]);
    old_roots[i] = tree_root(sizes[i], reader);
  }

  // Hashes a verification computes, on average (for the SHA-256 floor): one per inclusion proof
  // element; for consistency, one or two per element (the RFC 9162 walk, counted, not hashed).
  double inclusion_hashes = 0;
  double consistency_hashes = 0;
  for (std::size_t k = 0; k < distinct; ++k) {
    inclusion_hashes += static_cast<double>(kept[k].size());
    std::uint64_t fn = sizes[k] - 1;
    std::uint64_t sn = n - 1;
    while ((fn & 1) != 0) {
      fn >>= 1;
      sn >>= 1;
    }
    const std::size_t first = (sizes[k] & (sizes[k] - 1)) == 0 ? 0 : 1;
    for (std::size_t j = first; j < kept_tree[k].size(); ++j) {
      if ((fn & 1) != 0 || fn == sn) {
        consistency_hashes += 2;
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        consistency_hashes += 1;
      }
      fn >>= 1;
      sn >>= 1;
    }
  }
  inclusion_hashes /= static_cast<double>(distinct);
  consistency_hashes /= static_cast<double>(distinct);
  char hashes_extra[64];

  start = Clock::now();
  for (std::size_t i = 0; i < proofs; ++i) {
    const std::size_t k = i % distinct;
    if (!verify_inclusion(indexes[k], n, leaves[k], kept[k], root)) {
      std::cerr << "inclusion proof failed\n";
      return 1;
    }
  }
  std::snprintf(hashes_extra, sizeof hashes_extra, "hashes=%.1f", inclusion_hashes);
  report("verify-inclusion", proofs, seconds_since(start), hashes_extra);

  start = Clock::now();
  for (std::size_t i = 0; i < proofs; ++i) {
    const std::size_t k = i % distinct;
    if (!verify_consistency(sizes[k], n, kept_tree[k], old_roots[k], root)) {
      std::cerr << "consistency proof failed\n";
      return 1;
    }
  }
  std::snprintf(hashes_extra, sizeof hashes_extra, "hashes=%.1f", consistency_hashes);
  report("verify-consistency", proofs, seconds_since(start), hashes_extra);

  const NoteSigner key = NoteSigner::generate("example.org/ai-register");
  const Checkpoint cp{"example.org/ai-register", n, root, {}};
  std::string note;
  start = Clock::now();
  for (std::size_t i = 0; i < signs; ++i) note = sign_checkpoint(cp, key);
  report("checkpoint-sign", signs, seconds_since(start));

  const std::vector<NoteVerifier> keys{key.verifier()};
  start = Clock::now();
  for (std::size_t i = 0; i < signs; ++i) {
    auto opened = open_checkpoint(note, cp.origin, keys);
    if (!opened.ok() || opened.value().root != root) {
      std::cerr << "checkpoint did not open\n";
      return 1;
    }
  }
  report("checkpoint-open", signs, seconds_since(start));
  return 0;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// `count` records from the seed files, made distinct by suffixing each id, prepared in parallel.
std::vector<PreparedRecord> prepare_records(const fs::path& dir, std::size_t count) {
  std::vector<std::string> seeds;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") seeds.push_back(slurp(entry.path()));
  }
  std::sort(seeds.begin(), seeds.end());
  if (seeds.empty()) throw std::runtime_error("no *.yaml records in " + dir.string());
  std::vector<std::optional<PreparedRecord>> slots(count);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  auto work = [&] {
    for (std::size_t i = next++; i < count && !failed; i = next++) {
      std::string yaml = seeds[i % seeds.size()];
      const std::size_t at = yaml.find("\nid: ");
      const std::size_t end = yaml.find('\n', at + 1);
      if (at == std::string::npos || end == std::string::npos) {
        failed = true;
        return;
      }
      yaml.insert(end, "-v" + std::to_string(i / seeds.size()));
      auto prepared = prepare_record(std::move(yaml), "bench-" + std::to_string(i) + ".yaml");
      if (!prepared.ok()) {
        std::cerr << format_problem(prepared.problems().front()) << '\n';
        failed = true;
        return;
      }
      slots[i] = std::move(prepared.value());
    }
  };
  std::vector<std::thread> threads;
  const unsigned n = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned t = 0; t < n; ++t) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  if (failed) throw std::runtime_error("a record did not prepare");
  std::vector<PreparedRecord> out;
  out.reserve(count);
  for (auto& s : slots) out.push_back(std::move(*s));
  return out;
}

int durable(int argc, char** argv) {
  const fs::path records_dir = option(argc, argv, "--records", "");
  const fs::path work = option(argc, argv, "--work", "");
  const int writers = std::stoi(option(argc, argv, "--writers", "1"));
  const std::size_t count = std::stoull(option(argc, argv, "--count", "20000"));
  const double limit = std::stod(option(argc, argv, "--seconds", "5"));
  std::string url = option(argc, argv, "--db", "");
  const int nodes = std::stoi(option(argc, argv, "--nodes", "1"));
  const std::string label = option(argc, argv, "--label", "sqlite");
  if (records_dir.empty() || work.empty() || writers < 1 || nodes < 1) {
    std::cerr << "candor_bench_log durable: need --records DIR --work DIR --writers N "
                 "[--nodes N >= 1]\n";
    return 2;
  }
  std::vector<PreparedRecord> records = prepare_records(records_dir, count);
  std::cerr << "candor_bench_log: " << records.size() << " records prepared; submitting\n";

  fs::create_directories(work);
  if (url.empty()) {
    const fs::path db = work / ("bench-" + std::to_string(writers) + ".db");
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
    url = "sqlite:" + db.string();  // Durability::full: fsync at every commit
  }
  std::vector<std::unique_ptr<Store>> stores;
  stores.reserve(static_cast<std::size_t>(nodes));
  for (int n = 0; n < nodes; ++n) stores.push_back(open_store(url));
  Store& store = *stores.front();
  const NoteSigner key = NoteSigner::generate("example.org/ai-register");
  init_register(store, key, "/nonexistent/bench.skey", "bench");

  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(writers));
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<bool> failed{false};
  Intake::Stats stats;
  double elapsed = 0;
  {
    std::vector<std::unique_ptr<Intake>> intakes;
    intakes.reserve(stores.size());
    for (auto& s : stores) intakes.push_back(std::make_unique<Intake>(*s, key));
    const auto start = Clock::now();
    const auto deadline =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(limit));
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(writers));
    for (int w = 0; w < writers; ++w) {
      threads.emplace_back([&, w] {
        auto& mine = latencies[static_cast<std::size_t>(w)];
        while (Clock::now() < deadline && !failed) {
          const std::size_t i = next++;
          if (i >= records.size()) return;
          PreparedRecord& r = records[i];
          const std::string org = r.organisation.id;
          const auto t0 = Clock::now();
          Intake& intake = *intakes[static_cast<std::size_t>(w % nodes)];
          auto result = intake.submit(std::move(r), Submitter{org, "bench"}).get();
          mine.push_back(seconds_since(t0));
          if (!result.ok()) {
            std::cerr << format_problem(result.problems().front()) << '\n';
            failed = true;
            return;
          }
          ++accepted;
        }
      });
    }
    for (auto& t : threads) t.join();
    elapsed = seconds_since(start);
    for (const auto& intake : intakes) {
      const Intake::Stats s = intake->stats();
      stats.batches += s.batches;
      stats.submissions += s.submissions;
      stats.checkpoints += s.checkpoints;
    }
  }
  if (failed) return 1;
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty()
               ? 0.0
               : all[std::min(all.size() - 1,
                              static_cast<std::size_t>(p * static_cast<double>(all.size())))];
  };
  char extra[200];
  std::snprintf(extra, sizeof extra, "p50=%.1fms p99=%.1fms max=%.1fms batches=%llu",
                1000 * pct(0.50), 1000 * pct(0.99), 1000 * (all.empty() ? 0 : all.back()),
                static_cast<unsigned long long>(stats.batches));
  report("durable-" + label + "-" + std::to_string(nodes) + "-" + std::to_string(writers), accepted,
         elapsed, extra);
  if (store.log_size() != accepted.load()) {
    std::cerr << "log size " << store.log_size() << " != accepted " << accepted << '\n';
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  try {
    if (mode == "memory") return memory(argc, argv);
    if (mode == "durable") return durable(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "candor_bench_log: " << e.what() << '\n';
    return 1;
  }
  std::cerr << "usage: candor_bench_log memory|durable [options] (see the source)\n";
  return 2;
}
