#include "candor/registry/intake.h"

#include <openssl/sha.h>
#include <pthread.h>

#include <algorithm>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "candor/registry/canonical.h"
#include "candor/registry/checkpoint.h"
#include "candor/registry/receipt.h"
#include "candor/registry/schema.h"
#include "utf8.h"

namespace candor::registry {

namespace {

Hash sha256(std::string_view bytes) {
  Hash h{};
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), h.data());
  return h;
}

std::string text_at(const Node& root, std::string_view key, std::string_view sub = {}) {
  const Node* n = root.get(key);
  if (n && !sub.empty()) n = n->get(sub);
  return n && n->kind() == NodeKind::string ? n->text() : std::string();
}

// Every text value of the record except those with their own search column, in document order.
void collect_text(const Node& node, const std::vector<const Node*>& skip, std::string& out) {
  if (std::find(skip.begin(), skip.end(), &node) != skip.end()) return;
  switch (node.kind()) {
    case NodeKind::string:
      if (!out.empty()) out += '\n';
      out += node.text();
      break;
    case NodeKind::sequence:
      for (const Node* item : node.items()) collect_text(*item, skip, out);
      break;
    case NodeKind::mapping:
      for (const Entry& e : node.entries()) collect_text(*e.value, skip, out);
      break;
    default:
      break;
  }
}

Problem intake_problem(std::string file, std::string code, std::string message,
                       std::string hint = {}) {
  Problem p;
  p.file = std::move(file);
  p.code = std::move(code);
  p.message = std::move(message);
  p.hint = std::move(hint);
  return p;
}

using NodeKey = std::pair<std::uint64_t, std::uint64_t>;  // level, index
// Committed tree hashes by node. Stored tree hashes never change once committed, so a copy of
// any of them stays right for as long as anyone holds it.
using NodeMap = std::map<NodeKey, Hash>;

// What the sequencer hands back to a submitter; the receipt is built from it afterwards.
struct Committed {
  RecordVersion version;
  bool duplicate = false;
  StoredCheckpoint checkpoint;
  std::string leaf;  // for new versions and reviews; a duplicate's is read back from the log
  // The hashes the batch computed and the right edge of the tree before it: every node the
  // inclusion proof of an entry appended by the batch needs, at the batch's checkpoint. Proofs
  // of other leaves (duplicates) read what is missing from the store.
  std::shared_ptr<const NodeMap> nodes;
  // The submission, handed back so that the submitter's thread, not the sequencer, frees it.
  std::optional<PreparedRecord> record;
  std::optional<Review> review;  // for a logged review
  Problems refused;              // for a review the sequencer refused
};

// A record, or (when review is set) a review note; both go through the one queue, so they share
// one log order.
struct Pending {
  std::optional<PreparedRecord> record;
  std::optional<ReviewNote> review;
  Submitter submitter;
  Findings findings;
  std::promise<Committed> done;
};

// The nodes of the tree of `size` leaves that appending to it, or its root, needs: its maximal
// complete subtrees, one per bit set in `size`.
std::vector<NodeKey> right_edge(std::uint64_t size) {
  std::vector<NodeKey> out;
  for (std::uint64_t level = 64; level-- > 0;) {
    if ((size >> level) & 1) out.emplace_back(level, (size >> level) - 1);
  }
  return out;
}

// Answers from `known`, and asks `fallback` (one call) for the rest.
std::vector<Hash> read_through(const NodeMap& known, std::span<const NodeId> nodes,
                               const HashReader& fallback) {
  std::vector<Hash> out(nodes.size());
  std::vector<NodeId> missing;
  std::vector<std::size_t> where;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    auto it = known.find({nodes[i].level, nodes[i].index});
    if (it != known.end()) {
      out[i] = it->second;
    } else {
      missing.push_back(nodes[i]);
      where.push_back(i);
    }
  }
  if (!missing.empty()) {
    auto read = fallback(missing);
    for (std::size_t j = 0; j < where.size(); ++j) out[where[j]] = read[j];
  }
  return out;
}

