// Intake over the SQLite store: new records, dedupe, new versions, findings and facets, audit,
// checkpoints that match the stored tree, and receipts that verify (and fail when tampered).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>

#include "candor/registry/checkpoint.h"
#include "candor/registry/receipt.h"
#include "store_backends.h"

namespace {

using namespace candor::registry;
using namespace candor::registry::test;

// Built on use, not at static initialisation (where a throw could not be caught).
Submitter submitter() {
  return {"northern-growth-agency", "cli:test"};
}

Acceptance accept(Intake& intake, const std::string& yaml, Findings findings = {}) {
  auto result = intake.submit(prepare(yaml), submitter(), std::move(findings)).get();
  if (!result.ok()) FAIL(format_problem(result.problems().front()));
  return result.value();
}

VerifiedReceipt verified(const std::string& receipt) {
  const auto keys = test_verifiers();
  auto v = verify_receipt(receipt, k_origin, keys);
  if (!v.ok()) FAIL(format_problem(v.problems().front()));
  return v.value();
}

// The same record as small_record(...), written differently: flow style, other key order,
// comments, quoting. Its canonical JSON is identical.
constexpr const char* k_reformatted =
    "# the same record, rewritten\n"
    "impact: {level: 2}\n"
    "phase: \"pilot\"\n"
    "tool: {type: generative, name: 'Grant application summaries',\n"
    "       description_public: Staff use this tool to draft short summaries of grant "
    "applications.}\n"
    "organisation: {type: arms-length-body, name: Northern Growth Agency, id: "
    "northern-growth-agency}\n"
    "mission_area: growth   # growth\n"
    "id: grant-summaries\n"
    "schema: candor.record/v1\n";

// Recomputes the root from the stored leaves alone (not from stored interior hashes).
Hash root_from_entries(Store& store, std::uint64_t size) {
  std::vector<Hash> leaves;
  for (const std::string& e : store.log_entries(0, size)) leaves.push_back(leaf_hash(e));
  return tree_root(leaves);
}

}  // namespace

TEST_CASE("intake: a new record becomes version 1, logged, signed and receipted") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  Intake intake(*store, test_signer(), fixed_clock_options());
  const std::string yaml = small_record("northern-growth-agency", "grant-summaries");
  const Acceptance a = accept(intake, yaml);

  CHECK_FALSE(a.duplicate);
  CHECK(a.version.organisation == "northern-growth-agency");
  CHECK(a.version.record_id == "grant-summaries");
  CHECK(a.version.version == 1);
  CHECK(a.version.leaf_index == 0);
  CHECK(a.version.action == LeafAction::create);
  CHECK(a.version.submitter == "cli:test");
  CHECK(a.version.accepted_at == "2026-09-21T14:13:20Z");
  CHECK(a.checkpoint.size == 1);

  auto leaf = parse_leaf(a.leaf);
  REQUIRE(leaf.ok());
  CHECK(leaf.value().origin == k_origin);
  CHECK(leaf.value().body_hash == prepare(yaml).body_hash);
  CHECK_FALSE(leaf.value().previous_leaf.has_value());

  const VerifiedReceipt v = verified(a.receipt);
  CHECK(v.leaf == leaf.value());
  CHECK(v.index == 0);
  CHECK(v.checkpoint.size == 1);

  // Everything is stored: body by hash, YAML as submitted, version row, current record.
  CHECK(store->body(a.version.body_hash) == prepare(yaml).canonical_json);
  CHECK(store->source(a.version.source_hash) == yaml);
  CHECK(store->versions("northern-growth-agency", "grant-summaries") ==
        std::vector<RecordVersion>{a.version});
  CHECK(store->version_at_leaf(0) == a.version);
  const auto current = store->current_record("northern-growth-agency", "grant-summaries");
  REQUIRE(current.has_value());
  CHECK(current->version == 1);
  CHECK(current->title == "Grant application summaries");
  CHECK(current->facets == RecordFacets{"arms-length-body", "growth", "pilot", "generative", 2});
  CHECK(current->compliance == Compliance::not_assessed);
  CHECK(store->organisation("northern-growth-agency")->name == "Northern Growth Agency");
  CHECK(store->latest_checkpoint() == a.checkpoint);
}

