// The Store contract on every backend (store_backends.h: SQLite, and PostgreSQL when a test
// server is given): migrations, transactions, audit, append-only enforcement, checkpoint checks,
// facets and full-text search. The database is also inspected with plain SQL (RawDb), so the
// tests see what is really stored rather than what the Store chooses to report.
#include <catch2/catch.hpp>

#include <atomic>
#include <cctype>
#include <future>
#include <map>
#include <random>
#include <thread>

#include "candor/registry/checkpoint.h"
#include "candor/registry/postgres.h"
#include "candor/registry/sqlite.h"
#include "store_backends.h"

namespace {

using namespace candor::registry;
using namespace candor::registry::test;

// A version as intake would write it, for the record `id` at the next leaf index.
NewVersion new_version(WriteTransaction& tx, const std::string& id, const std::string& variant) {
  PreparedRecord r = prepare(small_record("northern-growth-agency", id, variant));
  const std::uint64_t index = tx.log_size();
  LeafStatement leaf;
  leaf.origin = k_origin;
  leaf.organisation = r.organisation.id;
  leaf.record_id = r.record_id;
  leaf.body_hash = r.body_hash;
  leaf.accepted_at = "2026-09-14T10:00:00Z";
  NewVersion nv;
  nv.version =
      RecordVersion{r.organisation.id,  r.record_id,      1,     index, r.body_hash, r.source_hash,
                    LeafAction::create, leaf.accepted_at, "test"};
  nv.leaf = format_leaf(leaf);
  nv.canonical_json = r.canonical_json;
  nv.source_yaml = r.yaml;
  nv.current = CurrentRecord{
      r.organisation.id,        r.record_id,     1, index, r.title, r.organisation.name, r.facets,
      Compliance::not_assessed, leaf.accepted_at};
  nv.search = r.search;
  return nv;
}

}  // namespace

TEST_CASE("migrations run once, are recorded, and re-opening is idempotent") {
  FOR_EACH_BACKEND(db);
  // Both backends have the same migrations, one for one.
  REQUIRE(postgres_schema_version() == sqlite_schema_version());
  {
    auto store = open_store(db.url());
    CHECK(store->schema_version() == sqlite_schema_version());
  }
  RawDb raw(db);
  const long long rows = raw.number("SELECT count(*) FROM schema_migrations");
  CHECK(rows == sqlite_schema_version());
  const std::string schema = raw.schema();
  for (int i = 0; i < 3; ++i) {
    auto store = open_store(db.url());
    CHECK(store->schema_version() == sqlite_schema_version());
  }
  CHECK(raw.number("SELECT count(*) FROM schema_migrations") == rows);
  CHECK(raw.schema() == schema);
  if (db.backend() == "sqlite") CHECK(raw.text("PRAGMA journal_mode") == "wal");
}

TEST_CASE("a database migrated by a newer Candor is refused, not downgraded") {
  FOR_EACH_BACKEND(db);
  open_store(db.url());
  {
    RawDb raw(db);
    REQUIRE(raw.exec("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')"));
  }
  CHECK_THROWS_AS(open_store(db.url()), StoreError);
}

TEST_CASE("sqlite: a missing file is refused when creation is off") {
  TempDir dir;
  SqliteOptions options;
  options.create = false;
  CHECK_THROWS_AS(open_sqlite_store(dir / "absent.db", options), StoreError);
  CHECK_FALSE(std::filesystem::exists(dir / "absent.db"));
}

TEST_CASE("a database without a register is refused when creation is off, and left empty") {
  FOR_EACH_BACKEND(db);
  OpenStoreOptions options;
  options.create = false;
  if (db.backend() == "sqlite") {
    CHECK_THROWS_AS(open_store(db.url(), options), StoreError);
    CHECK_FALSE(std::filesystem::exists(db.file()));
    return;
  }
  try {
    open_store(db.url(), options);
    FAIL("an empty database was opened as a register");
  } catch (const StoreError& e) {
    CHECK_THAT(e.what(),
               Catch::Contains("holds no register") && Catch::Contains("candor register init"));
  }
  RawDb raw(db);
  CHECK(raw.number("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()") == 0);
}

TEST_CASE("organisations and tokens, each write audited") {
  FOR_EACH_BACKEND(db);
  auto store = open_store(db.url());
  const Hash token_hash = leaf_hash("secret token");
  {
    auto tx = store->begin_write();
    tx->put_organisation("cli:alice",
                         {"eastbridge-council", "Eastbridge Council", "local-authority"});
    tx->put_token("cli:alice", {token_hash, "eastbridge-council", Role::submitter, "ci", false});
    tx->commit();
  }
  CHECK(store->organisation("eastbridge-council") ==
        Organisation{"eastbridge-council", "Eastbridge Council", "local-authority"});
  CHECK(store->token(token_hash) ==
        Token{token_hash, "eastbridge-council", Role::submitter, "ci", false});
  CHECK_FALSE(store->token(leaf_hash("other")).has_value());
  {
    auto tx = store->begin_write();
    tx->put_organisation("cli:bob",
                         {"eastbridge-council", "Eastbridge Borough Council", "local-authority"});
    tx->revoke_token("cli:bob", token_hash);
    CHECK_THROWS_AS(tx->revoke_token("cli:bob", leaf_hash("other")), std::logic_error);
    tx->commit();
  }
  CHECK(store->organisation("eastbridge-council")->name == "Eastbridge Borough Council");
  CHECK(store->token(token_hash)->revoked);
  CHECK(store->organisations().size() == 1);

  const auto events = store->audit_events(0, 100);
  REQUIRE(events.size() == 4);
  CHECK(events[0].action == "organisation.put");
  CHECK(events[0].actor == "cli:alice");
  CHECK(events[1].action == "token.put");
  CHECK(events[2].action == "organisation.put");
  CHECK(events[2].actor == "cli:bob");
  CHECK(events[3].action == "token.revoke");
  for (std::size_t i = 0; i < events.size(); ++i) CHECK(events[i].id == i + 1);
  // The token's secret never reaches the audit log; not even its full hash does.
  for (const auto& e : events) CHECK(e.detail.find(to_hex(token_hash)) == std::string::npos);
}

