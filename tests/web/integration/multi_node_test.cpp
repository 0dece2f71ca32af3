// Several `candor serve` nodes over one database, as a load balancer would spread citizens and
// submitting organisations over them: any node accepts submissions, one sequencer at a time
// appends and signs (the store's write lock: an advisory lock on PostgreSQL, the database lock
// on SQLite). 32 clients submit through two nodes; one node is SIGKILLed mid-run and its clients
// fail over to the other. Afterwards every acknowledged submission is in the log exactly once,
// the log has no gap or duplicate, every checkpoint either node published is signed and
// consistent with the final tree, and `candor verify --log` passes against each node. A third,
// read-only node (--read-only, no key) serves the same register throughout and refuses writes.
// Bounded by counts, not by time; only 127.0.0.1 (and the test's own database) is contacted.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "candor/registry/checkpoint.h"
#include "candor/registry/leaf.h"
#include "candor/registry/merkle.h"
#include "candor/registry/note.h"
#include "candor/registry/open_store.h"
#include "candor_run.h"
#include "http_client.h"
#include "postgres_test_server.h"
#include "process.h"
#include "server_process.h"
#include "test_files.h"

namespace fs = std::filesystem;
namespace reg = candor::registry;
using candor::test::get;
using candor::test::http;
using candor::test::read_file;
using candor::test::run_candor;
using candor::test::ServerProcess;

namespace {

constexpr int k_clients = 32;
constexpr int k_per_client = 8;
// Node B is killed once this many submissions have been acknowledged.
constexpr int k_kill_after = k_clients * k_per_client / 3;

// A register in `db_url` with its key, an admin token and the example records as templates.
struct SharedRegister {
  fs::path dir, skey, vkey;
  std::string db_url, token;
  std::vector<std::string> templates;

  SharedRegister(const std::string& name, std::string url) : db_url(std::move(url)) {
    dir = fs::temp_directory_path() / ("candor-nodes-" + name + "-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    if (db_url.empty()) db_url = "sqlite:" + (dir / "register.db").string();
    skey = dir / "keys" / "nodes.example-register.skey";
    vkey = dir / "keys" / "nodes.example-register.vkey";
    REQUIRE(
        run_candor({"keygen", "--name", "nodes.example/register", "--out", (dir / "keys").string()})
            .exit_code == 0);
    const auto init = run_candor({"register", "init", "--db", db_url, "--key", skey.string()});
    INFO(init.out << init.err);
    REQUIRE(init.exit_code == 0);
    const auto created = run_candor({"token", "create", "--db", db_url, "--org", "nodes-operator",
                                     "--role", "admin", "--org-name", "Multi-node test operator"});
    REQUIRE(created.exit_code == 0);
    token = created.out.substr(0, created.out.find('\n'));
    for (const auto& entry :
         fs::directory_iterator(fs::path(CANDOR_SOURCE_DIR) / "schemas/examples/valid")) {
      if (entry.path().extension() == ".yaml") templates.push_back(read_file(entry.path()));
    }
    REQUIRE(!templates.empty());
  }
  SharedRegister(const SharedRegister&) = delete;
  SharedRegister& operator=(const SharedRegister&) = delete;
  ~SharedRegister() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }

  std::vector<std::string> serve_args() const {
    return {"--db", db_url, "--key", skey.string(), "--write-limit", "1000000"};
  }

  // Submission n: a template with its record id made unique.
  std::string record(int n) const {
    static const std::regex id_line("^id: ([a-z0-9-]+)$", std::regex::multiline);
    const std::string& t = templates[static_cast<std::size_t>(n) % templates.size()];
    return std::regex_replace(t, id_line, "id: node-" + std::to_string(n) + "-$1",
                              std::regex_constants::format_first_only);
  }