TEST_CASE("intake: an identical body is not logged again, however the YAML is written") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  Intake intake(*store, test_signer(), fixed_clock_options());
  const Acceptance first =
      accept(intake, small_record("northern-growth-agency", "grant-summaries"));
  const auto audit_before = store->audit_events(0, 1000).size();

  const Acceptance again = accept(intake, k_reformatted);
  CHECK(again.duplicate);
  CHECK(again.version == first.version);
  CHECK(store->log_size() == 1);
  CHECK(store->latest_checkpoint()->size == 1);
  CHECK(store->audit_events(0, 1000).size() == audit_before);  // nothing was written
  CHECK(verified(again.receipt).index == 0);
  CHECK(intake.stats().checkpoints == 1);
}

TEST_CASE("intake: a changed body is the next version, pointing at the previous leaf") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  Intake intake(*store, test_signer(), fixed_clock_options());
  const std::string v1 = small_record("northern-growth-agency", "grant-summaries");
  const std::string v2 = small_record("northern-growth-agency", "grant-summaries", "summarise");
  accept(intake, small_record("northern-growth-agency", "other-record"));  // leaf 0
  const Acceptance a1 = accept(intake, v1);                                // leaf 1
  const Acceptance a2 = accept(intake, v2);                                // leaf 2
  const Acceptance a3 = accept(intake, v1);  // a revert is a change too: leaf 3

  CHECK(a1.version.version == 1);
  CHECK(a2.version.version == 2);
  CHECK(a2.version.action == LeafAction::update);
  CHECK(parse_leaf(a2.leaf).value().previous_leaf == 1u);
  CHECK(a3.version.version == 3);
  CHECK(parse_leaf(a3.leaf).value().previous_leaf == 2u);
  CHECK(a3.version.body_hash == a1.version.body_hash);
  CHECK(store->log_size() == 4);
  CHECK(store->versions("northern-growth-agency", "grant-summaries").size() == 3);
  CHECK(store->current_record("northern-growth-agency", "grant-summaries")->version == 3);

  // Old receipts stay valid against their own checkpoints; new ones against the latest.
  for (const Acceptance* a : {&a1, &a2, &a3})
    CHECK(verified(a->receipt).leaf.version == a->version.version);
}

TEST_CASE("intake: findings are stored as given and set the compliance facet") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  Intake intake(*store, test_signer(), fixed_clock_options());
  Findings findings;
  findings.evaluated = true;
  findings.json = R"([{"rule":"TRN-001","outcome":"fail","severity":"error"}])";
  findings.counts = {1, 2, 0};
  const Acceptance a =
      accept(intake, small_record("northern-growth-agency", "grant-summaries"), findings);
  CHECK(store->findings("northern-growth-agency", "grant-summaries", 1) == findings);
  CHECK(store->current_record("northern-growth-agency", "grant-summaries")->compliance ==
        Compliance::failing);
  CHECK_FALSE(store->findings("northern-growth-agency", "grant-summaries", 2).has_value());

  SearchQuery q;
  q.match = "summaries";
  auto hits = store->search(q);
  REQUIRE(hits.ok());
  REQUIRE(hits.value().size() == 1);
  CHECK(hits.value()[0].record_id == "grant-summaries");
}

TEST_CASE("intake: a record for another organisation, or an invalid one, is refused") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  Intake intake(*store, test_signer(), fixed_clock_options());
  auto refused =
      intake.submit(prepare(small_record("eastbridge-council", "chatbot")), submitter(), {}).get();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.problems().front().code == "intake.organisation");
  CHECK(refused.problems().front().path == "organisation.id");
  CHECK(refused.problems().front().position.line == 4);

  auto invalid = prepare_record("schema: candor.record/v1\nid: x\nphase: live\n", "bad.yaml");
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.problems().front().file == "bad.yaml");
  CHECK(store->log_size() == 0);
  CHECK(store->latest_checkpoint()->size == 0);
}

