// `candor keygen`, `candor register init|add` and `candor verify` as a user runs them: the real
// binary, its files, its output and its exit codes (0 ok, 1 rejected / failed, 2 usage or I/O).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <regex>

#include "candor_run.h"
#include "store_test_support.h"

namespace {

namespace fs = std::filesystem;
using candor::test::ProcessResult;
using candor::test::run_process;
using namespace candor::registry::test;

using candor::test::describe;
using candor::test::run_candor;

// A directory with a key pair and an initialised register.
struct Register {
  TempDir dir;
  fs::path skey = dir / "keys" / "example.org-ai-register.skey";
  fs::path vkey = dir / "keys" / "example.org-ai-register.vkey";
  fs::path db = dir / "register.db";

  Register() {
    auto keygen = run_candor(
        {"keygen", "--name", "example.org/ai-register", "--out", (dir / "keys").string()});
    INFO(describe(keygen));
    REQUIRE(keygen.exit_code == 0);
    auto init = run_candor({"register", "init", "--db", db.string(), "--key", skey.string()});
    INFO(describe(init));
    REQUIRE(init.exit_code == 0);
  }
  fs::path write_record(const std::string& name, const std::string& yaml) const {
    const fs::path p = dir / name;
    write_all(p, yaml);
    return p;
  }
  ProcessResult add(std::vector<std::string> args) const {
    std::vector<std::string> all = {"register", "add"};
    all.insert(all.end(), args.begin(), args.end());
    all.insert(all.end(), {"--db", db.string(), "--org", "northern-growth-agency"});
    return run_candor(all);
  }
  ProcessResult verify(const fs::path& receipt, std::vector<std::string> more = {}) const {
    std::vector<std::string> all = {"verify", receipt.string(), "--vkey", vkey.string()};
    all.insert(all.end(), more.begin(), more.end());
    return run_candor(all);
  }
};

}  // namespace

TEST_CASE("cli: keygen writes a private key only its owner can read, and never prints it") {
  TempDir dir;
  auto r =
      run_candor({"keygen", "--name", "example.org/ai-register", "--out", (dir / "k").string()});
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  const fs::path skey = dir / "k" / "example.org-ai-register.skey";
  const fs::path vkey = dir / "k" / "example.org-ai-register.vkey";
  struct stat st {};
  REQUIRE(::stat(skey.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const std::string secret = read_all(skey);
  CHECK(secret.rfind("PRIVATE+KEY+example.org/ai-register+", 0) == 0);
  CHECK(r.out.find("PRIVATE") == std::string::npos);
  CHECK(r.err.find("PRIVATE") == std::string::npos);
  const std::string pub = read_all(vkey);
  CHECK(std::regex_match(
      pub, std::regex("example\\.org/ai-register\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}\n")));
  CHECK(r.out.find(pub.substr(0, pub.size() - 1)) != std::string::npos);

  // A key is never overwritten.
  auto again =
      run_candor({"keygen", "--name", "example.org/ai-register", "--out", (dir / "k").string()});
  CHECK(again.exit_code == 2);
  CHECK(read_all(skey) == secret);
  CHECK(run_candor({"keygen", "--name", "has space", "--out", dir.path().string()}).exit_code == 2);
  CHECK(run_candor({"keygen", "--out", dir.path().string()}).exit_code == 2);
}

TEST_CASE("cli: init, add, verify: a record's receipt verifies, with and without the record") {
  Register reg;
  const fs::path record =
      reg.write_record("grant.yaml", small_record("northern-growth-agency", "grant-summaries"));
  auto add = reg.add({record.string()});
  INFO(describe(add));
  REQUIRE(add.exit_code == 0);
  CHECK(add.out.find("added as northern-growth-agency/grant-summaries version 1 (log entry 0)") !=
        std::string::npos);
  const fs::path receipt = record.string() + ".tlog-proof";
  REQUIRE(fs::exists(receipt));
  CHECK(read_all(receipt).rfind("c2sp.org/tlog-proof@v1\nextra ", 0) == 0);

  auto ok = reg.verify(receipt, {"--record", record.string()});
  INFO(describe(ok));
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("verified") != std::string::npos);
  CHECK(ok.out.find("matches the logged body") != std::string::npos);

  // The same record written differently still matches; a changed value does not.
  const fs::path reformatted = reg.write_record(
      "grant-reformatted.yaml", "# comments and order do not matter\n" +
                                    small_record("northern-growth-agency", "grant-summaries"));
  CHECK(reg.verify(receipt, {"--record", reformatted.string()}).exit_code == 0);
  const fs::path changed = reg.write_record(
      "grant-changed.yaml", small_record("northern-growth-agency", "grant-summaries", "do more"));
  auto mismatch = reg.verify(receipt, {"--record", changed.string()});
  CHECK(mismatch.exit_code == 1);
  CHECK(mismatch.out.find("verify.body-hash") == std::string::npos);  // plain words, not codes
  CHECK(mismatch.out.find("FAILED") != std::string::npos);
}

TEST_CASE("cli: a tampered receipt, a wrong key or a missing file fail with the right status") {
  Register reg;
  const fs::path record =
      reg.write_record("grant.yaml", small_record("northern-growth-agency", "grant-summaries"));
  REQUIRE(reg.add({record.string()}).exit_code == 0);
  const fs::path receipt = record.string() + ".tlog-proof";
  const std::string good = read_all(receipt);

  std::string tampered = good;
  tampered.replace(tampered.find("\nindex 0\n"), 9, "\nindex 1\n");
  const fs::path bad = reg.dir / "bad.tlog-proof";
  write_all(bad, tampered);
  auto r = reg.verify(bad);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("FAILED") != std::string::npos);

  // Another key: make one, and check the receipt against it.
  auto other = run_candor(
      {"keygen", "--name", "example.org/ai-register", "--out", (reg.dir / "other").string()});
  REQUIRE(other.exit_code == 0);
  CHECK(run_candor({"verify", receipt.string(), "--vkey",
                    (reg.dir / "other" / "example.org-ai-register.vkey").string()})
            .exit_code == 1);

  CHECK(reg.verify(reg.dir / "missing.tlog-proof").exit_code == 2);
  CHECK(run_candor({"verify", receipt.string(), "--vkey", reg.skey.string()}).exit_code == 2);
  CHECK(reg.verify(receipt, {"--record", (reg.dir / "missing.yaml").string()}).exit_code == 2);
}

