// Group commit: concurrent submitters are all acknowledged, share transactions and checkpoints,
// and the log they produce has no gap, no duplicate, and versions chained in log order.
#include <catch2/catch.hpp>

#include <latch>
#include <map>
#include <set>
#include <thread>

#include "candor/registry/checkpoint.h"
#include "candor/registry/receipt.h"
#include "store_backends.h"

namespace {

using namespace candor::registry;
using namespace candor::registry::test;

constexpr int k_threads = 8;
constexpr int k_per_thread = 20;
constexpr int k_records_per_thread = 4;  // so most submissions are new versions of a record

}  // namespace

TEST_CASE("concurrency: 8 submitting threads are all acknowledged, batched, without gaps") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  std::vector<std::vector<Acceptance>> acks(k_threads);
  std::vector<std::string> failures;
  std::mutex failures_mutex;
  Intake::Stats stats;
  {
    Intake intake(*store, test_signer());
    std::latch start(k_threads);
    std::vector<std::thread> threads;
    threads.reserve(k_threads);
    for (int t = 0; t < k_threads; ++t) {
      threads.emplace_back([&, t] {
        // Prepare first, then release every thread at once and submit without waiting in
        // between: the queue fills while the sequencer commits, which is when batching happens.
        std::vector<PreparedRecord> records;
        records.reserve(k_per_thread);
        for (int i = 0; i < k_per_thread; ++i) {
          records.push_back(prepare(small_record(
              "org-" + std::to_string(t % 3),
              "t" + std::to_string(t) + "-r" + std::to_string(i % k_records_per_thread),
              "variant " + std::to_string(i))));
        }
        start.arrive_and_wait();
        std::vector<std::future<Result<Acceptance>>> futures;
        for (auto& r : records) {
          const std::string org = r.organisation.id;
          futures.push_back(intake.submit(std::move(r), Submitter{org, "t" + std::to_string(t)}));
        }
        for (auto& f : futures) {
          try {
            auto result = f.get();
            if (result.ok()) {
              acks[static_cast<std::size_t>(t)].push_back(result.value());
            } else {
              std::lock_guard<std::mutex> lock(failures_mutex);
              failures.push_back(format_problem(result.problems().front()));
            }
          } catch (const std::exception& e) {
            std::lock_guard<std::mutex> lock(failures_mutex);
            failures.push_back(e.what());
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    stats = intake.stats();
  }
  CHECK(failures.empty());
  constexpr std::uint64_t total = std::uint64_t{k_threads} * k_per_thread;
  CHECK(stats.submissions == total);
  // Group commit: fewer transactions and checkpoints than submissions.
  CHECK(stats.checkpoints < total);
  CHECK(stats.batches < total);
  INFO("batches " << stats.batches);

  // The log: exactly one entry per acknowledged submission, indices 0..n-1.
  REQUIRE(store->log_size() == total);
  const auto entries = store->log_entries(0, total);
  std::set<std::tuple<std::string, std::string, std::uint64_t>> seen;
  std::map<std::pair<std::string, std::string>, std::pair<std::uint64_t, std::uint64_t>> last;
  for (std::uint64_t i = 0; i < entries.size(); ++i) {
    auto leaf = parse_leaf(entries[i]);
    REQUIRE(leaf.ok());
    const LeafStatement& l = leaf.value();
    CHECK(seen.emplace(l.organisation, l.record_id, l.version).second);  // no duplicate
    // Versions of each record run 1, 2, 3... in log order, each naming its predecessor.
    auto [it, first] = last.try_emplace({l.organisation, l.record_id}, l.version, i);
    if (first) {
      CHECK(l.version == 1);
      CHECK_FALSE(l.previous_leaf.has_value());
    } else {
      CHECK(l.version == it->second.first + 1);
      CHECK(l.previous_leaf == it->second.second);
      it->second = {l.version, i};
    }
  }
  // Every acknowledgement names its own entry, and its receipt verifies.
  const auto keys = test_verifiers();
  std::set<std::uint64_t> indices;
  for (const auto& thread_acks : acks) {
    for (const Acceptance& a : thread_acks) {
      CHECK_FALSE(a.duplicate);
      CHECK(indices.insert(a.version.leaf_index).second);
      CHECK(entries[a.version.leaf_index] == a.leaf);
      CHECK(verify_receipt(a.receipt, k_origin, keys).ok());
    }
  }
  CHECK(indices.size() == total);
  const auto latest = store->latest_checkpoint();
  CHECK(latest->size == total);
  CHECK(latest->root == tree_root(total, store->hash_reader()));
}

// Two nodes: two stores on one database, each with its own sequencer, both appending at once
// (for PostgreSQL, the deployment of many nodes over one server; for SQLite, two processes'
// connections to one file). Their writes must interleave into one log: no gap, no duplicate,
// versions of a record chained across nodes, and one checkpoint per size, each the signed root
// of the stored tree of that size, so no two different trees of one size were ever signed.
TEST_CASE("concurrency: two nodes appending at once share one log and never fork it") {
  FOR_EACH_BACKEND(db);
  constexpr int k_nodes = 2;
  constexpr int k_threads_per_node = 3;
  constexpr int k_each = 12;
  std::vector<std::unique_ptr<Store>> stores;
  stores.reserve(k_nodes);
  for (int n = 0; n < k_nodes; ++n) stores.push_back(open_initialised(db));
  std::vector<Acceptance> acks;
  std::vector<std::string> failures;
  std::mutex mutex;
  {
    std::vector<std::unique_ptr<Intake>> nodes;
    nodes.reserve(stores.size());
    for (auto& store : stores) nodes.push_back(std::make_unique<Intake>(*store, test_signer()));
    std::latch start(std::ptrdiff_t{k_nodes} * k_threads_per_node);
    std::vector<std::thread> threads;
    threads.reserve(std::size_t{k_nodes} * k_threads_per_node);
    for (int n = 0; n < k_nodes; ++n) {
      for (int t = 0; t < k_threads_per_node; ++t) {
        threads.emplace_back([&, n, t] {
          std::vector<PreparedRecord> records;
          records.reserve(k_each);
          for (int i = 0; i < k_each; ++i) {
            // The same few records from every node, so versions chain across nodes.
            records.push_back(
                prepare(small_record("org-shared", "r" + std::to_string(i % 3),
                                     "node " + std::to_string(n) + " thread " + std::to_string(t) +
                                         " item " + std::to_string(i))));
          }
          start.arrive_and_wait();
          std::vector<std::future<Result<Acceptance>>> futures;
          futures.reserve(records.size());
          for (auto& r : records) {
            futures.push_back(nodes[static_cast<std::size_t>(n)]->submit(
                std::move(r), Submitter{"org-shared", "node" + std::to_string(n)}));
          }
          for (auto& f : futures) {
            try {
              auto result = f.get();
              std::lock_guard<std::mutex> lock(mutex);
              if (result.ok()) {
                acks.push_back(result.value());
              } else {
                failures.push_back(format_problem(result.problems().front()));
              }
            } catch (const std::exception& e) {
              std::lock_guard<std::mutex> lock(mutex);
              failures.push_back(e.what());
            }
          }
        });
      }
    }
    for (auto& th : threads) th.join();
  }
  INFO((failures.empty() ? std::string() : "first failure: " + failures.front()));
  CHECK(failures.empty());
  constexpr std::uint64_t total = std::uint64_t{k_nodes} * k_threads_per_node * k_each;
  REQUIRE(acks.size() == total);

  Store& store = *stores[0];
  REQUIRE(store.log_size() == total);
  REQUIRE(stores[1]->log_size() == total);
  const auto entries = store.log_entries(0, total);  // throws on a gap
  std::set<std::tuple<std::string, std::string, std::uint64_t>> seen;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> last;  // record: version, leaf
  for (std::uint64_t i = 0; i < entries.size(); ++i) {
    auto leaf = parse_leaf(entries[i]);
    REQUIRE(leaf.ok());
    const LeafStatement& l = leaf.value();
    CHECK(seen.emplace(l.organisation, l.record_id, l.version).second);
    auto [it, first] = last.try_emplace(l.record_id, l.version, i);
    if (first) {
      CHECK(l.version == 1);
    } else {
      CHECK(l.version == it->second.first + 1);
      CHECK(l.previous_leaf == it->second.second);
      it->second = {l.version, i};
    }
  }
  // Every checkpoint either node stored is the signed root of the stored tree of its size.
  const auto keys = test_verifiers();
  std::uint64_t checkpoints = 0;
  for (std::uint64_t size = 0; size <= total; ++size) {
    const auto c = store.checkpoint(size);
    if (!c) continue;
    ++checkpoints;
    INFO("checkpoint of size " << size);
    CHECK(c->root == tree_root(size, store.hash_reader()));
    auto opened = open_checkpoint(c->note, k_origin, keys);
    REQUIRE(opened.ok());
    CHECK(opened.value().size == size);
    CHECK(opened.value().root == c->root);
  }
  CHECK(checkpoints >= 2);
  CHECK(store.latest_checkpoint()->size == total);
  // Each node's receipts verify against the checkpoint it was given.
  std::set<std::uint64_t> indices;
  for (const Acceptance& a : acks) {
    CHECK(indices.insert(a.version.leaf_index).second);
    CHECK(entries[a.version.leaf_index] == a.leaf);
    CHECK(verify_receipt(a.receipt, k_origin, keys).ok());
  }
}
