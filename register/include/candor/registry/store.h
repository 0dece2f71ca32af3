// Store: where the register keeps everything — organisations, tokens, record versions and their
// bodies, findings, the current record of each (organisation, record id) with its search facets
// and search text, the transparency log (entries, stored tree hashes, signed checkpoints), and an
// audit log of every write.
//
// Regulators' review notes are log entries too (review.h), each with its note text.
//
// The interface knows nothing of SQL engines: SQLite is the embedded default (sqlite.h),
// PostgreSQL the backend for many nodes over one database (postgres.h); open_store.h opens
// either from a database URL. It is a data-access layer only; the register's rules (what a
// version number is, what a leaf says, when a checkpoint is signed) live in Intake (intake.h).
//
// Contract:
//   - Reads are thread-safe and see only committed data. They never block the writer.
//   - Writes happen in a WriteTransaction, one at a time (begin_write blocks while another is
//     open, in this process or another). Nothing is visible to readers, and nothing is durable,
//     until commit() returns; a transaction destroyed without commit() rolls back entirely.
//   - Every mutating call writes exactly one audit event in the same transaction, so the audit
//     log can never disagree with the data.
//   - The log is append-only: entries, tree hashes, record versions, reviews, checkpoints and
//     audit events are never changed or removed once committed (a review's note text, like a
//     body, may only be erased) (a backend should enforce this itself).
//   - put_checkpoint refuses a checkpoint the transaction's tree does not support (wrong size,
//     wrong root, not signed by the log's key), so a published checkpoint always covers data
//     committed with it or before it.
//   - Infrastructure failures (I/O, corruption, constraint violations from misuse) throw
//     StoreError. Caller mistakes that break the contract throw std::logic_error.
//   - One exception to "one audit event per call": moving a whole register into an empty one
//     (export_rows, WriteTransaction::import_rows; store_copy.h) copies the source's rows as they
//     are, its audit log included, so that the copy is the same register and not a new history.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "candor/registry/leaf.h"
#include "candor/registry/merkle.h"
#include "candor/registry/problem.h"

