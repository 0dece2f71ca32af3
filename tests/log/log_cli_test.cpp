// `candor log export` and `candor verify --log` as a user runs them: a register made with the CLI,
// exported as tlog-tiles, audited from a directory and over HTTP; forks, rollbacks and altered
// copies refused with exit 1, unusable input with exit 2.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "candor_run.h"
#include "static_server.h"
#include "test_files.h"

namespace {

namespace fs = std::filesystem;
using candor::test::read_file;
using candor::test::write_file;
using candor::test::ProcessResult;
using candor::test::run_process;

using candor::test::describe;
using candor::test::run_candor;

struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() /
           ("candor-log-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path operator/(const std::string& name) const { return path / name; }
};

fs::path example(const std::string& name) {
  return fs::path(CANDOR_SOURCE_DIR) / "schemas" / "examples" / "valid" / (name + ".yaml");
}

const std::vector<std::string> k_examples = {
    "eastbridge-council--resident-enquiries-chatbot",
    "northshire-police--footage-redaction",
    "harrowdale-nhs-trust--appointment-support-prediction",
    "oakridge-academy-trust--writing-feedback-assistant",
};

// Keys made once per process (keygen never overwrites), registers made per test.
struct Keys {
  TempDir dir;
  fs::path skey = dir / "example.org-ai-register.skey";
  fs::path vkey = dir / "example.org-ai-register.vkey";
  fs::path other_vkey = dir / "example.org-other.vkey";
  Keys() {
    auto a =
        run_candor({"keygen", "--name", "example.org/ai-register", "--out", dir.path.string()});
    auto b = run_candor({"keygen", "--name", "example.org/other", "--out", dir.path.string()});
    if (a.exit_code != 0 || b.exit_code != 0) throw std::runtime_error(describe(a) + describe(b));
  }
};

const Keys& keys() {
  static const Keys k;
  return k;
}

struct Register {
  TempDir dir;
  fs::path db = dir / "register.db";

  explicit Register(const std::vector<std::string>& records = k_examples) {
    auto init =
        run_candor({"register", "init", "--db", db.string(), "--key", keys().skey.string()});
    INFO(describe(init));
    REQUIRE(init.exit_code == 0);
    for (const std::string& name : records) add(example(name), name.substr(0, name.find("--")));
  }
  void add(const fs::path& record, const std::string& org) {
    auto r = run_candor({"register", "add", record.string(), "--db", db.string(), "--org", org,
                         "--receipts", (dir / "receipts").string()});
    INFO(describe(r));
    REQUIRE(r.exit_code == 0);
  }
  // A new version of the first example record.
  void update() {
    std::string yaml = read_file(example(k_examples[0]));
    const std::string from = "name: Ask Eastbridge webchat assistant";
    REQUIRE(yaml.find(from) != std::string::npos);
    yaml.replace(yaml.find(from), from.size(), from + " (2026 edition)");
    const fs::path changed = dir / "changed.yaml";
    write_file(changed, yaml);
    add(changed, "eastbridge-council");
  }
  ProcessResult export_to(const fs::path& out) const {
    return run_candor({"log", "export", out.string(), "--db", db.string()});
  }
};

ProcessResult verify_log(const std::string& where, std::vector<std::string> more = {}) {
  std::vector<std::string> args = {"verify", "--log", where, "--vkey", keys().vkey.string()};
  args.insert(args.end(), more.begin(), more.end());
  return run_candor(args);
}

}  // namespace

TEST_CASE("log export writes tlog-tiles and verify --log audits them", "[cli][log]") {
  Register reg;
  TempDir out;
  const fs::path dir = out / "log";
  auto exported = reg.export_to(dir);
  INFO(describe(exported));
  REQUIRE(exported.exit_code == 0);
  CHECK_THAT(exported.out, Catch::Contains("4 entries") && Catch::Contains("3 files written"));
  CHECK(fs::is_regular_file(dir / "checkpoint"));
  CHECK(fs::file_size(dir / "tile/0/000.p/4") == 4 * 32);
  CHECK(fs::is_regular_file(dir / "tile/entries/000.p/4"));
  CHECK(read_file(dir / "checkpoint").rfind("example.org/ai-register\n4\n", 0) == 0);

  auto verified = verify_log(dir.string());
  INFO(describe(verified));
  CHECK(verified.exit_code == 0);
  CHECK_THAT(verified.out, Catch::Contains("verified log example.org/ai-register") &&
                               Catch::Contains("4 entries rehashed") &&
                               Catch::Contains("4 records") &&
                               Catch::Contains("not compared (no --state file)"));

  // Exporting again changes nothing.
  auto again = reg.export_to(dir);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("0 files written, 3 unchanged"));
}