TEST_CASE("a transaction that is not committed leaves nothing behind, audit included") {
  FOR_EACH_BACKEND(db);
  auto store = open_store(db.url());
  {
    auto tx = store->begin_write();
    tx->put_organisation("test", {"org-a", "A", ""});
    CHECK(tx->organisation("org-a").has_value());           // the transaction sees its own write
    CHECK_FALSE(store->organisation("org-a").has_value());  // readers do not
  }
  CHECK_FALSE(store->organisation("org-a").has_value());
  CHECK(store->audit_events(0, 10).empty());
  // And the writer is usable again.
  auto tx = store->begin_write();
  tx->put_organisation("test", {"org-b", "B", ""});
  tx->commit();
  CHECK(store->organisation("org-b").has_value());
  CHECK_THROWS_AS(tx->commit(), std::logic_error);
}

TEST_CASE("the log tables are append-only on disk") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  {
    auto tx = store->begin_write();
    NewVersion nv = new_version(*tx, "grant-summaries", "draft short summaries");
    tx->put_organisation("test",
                         {"northern-growth-agency", "Northern Growth Agency", "arms-length-body"});
    tx->add_version("test", nv);
    tx->put_tree_hashes("test", hashes_to_store(0, leaf_hash(nv.leaf), tx->hash_reader()));
    tx->commit();
  }
  RawDb raw(db);
  // Statements valid on both backends: each would succeed but for the triggers (a column set
  // to itself changes nothing, and is still refused).
  CHECK_FALSE(raw.exec("UPDATE log_entries SET entry = entry"));
  CHECK_FALSE(raw.exec("DELETE FROM log_entries"));
  CHECK_FALSE(raw.exec("UPDATE tree_hashes SET hash = hash"));
  CHECK_FALSE(raw.exec("DELETE FROM tree_hashes"));
  CHECK_FALSE(raw.exec("DELETE FROM record_versions"));
  CHECK_FALSE(raw.exec("UPDATE record_versions SET version = 7"));
  CHECK_FALSE(raw.exec("DELETE FROM checkpoints"));
  CHECK_FALSE(raw.exec("UPDATE audit_log SET actor = 'nobody'"));
  CHECK_FALSE(raw.exec("DELETE FROM audit_log"));
  CHECK_FALSE(raw.exec("UPDATE log_settings SET origin = 'evil.example'"));
  if (db.backend() == "postgresql") {
    // TRUNCATE skips row triggers: PostgreSQL's statement triggers refuse it.
    for (const char* table : {"log_entries", "tree_hashes", "record_versions", "checkpoints",
                              "audit_log", "log_settings", "reviews", "failing_rules"}) {
      INFO(table);
      CHECK_FALSE(raw.exec(std::string("TRUNCATE ") + table + " CASCADE"));
    }
  }
  // Bodies may be erased (lawful erasure), and that is all.
  CHECK(raw.exec("UPDATE bodies SET canonical_json = NULL"));
  CHECK(store->log_size() == 1);
  CHECK(raw.number("SELECT count(*) FROM log_entries") == 1);
  CHECK(raw.number("SELECT count(*) FROM audit_log") > 0);
}

TEST_CASE("add_version appends exactly at the end of the log") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  auto tx = store->begin_write();
  tx->put_organisation("test", {"northern-growth-agency", "Northern Growth Agency", ""});
  NewVersion nv = new_version(*tx, "grant-summaries", "draft short summaries");
  nv.version.leaf_index = 5;
  CHECK_THROWS_AS(tx->add_version("test", nv), std::logic_error);
}

TEST_CASE("put_checkpoint refuses checkpoints the stored tree does not support") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  auto tx = store->begin_write();
  tx->put_organisation("test", {"northern-growth-agency", "Northern Growth Agency", ""});
  NewVersion nv = new_version(*tx, "grant-summaries", "draft short summaries");
  tx->add_version("test", nv);
  tx->put_tree_hashes("test", hashes_to_store(0, leaf_hash(nv.leaf), tx->hash_reader()));
  const Hash root = leaf_hash(nv.leaf);  // the root of a one-leaf tree is its leaf hash

  const NoteSigner signer = test_signer();
  auto stored = [&](std::uint64_t size, const Hash& r, const NoteSigner& key) {
    return StoredCheckpoint{size, r, sign_checkpoint(Checkpoint{k_origin, size, r, {}}, key)};
  };
  Ed25519Seed other_seed{};
  other_seed.fill(9);
  CHECK_THROWS_AS(tx->put_checkpoint("t", stored(2, root, signer)), std::logic_error);
  CHECK_THROWS_AS(tx->put_checkpoint("t", stored(1, leaf_hash("x"), signer)), std::logic_error);
  CHECK_THROWS_AS(
      tx->put_checkpoint("t", stored(1, root, NoteSigner::from_seed(k_origin, other_seed))),
      std::logic_error);
  StoredCheckpoint mislabelled = stored(1, root, signer);
  mislabelled.size = 0;
  CHECK_THROWS_AS(tx->put_checkpoint("t", mislabelled), std::logic_error);
  tx->put_checkpoint("t", stored(1, root, signer));
  tx->commit();
  CHECK(store->latest_checkpoint()->size == 1);
  CHECK(store->checkpoint(0).has_value());
}

TEST_CASE("the log read API (entries by range, hashes by node, checkpoints)") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  MerkleTree model;
  {
    auto tx = store->begin_write();
    tx->put_organisation("test", {"northern-growth-agency", "Northern Growth Agency", ""});
    for (int i = 0; i < 5; ++i) {
      NewVersion nv = new_version(*tx, "record-" + std::to_string(i), "draft short summaries");
      tx->add_version("test", nv);
      tx->put_tree_hashes(
          "test", hashes_to_store(tx->log_size() - 1, leaf_hash(nv.leaf), tx->hash_reader()));
      model.append_entry(nv.leaf);
    }
    tx->commit();
  }
  CHECK(store->log_size() == 5);
  const auto entries = store->log_entries(1, 4);
  REQUIRE(entries.size() == 3);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    CHECK(leaf_hash(entries[i]) == model.stored_hash({0, i + 1}));
  }
  CHECK(store->log_entries(5, 5).empty());
  CHECK_THROWS_AS(store->log_entries(4, 6), std::out_of_range);
  const std::vector<NodeId> nodes = {{2, 0}, {0, 4}, {1, 1}, {0, 0}};
  const auto hashes = store->read_hashes(nodes);
  for (std::size_t i = 0; i < nodes.size(); ++i) CHECK(hashes[i] == model.stored_hash(nodes[i]));
  const std::vector<NodeId> missing = {{0, 5}};
  CHECK_THROWS_AS(store->read_hashes(missing), StoreError);
  CHECK(tree_root(5, store->hash_reader()) == model.root());
  CHECK(inclusion_proof(3, 5, store->hash_reader()) == model.inclusion_proof(3, 5));
  CHECK(store->latest_checkpoint()->size == 0);  // nothing signed the five entries here
}

