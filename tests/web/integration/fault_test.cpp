// Faults a real `candor serve` must survive without losing or misrepresenting data: being killed
// while submissions are in flight, a full disk, a damaged database. In every case the outcome is
// a refusal with a clear message or a recovery, never a checkpoint the stored data does not
// support, and `candor verify --log` passes on whatever is served. (A corrupted copy of the
// published tiles is tests/log/log_cli_test.cpp's "altered or incomplete copies fail".)
// Bounded by counts, not by time; only 127.0.0.1 is contacted.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "http_client.h"
#include "process.h"
#include "server_process.h"
#include "test_files.h"
#include "candor_run.h"

using candor::test::get;
using candor::test::http;
using candor::test::ProcessResult;
using candor::test::ServerProcess;
namespace fs = std::filesystem;
using candor::test::read_file;
using candor::test::run_candor;

namespace {

// A fresh register with an admin token (it submits for any organisation), and the example records
// as templates for as many distinct submissions as a test needs.
struct Register {
  fs::path dir, db, skey, vkey;
  std::string token;
  std::vector<std::string> templates;

  explicit Register(const std::string& name) {
    dir = fs::temp_directory_path() / ("candor-fault-" + name + "-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    db = dir / "register.db";
    skey = dir / "keys" / "fault.example-register.skey";
    vkey = dir / "keys" / "fault.example-register.vkey";
    REQUIRE(
        run_candor({"keygen", "--name", "fault.example/register", "--out", (dir / "keys").string()})
            .exit_code == 0);
    REQUIRE(
        run_candor({"register", "init", "--db", db.string(), "--key", skey.string()}).exit_code ==
        0);
    const auto created =
        run_candor({"token", "create", "--db", db.string(), "--org", "fault-operator", "--role",
                    "admin", "--org-name", "Fault test operator"});
    REQUIRE(created.exit_code == 0);
    token = created.out.substr(0, created.out.find('\n'));
    for (const auto& entry :
         fs::directory_iterator(fs::path(CANDOR_SOURCE_DIR) / "schemas/examples/valid")) {
      if (entry.path().extension() == ".yaml") templates.push_back(read_file(entry.path()));
    }
    REQUIRE(!templates.empty());
  }
  ~Register() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }

  // Submission n: a template with its id made unique.
  std::string record(int n) const {
    static const std::regex id_line("^id: ([a-z0-9-]+)$", std::regex::multiline);
    const std::string& t = templates[static_cast<std::size_t>(n) % templates.size()];
    return std::regex_replace(t, id_line, "id: fault-" + std::to_string(n) + "-$1",
                              std::regex_constants::format_first_only);
  }

  candor::test::Reply submit(std::uint16_t port, int n) const {
    return http(port, "POST", "/api/v1/records",
                {{"Authorization", "Bearer " + token}, {"Content-Type", "application/yaml"}},
                record(n));
  }

  ProcessResult verify_log(std::uint16_t port, const fs::path& state) const {
    return run_candor({"verify", "--log", "http://127.0.0.1:" + std::to_string(port), "--vkey",
                       vkey.string(), "--state", state.string()});
  }
};

struct Ack {
  std::string organisation, record_id;
  std::uint64_t version = 0, leaf_index = 0;
};

Ack ack_of(const candor::test::Reply& reply) {
  const auto body = nlohmann::json::parse(reply.body);
  return {body["organisation"], body["record_id"], body["version"], body["leaf_index"]};
}

// Every acknowledged version is served, at the acknowledged log entry.
void check_present(std::uint16_t port, const std::vector<Ack>& acks) {
  for (const Ack& a : acks) {
    const std::string target = "/api/v1/records/" + a.organisation + "/" + a.record_id +
                               "/versions/" + std::to_string(a.version);
    INFO("acknowledged " << target << " at log entry " << a.leaf_index);
    const auto reply = get(port, target);
    REQUIRE(reply.status == 200);
    CHECK(nlohmann::json::parse(reply.body)["leaf_index"] == a.leaf_index);
  }
}

// Overwrites every occurrence of `needle` in `file` with `replacement` (same length); how many.
int patch_file(const fs::path& file, const std::string& needle, const std::string& replacement) {
  REQUIRE(needle.size() == replacement.size());
  std::string bytes = read_file(file);
  int patched = 0;
  for (std::size_t at = bytes.find(needle); at != std::string::npos;
       at = bytes.find(needle, at + 1)) {
    bytes.replace(at, needle.size(), replacement);
    ++patched;
  }
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  return patched;
}

}  // namespace

