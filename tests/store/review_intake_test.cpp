// Regulators' review notes in the store and through intake: the reviews table (append-only, read
// back by record and by leaf), the review entry appended at the end of the log with its audit
// event, intake's checks, and reviews batched with records in one log order with valid proofs.
#include <catch2/catch.hpp>

#include <future>
#include <vector>

#include "candor/registry/log_entry.h"
#include "candor/registry/receipt.h"
#include "store_backends.h"

namespace {

using namespace candor::registry;
using namespace candor::registry::test;

// Built on use, not at static initialisation (where a throw could not be caught).
Submitter submitter() {
  return {"northern-growth-agency", "cli:test"};
}
Submitter regulator() {
  return {"ai-regulator", "token:reviewer"};
}

void add_regulator(Store& store) {
  auto tx = store.begin_write();
  tx->put_organisation("test", {"ai-regulator", "AI Regulator", ""});
  tx->commit();
}

Acceptance accept(Intake& intake, const std::string& variant) {
  auto result =
      intake
          .submit(prepare(small_record("northern-growth-agency", "grant-summaries", variant)),
                  submitter())
          .get();
  if (!result.ok()) FAIL(format_problem(result.problems().front()));
  return result.value();
}

ReviewNote note(std::uint64_t version, std::string text) {
  return ReviewNote{"northern-growth-agency", "grant-summaries", version, std::move(text)};
}

std::string code_of(const Result<ReviewAcceptance>& r) {
  return r.ok() ? std::string("ok") : r.problems().front().code;
}

Hash root_from_entries(Store& store, std::uint64_t size) {
  std::vector<Hash> leaves;
  for (const std::string& e : store.log_entries(0, size)) leaves.push_back(leaf_hash(e));
  return tree_root(leaves);
}

}  // namespace

TEST_CASE("reviews: a note becomes the next log entry, stored, audited and receipted") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  add_regulator(*store);
  Intake intake(*store, test_signer(), fixed_clock_options());
  const Acceptance v1 = accept(intake, "draft short summaries");
  accept(intake, "draft longer summaries");

  auto result =
      intake.submit_review(note(1, "  Bias testing was adequate.\r\nSee <annex>.\n\n"), regulator())
          .get();
  REQUIRE(result.ok());
  const ReviewAcceptance& a = result.value();
  CHECK(a.review.leaf_index == 2);
  CHECK(a.review.version == 1);
  CHECK(a.review.reviewed_leaf == v1.version.leaf_index);
  CHECK(a.review.reviewer == "ai-regulator");
  CHECK(a.review.reviewer_label == "token:reviewer");
  CHECK(a.review.note == "Bias testing was adequate.\nSee <annex>.");  // normalised
  CHECK(a.review.note_hash == sha256_of("Bias testing was adequate.\nSee <annex>."));
  CHECK(a.review.accepted_at == "2026-09-21T14:13:20Z");
  CHECK(a.checkpoint.size == 3);

  auto statement = parse_review(a.entry);
  REQUIRE(statement.ok());
  CHECK(statement.value() == ReviewStatement{k_origin, "northern-growth-agency", "grant-summaries",
                                             1, 0, a.review.note_hash, "ai-regulator",
                                             "2026-09-21T14:13:20Z"});
  CHECK(store->log_entries(2, 3).front() == a.entry);
  CHECK(store->latest_checkpoint()->root == root_from_entries(*store, 3));

  const auto keys = test_verifiers();
  auto verified = verify_receipt(a.receipt, k_origin, keys);
  REQUIRE(verified.ok());
  REQUIRE(verified.value().review.has_value());
  CHECK(*verified.value().review == statement.value());
  CHECK(verified.value().index == 2);

  CHECK(store->reviews("northern-growth-agency", "grant-summaries") ==
        std::vector<Review>{a.review});
  CHECK(store->review_at_leaf(2) == a.review);
  CHECK_FALSE(store->review_at_leaf(1).has_value());
  CHECK(store->reviews("northern-growth-agency", "other").empty());

  bool audited = false;
  for (const AuditEvent& e : store->audit_events(0, 1000)) {
    if (e.action == "review.add") {
      audited = true;
      CHECK(e.actor == "token:reviewer");
      CHECK(e.subject == "northern-growth-agency/grant-summaries v1");
    }
  }
  CHECK(audited);
}