TEST_CASE("full-text search ranks by weighted field and returns marked snippets") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  {
    auto tx = store->begin_write();
    tx->put_organisation("test", {"northern-growth-agency", "Northern Growth Agency", ""});
    NewVersion a = new_version(*tx, "summaries", "draft short summaries");
    a.search.title = "Grant summaries";
    a.search.body = "Applications from businesses, café owners included";
    tx->add_version("test", a);
    NewVersion b = new_version(*tx, "chatbot", "answer questions");
    b.search.title = "Resident enquiries chatbot";
    b.search.summary = "A chatbot answers questions about grant deadlines.";
    tx->add_version("test", b);
    tx->commit();
  }
  SearchQuery q;
  q.match = "grant";
  q.open_mark = "[";
  q.close_mark = "]";
  auto hits = store->search(q);
  REQUIRE(hits.ok());
  REQUIRE(hits.value().size() == 2);
  // "grant" in the title (weight 10) outranks "grant" in the summary (weight 3).
  CHECK(hits.value()[0].record_id == "summaries");
  CHECK(hits.value()[0].rank < hits.value()[1].rank);
  for (const SearchHit& hit : hits.value()) {
    std::string snippet = hit.snippet;
    for (char& c : snippet) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(snippet.find("[grant]") != std::string::npos);
  }

  q.match = "chatbot";
  hits = store->search(q);
  REQUIRE(hits.ok());
  REQUIRE(hits.value().size() == 1);
  CHECK(hits.value()[0].title == "Grant application summaries");

  q.match = "\"unterminated";
  hits = store->search(q);
  REQUIRE_FALSE(hits.ok());
  CHECK(hits.problems().front().code == "search.query");
  // FTS5's own operators are SQLite's dialect, not the contract's (store.h).
  if (db.backend() == "sqlite") {
    q.match = "AND OR";
    CHECK_FALSE(store->search(q).ok());
  }
  // A phrase in quotes, and words in any order, on every backend.
  q.match = "\"grant deadlines\"";
  hits = store->search(q);
  REQUIRE(hits.ok());
  REQUIRE(hits.value().size() == 1);
  CHECK(hits.value()[0].record_id == "chatbot");
  q.match = "\"deadlines\" \"chatbot\"";
  hits = store->search(q);
  REQUIRE(hits.ok());
  CHECK(hits.value().size() == 1);
  // Case and diacritics are ignored, both ways.
  for (const char* match : {"cafe", "CAFÉ", "\"Café owners\""}) {
    q.match = match;
    hits = store->search(q);
    REQUIRE(hits.ok());
    REQUIRE(hits.value().size() == 1);
    CHECK(hits.value()[0].record_id == "summaries");
  }
  q.match = "\"deadlines\" \"businesses\"";  // every word must match
  hits = store->search(q);
  REQUIRE(hits.ok());
  CHECK(hits.value().empty());
}

TEST_CASE("a record's search text is its latest, also when one transaction writes two") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  const auto hits = [&](const std::string& match) {
    SearchQuery q;
    q.match = match;
    auto found = store->search(q);
    REQUIRE(found.ok());
    return found.value().size();
  };
  // The next version of "chatbot", titled `title`.
  const auto next = [](WriteTransaction& tx, std::uint64_t version, const std::string& title) {
    NewVersion nv = new_version(tx, "chatbot", "answer questions, take " + title);
    nv.version.version = version;
    nv.version.action = version == 1 ? LeafAction::create : LeafAction::update;
    nv.current.version = version;
    nv.search.title = title;
    return nv;
  };
  {
    auto tx = store->begin_write();
    tx->put_organisation("test", {"northern-growth-agency", "Northern Growth Agency", ""});
    tx->add_version("test", next(*tx, 1, "Kestrel"));
    tx->add_version("test", next(*tx, 2, "Osprey"));
    tx->commit();
  }
  CHECK(hits("kestrel") == 0);
  CHECK(hits("osprey") == 1);
  {
    auto tx = store->begin_write();
    tx->add_version("test", next(*tx, 3, "Heron"));
    tx->commit();
  }
  CHECK(hits("osprey") == 0);
  CHECK(hits("heron") == 1);
  {
    auto tx = store->begin_write();
    tx->add_version("test", next(*tx, 4, "Plover"));
    // dropped without commit
  }
  CHECK(hits("plover") == 0);
  CHECK(hits("heron") == 1);
  CHECK(store->current_record("northern-growth-agency", "chatbot")->version == 3);
}

TEST_CASE("current records filter on every facet") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  {
    auto tx = store->begin_write();
    tx->put_organisation("test", {"northern-growth-agency", "Northern Growth Agency", ""});
    NewVersion a = new_version(*tx, "a-record", "x");
    tx->add_version("test", a);
    NewVersion b = new_version(*tx, "b-record", "y");
    b.current.facets.phase = "production";
    b.current.facets.impact_level.reset();
    b.current.compliance = Compliance::failing;
    tx->add_version("test", b);
    tx->commit();
  }
  CHECK(store->current_records({}).size() == 2);
  RecordFilter f;
  f.phase = "production";
  auto rows = store->current_records(f);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].record_id == "b-record");
  CHECK_FALSE(rows[0].facets.impact_level.has_value());
  CHECK(rows[0].compliance == Compliance::failing);
  f = {};
  f.impact_level = 2;
  f.mission_area = "growth";
  f.tool_type = "generative";
  f.organisation_type = "arms-length-body";
  f.organisation = "northern-growth-agency";
  f.compliance = Compliance::not_assessed;
  rows = store->current_records(f);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].record_id == "a-record");
  f = {};
  f.limit = 1;
  f.offset = 1;
  rows = store->current_records(f);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].record_id == "b-record");
}