TEST_CASE("cli: add reports rejected records like validate, adds the rest, and exits 1") {
  Register reg;
  const fs::path good =
      reg.write_record("good.yaml", small_record("northern-growth-agency", "good"));
  const fs::path invalid =
      fs::path(CANDOR_SOURCE_DIR) / "schemas" / "examples" / "invalid" / "18-enum-phase-live.yaml";
  const fs::path other_org =
      reg.write_record("other.yaml", small_record("eastbridge-council", "chatbot"));
  const fs::path receipts = reg.dir / "receipts";
  auto r = reg.add(
      {good.string(), invalid.string(), other_org.string(), "--receipts", receipts.string()});
  INFO(describe(r));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find(invalid.string() + ":24:8: error:") != std::string::npos);
  CHECK(r.out.find(other_org.string() +
                   ":4:7: error: this record belongs to \"eastbridge-council\"") !=
        std::string::npos);
  CHECK(r.out.find("3 files: 1 added, 0 unchanged, 2 rejected; the log has 1 entry") !=
        std::string::npos);
  CHECK(fs::exists(receipts / "good.yaml.tlog-proof"));
  CHECK_FALSE(fs::exists(good.string() + ".tlog-proof"));
  CHECK(fs::exists(receipts / "good.yaml.tlog-proof"));

  // Adding the same file again changes nothing; a changed file is version 2.
  auto same = reg.add({good.string()});
  CHECK(same.exit_code == 0);
  CHECK(same.out.find("unchanged, already northern-growth-agency/good version 1") !=
        std::string::npos);
  write_all(good, small_record("northern-growth-agency", "good", "do more"));
  auto changed = reg.add({good.string()});
  CHECK(changed.exit_code == 0);
  CHECK(changed.out.find("added as northern-growth-agency/good version 2 (log entry 1)") !=
        std::string::npos);
  CHECK(reg.verify(good.string() + ".tlog-proof", {"--record", good.string()}).exit_code == 0);
}

TEST_CASE("cli: register commands refuse what they cannot do safely") {
  Register reg;
  const fs::path record =
      reg.write_record("grant.yaml", small_record("northern-growth-agency", "grant-summaries"));
  // Not an initialised register.
  CHECK(run_candor({"register", "add", record.string(), "--db", (reg.dir / "none.db").string(),
                    "--org", "northern-growth-agency"})
            .exit_code == 2);
  // A path that does not exist: nothing is added.
  auto missing = reg.add({record.string(), (reg.dir / "nope.yaml").string()});
  CHECK(missing.exit_code == 2);
  CHECK_FALSE(fs::exists(record.string() + ".tlog-proof"));
  // Re-initialising with the same key is harmless; with another key it is refused.
  CHECK(run_candor({"register", "init", "--db", reg.db.string(), "--key", reg.skey.string()})
            .exit_code == 0);
  REQUIRE(run_candor({"keygen", "--name", "example.org/ai-register", "--out",
                      (reg.dir / "other").string()})
              .exit_code == 0);
  const std::string other_key = (reg.dir / "other" / "example.org-ai-register.skey").string();
  CHECK(run_candor({"register", "init", "--db", reg.db.string(), "--key", other_key}).exit_code ==
        2);
  // ...and so is adding with a key that is not the register's.
  auto wrong_key = reg.add({record.string(), "--key", other_key});
  CHECK(wrong_key.exit_code == 2);
  CHECK_FALSE(fs::exists(record.string() + ".tlog-proof"));
}

TEST_CASE("cli: register add --any-org files each record for its own organisation") {
  Register reg;
  const auto a = reg.write_record("a.yaml", small_record("north-agency", "one"));
  const auto b = reg.write_record("b.yaml", small_record("south-agency", "two"));
  // With --org, the other organisation's record is refused, as a submitter's token would be.
  auto one_org = run_candor({"register", "add", a.string(), b.string(), "--db", reg.db.string(),
                             "--org", "north-agency"});
  INFO(describe(one_org));
  CHECK(one_org.exit_code == 1);
  auto any = run_candor({"register", "add", a.string(), b.string(), "--db", reg.db.string(),
                         "--any-org"});
  INFO(describe(any));
  CHECK(any.exit_code == 0);
  CHECK(any.out.find("1 added, 1 unchanged, 0 rejected") != std::string::npos);
  auto store = candor::registry::open_sqlite_store(reg.db);
  CHECK(store->versions("south-agency", "two").size() == 1);

  for (const std::vector<std::string>& wrong :
       {std::vector<std::string>{"register", "add", a.string(), "--db", reg.db.string()},
        std::vector<std::string>{"register", "add", a.string(), "--db", reg.db.string(), "--org",
                                 "north-agency", "--any-org"}}) {
    auto r = run_candor(wrong);
    INFO(describe(r));
    CHECK(r.exit_code == 2);
    CHECK_FALSE(r.err.empty());
  }
}
