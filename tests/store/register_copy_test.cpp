// Moving a register between backends (`candor register copy`, store_copy.h): every row arrives
// (compared one by one through the Store interface, not through the export the copy itself uses),
// the copy serves the same searches and passes the store's own check, it keeps working as a
// register, the proof finds a dropped row, and the refusals leave the destination alone. Each
// case runs for every pair of backends the suite has (SQLite to SQLite always; with
// CANDOR_TEST_POSTGRES_URL also SQLite to PostgreSQL, PostgreSQL to SQLite and to PostgreSQL).
#include <catch2/catch.hpp>

#include <algorithm>
#include <utility>

#include "candor/registry/store_check.h"
#include "candor/registry/store_copy.h"
#include "candor_run.h"
#include "store_backends.h"

namespace {

using namespace candor::registry;
using namespace candor::registry::test;
using candor::test::describe;
using candor::test::run_candor;

const char* const k_org = "northern-growth-agency";

std::vector<std::pair<std::string, std::string>> backend_pairs() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& from : test_backends()) {
    for (const std::string& to : test_backends()) out.emplace_back(from, to);
  }
  return out;
}

// Runs the test case once per (source, destination) pair, each a fresh, empty database.
#define FOR_EACH_BACKEND_PAIR(from, to)                                             \
  const auto from##_##to##_pair = GENERATE(from_range(backend_pairs()));            \
  INFO("from " << from##_##to##_pair.first << " to " << from##_##to##_pair.second); \
  ::candor::registry::test::TestDatabase from(from##_##to##_pair.first);            \
  ::candor::registry::test::TestDatabase to(from##_##to##_pair.second)

Token token(const std::string& secret, Role role, const std::string& label) {
  return Token{sha256_of(secret), k_org, role, label, false};
}

Acceptance accept(Intake& intake, const std::string& id, const std::string& variant,
                  Findings findings = {}) {
  auto result = intake
                    .submit(prepare(small_record(k_org, id, variant)), {k_org, "cli:test"},
                            std::move(findings))
                    .get();
  if (!result.ok()) FAIL(format_problem(result.problems().front()));
  return result.value();
}

// A register with a bit of everything: three records (one with three versions, one failing two
// rules), two reviews (one note erased), three tokens (one revoked), a refused write, and a
// checkpoint per submission; every table has rows.
void fill_register(const TestDatabase& db) {
  auto store = open_initialised(db);
  {
    auto tx = store->begin_write();
    tx->put_organisation("test", {"ai-regulator", "AI Regulator", ""});
    tx->put_organisation("test", {k_org, "Northern Growth Agency", "arms-length-body"});
    tx->put_token("cli:admin", token("secret-submitter", Role::submitter, "ci"));
    tx->put_token("cli:admin", token("secret-admin", Role::admin, "ops"));
    tx->put_token("cli:admin", token("secret-old", Role::submitter, "old laptop"));
    tx->commit();
  }
  {
    auto tx = store->begin_write();
    tx->revoke_token("cli:admin", sha256_of("secret-old"));
    tx->commit();
  }
  Intake intake(*store, test_signer(), fixed_clock_options());
  accept(intake, "grant-summaries", "draft short summaries");
  accept(intake, "grant-summaries", "draft longer summaries");
  Findings failing{true,
                   R"([{"rule_id":"t.one","outcome":"fail"},{"rule_id":"t.two","outcome":"fail"}])",
                   {2, 0, 0},
                   {"t.one", "t.two"}};
  accept(intake, "grant-summaries", "summarise applications for assessors", failing);
  accept(intake, "resident-chatbot", "answer residents about bins");
  accept(intake, "planning-triage", "triage planning applications by urgency");
  const Submitter regulator{"ai-regulator", "token:reviewer"};
  for (const char* text : {"Bias testing was adequate.", "Contact details of a person."}) {
    auto review = intake.submit_review({k_org, "grant-summaries", 2, text}, regulator).get();
    if (!review.ok()) FAIL(format_problem(review.problems().front()));
  }
  store->record_denial("token:ci", {"POST /api/v1/records", 403, "auth.organisation", "10.0.0.9"});
  // A lawful erasure: the second note's text is gone, its hash stays in the log.
  RawDb raw(db);
  REQUIRE(raw.exec("UPDATE reviews SET note = NULL WHERE note = 'Contact details of a person.'"));
}

std::vector<AuditEvent> all_audit_events(Store& store) {
  return store.audit_events(0, 1000000);
}

bool same_event(const AuditEvent& a, const AuditEvent& b) {
  return a.id == b.id && a.at == b.at && a.actor == b.actor && a.action == b.action &&
         a.subject == b.subject && a.detail == b.detail;
}

// The hits, in order and with their snippets on one backend; across backends (FTS5's bm25 and
// snippets against ts_rank and ts_headline) the set of records found.
std::vector<std::string> hit_keys(const std::vector<SearchHit>& hits, bool same_backend) {
  std::vector<std::string> out;
  out.reserve(hits.size());
  for (const SearchHit& h : hits) {
    out.push_back(h.organisation + "/" + h.record_id + "|" + h.title +
                  (same_backend ? "|" + h.snippet : ""));
  }
  if (!same_backend) std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::pair<StoreTable, StoreRow>> all_rows(Store& store) {
  std::vector<std::pair<StoreTable, StoreRow>> out;
  store.export_rows([&](StoreTable t, const StoreRow& row) { out.emplace_back(t, row); });
  return out;
}

// Every fact of the register read through the Store interface, compared one by one.
void check_same_register(Store& source, Store& copy, bool same_backend) {
  CHECK(copy.log_settings() == source.log_settings());
  CHECK(copy.organisations() == source.organisations());
  for (const char* secret : {"secret-submitter", "secret-admin", "secret-old"}) {
    INFO(secret);
    const auto original = source.token(sha256_of(secret));
    REQUIRE(original);
    CHECK(copy.token(sha256_of(secret)) == original);
  }
  CHECK(copy.token(sha256_of("secret-old"))->revoked);
  CHECK_FALSE(copy.token(sha256_of("never-issued")));

  CHECK(copy.current_records({}) == source.current_records({}));
  for (const CurrentRecord& r : source.current_records({})) {
    INFO(r.record_id);
    const auto versions = source.versions(r.organisation, r.record_id);
    CHECK(copy.versions(r.organisation, r.record_id) == versions);
    CHECK(copy.reviews(r.organisation, r.record_id) == source.reviews(r.organisation, r.record_id));
    for (const RecordVersion& v : versions) {
      CHECK(copy.findings(v.organisation, v.record_id, v.version) ==
            source.findings(v.organisation, v.record_id, v.version));
      CHECK(copy.body(v.body_hash) == source.body(v.body_hash));
      CHECK(copy.source(v.source_hash) == source.source(v.source_hash));
    }
  }
  const auto reviews = copy.reviews(k_org, "grant-summaries");
  REQUIRE(reviews.size() == 2);
  CHECK(reviews[0].note == "Bias testing was adequate.");
  CHECK_FALSE(reviews[1].note);  // erased stays erased

  CHECK(copy.current_failing_rule_sets() == source.current_failing_rule_sets());
  std::size_t failures = 0;  // (record, rule) pairs
  for (const FailingRuleSet& set : copy.current_failing_rule_sets()) {
    failures += set.rules.size() * set.count;
  }
  CHECK(failures == 2);
  RecordSearch all;
  all.limit = 0;
  CHECK(copy.find_records(all).value().facets == source.find_records(all).value().facets);

  for (const char* words : {"grant", "residents bins", "\"planning applications\""}) {
    INFO(words);
    SearchQuery q;
    q.match = words;
    auto original = source.search(q);
    auto copied = copy.search(q);
    REQUIRE(original.ok());
    REQUIRE(copied.ok());
    CHECK_FALSE(original.value().empty());
    CHECK(hit_keys(copied.value(), same_backend) == hit_keys(original.value(), same_backend));
    RecordSearch browse;
    browse.match = words;
    auto found = copy.find_records(browse);
    REQUIRE(found.ok());
    CHECK(found.value().total == source.find_records(browse).value().total);
  }

  const std::uint64_t size = source.log_size();
  CHECK(copy.log_size() == size);
  CHECK(copy.log_entries(0, size) == source.log_entries(0, size));
  CHECK(copy.latest_checkpoint() == source.latest_checkpoint());
  for (std::uint64_t n = 0; n <= size; ++n) CHECK(copy.checkpoint(n) == source.checkpoint(n));
  CHECK(check_store_against_checkpoint(copy).empty());

  // The audit log: the source's events with their ids, times, actors and details, then one.
  const auto original = all_audit_events(source);
  const auto copied = all_audit_events(copy);
  REQUIRE(copied.size() == original.size() + 1);
  for (std::size_t i = 0; i < original.size(); ++i) {
    INFO("audit event " << original[i].id << " " << original[i].action);
    CHECK(same_event(copied[i], original[i]));
  }
  CHECK(copied.back().id == original.back().id + 1);
  CHECK(copied.back().action == "register.copy");

  // And every row of every table, as each backend reads it back (the search text included).
  auto source_rows = all_rows(source);
  auto copy_rows = all_rows(copy);
  REQUIRE(copy_rows.size() == source_rows.size() + 1);
  CHECK(copy_rows.back().first == StoreTable::audit_log);
  copy_rows.pop_back();
  for (std::size_t i = 0; i < source_rows.size(); ++i) {
    INFO("row " << i << " of " << to_string(source_rows[i].first));
    CHECK(copy_rows[i] == source_rows[i]);
  }
}

}  // namespace

TEST_CASE("register copy: every row arrives, the copy serves the same register and is proven") {
  FOR_EACH_BACKEND_PAIR(from, to);
  fill_register(from);

  auto r = run_candor({"register", "copy", "--from", from.url(), "--to", to.url()});
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("proven"));
  CHECK_THAT(r.out, Catch::Contains("record_versions"));
  CHECK_THAT(r.out, Catch::Contains("register.copy"));

  auto source = open_store(from.url());
  auto copy = open_store(to.url());
  check_same_register(*source, *copy, from.backend() == to.backend());
  const auto events = all_audit_events(*copy);
  CHECK(events.back().subject == redact_database_url(from.url()));
  for (StoreTable t : k_store_tables) {
    INFO(to_string(t));
    CHECK(copy->row_count(t) == source->row_count(t) + (t == StoreTable::audit_log ? 1 : 0));
    CHECK(source->row_count(t) > 0);  // the register above fills every table
  }

  // The copy is a working register: new versions, search rows and audit events go on from the
  // copied ones (doc ids, audit ids and log indices continue).
  {
    Intake intake(*copy, test_signer(), fixed_clock_options());
    const Acceptance a = accept(intake, "street-lights", "dim street lights at night");
    CHECK(a.version.leaf_index == source->log_size());
    accept(intake, "grant-summaries", "summaries reviewed by staff");
  }
  SearchQuery q;
  q.match = "street lights";
  auto hits = copy->search(q);
  REQUIRE(hits.ok());
  REQUIRE(hits.value().size() == 1);
  CHECK(hits.value()[0].record_id == "street-lights");
  CHECK(copy->current_records({}).size() == 4);
  CHECK(check_store_against_checkpoint(*copy).empty());
  const auto later = all_audit_events(*copy);
  for (std::size_t i = 1; i < later.size(); ++i) CHECK(later[i].id == later[i - 1].id + 1);
}

TEST_CASE("register copy: the proof finds a row the destination lost") {
  FOR_EACH_BACKEND_PAIR(from, to);
  fill_register(from);
  auto source = open_store(from.url());
  std::vector<TableRows> copied;
  {
    auto destination = open_store(to.url());
    REQUIRE(register_is_empty(*destination));
    copied = copy_register(*source, *destination, {"cli:test", "somewhere"});
  }
  {
    auto copy = open_store(to.url());
    CHECK(prove_copy(*source, *copy, copied).ok());
  }
  // Tokens are not append-only (revocation updates them), so a row can go behind the store's back.
  RawDb raw(to);
  REQUIRE(raw.exec("DELETE FROM tokens WHERE label = 'ops'"));
  auto copy = open_store(to.url());
  const CopyProof proof = prove_copy(*source, *copy, copied);
  CHECK_FALSE(proof.ok());
  REQUIRE(proof.differences.size() == 1);
  CHECK_THAT(proof.differences[0], Catch::Contains("tokens: 3 rows copied, 2 in the destination"));
}

TEST_CASE("register copy: import only into an empty register, rows that fit their table") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  const StoreRow organisation = {std::string("x"), std::string("X"), std::string("")};
  {
    auto tx = store->begin_write();
    CHECK_THROWS_AS(tx->import_rows(StoreTable::organisations, std::span(&organisation, 1)),
                    std::logic_error);
  }
  TestDatabase empty(db.backend());
  auto fresh = open_store(empty.url());
  REQUIRE(register_is_empty(*fresh));
  auto tx = fresh->begin_write();
  const StoreRow short_row = {std::string("x"), std::string("X")};
  CHECK_THROWS_WITH(tx->import_rows(StoreTable::organisations, std::span(&short_row, 1)),
                    Catch::Contains("organisations has 3 columns"));
  const StoreRow wrong_type = {RowBytes{"x"}, std::string("X"), std::string("")};
  CHECK_THROWS_WITH(tx->import_rows(StoreTable::organisations, std::span(&wrong_type, 1)),
                    Catch::Contains("organisations.id takes text"));
  tx->import_rows(StoreTable::organisations, std::span(&organisation, 1));
  const StoreRow settings = {std::int64_t{1}, std::string("o"), std::string("k"), std::string("")};
  CHECK_THROWS_WITH(tx->import_rows(StoreTable::log_settings, std::span(&settings, 1)),
                    Catch::Contains("against the k_store_tables order"));
}

TEST_CASE("register copy: refused when the destination holds a register or any data") {
  FOR_EACH_BACKEND_PAIR(from, to);
  fill_register(from);
  SECTION("a register") {
    open_initialised(to);
    auto r = run_candor({"register", "copy", "--from", from.url(), "--to", to.url()});
    INFO(describe(r));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("already holds the register example.org/ai-register"));
    CHECK_THAT(r.err, Catch::Contains(redact_database_url(to.url())));
    CHECK_THAT(r.err, Catch::Contains("new, empty database"));
  }
  SECTION("an organisation, without a register") {
    {
      auto store = open_store(to.url());
      auto tx = store->begin_write();
      tx->put_organisation("test", {"x", "X", ""});
      tx->commit();
    }
    auto r = run_candor({"register", "copy", "--from", from.url(), "--to", to.url()});
    INFO(describe(r));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("already holds data"));
  }
  // Nothing was copied into it.
  auto destination = open_store(to.url());
  CHECK(destination->log_size() == 0);
  CHECK(destination->current_records({}).empty());
  CHECK(destination->row_count(StoreTable::tokens) == 0);
}