Problem review_problem(std::string code, std::string path, std::string message,
                       std::string hint = {}) {
  Problem p = intake_problem({}, std::move(code), std::move(message), std::move(hint));
  p.path = std::move(path);
  return p;
}

}  // namespace

std::string leaf_time(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

Result<PreparedRecord> prepare_record(std::string yaml, std::string file,
                                      const LoadOptions& options) {
  using R = Result<PreparedRecord>;
  auto loaded = load_document(yaml, file, options);
  if (!loaded.ok()) return R(std::move(loaded.problems()));
  Document doc = std::move(loaded.value());
  if (Problems p = SchemaValidator::record_v1().validate(doc); !p.empty()) return R(std::move(p));
  auto canonical = canonical_json(doc);
  if (!canonical.ok()) return R(std::move(canonical.problems()));

  const Node& root = doc.root();
  PreparedRecord r{
      std::move(file), std::move(yaml), std::move(doc), {}, {}, {}, {}, {}, {}, {}, {}};
  r.canonical_json = std::move(canonical.value());
  r.body_hash = sha256(r.canonical_json);
  r.source_hash = sha256(r.yaml);
  r.record_id = text_at(root, "id");
  r.organisation = {text_at(root, "organisation", "id"), text_at(root, "organisation", "name"),
                    text_at(root, "organisation", "type")};
  // The schema requires both ids; a schema without them must not let a record into the log.
  if (!is_slug(r.record_id) || !is_slug(r.organisation.id)) {
    return R(Problems{intake_problem(r.file, "intake.identity",
                                     "the record needs an id and an organisation.id (slugs)")});
  }
  r.title = text_at(root, "tool", "name");
  r.facets.organisation_type = r.organisation.type;
  r.facets.mission_area = text_at(root, "mission_area");
  r.facets.phase = text_at(root, "phase");
  r.facets.tool_type = text_at(root, "tool", "type");
  if (const Node* impact = root.get("impact");
      impact && impact->get("level") && impact->get("level")->kind() == NodeKind::integer) {
    r.facets.impact_level = static_cast<int>(impact->get("level")->as_int());
  }
  r.search.title = r.title;
  r.search.organisation_name = r.organisation.name;
  r.search.summary = text_at(root, "tool", "description_public");
  std::vector<const Node*> skip;
  if (const Node* tool = root.get("tool")) {
    if (const Node* n = tool->get("name")) skip.push_back(n);
    if (const Node* n = tool->get("description_public")) skip.push_back(n);
  }
  if (const Node* org = root.get("organisation")) {
    if (const Node* n = org->get("name")) skip.push_back(n);
  }
  collect_text(root, skip, r.search.body);
  return r;
}

// ---- The sequencer ---------------------------------------------------------------------------

struct Intake::Impl {
  Store& store;
  NoteSigner signer;
  IntakeOptions options;
  std::string origin;

  // The right edge of the committed tree (right_edge(log size) -> hash), as far as the sequencer
  // has seen it: appending and the new root need only these, so a batch reads no tree hash from
  // the store once the edge is known. Only the sequencer thread touches it, and only after a
  // commit succeeded.
  NodeMap edge;

  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::unique_ptr<Pending>> queue;
  bool stopping = false;
  Stats stats;
  std::thread thread;  // last: started once everything above exists

  Impl(Store& s, NoteSigner k, IntakeOptions o)
      : store(s), signer(std::move(k)), options(std::move(o)), origin(signer.name()) {
    if (!options.clock) options.clock = [] { return std::chrono::system_clock::now(); };
    if (options.max_batch == 0) options.max_batch = 1;
    thread = std::thread([this] {
      // Named so that operators (top -H, perf) can tell the sequencer from request threads.
      pthread_setname_np(pthread_self(), "candor-seq");  // at most 15 bytes
      run();
    });
  }

  void run() {
    for (;;) {
      std::vector<std::unique_ptr<Pending>> batch;
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty()) return;  // stopping, and everything queued is done
        while (!queue.empty() && batch.size() < options.max_batch) {
          batch.push_back(std::move(queue.front()));
          queue.pop_front();
        }
      }
      commit_or_split(batch);
    }
  }

  // Commits the batch; if that fails, retries each submission alone so that only the ones that
  // fail by themselves see the error.
  void commit_or_split(std::vector<std::unique_ptr<Pending>>& batch) {
    try {
      auto results = commit(batch);
      for (std::size_t i = 0; i < batch.size(); ++i) {
        results[i].record = std::move(batch[i]->record);
        batch[i]->done.set_value(std::move(results[i]));
      }
      return;
    } catch (...) {
      if (batch.size() == 1) {
        batch[0]->done.set_exception(std::current_exception());
        return;
      }
    }
    for (auto& pending : batch) {
      std::vector<std::unique_ptr<Pending>> one;
      one.push_back(std::move(pending));
      commit_or_split(one);
    }
  }

  std::vector<Committed> commit(std::vector<std::unique_ptr<Pending>>& batch) {
    auto tx = store.begin_write();
    const std::string accepted_at = leaf_time(options.clock());
    std::uint64_t size = tx->log_size();

    // `hashes` starts as the committed right edge and gains the tree hashes of this batch, not
    // yet written (hashes_to_store for leaf i+1 reads those of leaf i), and any committed hash
    // read from the store. The new ones are written in one go at the end.
    auto hashes = std::make_shared<NodeMap>(edge);
    std::vector<StoredHash> fresh_list;
    const HashReader from_store = [&](std::span<const NodeId> nodes) {
      auto stored = tx->read_hashes(nodes);
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        hashes->emplace(NodeKey{nodes[i].level, nodes[i].index}, stored[i]);
      }
      return stored;
    };
    const HashReader read = [&](std::span<const NodeId> nodes) {
      return read_through(*hashes, nodes, from_store);
    };

    std::vector<Committed> results(batch.size());
    std::vector<std::size_t> appended;  // positions in batch of the new versions and reviews
    for (std::size_t i = 0; i < batch.size(); ++i) {
      Pending& p = *batch[i];
      const std::string& actor = p.submitter.name;
      if (p.review) {
        results[i] = add_review(*tx, p, size, accepted_at);
        if (results[i].refused.empty()) {
          for (const StoredHash& h : hashes_to_store(size, leaf_hash(results[i].leaf), read)) {
            hashes->emplace(NodeKey{h.node.level, h.node.index}, h.hash);
            fresh_list.push_back(h);
          }
          appended.push_back(i);
          ++size;
        }
        continue;
      }
      const PreparedRecord& r = *p.record;

      const auto known = tx->organisation(r.organisation.id);
      if (!known || *known != r.organisation) tx->put_organisation(actor, r.organisation);

      const auto latest = tx->latest_version(r.organisation.id, r.record_id);
      if (latest && latest->body_hash == r.body_hash) {
        results[i] = Committed{*latest, true, {}, {}, {}, {}, {}, {}};
        continue;
      }
      LeafStatement leaf;
      leaf.origin = origin;
      leaf.organisation = r.organisation.id;
      leaf.record_id = r.record_id;
      leaf.version = latest ? latest->version + 1 : 1;
      leaf.action = latest ? LeafAction::update : LeafAction::create;
      leaf.body_hash = r.body_hash;
      if (latest) leaf.previous_leaf = latest->leaf_index;
      leaf.accepted_at = accepted_at;

      NewVersion nv;
      nv.version = RecordVersion{r.organisation.id, r.record_id, leaf.version, size, r.body_hash,
                                 r.source_hash,     leaf.action, accepted_at,  actor};
      nv.leaf = format_leaf(leaf);
      nv.canonical_json = r.canonical_json;
      nv.source_yaml = r.yaml;
      nv.findings = p.findings;
      nv.current = CurrentRecord{
          r.organisation.id, r.record_id,         leaf.version, size,
          r.title,           r.organisation.name, r.facets,     compliance_of(p.findings),
          accepted_at};
      nv.search = r.search;
      tx->add_version(actor, nv);

      for (const StoredHash& h : hashes_to_store(size, leaf_hash(nv.leaf), read)) {
        hashes->emplace(NodeKey{h.node.level, h.node.index}, h.hash);
        fresh_list.push_back(h);
      }
      results[i] = Committed{nv.version, false, {}, std::move(nv.leaf), {}, {}, {}, {}};
      appended.push_back(i);
      ++size;
    }

    StoredCheckpoint checkpoint;
    if (!appended.empty()) {
      tx->put_tree_hashes(options.actor, fresh_list);
      // put_checkpoint checks this root against the hashes as stored.
      Checkpoint cp{origin, size, tree_root(size, read), {}};
      checkpoint = StoredCheckpoint{size, cp.root, sign_checkpoint(cp, signer)};
      tx->put_checkpoint(options.actor, checkpoint);
    } else {
      auto latest = tx->latest_checkpoint();
      if (!latest) throw StoreError("the log has no checkpoint: was it initialised?");
      checkpoint = *latest;
    }
    tx->commit();

    NodeMap next_edge;
    for (const NodeKey& key : right_edge(size)) {
      if (auto it = hashes->find(key); it != hashes->end()) next_edge.emplace(key, it->second);
    }
    edge = std::move(next_edge);
    std::shared_ptr<const NodeMap> nodes = std::move(hashes);

    std::lock_guard<std::mutex> lock(mutex);
    stats.batches += 1;
    stats.submissions += batch.size();
    stats.checkpoints += appended.empty() ? 0 : 1;
    for (Committed& c : results) {
      c.checkpoint = checkpoint;
      c.nodes = nodes;
    }
    return results;
  }

  // Logs one review as entry `index`, or says why not (refused).
  Committed add_review(WriteTransaction& tx, const Pending& p, std::uint64_t index,
                       const std::string& accepted_at) {
    const ReviewNote& n = *p.review;
    Committed c;
    const auto reviewed = tx.record_version(n.organisation, n.record_id, n.version);
    if (!reviewed) {
      c.refused.push_back(review_problem("review.no-such-version", "version",
                                         "the register holds no version " +
                                             std::to_string(n.version) + " of " + n.organisation +
                                             "/" + n.record_id,
                                         "review a version listed on the record's page"));
      return c;
    }
    if (!tx.organisation(p.submitter.organisation)) {
      c.refused.push_back(review_problem("review.reviewer", "",
                                         "the reviewer's organisation \"" +
                                             p.submitter.organisation +
                                             "\" is not known to the register"));
      return c;
    }
    ReviewStatement statement{
        origin,         n.organisation,           n.record_id, n.version, reviewed->leaf_index,
        sha256(n.text), p.submitter.organisation, accepted_at};
    NewReview nr;
    nr.review = Review{index,
                       n.organisation,
                       n.record_id,
                       n.version,
                       reviewed->leaf_index,
                       p.submitter.organisation,
                       p.submitter.name,
                       statement.note_hash,
                       n.text,
                       accepted_at};
    nr.entry = format_review(statement);
    tx.add_review(p.submitter.name, nr);
    c.leaf = std::move(nr.entry);
    c.review = std::move(nr.review);
    return c;
  }

  // Runs in the submitter's thread: the proof of a committed review.
  Result<ReviewAcceptance> finish_review(const Committed& c) {
    if (!c.refused.empty()) return Result<ReviewAcceptance>(c.refused);
    ReviewAcceptance a;
    a.review = *c.review;
    a.entry = c.leaf;
    a.checkpoint = c.checkpoint;
    a.receipt = receipt_for(a.review.leaf_index, a.entry, c);
    return a;
  }

  void enqueue(std::unique_ptr<Pending> pending) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (stopping) throw std::logic_error("intake is stopping");
      queue.push_back(std::move(pending));
    }
    wake.notify_one();
  }

  // Runs in the submitter's thread: reads the leaf and proof of a committed version.
  Acceptance finish(const Committed& c) {
    Acceptance a;
    a.version = c.version;
    a.duplicate = c.duplicate;
    a.checkpoint = c.checkpoint;
    a.leaf = c.leaf.empty()
                 ? store.log_entries(c.version.leaf_index, c.version.leaf_index + 1).front()
                 : c.leaf;
    a.receipt = receipt_for(c.version.leaf_index, a.leaf, c);
    return a;
  }

  // The receipt of log entry `index` at the batch's checkpoint: the proof's nodes come from the
  // batch where it has them, else from the store.
  std::string receipt_for(std::uint64_t index, const std::string& entry, const Committed& c) {
    Receipt receipt;
    receipt.extra = entry;
    receipt.index = index;
    const HashReader stored = store.hash_reader();
    receipt.proof = inclusion_proof(index, c.checkpoint.size, [&](std::span<const NodeId> nodes) {
      return c.nodes ? read_through(*c.nodes, nodes, stored) : stored(nodes);
    });
    receipt.checkpoint = c.checkpoint.note;
    return format_receipt(receipt);
  }
};