TEST_CASE("reviews: intake refuses missing versions, unknown reviewers and bad text") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  add_regulator(*store);
  Intake intake(*store, test_signer(), fixed_clock_options());
  accept(intake, "draft short summaries");

  CHECK(code_of(
            intake.submit_review(note(2, "On a version that does not exist"), regulator()).get()) ==
        "review.no-such-version");
  CHECK(code_of(intake
                    .submit_review({"northern-growth-agency", "no-such-record", 1, "Hello"},
                                   regulator())
                    .get()) == "review.no-such-version");
  CHECK(code_of(intake.submit_review(note(1, "Hello"), {"nobody", "token:x"}).get()) ==
        "review.reviewer");
  CHECK(code_of(intake.submit_review(note(1, " \r\n\t "), regulator()).get()) ==
        "review.text-empty");
  CHECK(code_of(intake.submit_review(note(1, std::string(5001, 'a')), regulator()).get()) ==
        "review.text-too-long");
  CHECK(code_of(intake.submit_review(note(1, "bad \xff byte"), regulator()).get()) ==
        "review.text-encoding");
  CHECK(code_of(intake.submit_review(note(1, "bell \x07 here"), regulator()).get()) ==
        "review.text-control");
  CHECK(code_of(intake.submit_review(note(1, std::string("nul ") + '\0' + " here"), regulator())
                    .get()) == "review.text-control");
  CHECK(code_of(intake.submit_review(note(1, "C1 \xc2\x85 here"), regulator()).get()) ==
        "review.text-control");
  // 5,000 characters, counted as characters, not bytes; tabs and new lines are allowed.
  std::string accents;
  for (int i = 0; i < 5000; ++i) accents += "\xc3\xa9";
  CHECK(code_of(intake.submit_review(note(1, accents), regulator()).get()) == "ok");
  CHECK(code_of(intake.submit_review(note(1, "a\tb\nc"), regulator()).get()) == "ok");
  CHECK(store->reviews("northern-growth-agency", "grant-summaries").size() == 2);
  CHECK(store->log_size() == 3);
}

TEST_CASE("reviews: records and reviews submitted together share batches and one log order") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  add_regulator(*store);
  std::vector<Result<Acceptance>> records;
  std::vector<Result<ReviewAcceptance>> reviews;
  {
    std::vector<std::future<Result<Acceptance>>> record_futures;
    std::vector<std::future<Result<ReviewAcceptance>>> review_futures;
    IntakeOptions options = fixed_clock_options();
    Intake intake(*store, test_signer(), options);
    accept(intake, "variant 0");
    // Queued without waiting, so the sequencer batches records and reviews together; a review of
    // version v is queued after the record that makes version v.
    for (int i = 1; i <= 20; ++i) {
      record_futures.push_back(
          intake.submit(prepare(small_record("northern-growth-agency", "grant-summaries",
                                             "variant " + std::to_string(i))),
                        submitter()));
      review_futures.push_back(intake.submit_review(
          note(static_cast<std::uint64_t>(i), "Note on version " + std::to_string(i)),
          regulator()));
    }
    // A review of a version that only a later submission would create is refused.
    review_futures.push_back(intake.submit_review(note(40, "Too early"), regulator()));
    // Receipts are read by the thread that waits, while the intake and store live.
    for (auto& f : record_futures) records.push_back(f.get());
    for (auto& f : review_futures) reviews.push_back(f.get());
  }
  const auto keys = test_verifiers();
  for (std::size_t i = 0; i < 20; ++i) {
    const auto& r = records[i];
    REQUIRE(r.ok());
    const auto& n = reviews[i];
    REQUIRE(n.ok());
    // Each review names the version it was queued after, and comes after it in the log.
    CHECK(n.value().review.version == r.value().version.version - 1);
    CHECK(n.value().review.leaf_index > n.value().review.reviewed_leaf);
    auto v = verify_receipt(n.value().receipt, k_origin, keys);
    REQUIRE(v.ok());
    CHECK(v.value().review->leaf_index == n.value().review.reviewed_leaf);
    auto vr = verify_receipt(r.value().receipt, k_origin, keys);
    CHECK(vr.ok());
  }
  CHECK(code_of(reviews.back()) == "review.no-such-version");
  const std::uint64_t size = store->log_size();
  CHECK(size == 41);
  CHECK(store->latest_checkpoint()->size == size);
  CHECK(store->latest_checkpoint()->root == root_from_entries(*store, size));
  // Every entry parses, and each review names a leaf that is that version of the record.
  const auto entries = store->log_entries(0, size);
  std::size_t review_entries = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto e = parse_log_entry(entries[i]);
    REQUIRE(e.ok());
    if (const auto* r = std::get_if<ReviewStatement>(&e.value())) {
      ++review_entries;
      REQUIRE(r->leaf_index < i);
      auto reviewed = parse_log_entry(entries[r->leaf_index]);
      REQUIRE(std::holds_alternative<LeafStatement>(reviewed.value()));
      CHECK(std::get<LeafStatement>(reviewed.value()).version == r->version);
    }
  }
  CHECK(review_entries == 20);
}