namespace {

// Three current records with distinct facets and titles, updated at distinct times.
void add_three_records(Store& store) {
  auto tx = store.begin_write();
  tx->put_organisation("test", {"northern-growth-agency", "Northern Growth Agency", ""});
  NewVersion a = new_version(*tx, "a-record", "draft grant summaries");
  a.current.title = "Zebra grant summaries";
  a.current.updated_at = "2026-09-14T10:00:00Z";
  a.search.title = a.current.title;
  a.search.summary = "Summaries of grant applications";
  tx->add_version("test", a);
  NewVersion b = new_version(*tx, "b-record", "answer grant questions");
  b.current.title = "Alpha grant chatbot";
  b.current.updated_at = "2026-09-16T10:00:00Z";
  b.current.facets.phase = "production";
  b.current.facets.mission_area = "education";
  b.current.facets.impact_level.reset();
  b.current.compliance = Compliance::failing;
  b.search.title = b.current.title;
  b.search.summary = "A chatbot answers questions";
  tx->add_version("test", b);
  NewVersion c = new_version(*tx, "c-record", "spot road defects");
  c.current.title = "Middle road defects";
  c.current.updated_at = "2026-09-15T10:00:00Z";
  c.current.facets.phase = "production";
  c.search.title = c.current.title;
  c.search.summary = "Finds potholes in photographs";
  c.search.body = "Road photographs";
  tx->add_version("test", c);
  tx->commit();
}

std::vector<std::string> ids(const RecordSearchResult& result) {
  std::vector<std::string> out;
  for (const auto& hit : result.hits) out.push_back(hit.record.record_id);
  return out;
}

const FacetCounts& facet(const RecordSearchResult& result, Facet f) {
  for (const auto& counts : result.facets) {
    if (counts.facet == f) return counts;
  }
  throw std::runtime_error("facet missing");
}

}  // namespace

TEST_CASE("find_records browses, filters, sorts and pages current records") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  add_three_records(*store);

  RecordSearch s;
  s.sort = RecordSort::title;
  auto all = store->find_records(s);
  REQUIRE(all.ok());
  CHECK(all.value().total == 3);
  CHECK(ids(all.value()) == std::vector<std::string>{"b-record", "c-record", "a-record"});
  CHECK(all.value().hits[0].snippet.empty());
  CHECK(all.value().hits[0].record.compliance == Compliance::failing);

  s.sort = RecordSort::updated;
  CHECK(ids(store->find_records(s).value()) ==
        std::vector<std::string>{"b-record", "c-record", "a-record"});
  s.limit = 1;
  s.offset = 1;
  auto page = store->find_records(s);
  REQUIRE(page.ok());
  CHECK(page.value().total == 3);  // the total counts every page
  CHECK(ids(page.value()) == std::vector<std::string>{"c-record"});

  // OR within a facet, AND across facets.
  s = {};
  s.sort = RecordSort::title;
  s.filters = {{Facet::phase, {"production"}}, {Facet::mission_area, {"growth", "health"}}};
  auto filtered = store->find_records(s);
  REQUIRE(filtered.ok());
  CHECK(ids(filtered.value()) == std::vector<std::string>{"c-record"});
  // A facet's counts ignore its own filter but apply the others.
  const FacetCounts& phases = facet(filtered.value(), Facet::phase);
  REQUIRE(phases.values.size() == 2);
  CHECK(phases.values[0] == FacetValueCount{"pilot", "pilot", 1});
  CHECK(phases.values[1] == FacetValueCount{"production", "production", 1});
  const FacetCounts& areas = facet(filtered.value(), Facet::mission_area);
  REQUIRE(areas.values.size() == 2);
  CHECK(areas.values[0] == FacetValueCount{"education", "education", 1});
  CHECK(areas.values[1] == FacetValueCount{"growth", "growth", 1});
  const FacetCounts& orgs = facet(filtered.value(), Facet::organisation);
  REQUIRE(orgs.values.size() == 1);
  CHECK(orgs.values[0] == FacetValueCount{"northern-growth-agency", "Northern Growth Agency", 1});

  // Impact level "" means not stated; compliance uses its stored names.
  s = {};
  s.filters = {{Facet::impact_level, {""}}};
  CHECK(ids(store->find_records(s).value()) == std::vector<std::string>{"b-record"});
  s.filters = {{Facet::compliance, {"not-assessed"}}, {Facet::impact_level, {"2"}}};
  s.sort = RecordSort::title;
  CHECK(ids(store->find_records(s).value()) == std::vector<std::string>{"c-record", "a-record"});
  // A hostile filter value is a value, not SQL.
  s.filters = {{Facet::phase, {"x' OR '1'='1"}}};
  auto none = store->find_records(s);
  REQUIRE(none.ok());
  CHECK(none.value().total == 0);
  CHECK(none.value().hits.empty());
}

TEST_CASE("find_records combines full-text search with filters") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  add_three_records(*store);

  RecordSearch s;
  s.match = "\"grant\"";
  s.open_mark = "[";
  s.close_mark = "]";
  auto found = store->find_records(s);
  REQUIRE(found.ok());
  CHECK(found.value().total == 2);
  REQUIRE(found.value().hits.size() == 2);
  for (const auto& hit : found.value().hits) {
    std::string snippet = hit.snippet;
    for (char& c : snippet) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(snippet.find("[grant]") != std::string::npos);
  }
  const FacetCounts& phases = facet(found.value(), Facet::phase);
  REQUIRE(phases.values.size() == 2);
  CHECK(phases.values[0].count == 1);

  s.filters = {{Facet::phase, {"production"}}};
  found = store->find_records(s);
  REQUIRE(found.ok());
  CHECK(ids(found.value()) == std::vector<std::string>{"b-record"});

  s.count_facets = false;
  found = store->find_records(s);
  REQUIRE(found.ok());
  CHECK(found.value().facets.empty());

  s.match = "\"unterminated";
  auto bad = store->find_records(s);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.problems().front().code == "search.query");
}

