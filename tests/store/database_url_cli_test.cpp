// Database URLs: what open_store accepts and refuses (parse_database_url, redact_database_url),
// and the commands that take --db, run as a user runs them against each backend.
#include <catch2/catch.hpp>

#include "candor/registry/open_store.h"
#include "candor_run.h"
#include "store_backends.h"

namespace {

namespace fs = std::filesystem;
using namespace candor::registry;
using namespace candor::registry::test;
using candor::test::describe;
using candor::test::run_candor;

}  // namespace

TEST_CASE("database URL: bare paths and sqlite: are SQLite, postgresql:// is PostgreSQL") {
  CHECK(parse_database_url("register.db").backend == StoreBackend::sqlite);
  CHECK(parse_database_url("register.db").target == "register.db");
  CHECK(parse_database_url("/var/lib/candor/register.db").target == "/var/lib/candor/register.db");
  CHECK(parse_database_url("./a:b.db").target == "./a:b.db");
  CHECK(parse_database_url("sqlite:register.db").target == "register.db");
  CHECK(parse_database_url("sqlite:/srv/r.db").target == "/srv/r.db");
  CHECK(parse_database_url("SQLite:a:b.db").target == "a:b.db");
  const DatabaseUrl pg = parse_database_url("postgresql://alice:s3cret@db.internal:5433/register");
  CHECK(pg.backend == StoreBackend::postgresql);
  CHECK(pg.target == "postgresql://alice:s3cret@db.internal:5433/register");
  CHECK(pg.display == "postgresql://alice@db.internal:5433/register");
  CHECK(parse_database_url("postgres://db/register").backend == StoreBackend::postgresql);
}

TEST_CASE("database URL: other schemes and empty forms are refused, naming the accepted forms") {
  for (const char* url : {"mysql://db/register", "http://example.org/register.db", "file:x.db",
                          "sqlite:", "sqlite://register.db", "postgresql:register", ""}) {
    INFO(url);
    try {
      parse_database_url(url);
      FAIL("accepted");
    } catch (const StoreError& e) {
      const std::string message = e.what();
      CHECK_THAT(message, Catch::Contains("sqlite:"));
      if (*url != '\0' && std::string(url).rfind("sqlite:", 0) != 0) {
        CHECK_THAT(message, Catch::Contains("postgresql://USER@HOST"));
        CHECK_THAT(message, Catch::Contains(url));
      }
    }
  }
}

TEST_CASE("database URL: passwords never reach messages") {
  CHECK(redact_database_url("postgresql://alice:s3cret@db:5432/register") ==
        "postgresql://alice@db:5432/register");
  CHECK(redact_database_url("postgresql://db/register?password=s3cret&sslmode=require") ==
        "postgresql://db/register?sslmode=require");
  CHECK(redact_database_url("postgresql://alice@db/register") == "postgresql://alice@db/register");
  CHECK(redact_database_url("register.db") == "register.db");
  try {
    parse_database_url("mysql://alice:s3cret@db/register");
    FAIL("accepted");
  } catch (const StoreError& e) {
    CHECK_THAT(e.what(), !Catch::Contains("s3cret"));
  }
}

TEST_CASE("cli: a PostgreSQL server that cannot be reached is named, without the password") {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  const std::string url = "postgresql://alice:s3cret@127.0.0.1:1/register";
  auto r = run_candor({"report", "--db", url});
  INFO(describe(r));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("postgresql://alice@127.0.0.1:1/register"));
  CHECK_THAT(r.err, Catch::Contains("check that the server is running"));
  CHECK_THAT(r.err, !Catch::Contains("s3cret"));
}

TEST_CASE("cli: an unsupported --db is refused, naming the accepted forms") {
  auto r = run_candor(
      {"token", "create", "--db", "mysql://db/register", "--org", "x", "--role", "admin"});
  INFO(describe(r));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("mysql://db/register"));
  CHECK_THAT(r.err, Catch::Contains("postgresql://USER@HOST"));
}

TEST_CASE("cli: register init, add, token, report and log export take a database URL") {
  FOR_EACH_BACKEND(db);
  TempDir dir;
  auto keygen =
      run_candor({"keygen", "--name", "example.org/ai-register", "--out", (dir / "keys").string()});
  REQUIRE(keygen.exit_code == 0);
  const std::string skey = (dir / "keys" / "example.org-ai-register.skey").string();

  // A database without a register is refused by the commands that need one, and left alone.
  auto early = run_candor({"report", "--db", db.url()});
  INFO(describe(early));
  CHECK(early.exit_code == 2);
  CHECK_THAT(early.err, Catch::Contains("register init"));

  auto init = run_candor({"register", "init", "--db", db.url(), "--key", skey});
  INFO(describe(init));
  REQUIRE(init.exit_code == 0);
  CHECK_THAT(init.out, Catch::Contains("initialised register example.org/ai-register"));
  auto again = run_candor({"register", "init", "--db", db.url(), "--key", skey});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("already the register"));

  write_all(dir / "one.yaml", small_record("northern-growth-agency", "one"));
  write_all(dir / "two.yaml", small_record("northern-growth-agency", "two"));
  auto add =
      run_candor({"register", "add", (dir / "one.yaml").string(), (dir / "two.yaml").string(),
                  "--db", db.url(), "--org", "northern-growth-agency", "--key", skey});
  INFO(describe(add));
  REQUIRE(add.exit_code == 0);

  auto token = run_candor({"token", "create", "--db", db.url(), "--org", "northern-growth-agency",
                           "--role", "submitter", "--label", "ci"});
  INFO(describe(token));
  CHECK(token.exit_code == 0);

  auto report = run_candor({"report", "--db", db.url(), "--format", "json"});
  INFO(describe(report));
  CHECK(report.exit_code == 0);

  auto exported = run_candor({"log", "export", (dir / "log").string(), "--db", db.url()});
  INFO(describe(exported));
  REQUIRE(exported.exit_code == 0);
  const std::string checkpoint = read_all(dir / "log" / "checkpoint");
  CHECK_THAT(checkpoint, Catch::StartsWith("example.org/ai-register\n2\n"));

  auto store = open_store(db.url());
  CHECK(store->log_size() == 2);
  CHECK(store->current_records({}).size() == 2);
}
