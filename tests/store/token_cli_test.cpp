// `candor token create|revoke` as an operator runs them, and the findings `candor register add`
// now stores: the real binary against a register in a temporary directory.
#include <catch2/catch.hpp>

#include <regex>

#include "candor/registry/tokens.h"
#include "candor_run.h"
#include "store_test_support.h"

namespace {

namespace fs = std::filesystem;
using candor::test::ProcessResult;
using candor::test::run_process;
using namespace candor::registry;
using namespace candor::registry::test;

using candor::test::describe;
using candor::test::run_candor;

struct Register {
  TempDir dir;
  fs::path skey = dir / "keys" / "example.org-ai-register.skey";
  fs::path db = dir / "register.db";

  Register() {
    auto keygen = run_candor(
        {"keygen", "--name", "example.org/ai-register", "--out", (dir / "keys").string()});
    REQUIRE(keygen.exit_code == 0);
    auto init = run_candor({"register", "init", "--db", db.string(), "--key", skey.string()});
    REQUIRE(init.exit_code == 0);
  }
  ProcessResult create(std::vector<std::string> args) const {
    std::vector<std::string> all = {"token", "create", "--db", db.string()};
    all.insert(all.end(), args.begin(), args.end());
    return run_candor(all);
  }
  // Every byte of the database and its WAL, as an attacker with a copy would see them.
  std::string database_bytes() const {
    std::string bytes;
    for (const char* suffix : {"", "-wal", "-journal"}) {
      const fs::path p = db.string() + suffix;
      if (fs::exists(p)) bytes += read_all(p);
    }
    return bytes;
  }
};

}  // namespace

TEST_CASE("token: create prints only the token and stores only its hash") {
  Register reg;
  auto r = reg.create({"--org", "northshire-police", "--role", "submitter", "--label", "custody-ci",
                       "--org-name", "Northshire Constabulary"});
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  REQUIRE(std::regex_match(r.out, std::regex("candor_[A-Za-z0-9_-]{43}\n")));
  const std::string token = r.out.substr(0, r.out.size() - 1);
  CHECK(is_token_syntax(token));
  CHECK(r.err.find(token) == std::string::npos);

  auto store = open_sqlite_store(reg.db);
  const auto stored = store->token(token_hash(token));
  REQUIRE(stored);
  CHECK(stored->organisation == "northshire-police");
  CHECK(stored->role == Role::submitter);
  CHECK(stored->label == "custody-ci");
  CHECK_FALSE(stored->revoked);
  REQUIRE(store->organisation("northshire-police"));
  CHECK(store->organisation("northshire-police")->name == "Northshire Constabulary");
  store.reset();
  CHECK(reg.database_bytes().find(token) == std::string::npos);

  // Two tokens are never the same.
  auto second = reg.create({"--org", "northshire-police", "--role", "admin"});
  REQUIRE(second.exit_code == 0);
  CHECK(second.out != r.out);
}

TEST_CASE("token: create refuses an unknown organisation, role or register") {
  Register reg;
  auto unknown = reg.create({"--org", "nobody-here", "--role", "submitter"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.out.empty());
  CHECK(unknown.err.find("--org-name") != std::string::npos);
  auto role = reg.create({"--org", "northshire-police", "--role", "owner", "--org-name", "N"});
  CHECK(role.exit_code == 2);
  CHECK(role.out.empty());
  auto slug = reg.create({"--org", "Not A Slug", "--role", "admin", "--org-name", "N"});
  CHECK(slug.exit_code == 2);
  auto nodb = run_candor({"token", "create", "--db", (reg.dir / "missing.db").string(), "--org",
                          "northshire-police", "--role", "admin", "--org-name", "N"});
  CHECK(nodb.exit_code == 2);
  CHECK(nodb.out.empty());
  auto store = open_sqlite_store(reg.db);
  CHECK_FALSE(store->organisation("nobody-here"));
}

TEST_CASE("token: revoke by token file or by hash") {
  Register reg;
  auto a = reg.create({"--org", "northshire-police", "--role", "submitter", "--org-name", "N"});
  auto b = reg.create({"--org", "northshire-police", "--role", "submitter"});
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  const std::string token_a = a.out.substr(0, a.out.size() - 1);
  const std::string token_b = b.out.substr(0, b.out.size() - 1);
  const fs::path file = reg.dir / "token";
  write_all(file, token_a + "\n");

  auto by_file =
      run_candor({"token", "revoke", "--db", reg.db.string(), "--token-file", file.string()});
  INFO(describe(by_file));
  CHECK(by_file.exit_code == 0);
  CHECK(by_file.out.find(token_a) == std::string::npos);
  auto by_hash = run_candor(
      {"token", "revoke", "--db", reg.db.string(), "--hash", to_hex(token_hash(token_b))});
  CHECK(by_hash.exit_code == 0);
  {
    auto store = open_sqlite_store(reg.db);
    CHECK(store->token(token_hash(token_a))->revoked);
    CHECK(store->token(token_hash(token_b))->revoked);
  }

  auto unknown = run_candor(
      {"token", "revoke", "--db", reg.db.string(), "--hash", to_hex(token_hash(generate_token()))});
  CHECK(unknown.exit_code == 1);
  CHECK(run_candor({"token", "revoke", "--db", reg.db.string()}).exit_code == 2);
  CHECK(run_candor({"token", "revoke", "--db", reg.db.string(), "--hash", "abc"}).exit_code == 2);
  CHECK(run_candor({"token", "revoke", "--db", reg.db.string(), "--token-file",
                    (reg.dir / "none").string()})
            .exit_code == 2);
}

TEST_CASE("token: register add stores the rules' findings with each version") {
  Register reg;
  const fs::path record = reg.dir / "grant.yaml";
  write_all(record, small_record("northern-growth-agency", "grant-summaries"));
  auto add = run_candor({"register", "add", record.string(), "--db", reg.db.string(), "--org",
                         "northern-growth-agency"});
  INFO(describe(add));
  REQUIRE(add.exit_code == 0);
  auto store = open_sqlite_store(reg.db);
  const auto findings = store->findings("northern-growth-agency", "grant-summaries", 1);
  REQUIRE(findings);
  CHECK(findings->evaluated);
  CHECK(findings->json.find("\"rule_id\":\"SCHEMA\"") != std::string::npos);
  const auto current = store->current_record("northern-growth-agency", "grant-summaries");
  REQUIRE(current);
  CHECK(current->compliance != Compliance::not_assessed);
  CHECK(current->compliance == compliance_of(*findings));
}