namespace candor::registry {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- Value types -----------------------------------------------------------------------------

// The log this store holds: fixed when the register is initialised.
struct LogSettings {
  std::string origin;           // checkpoint origin, also the key name
  std::string verifier_key;     // the log's public key, note verifier text (note.h)
  std::string signer_key_path;  // where the operator keeps the private key (never the key itself)
  friend bool operator==(const LogSettings&, const LogSettings&) = default;
};

struct Organisation {
  std::string id;  // slug
  std::string name;
  std::string type;  // the record schema's organisation.type, or empty
  friend bool operator==(const Organisation&, const Organisation&) = default;
};

enum class Role { submitter, regulator, admin };
std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

// A bearer token as stored: only the SHA-256 of the secret.
struct Token {
  Hash hash{};
  std::string organisation;
  Role role = Role::submitter;
  std::string label;  // who it was issued to, for people and the audit log
  bool revoked = false;
  friend bool operator==(const Token&, const Token&) = default;
};

// One accepted version of a record; leaf_index is its entry in the log.
struct RecordVersion {
  std::string organisation;
  std::string record_id;
  std::uint64_t version = 0;
  std::uint64_t leaf_index = 0;
  Hash body_hash{};    // SHA-256 of the canonical JSON
  Hash source_hash{};  // SHA-256 of the YAML as submitted
  LeafAction action = LeafAction::create;
  std::string accepted_at;
  std::string submitter;
  friend bool operator==(const RecordVersion&, const RecordVersion&) = default;
};

struct FindingCounts {
  std::uint32_t error = 0;
  std::uint32_t warning = 0;
  std::uint32_t info = 0;
  friend bool operator==(const FindingCounts&, const FindingCounts&) = default;
};

// The rules engine's findings for a version, as its caller hands them in: the register does not
// interpret them (it never includes the engine), it stores the JSON and the counts. `evaluated`
// false means no rules were run (compliance is then "not assessed", not "passing").
struct Findings {
  bool evaluated = false;
  std::string json = "[]";
  FindingCounts counts;
  // The ids of the rules that failed, sorted, each once: kept beside the JSON so that counting
  // failures across the register (the statistics page) reads a small table instead of parsing
  // every version's findings.
  std::vector<std::string> failing_rules;
  friend bool operator==(const Findings&, const Findings&) = default;
};

enum class Compliance { not_assessed, failing, warnings, passing };
std::string_view to_string(Compliance compliance);
// not_assessed unless evaluated; failing with any error; warnings with any warning; else passing.
Compliance compliance_of(const Findings& findings);

// What the public register filters on.
struct RecordFacets {
  std::string organisation_type;
  std::string mission_area;
  std::string phase;
  std::string tool_type;
  std::optional<int> impact_level;
  friend bool operator==(const RecordFacets&, const RecordFacets&) = default;
};

// The latest version of a record, with what search and listing pages show.
struct CurrentRecord {
  std::string organisation;
  std::string record_id;
  std::uint64_t version = 0;
  std::uint64_t leaf_index = 0;
  std::string title;  // tool.name
  std::string organisation_name;
  RecordFacets facets;
  Compliance compliance = Compliance::not_assessed;
  std::string updated_at;
  friend bool operator==(const CurrentRecord&, const CurrentRecord&) = default;
};

// The searchable text of a current record, by field (weighted in that order).
struct SearchText {
  std::string title;
  std::string organisation_name;
  std::string summary;  // tool.description_public
  std::string body;     // every other text value of the record
};

// Everything an accepted version writes (see WriteTransaction::add_version).
struct NewVersion {
  RecordVersion version;
  std::string leaf;            // the log entry: format_leaf() of this version's statement
  std::string canonical_json;  // stored under version.body_hash
  std::string source_yaml;     // stored under version.source_hash
  Findings findings;
  CurrentRecord current;
  SearchText search;
};

// A regulator's public review note on a record version: its own log entry (a review statement,
// review.h) plus the note's text, kept by its hash like a record body.
struct Review {
  std::uint64_t leaf_index = 0;  // the review's own log entry
  std::string organisation;      // the reviewed record
  std::string record_id;
  std::uint64_t version = 0;        // the reviewed version
  std::uint64_t reviewed_leaf = 0;  // its log entry
  std::string reviewer;             // the regulator's organisation id
  std::string reviewer_label;       // who wrote it, for the audit log ("token:<label>")
  Hash note_hash{};                 // SHA-256 of the note text
  std::optional<std::string> note;  // the text; empty once lawfully erased
  std::string accepted_at;
  friend bool operator==(const Review&, const Review&) = default;
};

// Everything an accepted review writes (see WriteTransaction::add_review).
struct NewReview {
  Review review;      // note must be set
  std::string entry;  // the log entry: format_review() of this review's statement
};

struct StoredCheckpoint {
  std::uint64_t size = 0;
  Hash root{};
  std::string note;  // the signed checkpoint (checkpoint.h)
  friend bool operator==(const StoredCheckpoint&, const StoredCheckpoint&) = default;
};

struct AuditEvent {
  std::uint64_t id = 0;  // increasing, gap-free within one store
  std::string at;        // UTC, RFC 3339 with milliseconds
  std::string actor;     // who caused it: "cli:alice", "token:<label>", "sequencer"
  std::string action;    // "organisation.put", "version.add", "checkpoint.put", ...
  std::string subject;   // what it changed: "northshire-police/custody-notes", "size 42"...
  std::string detail;    // a JSON object with the particulars
};

// A write the web layer refused before it reached intake (no token, an invalid or revoked one, a
// role or organisation the token does not have, a form without its CSRF secret). Nothing in the
// register changes, but the attempt is kept in the audit log (action "write.denied") so that
// probing and misuse can be seen. Never holds the token itself.
struct Denial {
  std::string attempt;  // what was tried: "POST /api/v1/records", "POST /regulator/reviews"
  int status = 0;       // the answer: 401, 403
  std::string reason;   // its stable error code: "auth.invalid", "auth.organisation", "csrf"
  std::string address;  // the client's address, as the server saw it
};

struct RecordFilter {
  std::optional<std::string> organisation;
  std::optional<std::string> organisation_type;
  std::optional<std::string> mission_area;
  std::optional<std::string> phase;
  std::optional<std::string> tool_type;
  std::optional<int> impact_level;
  std::optional<Compliance> compliance;
  std::size_t limit = 100;
  std::size_t offset = 0;
};

struct SearchQuery {
  // A full-text query: words and "double-quoted phrases", every one of which must match
  // (web/search_query.h writes this form), ignoring case and diacritics. That is the portable
  // language; a backend may accept more of its own (SQLite: FTS5 MATCH syntax). An unbalanced
  // quote is a "search.query" Problem on every backend.
  std::string match;
  std::size_t limit = 20;
  // Marks around matched terms in snippets. Control characters by default so that a web page
  // can HTML-escape the snippet first and then turn the marks into <mark> elements.
  std::string open_mark = "\x02";
  std::string close_mark = "\x03";
};

struct SearchHit {
  std::string organisation;
  std::string record_id;
  std::string title;
  double rank = 0;  // lower is better; comparable only within one result
  std::string snippet;
};

// What the public register lets people narrow a list of records by. Each facet is a column of
// the current record; impact_level's values are "1".."4" (or "" when not stated), compliance's
// are to_string(Compliance).
enum class Facet {
  organisation,
  organisation_type,
  mission_area,
  phase,
  tool_type,
  impact_level,
  compliance
};
inline constexpr Facet k_all_facets[] = {
    Facet::organisation, Facet::organisation_type, Facet::mission_area, Facet::phase,
    Facet::tool_type,    Facet::impact_level,      Facet::compliance};
// "organisation", "organisation_type", ... (also the web form's field names).
std::string_view to_string(Facet facet);

// One facet restricted to some values: a record matches if its value is any of them.
struct FacetFilter {
  Facet facet = Facet::organisation;
  std::vector<std::string> values;  // empty: no restriction
};

enum class RecordSort { relevance, updated, title };

// A browse or search over current records: an optional full-text query, combined (AND) with
// facet filters (AND across facets, OR within one), sorted and paged.
struct RecordSearch {
  std::string match;  // FTS query (see SearchQuery); empty: every record the filters allow
  std::vector<FacetFilter> filters;
  // relevance needs a match; without one it sorts as title. Ties break by organisation, id.
  RecordSort sort = RecordSort::relevance;
  std::size_t limit = 20;
  std::size_t offset = 0;
  // Also compute `facets`. Without a full-text match, a count that no filter applies to (all of
  // them, and `total`, when nothing is filtered) comes from counts the store keeps as records are
  // written, and any other from a grouped query over what its filters select; with a match,
  // every count groups the matching records.
  bool count_facets = true;
  std::string open_mark = "\x02";
  std::string close_mark = "\x03";
};

struct FacetValueCount {
  std::string value;
  std::string label;  // for organisation, its name; otherwise the value itself
  std::uint64_t count = 0;
  friend bool operator==(const FacetValueCount&, const FacetValueCount&) = default;
};

// How many matching records have each value of a facet. The counts for a facet apply every
// filter except that facet's own, so a person sees what ticking another box of it would add.
struct FacetCounts {
  Facet facet = Facet::organisation;
  std::vector<FacetValueCount> values;  // by value, ascending; only values with a count
  friend bool operator==(const FacetCounts&, const FacetCounts&) = default;
};

// Current records whose current version fails exactly `rules` (current_failing_rule_sets).
struct FailingRuleSet {
  std::vector<std::string> rules;
  std::uint64_t count = 0;
  friend bool operator==(const FailingRuleSet&, const FailingRuleSet&) = default;
};

struct RecordSearchHit {
  CurrentRecord record;
  std::string snippet;  // with marks; empty without a match
};

struct RecordSearchResult {
  std::uint64_t total = 0;  // matching records across all pages
  std::vector<RecordSearchHit> hits;
  std::vector<FacetCounts> facets;  // in k_all_facets order, when count_facets
};

// ---- Rows, for moving a whole register between stores --------------------------------------
//
// `candor register copy` moves a register from one backend to another (store_copy.h) through a
// backend-neutral row form: every table the register keeps, with the same columns in both
// backends, and each value as NULL, an integer, text or bytes. The schema_migrations table is not
// a register table (each store creates its own when it is opened).

enum class StoreTable {
  log_settings,
  organisations,
  tokens,
  bodies,
  sources,
  log_entries,
  tree_hashes,
  checkpoints,
  record_versions,
  findings,
  failing_rules,
  current_records,
  search_text,  // the search fields of each current record, keyed by its doc_id
  reviews,
  audit_log
};
// Every table, in an order that satisfies foreign keys: a row's references are in an earlier
// table (or, for reviews, earlier in record_versions and log_entries).
inline constexpr StoreTable k_store_tables[] = {
    StoreTable::log_settings, StoreTable::organisations, StoreTable::tokens,
    StoreTable::bodies,       StoreTable::sources,       StoreTable::log_entries,
    StoreTable::tree_hashes,  StoreTable::checkpoints,   StoreTable::record_versions,
    StoreTable::findings,     StoreTable::failing_rules, StoreTable::current_records,
    StoreTable::search_text,  StoreTable::reviews,       StoreTable::audit_log};

enum class ColumnType { integer, text, bytes };
struct StoreColumn {
  std::string_view name;
  ColumnType type = ColumnType::text;
  bool nullable = false;
};
struct StoreTableInfo {
  std::string_view name;  // the table's name in both backends
  std::span<const StoreColumn> columns;
  std::size_t key_columns = 1;  // the primary key is the first key_columns columns
};
const StoreTableInfo& table_info(StoreTable table);
inline std::string_view to_string(StoreTable table) {
  return table_info(table).name;
}

// Bytes as stored (a hash, a log entry), kept apart from text so each backend stores them in its
// binary type (SQLite BLOB, PostgreSQL bytea).
struct RowBytes {
  std::string data;
  friend bool operator==(const RowBytes&, const RowBytes&) = default;
};
// One column's value: std::monostate is NULL.
using RowValue = std::variant<std::monostate, std::int64_t, std::string, RowBytes>;
// One row: a value per column of its table, in table_info(table).columns order.
using StoreRow = std::vector<RowValue>;

// Whether `row` fits `table`: the right number of values, each of its column's type or NULL where
// the column allows it. Empty when it does, otherwise what is wrong.
std::string row_mismatch(StoreTable table, const StoreRow& row);

// ---- Writing ---------------------------------------------------------------------------------

class WriteTransaction {
 public:
  WriteTransaction() = default;
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  virtual ~WriteTransaction() = default;  // rolls back unless committed