Intake::Intake(Store& store, NoteSigner signer, IntakeOptions options) {
  const auto settings = store.log_settings();
  if (!settings) {
    throw std::invalid_argument("the register has not been initialised (candor register init)");
  }
  if (settings->verifier_key != signer.verifier().to_string()) {
    throw std::invalid_argument("the key " + signer.verifier().to_string() +
                                " is not this register's key " + settings->verifier_key);
  }
  impl_ = std::make_unique<Impl>(store, std::move(signer), std::move(options));
}

Intake::~Intake() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  impl_->thread.join();
}

std::future<Result<Acceptance>> Intake::submit(PreparedRecord record, Submitter submitter,
                                               Findings findings) {
  if (record.organisation.id != submitter.organisation) {
    const Node* at = record.document.find("organisation.id");
    Problem p =
        intake_problem(record.file, "intake.organisation",
                       "this record belongs to \"" + record.organisation.id +
                           "\", but it is submitted for \"" + submitter.organisation + "\"",
                       "submit it with the organisation it names, or correct organisation.id");
    if (at) p.position = at->position();
    p.path = "organisation.id";
    std::promise<Result<Acceptance>> refused;
    refused.set_value(Result<Acceptance>(Problems{std::move(p)}));
    return refused.get_future();
  }
  auto pending = std::make_unique<Pending>(
      Pending{std::move(record), std::nullopt, std::move(submitter), std::move(findings), {}});
  std::future<Committed> committed = pending->done.get_future();
  impl_->enqueue(std::move(pending));
  // Deferred: the proof is read in the thread that waits, so receipts are built in parallel
  // and the sequencer only ever does what must be serial.
  return std::async(std::launch::deferred,
                    [impl = impl_.get(), f = std::move(committed)]() mutable -> Result<Acceptance> {
                      return impl->finish(f.get());
                    });
}

