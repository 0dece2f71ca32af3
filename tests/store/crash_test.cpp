// Crash safety: a writer process is SIGKILLed at random moments, again and again, on the same
// register. After each kill the register must hold every submission the writer acknowledged,
// and its latest checkpoint must be exactly the tree that is stored: no acknowledged data lost,
// no checkpoint the data does not support. Bounded: 20 kills, each at most about a second after
// the writer's first acknowledgement. Nothing here asserts on time.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <csignal>
#include <random>
#include <set>
#include <sstream>

#include "candor/registry/checkpoint.h"
#include "child_process.h"
#include "store_test_support.h"

namespace {

using namespace candor::registry;
using namespace candor::registry::test;
using namespace std::chrono_literals;

constexpr int k_kills = 20;

struct Ack {
  std::string organisation, record_id;
  std::uint64_t version = 0, leaf_index = 0;
  std::string body_hex;
};

// Complete lines only: a line cut by the kill was never fully acknowledged to us.
std::vector<Ack> parse_acks(const std::string& out) {
  std::vector<Ack> acks;
  std::size_t start = 0;
  for (std::size_t end; (end = out.find('\n', start)) != std::string::npos; start = end + 1) {
    std::istringstream line(out.substr(start, end - start));
    std::string word;
    Ack a;
    line >> word >> a.organisation >> a.record_id >> a.version >> a.leaf_index >> a.body_hex;
    if (word != "ack" || !line)
      throw std::runtime_error("bad ack line: " + out.substr(start, end - start));
    acks.push_back(a);
  }
  return acks;
}

void check_register(const std::filesystem::path& db, const std::vector<Ack>& acks) {
  auto store = open_sqlite_store(db);
  // Every acknowledged submission is there, as acknowledged.
  for (const Ack& a : acks) {
    const auto v = store->version_at_leaf(a.leaf_index);
    INFO("acknowledged " << a.organisation << "/" << a.record_id << " v" << a.version << " at "
                         << a.leaf_index);
    REQUIRE(v.has_value());
    CHECK(v->organisation == a.organisation);
    CHECK(v->record_id == a.record_id);
    CHECK(v->version == a.version);
    CHECK(to_hex(v->body_hash) == a.body_hex);
  }
  // The latest checkpoint covers exactly the stored log, and verifies against it.
  const auto latest = store->latest_checkpoint();
  REQUIRE(latest.has_value());
  const std::uint64_t size = store->log_size();
  CHECK(latest->size == size);
  const auto keys = test_verifiers();
  auto opened = open_checkpoint(latest->note, k_origin, keys);
  REQUIRE(opened.ok());
  CHECK(opened.value().size == size);
  std::vector<Hash> leaves;
  for (const std::string& entry : store->log_entries(0, size)) {
    REQUIRE(parse_leaf(entry).ok());
    leaves.push_back(leaf_hash(entry));
  }
  CHECK(tree_root(leaves) == latest->root);
  CHECK(tree_root(size, store->hash_reader()) == latest->root);
}

}  // namespace

TEST_CASE("crash: SIGKILL at random moments loses no acknowledged submission") {
  TempDir dir;
  const auto db = dir / "register.db";
  open_initialised(db);
  std::mt19937 random(std::random_device{}());
  std::vector<Ack> all_acks;
  std::size_t kills_with_acks = 0;

  for (int kill = 0; kill < k_kills; ++kill) {
    std::string out;
    {
      ChildProcess child({CANDOR_CRASH_WRITER, db.string(), std::to_string(kill)});
      // Wait for the first acknowledgement (so every run makes progress), then let it run a
      // random while longer, then kill it wherever it is.
      const auto give_up = std::chrono::steady_clock::now() + 30s;
      bool open = true;
      while (open && out.find('\n') == std::string::npos &&
             std::chrono::steady_clock::now() < give_up) {
        open = child.read_some(out, 50ms);
      }
      const auto kill_at =
          std::chrono::steady_clock::now() +
          std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 700)(random));
      while (open && std::chrono::steady_clock::now() < kill_at) {
        open = child.read_some(out, 10ms);
      }
      const int status = child.kill_and_drain(out);
      INFO("writer output so far: " << out.substr(0, 500));
      // It must have been our kill that ended it, not a failure of its own.
      REQUIRE(WIFSIGNALED(status));
      CHECK(WTERMSIG(status) == SIGKILL);
    }
    const auto acks = parse_acks(out);
    if (!acks.empty()) ++kills_with_acks;
    all_acks.insert(all_acks.end(), acks.begin(), acks.end());
    check_register(db, all_acks);
  }
  CHECK(kills_with_acks == k_kills);
  // Distinct acknowledgements name distinct entries.
  std::set<std::uint64_t> indices;
  for (const Ack& a : all_acks) CHECK(indices.insert(a.leaf_index).second);
}