  // Reads that see this transaction's own writes.
  virtual std::optional<LogSettings> log_settings() = 0;
  virtual std::optional<Organisation> organisation(std::string_view id) = 0;
  virtual std::optional<RecordVersion> latest_version(std::string_view organisation,
                                                      std::string_view record_id) = 0;
  virtual std::optional<RecordVersion> record_version(std::string_view organisation,
                                                      std::string_view record_id,
                                                      std::uint64_t version) = 0;
  virtual std::uint64_t log_size() = 0;
  virtual std::vector<Hash> read_hashes(std::span<const NodeId> nodes) = 0;
  virtual std::optional<StoredCheckpoint> latest_checkpoint() = 0;
  HashReader hash_reader();  // over read_hashes; valid while this transaction lives

  // Writes; each records one audit event by `actor`.
  // Fixes the log's identity; refused (std::logic_error) once set.
  virtual void init_log(std::string_view actor, const LogSettings& settings) = 0;
  virtual void put_organisation(std::string_view actor, const Organisation& organisation) = 0;
  virtual void put_token(std::string_view actor, const Token& token) = 0;
  virtual void revoke_token(std::string_view actor, const Hash& token_hash) = 0;
  // Stores the body and source (once per hash), the version row, its findings, replaces the
  // record's current row and search text, and appends `leaf` as log entry version.leaf_index,
  // which must be log_size() (std::logic_error otherwise). Tree hashes are not touched.
  virtual void add_version(std::string_view actor, const NewVersion& version) = 0;
  // Stores the review row with its note text and appends `entry` as log entry
  // review.leaf_index, which must be log_size(); the reviewed version must exist
  // (std::logic_error otherwise, as for a note without text). Tree hashes are not touched.
  virtual void add_review(std::string_view actor, const NewReview& review) = 0;
  // Records a refused write: an audit event only, nothing else changes.
  virtual void record_denial(std::string_view actor, const Denial& denial) = 0;
  // Stores hashes of complete subtrees (merkle.h hashes_to_store), all at once.
  virtual void put_tree_hashes(std::string_view actor, std::span<const StoredHash> hashes) = 0;
  // Checks the checkpoint against this transaction's tree and the log's key, then stores it.
  void put_checkpoint(std::string_view actor, const StoredCheckpoint& checkpoint);