TEST_CASE("a state file accepts a log that grew and remembers it", "[cli][log]") {
  Register reg;
  TempDir out;
  const fs::path dir = out / "log";
  const fs::path state = out / "state";
  REQUIRE(reg.export_to(dir).exit_code == 0);

  auto first = verify_log(dir.string(), {"--state", state.string()});
  INFO(describe(first));
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, Catch::Contains("first audit"));
  CHECK(read_file(state) == read_file(dir / "checkpoint"));

  auto same = verify_log(dir.string(), {"--state", state.string()});
  CHECK(same.exit_code == 0);
  CHECK_THAT(same.out, Catch::Contains("unchanged since the checkpoint"));

  reg.update();
  REQUIRE(reg.export_to(dir).exit_code == 0);
  CHECK(fs::is_regular_file(dir / "tile/0/000.p/4"));  // kept for holders of the old checkpoint
  CHECK(fs::is_regular_file(dir / "tile/0/000.p/5"));
  auto grown = verify_log(dir.string(), {"--state", state.string()});
  INFO(describe(grown));
  CHECK(grown.exit_code == 0);
  CHECK_THAT(grown.out, Catch::Contains("grew from 4 to 5 entries") &&
                            Catch::Contains("5 entries rehashed") && Catch::Contains("4 records"));
  CHECK(read_file(state).rfind("example.org/ai-register\n5\n", 0) == 0);
}

TEST_CASE("forks and rollbacks are refused, with the evidence, and the state kept", "[cli][log]") {
  Register reg;
  TempDir out;
  const fs::path small = out / "small";
  const fs::path grown = out / "grown";
  const fs::path state = out / "state";
  REQUIRE(reg.export_to(small).exit_code == 0);
  reg.update();
  REQUIRE(reg.export_to(grown).exit_code == 0);
  REQUIRE(verify_log(grown.string(), {"--state", state.string()}).exit_code == 0);
  const std::string kept = read_file(state);

  SECTION("a smaller tree than before: rollback") {
    auto r = verify_log(small.string(), {"--state", state.string()});
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("rollback") && Catch::Contains("FAILED") &&
                          Catch::Contains("Evidence"));
  }
  SECTION("the same key signing another history: fork") {
    // The same records in another order, one more version: a log of the same size, signed by
    // the same key, that is not the one seen before.
    std::vector<std::string> reversed(k_examples.rbegin(), k_examples.rend());
    Register other(reversed);
    other.update();
    const fs::path forked = out / "forked";
    REQUIRE(other.export_to(forked).exit_code == 0);
    auto r = verify_log(forked.string(), {"--state", state.string()});
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("fork") && Catch::Contains("same size 5") &&
                          Catch::Contains("was left unchanged"));

    // And a longer log whose beginning differs.
    other.add(example("university-of-wexmoor--dublin-admissions-shortlisting"),
              "university-of-wexmoor");
    REQUIRE(other.export_to(forked).exit_code == 0);
    auto longer = verify_log(forked.string(), {"--state", state.string()});
    INFO(describe(longer));
    CHECK(longer.exit_code == 1);
    CHECK_THAT(longer.out, Catch::Contains("fork") && Catch::Contains("first 5 entries"));
  }
  CHECK(read_file(state) == kept);
}