std::future<Result<ReviewAcceptance>> Intake::submit_review(ReviewNote note, Submitter reviewer) {
  note.text = normalise_review_note(note.text);
  if (Problems problems = review_note_problems(note.text); !problems.empty()) {
    std::promise<Result<ReviewAcceptance>> refused;
    refused.set_value(Result<ReviewAcceptance>(std::move(problems)));
    return refused.get_future();
  }
  auto pending = std::make_unique<Pending>();
  pending->review = std::move(note);
  pending->submitter = std::move(reviewer);
  std::future<Committed> committed = pending->done.get_future();
  impl_->enqueue(std::move(pending));
  return std::async(
      std::launch::deferred,
      [impl = impl_.get(), f = std::move(committed)]() mutable -> Result<ReviewAcceptance> {
        return impl->finish_review(f.get());
      });
}

std::string normalise_review_note(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  const auto blank = [](char c) { return c == ' ' || c == '\n' || c == '\t'; };
  std::size_t begin = 0, end = out.size();
  while (begin < end && blank(out[begin])) ++begin;
  while (end > begin && blank(out[end - 1])) --end;
  return out.substr(begin, end - begin);
}

Problems review_note_problems(std::string_view text) {
  Problems out;
  if (text.empty()) {
    out.push_back(review_problem("review.text-empty", "text", "Enter the text of the review note"));
    return out;
  }
  const auto faults = find_text_faults(text, text.size());
  if (std::any_of(faults.begin(), faults.end(),
                  [](const TextFaultAt& f) { return f.fault == TextFault::invalid_utf8; })) {
    out.push_back(
        review_problem("review.text-encoding", "text", "The review note is not valid UTF-8 text"));
    return out;
  }
  const std::size_t chars = count_code_points(text);
  if (chars > kMaxReviewNoteChars) {
    out.push_back(review_problem("review.text-too-long", "text",
                                 "The review note must be 5,000 characters or fewer (it has " +
                                     std::to_string(chars) + ")"));
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    // C0 controls and DEL; C1 controls are U+0080..U+009F, encoded 0xC2 0x80..0x9F.
    const bool c1 = c == 0xC2 && i + 1 < text.size() &&
                    static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    if (((c < 0x20 || c == 0x7F) && c != '\n' && c != '\t') || c1) {
      out.push_back(review_problem(
          "review.text-control", "text",
          "The review note contains a control character; use only text, new lines and tabs"));
      break;
    }
  }
  return out;
}