  // Copying a register in (store_copy.h). Inserts `rows` into `table` exactly as given (no audit
  // event: the source's audit log is copied as rows too). Only into a register that is empty when
  // the first rows arrive, every table of it (std::logic_error otherwise, and for a row that does
  // not fit its table: row_mismatch). Tables must come in k_store_tables order, each table's rows
  // may come in several calls; a row that breaks a constraint (a duplicate key, a reference to a
  // row not copied) throws StoreError. The store's own derived state follows the rows: SQLite's
  // full-text index is filled from search_text, and PostgreSQL's tsvector is generated from it and
  // its doc_id identity continues after the highest doc_id copied.
  void import_rows(StoreTable table, std::span<const StoreRow> rows);
  // After the rows: one audit event (action "register.copy", subject `source`, the source's URL
  // without any password) that says where the register came from and how many rows were copied.
  // Its id is the next after the copied audit log's.
  virtual void record_copy(std::string_view actor, std::string_view source, std::uint64_t rows) = 0;

  // Makes everything durable and visible; the transaction is finished either way.
  virtual void commit() = 0;

 protected:
  virtual void store_checkpoint(std::string_view actor, const StoredCheckpoint& checkpoint) = 0;
  // Rows in `table` as this transaction sees them.
  virtual std::uint64_t count_rows(StoreTable table) = 0;
  // import_rows after its checks: insert rows that fit `table`.
  virtual void insert_rows(StoreTable table, std::span<const StoreRow> rows) = 0;