TEST_CASE("recent versions, newest first, by organisation; the covering checkpoint") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  Intake intake(*store, test_signer(), fixed_clock_options());
  const Submitter growth{"northern-growth-agency", "cli:test"};
  const Submitter council{"eastbridge-council", "cli:test"};
  REQUIRE(intake.submit(prepare(small_record("northern-growth-agency", "one")), growth).get().ok());
  REQUIRE(intake.submit(prepare(small_record("eastbridge-council", "two")), council).get().ok());
  REQUIRE(intake.submit(prepare(small_record("northern-growth-agency", "one", "do more")), growth)
              .get()
              .ok());

  auto recent = store->recent_versions(std::nullopt, 10);
  REQUIRE(recent.size() == 3);
  CHECK(recent[0].leaf_index == 2);
  CHECK(recent[0].version == 2);
  CHECK(recent[2].leaf_index == 0);
  CHECK(store->recent_versions(std::nullopt, 1).size() == 1);
  auto growth_only = store->recent_versions("northern-growth-agency", 10);
  REQUIRE(growth_only.size() == 2);
  CHECK(growth_only[0].record_id == "one");
  CHECK(growth_only[1].version == 1);
  CHECK(store->recent_versions("nobody", 10).empty());

  // One submission at a time: each got its own checkpoint (sizes 1, 2, 3).
  auto first = store->checkpoint_covering(0);
  REQUIRE(first.has_value());
  CHECK(first->size == 1);
  auto third = store->checkpoint_covering(2);
  REQUIRE(third.has_value());
  CHECK(third->size == 3);
  CHECK_FALSE(store->checkpoint_covering(3).has_value());
}

namespace {

// Takes away what migration 4 made, as a register filed before it would be.
void drop_current_counts(const TestDatabase& db) {
  RawDb raw(db);
  if (db.backend() == "postgresql") {
    REQUIRE(raw.exec("DROP TRIGGER current_counts ON current_records"));
    REQUIRE(raw.exec("DROP TRIGGER current_counts_truncate ON current_records"));
    REQUIRE(raw.exec(
        "DROP FUNCTION candor_current_counts, candor_current_counts_truncate, candor_counted"));
  } else {
    for (const char* t : {"insert", "update", "delete"}) {
      REQUIRE(raw.exec(std::string("DROP TRIGGER current_counts_") + t));
    }
  }
  REQUIRE(raw.exec("DROP TABLE current_counts"));
  // Migrations run from the latest one recorded: later ones run again, as they must be able to.
  REQUIRE(raw.exec("DELETE FROM schema_migrations WHERE version >= 4"));
}

}  // namespace

TEST_CASE("failing rules are kept per version and counted over current records only") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  {
    Intake intake(*store, test_signer(), fixed_clock_options());
    const auto add = [&](const std::string& id, const std::string& variant, const Findings& f) {
      REQUIRE(intake
                  .submit(prepare(small_record("northern-growth-agency", id, variant)),
                          {"northern-growth-agency", "test"}, f)
                  .get()
                  .ok());
    };
    Findings first;
    first.evaluated = true;
    first.counts.error = 2;
    first.json =
        R"([{"rule_id":"TRN-001","outcome":"fail"},{"rule_id":"SEC-001","outcome":"fail"}])";
    first.failing_rules = {"SEC-001", "TRN-001"};
    add("alpha", "", first);
    Findings later;  // version 2 fixes one of them
    later.evaluated = true;
    later.counts.error = 1;
    later.json =
        R"([{"rule_id":"SEC-001","outcome":"fail"},{"rule_id":"TRN-001","outcome":"pass"}])";
    later.failing_rules = {"SEC-001"};
    add("alpha", "changed", later);
    add("beta", "", Findings{});  // never assessed
  }
  // The round trip keeps them, and only the current version counts.
  CHECK(store->findings("northern-growth-agency", "alpha", 1)->failing_rules ==
        std::vector<std::string>{"SEC-001", "TRN-001"});
  CHECK(store->current_failing_rule_sets() == std::vector<FailingRuleSet>{{{"SEC-001"}, 1}});

  // A register filed before migration 3 gets the same rows from its stored findings.
  store.reset();
  drop_current_counts(db);  // its triggers read failing_rules
  {
    RawDb raw(db);
    REQUIRE(raw.exec("DROP TABLE failing_rules"));
    REQUIRE(raw.exec("DELETE FROM schema_migrations WHERE version >= 3"));
  }
  store = open_store(db.url());
  CHECK(store->findings("northern-growth-agency", "alpha", 1)->failing_rules ==
        std::vector<std::string>{"SEC-001", "TRN-001"});
  CHECK(store->findings("northern-growth-agency", "alpha", 2)->failing_rules ==
        std::vector<std::string>{"SEC-001"});
  CHECK(store->findings("northern-growth-agency", "beta", 1)->failing_rules.empty());
}