TEST_CASE("register copy: refused when the source holds no register") {
  FOR_EACH_BACKEND_PAIR(from, to);
  SECTION("a database without a register") {
    open_store(from.url());  // the schema only
    auto r = run_candor({"register", "copy", "--from", from.url(), "--to", to.url()});
    INFO(describe(r));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("holds no register"));
    CHECK_THAT(r.err, Catch::Contains(redact_database_url(from.url())));
  }
  if (from.backend() == "sqlite") {
    SECTION("a file that does not exist, and is not created") {
      auto r = run_candor({"register", "copy", "--from", from.url(), "--to", to.url()});
      INFO(describe(r));
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains("cannot open the source"));
      CHECK_FALSE(std::filesystem::exists(from.file()));
    }
  }
  auto destination = open_store(to.url());
  CHECK(register_is_empty(*destination));
}

TEST_CASE("register copy: a URL Candor does not accept is refused, without its password") {
  TempDir dir;
  const std::string file = (dir / "new.db").string();
  auto r = run_candor(
      {"register", "copy", "--from", "mysql://alice:s3cret@db/register", "--to", "sqlite:" + file});
  INFO(describe(r));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("mysql://alice@db/register"));
  CHECK_THAT(r.err, Catch::Contains("postgresql://USER@HOST"));
  CHECK_THAT(r.err, !Catch::Contains("s3cret"));
  CHECK_FALSE(std::filesystem::exists(file));  // the bad source is found before --to is opened

  // A real source, so that the destination is reached: port 1 on loopback refuses at once.
  TestDatabase source("sqlite");
  open_initialised(source);
  auto unreachable = run_candor({"register", "copy", "--from", source.url(), "--to",
                                 "postgresql://alice:s3cret@127.0.0.1:1/register"});
  INFO(describe(unreachable));
  CHECK(unreachable.exit_code == 2);
  CHECK_THAT(
      unreachable.err,
      Catch::Contains("cannot open the destination postgresql://alice@127.0.0.1:1/register"));
  CHECK_THAT(unreachable.err, !Catch::Contains("s3cret"));
}

TEST_CASE("register copy: a row the destination refuses leaves it empty (one transaction)") {
  FOR_EACH_BACKEND_PAIR(from, to);
  if (from.backend() != "sqlite") return;  // only SQLite lets a dangling reference in
  fill_register(from);
  {
    // Plain sqlite3 connections do not enforce foreign keys: a rule failed by no version. The
    // tables before failing_rules are copied first, so the failure comes mid-copy.
    RawDb raw(from);
    REQUIRE(raw.exec("INSERT INTO failing_rules VALUES ('nobody', 'nothing', 1, 't.one')"));
  }
  auto r = run_candor({"register", "copy", "--from", from.url(), "--to", to.url()});
  INFO(describe(r));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("no row was written"));
  CHECK_THAT(r.err, Catch::Contains("failing_rules"));
  auto destination = open_store(to.url());
  CHECK(register_is_empty(*destination));
}