TEST_CASE("reviews: the store appends only at the end, only for versions it holds") {
  FOR_EACH_BACKEND(db);
  auto store = open_initialised(db);
  add_regulator(*store);
  {
    Intake intake(*store, test_signer(), fixed_clock_options());
    accept(intake, "draft short summaries");
    REQUIRE(intake.submit_review(note(1, "Fine."), regulator()).get().ok());
  }
  ReviewStatement statement{k_origin,       "northern-growth-agency", "grant-summaries",     1, 0,
                            sha256_of("x"), "ai-regulator",           "2026-09-21T14:13:20Z"};
  NewReview nr;
  nr.review = Review{2,
                     "northern-growth-agency",
                     "grant-summaries",
                     1,
                     0,
                     "ai-regulator",
                     "test",
                     statement.note_hash,
                     std::string("x"),
                     statement.accepted_at};
  nr.entry = format_review(statement);
  {
    auto tx = store->begin_write();
    NewReview wrong_index = nr;
    wrong_index.review.leaf_index = 5;
    CHECK_THROWS_AS(tx->add_review("test", wrong_index), std::logic_error);
    NewReview wrong_version = nr;
    wrong_version.review.version = 2;
    CHECK_THROWS_AS(tx->add_review("test", wrong_version), std::logic_error);
    NewReview no_text = nr;
    no_text.review.note.reset();
    CHECK_THROWS_AS(tx->add_review("test", no_text), std::logic_error);
  }
  CHECK(store->log_size() == 2);

  // On disk: rows cannot be changed or deleted; the text may only be erased.
  RawDb raw(db);
  CHECK_FALSE(raw.exec("UPDATE reviews SET version = 2"));
  const std::string zero_hash =
      db.backend() == "sqlite" ? "zeroblob(32)" : "decode(repeat('00', 32), 'hex')";
  CHECK_FALSE(raw.exec("UPDATE reviews SET note_hash = " + zero_hash));
  CHECK_FALSE(raw.exec("UPDATE reviews SET reviewer_label = 'someone else', note = NULL"));
  CHECK_FALSE(raw.exec("UPDATE reviews SET note = 'rewritten'"));
  CHECK_FALSE(raw.exec("DELETE FROM reviews"));
  CHECK(raw.exec("UPDATE reviews SET note = NULL"));
  const auto erased = store->review_at_leaf(1);
  REQUIRE(erased.has_value());
  CHECK_FALSE(erased->note.has_value());
  CHECK(erased->note_hash == sha256_of("Fine."));
}