namespace {

// Files `n` versions of records with facets, organisation names and failing rules drawn from a
// fixed seed, so that current records keep changing facet values, names and rule sets.
void file_varied_records(Store& store, int n) {
  std::mt19937 rng(20261127);
  const auto pick = [&](const std::vector<std::string>& options) {
    return options[rng() % options.size()];
  };
  const std::vector<std::string> orgs = {"northern-growth-agency", "city-council", "nhs-trust"};
  const std::vector<std::string> names = {"Northern Growth Agency", "Northern Growth Agency (NGA)"};
  const std::vector<std::string> types = {"arms-length-body", "local-authority", "nhs-body"};
  const std::vector<std::string> areas = {"growth", "health", "education", "justice"};
  const std::vector<std::string> tools = {"generative", "classical-ml", "rules-based"};
  const std::vector<std::string> phases = {"idea", "pilot", "production", "retired"};
  const std::vector<std::string> rules = {"BIA-002", "PRV-003", "SEC-001", "TRN-001"};
  Intake intake(store, test_signer(), fixed_clock_options());
  for (int i = 0; i < n; ++i) {
    const std::string org = pick(orgs);
    const std::string id = "tool-" + std::to_string(rng() % 6);
    std::string yaml = "schema: candor.record/v1\nid: " + id;
    yaml += "\norganisation:\n  id: " + org;
    yaml += "\n  name: " + pick(names);
    yaml += "\n  type: " + pick(types);
    yaml += "\nmission_area: " + pick(areas);
    yaml += "\ntool:\n  name: Tool " + id;
    yaml += "\n  type: " + pick(tools);
    yaml += "\n  description_public: Staff use this tool, filing " + std::to_string(i);
    yaml += ".\nphase: " + pick(phases) + "\n";
    if (const auto level = rng() % 5; level > 0) {
      yaml += "impact:\n  level: " + std::to_string(level) + "\n";
    }
    Findings f;
    f.evaluated = rng() % 4 != 0;
    if (f.evaluated) {
      for (const std::string& rule : rules) {
        if (rng() % 2 == 0) f.failing_rules.push_back(rule);
      }
    }
    f.counts.error = static_cast<std::uint32_t>(f.failing_rules.size());
    REQUIRE(intake.submit(prepare(yaml), {org, "test"}, f).get().ok());
  }
}

// The store's kept counts against the same figures found the long way: facets by the grouped
// queries (a filter that admits every organisation takes that path), failing rule sets from
// each current record's findings.
void check_counts_agree(Store& store) {
  RecordSearch all;
  all.limit = 0;
  const auto counted = store.find_records(all);
  REQUIRE(counted.ok());
  RecordSearch every = all;
  every.filters = {{Facet::organisation, {"city-council", "nhs-trust", "northern-growth-agency"}}};
  const auto grouped = store.find_records(every);
  REQUIRE(grouped.ok());
  CHECK(counted.value().total == grouped.value().total);
  REQUIRE(counted.value().facets.size() == std::size(k_all_facets));
  REQUIRE(grouped.value().facets.size() == std::size(k_all_facets));
  for (std::size_t i = 0; i < std::size(k_all_facets); ++i) {
    INFO("facet " << to_string(k_all_facets[i]));
    CHECK(counted.value().facets[i].facet == grouped.value().facets[i].facet);
    const auto show = [](const FacetCounts& f) {
      std::string out;
      for (const auto& v : f.values) {
        out += "[" + v.value + "|" + v.label + "|" + std::to_string(v.count) + "] ";
      }
      return out;
    };
    INFO("kept: " << show(counted.value().facets[i]));
    INFO("grouped: " << show(grouped.value().facets[i]));
    CHECK(counted.value().facets[i].values == grouped.value().facets[i].values);
  }
  RecordSearch unfaceted = all;
  unfaceted.count_facets = false;
  CHECK(store.find_records(unfaceted).value().total == grouped.value().total);

  // Filtered without a match (some counts kept, some grouped) against the same search with a
  // match that every record meets (SQLite tallies the matches as they stream past; PostgreSQL
  // groups them).
  const std::vector<std::vector<FacetFilter>> filtered = {
      {{Facet::organisation, {"city-council"}}},
      {{Facet::organisation, {"nhs-trust"}}, {Facet::phase, {"pilot", "production"}}},
      {{Facet::impact_level, {""}}, {Facet::compliance, {"failing"}}},
      {{Facet::mission_area, {"health"}}, {Facet::tool_type, {"generative"}}},
      // Two filters on one facet: both apply (AND), and that facet's own counts drop both.
      {{Facet::phase, {"pilot", "production"}},
       {Facet::phase, {"production", "retired"}},
       {Facet::organisation, {"nhs-trust", "city-council"}}}};
  for (const auto& filters : filtered) {
    RecordSearch plain = all;
    plain.filters = filters;
    RecordSearch matched = plain;
    matched.match = "staff";
    const auto a = store.find_records(plain);
    const auto b = store.find_records(matched);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a.value().total == b.value().total);
    CHECK(a.value().facets == b.value().facets);
    plain.count_facets = false;
    CHECK(store.find_records(plain).value().total == b.value().total);
  }

  std::vector<CurrentRecord> current;
  store.for_each_current_record({}, [&](const CurrentRecord& r) { current.push_back(r); });
  CHECK(current.size() == grouped.value().total);
  std::map<std::vector<std::string>, std::uint64_t> sets;
  for (const CurrentRecord& r : current) {
    const auto f = store.findings(r.organisation, r.record_id, r.version);
    REQUIRE(f.has_value());
    if (!f->failing_rules.empty()) ++sets[f->failing_rules];
  }
  std::vector<FailingRuleSet> expected;
  expected.reserve(sets.size());
  for (const auto& [rules, count] : sets) expected.push_back({rules, count});
  CHECK(store.current_failing_rule_sets() == expected);
}

}  // namespace

TEST_CASE("the counts a store keeps agree with counting every current record") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  // Nothing filed: no counts, no sets.
  check_counts_agree(*store);
  file_varied_records(*store, 80);
  check_counts_agree(*store);
  CHECK(store->find_records(RecordSearch{}).value().total > 10);
  CHECK(store->current_failing_rule_sets().size() > 3);

  // A register filed before migration 4 is counted when it is opened.
  store.reset();
  drop_current_counts(db);
  store = open_store(db.url());
  check_counts_agree(*store);
  // And kept from then on.
  file_varied_records(*store, 30);
  check_counts_agree(*store);
}

namespace {

// Every row of bodies, sources and findings, in key order, as text: what migration 5 must keep.
std::string rebuilt_tables_content(RawDb& raw) {
  return raw.text(
             "SELECT group_concat(line, char(10)) FROM (SELECT hex(hash) || ' ' || "
             "coalesce(canonical_json, '(erased)') AS line FROM bodies ORDER BY hash)") +
         raw.text(
             "SELECT group_concat(line, char(10)) FROM (SELECT hex(hash) || ' ' || "
             "coalesce(yaml, '(erased)') AS line FROM sources ORDER BY hash)") +
         raw.text(
             "SELECT group_concat(line, char(10)) FROM (SELECT organisation || '/' || record_id "
             "|| ' v' || version || ' ' || evaluated || ' ' || errors || ' ' || warnings || ' ' "
             "|| infos || ' ' || json AS line FROM findings "
             "ORDER BY organisation, record_id, version)");
}

}  // namespace