TEST_CASE("fault: a server killed while submissions are in flight loses nothing it acknowledged",
          "[fault]") {
  Register reg("kill");
  const fs::path state = reg.dir / "verify-state";
  constexpr int k_rounds = 4;
  constexpr int k_clients = 6;
  std::vector<Ack> acks;
  std::atomic<int> next{0};
  for (int round = 0; round < k_rounds; ++round) {
    ServerProcess server(
        {"--db", reg.db.string(), "--key", reg.skey.string(), "--write-limit", "100000"});
    // What the earlier rounds acknowledged survived the kill, and the log still verifies against
    // everything seen before: no rollback, no fork.
    check_present(server.port(), acks);
    const auto verified = reg.verify_log(server.port(), state);
    INFO(verified.out << verified.err);
    REQUIRE(verified.exit_code == 0);

    std::mutex mutex;
    std::atomic<int> acknowledged{0};
    std::atomic<bool> killed{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < k_clients; ++c) {
      clients.emplace_back([&] {
        while (!killed) {
          const int n = next++;
          try {
            const auto reply = reg.submit(server.port(), n);
            if (reply.status == 201) {
              const std::lock_guard lock(mutex);
              acks.push_back(ack_of(reply));
              ++acknowledged;
            }
          } catch (...) {
            // The server died under this request: it was never acknowledged.
          }
        }
      });
    }
    // Kill once this round has had some acknowledgements, a different number each round, so the
    // kill lands at different points of a batch.
    for (int waited = 0; acknowledged < 5 + 7 * round && waited < 6000; ++waited) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(server.stop(SIGKILL) == 128 + SIGKILL);
    killed = true;
    for (auto& t : clients) t.join();
  }
  ServerProcess last({"--db", reg.db.string(), "--key", reg.skey.string()});
  check_present(last.port(), acks);
  const auto verified = reg.verify_log(last.port(), state);
  INFO(verified.out << verified.err);
  CHECK(verified.exit_code == 0);
  CHECK(acks.size() >= 5);
}