Intake::Stats Intake::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->stats;
}

StoredCheckpoint init_register(Store& store, const NoteSigner& signer, std::string signer_key_path,
                               std::string_view actor) {
  auto tx = store.begin_write();
  if (tx->log_settings()) throw std::logic_error("the register is already initialised");
  if (tx->log_size() != 0) throw std::logic_error("the store already holds log entries");
  tx->init_log(
      actor, LogSettings{signer.name(), signer.verifier().to_string(), std::move(signer_key_path)});
  const Checkpoint empty{signer.name(), 0, empty_tree_root(), {}};
  StoredCheckpoint checkpoint{0, empty.root, sign_checkpoint(empty, signer)};
  tx->put_checkpoint(actor, checkpoint);
  tx->commit();
  return checkpoint;
}

Problems check_record_against_leaf(const Document& record, const LeafStatement& leaf) {
  Problems out;
  const Node& root = record.root();
  const std::string org = text_at(root, "organisation", "id");
  const std::string id = text_at(root, "id");
  if (org != leaf.organisation || id != leaf.record_id) {
    Problem p = intake_problem(record.file(), "verify.record-id",
                               "this is record " + org + "/" + id + ", but the receipt is for " +
                                   leaf.organisation + "/" + leaf.record_id);
    if (const Node* n = record.find("id")) p.position = n->position();
    out.push_back(std::move(p));
  }
  auto hash = body_hash(record);
  if (!hash.ok()) {
    for (Problem& p : hash.problems()) out.push_back(std::move(p));
    return out;
  }
  if (hash.value() != leaf.body_hash) {
    out.push_back(intake_problem(
        record.file(), "verify.body-hash",
        "the record's canonical body hashes to " + lowercase_hex(hash.value()) +
            ", but the logged version " + std::to_string(leaf.version) + " has " +
            to_hex(leaf.body_hash),
        "the file differs from what was logged (formatting and comments do not count)"));
  }
  return out;
}

}  // namespace candor::registry