// Migration 5 rebuilds three tables that others refer to, which SQLite allows only with foreign
// keys off: a register filed before it keeps every row, and the store checks keys again after.
TEST_CASE("sqlite: a register filed before migration 5 keeps its bodies, sources and findings") {
  TestDatabase db("sqlite");
  auto store = open_initialised(db);
  file_varied_records(*store, 40);
  std::string before;
  {
    RawDb raw(db);
    before = rebuilt_tables_content(raw);
    CHECK(raw.number("SELECT count(*) FROM sqlite_master WHERE name IN "
                     "('bodies', 'sources', 'findings') AND sql LIKE '%WITHOUT ROWID%'") == 0);
    // Back to the tables as migrations 1 made them: keyed B-trees holding the texts.
    // `columns` are copied from the table into its rebuilt self.
    const auto rebuild = [&](const std::string& table, const std::string& definition,
                             const std::string& columns) {
      REQUIRE(raw.exec("CREATE TABLE old_" + table + " " + definition));
      REQUIRE(raw.exec("INSERT INTO old_" + table + " SELECT " + columns + " FROM " + table));
      REQUIRE(raw.exec("DROP TABLE " + table));
      REQUIRE(raw.exec("ALTER TABLE old_" + table + " RENAME TO " + table));
    };
    REQUIRE(raw.exec("BEGIN"));
    rebuild("bodies",
            "(hash BLOB PRIMARY KEY CHECK (length(hash) = 32), canonical_json TEXT) "
            "WITHOUT ROWID",
            "hash, canonical_json");
    rebuild("sources", "(hash BLOB PRIMARY KEY CHECK (length(hash) = 32), yaml TEXT) WITHOUT ROWID",
            "hash, yaml");
    rebuild("findings",
            "(organisation TEXT NOT NULL, record_id TEXT NOT NULL, version INTEGER NOT NULL, "
            "evaluated INTEGER NOT NULL, json TEXT NOT NULL, errors INTEGER NOT NULL, "
            "warnings INTEGER NOT NULL, infos INTEGER NOT NULL, "
            "PRIMARY KEY (organisation, record_id, version), "
            "FOREIGN KEY (organisation, record_id, version) "
            "REFERENCES record_versions (organisation, record_id, version)) WITHOUT ROWID",
            "*");
    REQUIRE(raw.exec("DELETE FROM schema_migrations WHERE version = 5"));
    REQUIRE(raw.exec("COMMIT"));
    REQUIRE(raw.number("SELECT count(*) FROM sqlite_master WHERE name IN "
                       "('bodies', 'sources', 'findings') AND sql LIKE '%WITHOUT ROWID%'") == 3);
    REQUIRE(rebuilt_tables_content(raw) == before);
  }
  store = open_store(db.url());
  CHECK(store->schema_version() == sqlite_schema_version());
  {
    RawDb raw(db);
    CHECK(raw.number("SELECT count(*) FROM sqlite_master WHERE name IN "
                     "('bodies', 'sources', 'findings') AND sql LIKE '%WITHOUT ROWID%'") == 0);
    CHECK(rebuilt_tables_content(raw) == before);
    CHECK(raw.text("SELECT count(*) FROM pragma_foreign_key_check") == "0");
  }
  check_counts_agree(*store);
  // The store writes and reads through the rebuilt tables.
  file_varied_records(*store, 20);
  check_counts_agree(*store);
  const auto found = store->find_records(RecordSearch{}).value();
  REQUIRE_FALSE(found.hits.empty());
  const CurrentRecord& first = found.hits.front().record;
  CHECK(store->findings(first.organisation, first.record_id, first.version).has_value());
}

// A migration that would leave rows referring to nothing is refused whole.
TEST_CASE("sqlite: a migration that breaks a foreign key is rolled back and says where") {
  TestDatabase db("sqlite");
  auto store = open_initialised(db);
  file_varied_records(*store, 5);
  store.reset();
  {
    RawDb raw(db);
    // A findings row for a version that was never filed, as a hand edit might leave.
    REQUIRE(raw.exec("INSERT INTO findings VALUES ('nobody', 'nothing', 1, 0, '[]', 0, 0, 0)"));
    REQUIRE(raw.exec("DELETE FROM schema_migrations WHERE version = 5"));
  }
  try {
    open_store(db.url());
    FAIL("a migration committed over a broken foreign key");
  } catch (const StoreError& e) {
    CHECK_THAT(e.what(), Catch::Contains("findings") && Catch::Contains("foreign_key_check") &&
                             Catch::Contains("nothing was changed"));
  }
  RawDb raw(db);
  CHECK(raw.number("SELECT max(version) FROM schema_migrations") == sqlite_schema_version() - 1);
}