TEST_CASE("fault: a full disk refuses submissions with a 503, keeps serving, and recovers",
          "[fault]") {
  Register reg("full");
  const fs::path state = reg.dir / "verify-state";
  ServerProcess server({"--db", reg.db.string(), "--key", reg.skey.string()});
  const auto first = reg.submit(server.port(), 1);
  REQUIRE(first.status == 201);
  const std::vector<Ack> acks = {ack_of(first)};
  const auto checkpoint_before = get(server.port(), "/checkpoint");
  REQUIRE(checkpoint_before.status == 200);

  // The server may write no file past 4 KiB: every write to the WAL or the database now fails as
  // it would on a full disk (EFBIG, where a full disk gives ENOSPC).
  // Only the soft limit moves, so that raising it again needs no privilege.
  rlimit before{};
  REQUIRE(prlimit(server.pid(), RLIMIT_FSIZE, nullptr, &before) == 0);
  const rlimit tiny{4096, before.rlim_max};
  REQUIRE(prlimit(server.pid(), RLIMIT_FSIZE, &tiny, nullptr) == 0);
  for (int n = 2; n < 5; ++n) {
    const auto refused = reg.submit(server.port(), n);
    INFO(refused.body);
    CHECK(refused.status == 503);
    CHECK(refused.body.find("register.unavailable") != std::string::npos);
  }
  // Reads go on, and the signed tree has not moved.
  CHECK(get(server.port(), "/records/" + acks[0].organisation + "/" + acks[0].record_id).status ==
        200);
  CHECK(get(server.port(), "/checkpoint").body == checkpoint_before.body);
  CHECK(get(server.port(), "/healthz").status == 200);

  // Space again: submissions are accepted, and the log verifies with everything acknowledged.
  REQUIRE(prlimit(server.pid(), RLIMIT_FSIZE, &before, nullptr) == 0);
  const auto after = reg.submit(server.port(), 5);
  INFO(after.body);
  REQUIRE(after.status == 201);
  check_present(server.port(), {acks[0], ack_of(after)});
  const auto verified = reg.verify_log(server.port(), state);
  INFO(verified.out << verified.err);
  CHECK(verified.exit_code == 0);
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("fault: a database whose log no longer matches its checkpoint is not served", "[fault]") {
  Register reg("damaged");
  std::string last_id;
  {
    ServerProcess server({"--db", reg.db.string(), "--key", reg.skey.string()});
    for (int n = 0; n < 3; ++n) {
      const auto reply = reg.submit(server.port(), n);
      REQUIRE(reply.status == 201);
      last_id = ack_of(reply).record_id;
    }
    REQUIRE(server.stop(SIGTERM) == 0);  // a clean stop folds the WAL into the database file
  }
  // Silent damage SQLite cannot see: one byte of the last log entry changes (its version line),
  // as a bad sector or a hand edit would change it.
  const std::string needle = "record " + last_id + "\nversion 1\n";
  std::string replacement = needle;
  replacement[replacement.size() - 2] = '7';
  int patched = patch_file(reg.db, needle, replacement);
  if (fs::exists(reg.db.string() + "-wal")) {
    patched += patch_file(reg.db.string() + "-wal", needle, replacement);
  }
  REQUIRE(patched >= 1);

  for (const bool with_key : {true, false}) {
    std::vector<std::string> args = {"--db", reg.db.string()};
    if (with_key) args.insert(args.end(), {"--key", reg.skey.string()});
    std::string err;
    INFO("with the key: " << with_key);
    CHECK(candor::test::run_serve_expecting_exit(args, err) == 2);
    INFO(err);
    CHECK(err.find("is damaged") != std::string::npos);
    CHECK(err.find("does not hash to its stored leaf hash") != std::string::npos);
    CHECK(err.find("restore it from a backup") != std::string::npos);
  }
}

TEST_CASE("fault: a torn page in the database gives clear refusals, never a crash", "[fault]") {
  Register reg("torn");
  {
    ServerProcess server({"--db", reg.db.string(), "--key", reg.skey.string()});
    for (int n = 0; n < 12; ++n) REQUIRE(reg.submit(server.port(), n).status == 201);
    REQUIRE(server.stop(SIGTERM) == 0);
  }
  // Page 3 onwards hold the tables' first pages; zeroing one of them is what a torn write leaves.
  const auto size = fs::file_size(reg.db);
  REQUIRE(size > 8 * 4096);
  for (const std::uintmax_t page : {3u, 5u}) {
    std::fstream f(reg.db, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(static_cast<std::streamoff>(page * 4096));
    const std::string zeros(4096, '\0');
    f.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
  }
  std::string err;
  std::vector<std::string> args = {"--db", reg.db.string()};
  // The store either refuses at start, naming the problem, or serves, and then each request is
  // answered (pages it cannot read with a 5xx) while the server stays up.
  try {
    ServerProcess server(args);
    for (const std::string target : {"/", "/search?q=fault", "/api/v1/records", "/checkpoint",
                                     "/statistics", "/organisations", "/api/v1/log"}) {
      const auto reply = get(server.port(), target);
      INFO(target << " " << reply.status);
      CHECK(((reply.status >= 200 && reply.status < 300) || reply.status >= 500));
    }
    CHECK(server.stop(SIGTERM) == 0);  // still running: nothing crashed it
  } catch (const std::runtime_error& refused) {
    const std::string message = refused.what();
    INFO(message);
    CHECK((message.find("damaged") != std::string::npos ||
           message.find("cannot open the register") != std::string::npos));
  }
}

TEST_CASE("fault: a read-only database is refused at start with what to do", "[fault]") {
  Register reg("readonly");
  const fs::path dir = reg.dir / "ro";
  fs::create_directories(dir);
  fs::copy_file(reg.db, dir / "register.db");
  fs::permissions(dir / "register.db", fs::perms::owner_read | fs::perms::group_read |
                                           fs::perms::others_read);
  fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                           fs::perms::group_exec | fs::perms::others_read |
                           fs::perms::others_exec);
  // Root ignores file permissions: run the server as nobody, as a service account would run.
  std::vector<std::string> argv;
  if (geteuid() == 0) {
    argv = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
  }
  argv.insert(argv.end(), {CANDOR_BIN, "serve", "--listen", "127.0.0.1:0", "--db",
                           (dir / "register.db").string()});
  const auto result = candor::test::run_process(argv);
  fs::permissions(dir, fs::perms::owner_all);
  INFO(result.err);
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("cannot be written") != std::string::npos);
  CHECK(result.err.find("write access to the database file and to its directory") !=
        std::string::npos);
}