TEST_CASE("altered or incomplete copies fail", "[cli][log]") {
  Register reg;
  TempDir out;
  const fs::path dir = out / "log";
  REQUIRE(reg.export_to(dir).exit_code == 0);

  SECTION("an entry changed") {
    std::string bundle = read_file(dir / "tile/entries/000.p/4");
    bundle[bundle.find("accepted 20") + 9] = '1';
    write_file(dir / "tile/entries/000.p/4", bundle);
    auto r = verify_log(dir.string());
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("disagree on entry 0"));
  }
  SECTION("a tile missing") {
    fs::remove(dir / "tile/0/000.p/4");
    auto r = verify_log(dir.string());
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("does not serve tile/0/000.p/4"));
  }
  SECTION("another log's key") {
    auto r = run_candor({"verify", "--log", dir.string(), "--vkey", keys().other_vkey.string(),
                         "--origin", "example.org/ai-register"});
    INFO(describe(r));
    CHECK(r.exit_code == 1);
  }
}

TEST_CASE("verify --log: usage and I/O problems exit 2", "[cli][log]") {
  Register reg({k_examples[0]});
  TempDir out;
  const fs::path dir = out / "log";
  REQUIRE(reg.export_to(dir).exit_code == 0);

  CHECK(verify_log((out / "nowhere").string()).exit_code == 2);
  write_file(out / "garbage-state", "not a checkpoint\n");
  auto garbage = verify_log(dir.string(), {"--state", (out / "garbage-state").string()});
  CHECK(garbage.exit_code == 2);
  CHECK_THAT(garbage.err, Catch::Contains("does not hold a checkpoint"));
  CHECK(verify_log("http://127.0.0.1:1/log/").exit_code == 2);  // nothing listens on port 1
  CHECK(
      run_candor({"verify", "x.tlog-proof", "--log", dir.string(), "--vkey", keys().vkey.string()})
          .exit_code == 2);
  CHECK(run_candor({"verify", "--state", "s", "--vkey", keys().vkey.string()}).exit_code == 2);
  fs::remove(dir / "checkpoint");
  auto no_checkpoint = verify_log(dir.string());
  CHECK(no_checkpoint.exit_code == 2);
  CHECK_THAT(no_checkpoint.err, Catch::Contains("nothing was verified"));
}

TEST_CASE("log export never forks or rolls back a published copy", "[cli][log]") {
  Register reg({k_examples[0], k_examples[1]});
  TempDir out;
  const fs::path dir = out / "log";
  REQUIRE(reg.export_to(dir).exit_code == 0);

  Register other({k_examples[1], k_examples[0]});  // same key, other history
  auto fork = other.export_to(dir);
  CHECK(fork.exit_code == 2);
  CHECK_THAT(fork.err, Catch::Contains("would publish a fork"));

  reg.update();
  const fs::path bigger = out / "bigger";
  REQUIRE(reg.export_to(bigger).exit_code == 0);
  Register smaller({k_examples[0], k_examples[1]});
  auto rollback = smaller.export_to(bigger);
  CHECK(rollback.exit_code == 2);

  CHECK(run_candor({"log", "export", dir.string(), "--db", (out / "none.db").string()}).exit_code ==
        2);
  CHECK_FALSE(fs::exists(out / "none.db"));
}

TEST_CASE("verify --log reads a log over HTTP, gzip bundles included", "[cli][log][http]") {
  Register reg;
  TempDir out;
  const fs::path dir = out / "log";
  const fs::path state = out / "state";
  REQUIRE(reg.export_to(dir).exit_code == 0);
  candor::test::StaticServer server({dir, "/registers/example/", true});

  auto first = verify_log(server.url(), {"--state", state.string()});
  INFO(describe(first));
  CHECK(first.exit_code == 0);
  CHECK_THAT(first.out, Catch::Contains("4 entries rehashed"));
  CHECK(server.requests() >= 3);

  reg.update();
  REQUIRE(reg.export_to(dir).exit_code == 0);
  // Without the trailing slash, too.
  std::string url = server.url();
  url.pop_back();
  auto grown = verify_log(url, {"--state", state.string()});
  INFO(describe(grown));
  CHECK(grown.exit_code == 0);
  CHECK_THAT(grown.out, Catch::Contains("grew from 4 to 5"));

  fs::remove(dir / "tile/entries/000.p/5");
  auto missing = verify_log(server.url());
  INFO(describe(missing));
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.out, Catch::Contains("HTTP 404"));
}