 private:
  std::optional<StoreTable> last_imported_;  // import_rows: the table of the last call, if any
};

// ---- The store -------------------------------------------------------------------------------

class Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store() = default;

  // The schema migration level of the underlying database (increases with each migration).
  virtual int schema_version() = 0;
  virtual std::optional<LogSettings> log_settings() = 0;

  virtual std::optional<Organisation> organisation(std::string_view id) = 0;
  virtual std::vector<Organisation> organisations() = 0;
  virtual std::optional<Token> token(const Hash& token_hash) = 0;

  // Every version of a record, oldest first.
  virtual std::vector<RecordVersion> versions(std::string_view organisation,
                                              std::string_view record_id) = 0;
  virtual std::optional<RecordVersion> version_at_leaf(std::uint64_t leaf_index) = 0;
  // Every review of any version of a record, oldest first (in log order).
  virtual std::vector<Review> reviews(std::string_view organisation,
                                      std::string_view record_id) = 0;
  virtual std::optional<Review> review_at_leaf(std::uint64_t leaf_index) = 0;
  virtual std::optional<std::string> body(const Hash& body_hash) = 0;      // canonical JSON
  virtual std::optional<std::string> source(const Hash& source_hash) = 0;  // YAML as submitted
  virtual std::optional<Findings> findings(std::string_view organisation,
                                           std::string_view record_id, std::uint64_t version) = 0;
  virtual std::optional<CurrentRecord> current_record(std::string_view organisation,
                                                      std::string_view record_id) = 0;
  // Ordered by organisation, then record id.
  virtual std::vector<CurrentRecord> current_records(const RecordFilter& filter) = 0;
  // Every current record matching `filter` (its limit and offset are ignored), in the same order,
  // fetched a page at a time so that no query holds the whole register.
  void for_each_current_record(RecordFilter filter,
                               const std::function<void(const CurrentRecord&)>& visit);
  // How many current records fail exactly each set of rules: `visit` is called once per
  // distinct set (rule ids sorted, each once), records failing none left out, in order of the
  // set. Read from counts the store keeps as records are written, so its cost depends on how
  // varied the failures are, not on how many records there are; but varied they are (about one
  // set for every three failing records, measured on generated records), so SQLite hands the
  // sets over one at a time rather than all together (PostgreSQL's client reads them at once).
  virtual void for_each_current_failing_rule_set(
      const std::function<void(const FailingRuleSet&)>& visit) = 0;
  // The same sets, collected.
  std::vector<FailingRuleSet> current_failing_rule_sets();
  // Current records matching a full-text query, best first. A query the engine cannot parse
  // gives a Problem coded "search.query" (for a 400 answer), not an exception.
  virtual Result<std::vector<SearchHit>> search(const SearchQuery& query) = 0;
  // Search or browse with filters, sorting, paging and facet counts. A match the engine cannot
  // parse gives a Problem coded "search.query", as search() does.
  virtual Result<RecordSearchResult> find_records(const RecordSearch& search) = 0;
  // The most recently logged versions (of one organisation's records, if given), newest first.
  virtual std::vector<RecordVersion> recent_versions(std::optional<std::string_view> organisation,
                                                     std::size_t limit) = 0;