TEST_CASE("intake: every write is audited, in the same transaction as the data") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  {
    Intake intake(*store, test_signer(), fixed_clock_options());
    accept(intake, small_record("northern-growth-agency", "one"));
    accept(intake, small_record("northern-growth-agency", "two"));
    accept(intake, small_record("northern-growth-agency", "two"));  // duplicate: no write
  }
  std::vector<std::string> actions;
  for (const AuditEvent& e : store->audit_events(0, 1000)) actions.push_back(e.action);
  CHECK(actions == std::vector<std::string>{
                       "log.init", "checkpoint.put",                                        // init
                       "organisation.put", "version.add", "tree.extend", "checkpoint.put",  // one
                       "version.add", "tree.extend", "checkpoint.put"});                    // two
  const auto events = store->audit_events(0, 1000);
  CHECK(events[3].actor == "cli:test");
  CHECK(events[3].subject == "northern-growth-agency/one v1");
  CHECK(events[4].actor == "sequencer");
  CHECK(nlohmann::json::parse(events[5].detail)["size"] == 1);
}

TEST_CASE("intake: the latest checkpoint is the root of the stored leaves, signed") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  {
    Intake intake(*store, test_signer(), fixed_clock_options());
    for (int i = 0; i < 11; ++i) {
      accept(intake, small_record("northern-growth-agency", "record-" + std::to_string(i % 4),
                                  "variant " + std::to_string(i)));
    }
  }
  const auto latest = store->latest_checkpoint();
  REQUIRE(latest.has_value());
  CHECK(latest->size == 11);
  CHECK(latest->size == store->log_size());
  CHECK(latest->root == root_from_entries(*store, latest->size));
  CHECK(latest->root == tree_root(latest->size, store->hash_reader()));
  const auto keys = test_verifiers();
  auto opened = open_checkpoint(latest->note, k_origin, keys);
  REQUIRE(opened.ok());
  CHECK(opened.value().root == latest->root);
  // Every checkpoint ever signed is consistent with the latest one.
  for (std::uint64_t size = 1; size < 11; ++size) {
    const auto old = store->checkpoint(size);
    REQUIRE(old.has_value());
    CHECK(verify_consistency(size, 11, consistency_proof(size, 11, store->hash_reader()), old->root,
                             latest->root)
              .ok());
  }
}

TEST_CASE("intake: the record file can be checked against its receipt's statement") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  Intake intake(*store, test_signer(), fixed_clock_options());
  const Acceptance a = accept(intake, small_record("northern-growth-agency", "grant-summaries"));
  const LeafStatement leaf = verified(a.receipt).leaf;

  CHECK(check_record_against_leaf(prepare(k_reformatted).document, leaf).empty());
  const auto changed = check_record_against_leaf(
      prepare(small_record("northern-growth-agency", "grant-summaries", "do more")).document, leaf);
  REQUIRE(changed.size() == 1);
  CHECK(changed.front().code == "verify.body-hash");
  const auto other = check_record_against_leaf(
      prepare(small_record("northern-growth-agency", "other")).document, leaf);
  REQUIRE_FALSE(other.empty());
  CHECK(other.front().code == "verify.record-id");
}

TEST_CASE("intake: only the register's own key may sign for it") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  Ed25519Seed seed{};
  seed.fill(3);
  CHECK_THROWS_AS(Intake(*store, NoteSigner::from_seed(k_origin, seed)), std::invalid_argument);
  TestDatabase empty_db(db.backend());
  auto empty = open_store(empty_db.url());
  CHECK_THROWS_AS(Intake(*empty, test_signer()), std::invalid_argument);
  CHECK_THROWS_AS(init_register(*store, test_signer(), "x", "test"), std::logic_error);
}