// Readers that never pause keep SQLite from starting the WAL over by itself (in a soak the WAL
// grew by 3 MB a second, and the wal-index every connection maps grew with it): past
// wal_restart_bytes the store's checkpointer must start it over, and the next commit truncates
// the file to that size. How large the WAL gets in between depends on how the threads are
// scheduled, so what is checked is that it was started over: without that the file only grows.
TEST_CASE("sqlite: the WAL is started over while readers never stop") {
  constexpr std::int64_t k_limit = std::int64_t{1} * 1024 * 1024;
  TempDir dir;
  const std::filesystem::path wal = dir / "register.db-wal";
  SqliteOptions options;
  options.durability = Durability::normal;  // the fsyncs are not what this is about
  options.wal_restart_bytes = k_limit;
  auto store = open_sqlite_store(dir / "register.db", options);
  init_register(*store, test_signer(), "/nonexistent/test.skey", "test");

  // Four submitters, each waiting for its acknowledgement before the next (as clients do), so
  // the sequencer commits small batches back to back: with the writer idle between commits,
  // SQLite would start the WAL over by itself. So the records are prepared first.
  constexpr int k_submitters = 4;
  std::vector<std::vector<PreparedRecord>> records(k_submitters);
  const std::string padding(3000, 'x');
  for (int i = 0; i < 3000; ++i) {
    records[static_cast<std::size_t>(i % k_submitters)].push_back(
        prepare(small_record("northern-growth-agency", "r" + std::to_string(i % k_submitters),
                             "draft summary " + std::to_string(i) + " " + padding)));
  }

  std::atomic<bool> stop{false};
  std::atomic<long> searches{0};
  std::vector<std::thread> readers;
  readers.reserve(3);
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      RecordSearch s;
      s.match = "staff";
      while (!stop) {
        if (store->find_records(s).ok()) ++searches;
      }
    });
  }
  std::uintmax_t largest = 0;
  int shrank = 0;
  std::thread watcher([&] {
    std::uintmax_t last = 0;
    while (!stop) {
      std::error_code ec;
      const std::uintmax_t size = std::filesystem::file_size(wal, ec);
      if (!ec) {
        if (size < last) ++shrank;
        largest = std::max(largest, size);
        last = size;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  std::atomic<int> refused{0};
  {
    Intake intake(*store, test_signer());
    std::vector<std::thread> submitters;
    submitters.reserve(records.size());
    for (auto& mine : records) {
      submitters.emplace_back([&] {
        for (auto& r : mine) {
          if (!intake.submit(std::move(r), Submitter{"northern-growth-agency", "t"}).get().ok()) {
            ++refused;
          }
        }
      });
    }
    for (auto& t : submitters) t.join();
  }
  stop = true;
  for (auto& t : readers) t.join();
  watcher.join();
  INFO(searches << " searches; the WAL shrank " << shrank << " times, largest " << largest
                << " bytes");
  CHECK(refused == 0);
  CHECK(searches > 0);
  CHECK(shrank > 0);
}

// A node that loses its connection mid-batch (a network failure, a crash, an operator killing
// its backend) leaves nothing: the server aborts the transaction and releases the sequencer lock
// with it. The node's next write starts on a new connection and appends where the log ends.
TEST_CASE("postgresql: a writer that loses its connection mid-batch leaves nothing behind") {
  if (postgres_test_url().empty()) {
    WARN("skipped: CANDOR_TEST_POSTGRES_URL is not set");
    return;
  }
  TestDatabase db("postgresql");
  auto store = open_initialised(db);
  auto other_node = open_store(db.url());
  const std::uint64_t audit_before = store->audit_events(0, 1000).size();
  {
    auto tx = store->begin_write();
    tx->put_organisation("test", {"northern-growth-agency", "Northern Growth Agency", ""});
    NewVersion nv = new_version(*tx, "grant-summaries", "draft short summaries");
    tx->add_version("test", nv);
    tx->put_tree_hashes("test", hashes_to_store(0, leaf_hash(nv.leaf), tx->hash_reader()));
    RawDb raw(db);
    // The only session of this database inside a transaction is the writer's.
    REQUIRE(raw.number("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                       "AND state = 'idle in transaction'") == 1);
    CHECK_THROWS_AS(tx->commit(), StoreError);
  }
  CHECK(store->log_size() == 0);
  CHECK(other_node->log_size() == 0);
  CHECK_FALSE(store->organisation("northern-growth-agency").has_value());
  CHECK(store->audit_events(0, 1000).size() == audit_before);
  // The lock went with the transaction: another node writes at once, and so does this one.
  {
    auto tx = other_node->begin_write();
    tx->put_organisation("test", {"eastbridge-council", "Eastbridge Council", ""});
    tx->commit();
  }
  {
    auto tx = store->begin_write();
    tx->put_organisation("test", {"northern-growth-agency", "Northern Growth Agency", ""});
    NewVersion nv = new_version(*tx, "grant-summaries", "draft short summaries");
    CHECK(nv.version.leaf_index == 0);
    tx->add_version("test", nv);
    tx->commit();
  }
  CHECK(other_node->log_size() == 1);
}

TEST_CASE("a read-only store reads everything, writes nothing and migrates nothing") {
  FOR_EACH_BACKEND(db);
  OpenStoreOptions read_only;
  read_only.read_only = true;
  {
    // No register yet: refused, and nothing created.
    try {
      open_store(db.url(), read_only);
      FAIL("a read-only store opened a database with no register");
    } catch (const StoreError& e) {
      CHECK_THAT(e.what(), Catch::Contains("no register"));
    }
    if (db.backend() == "sqlite") CHECK_FALSE(std::filesystem::exists(db.file()));
  }
  {
    auto store = open_initialised(db);
    auto tx = store->begin_write();
    tx->put_organisation("test", {"northern-growth-agency", "Northern Growth Agency", ""});
    tx->add_version("test", new_version(*tx, "grant-summaries", "draft short summaries"));
    tx->commit();
  }
  auto store = open_store(db.url(), read_only);
  CHECK(store->read_only());
  CHECK(store->log_size() == 1);
  CHECK(store->current_record("northern-growth-agency", "grant-summaries").has_value());
  const auto audit = store->audit_events(0, 1000);
  try {
    store->begin_write();
    FAIL("a read-only store began a write");
  } catch (const StoreError& e) {
    CHECK_THAT(e.what(), Catch::Contains("read-only"));
  }
  store->record_denial("token:probe", {"POST /api/v1/records", 401, "auth.invalid", "127.0.0.1"});
  CHECK(store->audit_events(0, 1000).size() == audit.size());

  // A register at an older schema is left for a writable node to migrate.
  {
    RawDb raw(db);
    const std::string latest = std::to_string(sqlite_schema_version());
    REQUIRE(raw.exec("DELETE FROM schema_migrations WHERE version = " + latest));
  }
  try {
    open_store(db.url(), read_only);
    FAIL("a read-only store opened a register that needs migrating");
  } catch (const StoreError& e) {
    CHECK_THAT(e.what(), Catch::Contains("does not migrate") && Catch::Contains("--read-only"));
  }
}

TEST_CASE("postgresql: a read-only node works as a user granted SELECT only") {
  if (postgres_test_url().empty()) {
    WARN("skipped: CANDOR_TEST_POSTGRES_URL is not set");
    return;
  }
  TestDatabase db("postgresql");
  {
    auto store = open_initialised(db);
    auto tx = store->begin_write();
    tx->put_organisation("test", {"northern-growth-agency", "Northern Growth Agency", ""});
    tx->add_version("test", new_version(*tx, "grant-summaries", "draft short summaries"));
    tx->commit();
  }
  const std::string role = "candor_reader_" + std::to_string(::getpid());
  RawDb raw(db);
  REQUIRE(raw.exec("DROP ROLE IF EXISTS " + role));
  REQUIRE(raw.exec("CREATE ROLE " + role + " LOGIN"));
  REQUIRE(raw.exec("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role));
  const std::string& url = db.url();
  const std::size_t at = url.find('@');
  REQUIRE(at != std::string::npos);
  const std::string as_reader = "postgresql://" + role + url.substr(at);
  {
    OpenStoreOptions read_only;
    read_only.read_only = true;
    auto store = open_store(as_reader, read_only);
    CHECK(store->log_size() == 1);
    const auto found = store->search({"summaries"});
    REQUIRE(found.ok());
    CHECK(found.value().size() == 1);
    CHECK_THROWS_AS(store->begin_write(), StoreError);
  }
  REQUIRE(raw.exec("DROP OWNED BY " + role));
  REQUIRE(raw.exec("DROP ROLE " + role));
}