  reg::NoteVerifier verifier() const {
    const std::string text = read_file(vkey);
    auto parsed = reg::NoteVerifier::parse(text.substr(0, text.find('\n')));
    REQUIRE(parsed.ok());
    return parsed.value();
  }
};

struct Ack {
  std::string organisation, record_id;
  std::uint64_t version = 0, leaf_index = 0;
  std::string checkpoint;  // the signed checkpoint the receipt proves inclusion in
};

reg::Hash hash_of_b64(const std::string& text) {
  const auto bytes = reg::base64_decode(text);
  REQUIRE(bytes.has_value());
  const auto hash = reg::hash_from_bytes(*bytes);
  REQUIRE(hash.has_value());
  return *hash;
}

// The whole run: two nodes, 32 clients, node B killed after k_kill_after acknowledgements, then
// every check of the file comment. `db_url` empty: a SQLite file shared by the two processes.
void run_two_nodes(const std::string& name, const std::string& db_url) {
  SharedRegister shared(name, db_url);
  INFO("database: " << reg::redact_database_url(shared.db_url));
  auto node_a = std::make_unique<ServerProcess>(shared.serve_args());
  auto node_b = std::make_unique<ServerProcess>(shared.serve_args());
  ServerProcess reader({"--db", shared.db_url, "--read-only"});
  const std::uint16_t port_a = node_a->port();
  const std::uint16_t port_b = node_b->port();
  CHECK(reader.log().find("\"read_only\":true") != std::string::npos);

  std::mutex mutex;
  std::vector<Ack> acks;
  std::set<std::string> published;  // checkpoint notes seen on either node
  std::atomic<int> acknowledged{0};
  std::atomic<bool> b_killed{false};
  std::atomic<int> failed_over{0};
  std::atomic<int> acknowledged_by_b{0};
  std::atomic<int> refused{0};

  std::vector<std::thread> clients;
  clients.reserve(k_clients);
  for (int c = 0; c < k_clients; ++c) {
    clients.emplace_back([&, c] {
      bool on_b = c % 2 == 1;
      for (int i = 0; i < k_per_client; ++i) {
        const int n = c * k_per_client + i;
        // A submission is retried (the same record) on node A when node B dies under it, as a
        // load balancer's retry would: the register must log it once, however often it came.
        for (int attempt = 0; attempt < 2; ++attempt) {
          const std::uint16_t port = on_b ? port_b : port_a;
          candor::test::Reply reply;
          nlohmann::json body;
          try {
            reply = http(
                port, "POST", "/api/v1/records",
                {{"Authorization", "Bearer " + shared.token}, {"Content-Type", "application/yaml"}},
                shared.record(n));
            if (reply.status == 200 || reply.status == 201)
              body = nlohmann::json::parse(reply.body);
          } catch (const std::exception&) {
            // The connection failed, or closed mid-answer: node B was killed under it, and a
            // submitter without the whole answer (its receipt) has no acknowledgement.
            reply.status = 0;
          }
          if (reply.status == 200 || reply.status == 201) {
            const std::lock_guard lock(mutex);
            acks.push_back(Ack{body["organisation"], body["record_id"], body["version"],
                               body["leaf_index"], body["checkpoint"]});
            published.insert(body["checkpoint"].get<std::string>());
            ++acknowledged;
            if (on_b) ++acknowledged_by_b;
            break;
          }
          if (on_b && b_killed) {
            on_b = false;
            ++failed_over;
            continue;
          }
          ++refused;
          UNSCOPED_INFO("submission " << n << " got " << reply.status << ": " << reply.body);
          break;
        }
      }
    });
  }
  // Readers poll both nodes' checkpoints while the writers run.
  std::atomic<bool> writers_done{false};
  std::thread poller([&] {
    while (!writers_done) {
      for (const std::uint16_t port : {port_a, port_b, reader.port()}) {
        if (port == port_b && b_killed) continue;
        try {
          const auto reply = get(port, "/checkpoint");
          if (reply.status == 200) {
            const std::lock_guard lock(mutex);
            published.insert(reply.body);
          }
        } catch (const std::exception&) {
          // Node B, killed between the check and the request.
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });

  for (int waited = 0; acknowledged < k_kill_after && waited < 12000; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(acknowledged >= k_kill_after);
  b_killed = true;
  REQUIRE(node_b->stop(SIGKILL) == 128 + SIGKILL);
  for (auto& t : clients) t.join();
  writers_done = true;
  poller.join();

  CHECK(refused == 0);
  CHECK(acknowledged_by_b > 0);  // both nodes took submissions, not just the survivor
  // Every submission was acknowledged by one node or the other.
  CHECK(acks.size() == static_cast<std::size_t>(k_clients * k_per_client));
  INFO(acks.size() << " acknowledged, " << failed_over << " failed over to node A");

  // Node B comes back (a restarted node, or a new one joining) and both answer for the log.
  node_b = std::make_unique<ServerProcess>(shared.serve_args());

  // The log: one entry per record, version 1 each, at the acknowledged index; no gap (every
  // index below the size holds an entry) and nothing else in it.
  auto store = reg::open_store(shared.db_url, {.create = false});
  const std::uint64_t size = store->log_size();
  const auto entries = store->log_entries(0, size);
  REQUIRE(entries.size() == size);
  std::map<std::string, std::uint64_t> index_of;  // "org/record" -> log index
  for (std::uint64_t i = 0; i < size; ++i) {
    const auto leaf = reg::parse_leaf(entries[i]);
    REQUIRE(leaf.ok());
    CHECK(leaf.value().version == 1);
    const std::string key = leaf.value().organisation + "/" + leaf.value().record_id;
    INFO("log entry " << i << " logs " << key);
    CHECK(index_of.emplace(key, i).second);  // no record logged twice
  }
  CHECK(size == static_cast<std::uint64_t>(k_clients * k_per_client));
  for (const Ack& a : acks) {
    const std::string key = a.organisation + "/" + a.record_id;
    INFO("acknowledged " << key << " at " << a.leaf_index);
    REQUIRE(index_of.count(key) == 1);
    CHECK(index_of[key] == a.leaf_index);
    CHECK(a.version == 1);
  }

  // Every published checkpoint: signed by the log's key, and a prefix of the final tree (by a
  // consistency proof each node serves, checked here, not by the node).
  const auto final_checkpoint = store->latest_checkpoint();
  REQUIRE(final_checkpoint.has_value());
  CHECK(final_checkpoint->size == size);
  const reg::NoteVerifier key = shared.verifier();
  const std::vector<reg::NoteVerifier> keys = {key};
  std::set<std::uint64_t> sizes;
  for (const std::string& note : published) {
    const auto opened = reg::open_checkpoint(note, "nodes.example/register", keys);
    INFO(note);
    REQUIRE(opened.ok());
    const reg::Checkpoint& cp = opened.value();
    sizes.insert(cp.size);
    // Two nodes never signed two different trees of one size: the stored one is this one.
    const auto stored = store->checkpoint(cp.size);
    REQUIRE(stored.has_value());
    CHECK(stored->root == cp.root);
    if (cp.size == 0) continue;
    for (const std::uint16_t port : {port_a, node_b->port()}) {
      const auto reply = get(port, "/api/v1/log/proof/consistency?old=" + std::to_string(cp.size) +
                                       "&new=" + std::to_string(size));
      REQUIRE(reply.status == 200);
      const auto body = nlohmann::json::parse(reply.body);
      std::vector<reg::Hash> proof;
      for (const auto& h : body["proof"]) proof.push_back(hash_of_b64(h.get<std::string>()));
      CHECK(reg::verify_consistency(cp.size, size, proof, cp.root, final_checkpoint->root).ok());
    }
  }
  CHECK(sizes.size() > 1);  // the run published a series of checkpoints, not one
  store.reset();

  // The read-only node refuses writes without touching the register, and serves what the others
  // logged.
  const std::uint64_t size_before = size;
  const auto write =
      http(reader.port(), "POST", "/api/v1/records",
           {{"Authorization", "Bearer " + shared.token}, {"Content-Type", "application/yaml"}},
           shared.record(k_clients * k_per_client));
  CHECK(write.status == 503);
  CHECK(write.body.find("register.read_only") != std::string::npos);
  {
    const Ack& a = acks.back();
    const auto reply =
        get(reader.port(), "/api/v1/records/" + a.organisation + "/" + a.record_id + "/versions/1");
    CHECK(reply.status == 200);
  }
  CHECK(reg::open_store(shared.db_url, {.create = false})->log_size() == size_before);

  // An auditor's view of each node: tiles, entries and checkpoint agree.
  for (const std::uint16_t port : {port_a, node_b->port(), reader.port()}) {
    const auto verified = run_candor({"verify", "--log", "http://127.0.0.1:" + std::to_string(port),
                                      "--vkey", shared.vkey.string()});
    INFO("node on port " << port << ": " << verified.out << verified.err);
    CHECK(verified.exit_code == 0);
  }
  CHECK(node_a->stop(SIGTERM) == 0);
  CHECK(node_b->stop(SIGTERM) == 0);
  CHECK(reader.stop(SIGTERM) == 0);
}

}  // namespace

TEST_CASE("multi-node: two servers on one PostgreSQL database, one killed mid-run, lose nothing",
          "[multi-node]") {
  if (candor::test::postgres_test_url().empty()) {
    WARN(
        "SKIPPED: CANDOR_TEST_POSTGRES_URL is not set (tools/test starts a PostgreSQL cluster and "
        "sets it; tools/pg-cluster)");
    return;
  }
  candor::test::PostgresTestDatabase database;
  run_two_nodes("postgresql", database.url());
}

TEST_CASE("multi-node: two servers on one SQLite file, one killed mid-run, lose nothing",
          "[multi-node]") {
  run_two_nodes("sqlite", "");
}

TEST_CASE(
    "multi-node: a read-only node is refused the signing key, and a database with no register",
    "[multi-node]") {
  const fs::path dir =
      fs::temp_directory_path() / ("candor-nodes-refusals-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string err;
  CHECK(candor::test::run_serve_expecting_exit(
            {"--db", (dir / "register.db").string(), "--read-only", "--key", "x.skey"}, err) == 2);
  CHECK(err.find("read-only nodes serve without the signing key") != std::string::npos);
  // A read-only node creates nothing: a misspelt path stays an error.
  CHECK(candor::test::run_serve_expecting_exit(
            {"--db", (dir / "register.db").string(), "--read-only"}, err) == 2);
  CHECK(err.find("no register database at") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "register.db"));
  fs::remove_all(dir);
}