  // ---- The log (what tiles, proofs and verifiers read) ----
  // Number of entries; equals latest_checkpoint()->size whenever no write is in progress.
  virtual std::uint64_t log_size() = 0;
  // Entries [begin, end), in order; throws std::out_of_range unless begin <= end <= log_size().
  virtual std::vector<std::string> log_entries(std::uint64_t begin, std::uint64_t end) = 0;
  // Stored tree hashes, in request order, in one query; throws StoreError if one is missing.
  virtual std::vector<Hash> read_hashes(std::span<const NodeId> nodes) = 0;
  HashReader hash_reader();  // over read_hashes; valid while this store lives
  virtual std::optional<StoredCheckpoint> latest_checkpoint() = 0;
  virtual std::optional<StoredCheckpoint> checkpoint(std::uint64_t size) = 0;
  // The first (smallest) checkpoint that covers leaf `leaf_index`, i.e. with size > leaf_index.
  // It never changes once it exists, so a proof against it can be cached forever.
  virtual std::optional<StoredCheckpoint> checkpoint_covering(std::uint64_t leaf_index) = 0;

  // Audit events with id > after_id, oldest first.
  virtual std::vector<AuditEvent> audit_events(std::uint64_t after_id, std::size_t limit) = 0;

  // ---- Whole tables (copying a register: store_copy.h) ----
  // Rows in `table`.
  virtual std::uint64_t row_count(StoreTable table) = 0;
  // Every row of every table: tables in k_store_tables order, each table's rows in key order,
  // all from one consistent snapshot (a write committed after it began is in none of them).
  // Rows are read from the database in batches, so the register is never held in memory at once;
  // visit(table, row) sees each row once, and may throw to stop.
  virtual void export_rows(const std::function<void(StoreTable, const StoreRow&)>& visit) = 0;

  // Blocks until no other write transaction is open, then starts one. A read-only store
  // (opened so: open_store.h) throws StoreError instead.
  virtual std::unique_ptr<WriteTransaction> begin_write() = 0;
  // Whether this store was opened for reading only: then nothing through it writes, not even
  // record_denial (a no-op), so that a node without write access to the database still serves.
  virtual bool read_only() const = 0;

  // Records a refused write in a transaction of its own (WriteTransaction::record_denial); does
  // nothing on a read-only store.
  void record_denial(std::string_view actor, const Denial& denial);
};

}  // namespace candor::registry
