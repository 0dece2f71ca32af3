#include "sqlite_store.h"

#include <sqlite3.h>

#include <Poco/Data/LOB.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>

#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#include "current_counts.h"
#include "facet_tally.h"
#include "sqlite_schema.h"

namespace candor::registry {

namespace {

using Poco::Int64;
using Poco::Data::BLOB;
using Poco::Data::Session;
using Poco::Data::Statement;
using namespace Poco::Data::Keywords;

// ---- Conversions -----------------------------------------------------------------------------

BLOB blob_of(const Hash& h) {
  return BLOB(h.data(), h.size());
}
std::string string_of(const BLOB& b) {
  return std::string(reinterpret_cast<const char*>(b.rawContent()), b.size());
}
Hash hash_of(const BLOB& b) {
  auto h = hash_from_bytes({b.rawContent(), b.size()});
  if (!h) throw StoreError("stored hash is not 32 bytes");
  return *h;
}
Int64 i64(std::uint64_t v) {
  if (v > static_cast<std::uint64_t>(INT64_MAX)) throw std::out_of_range("value beyond int64");
  return static_cast<Int64>(v);
}
std::uint64_t u64(Int64 v) {
  if (v < 0) throw StoreError("negative value where a count was stored");
  return static_cast<std::uint64_t>(v);
}

LeafAction action_of(const std::string& s) {
  auto a = parse_leaf_action(s);
  if (!a) throw StoreError("stored action \"" + s + "\" is unknown");
  return *a;
}
Compliance compliance_from(const std::string& s) {
  for (Compliance c :
       {Compliance::not_assessed, Compliance::failing, Compliance::warnings, Compliance::passing}) {
    if (to_string(c) == s) return c;
  }
  throw StoreError("stored compliance \"" + s + "\" is unknown");
}

// Runs `f`, turning Poco's exceptions into StoreError (std::logic_error and StoreError pass).
template <class F>
auto guarded(const char* what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Poco::Exception& e) {
    throw StoreError(std::string(what) + ": " + e.displayText());
  }
}

void exec(Session& s, const std::string& sql) {
  s << sql, now;
}

// The same for the writer's BEGIN and COMMIT, on the connection itself: Poco::Data would compile
// the statement again at every call.
void raw_exec(Session& s, const char* sql) {
  sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(s);
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    throw StoreError(std::string(sql) + ": " + sqlite3_errmsg(db));
  }
}

// ---- Queries shared by the store's readers and the write transaction ------------------------

namespace q {

std::optional<LogSettings> log_settings(Session& s) {
  std::vector<std::string> origin, vkey, path;
  s << "SELECT origin, verifier_key, signer_key_path FROM log_settings", into(origin), into(vkey),
      into(path), now;
  if (origin.empty()) return std::nullopt;
  return LogSettings{origin[0], vkey[0], path[0]};
}

std::vector<Organisation> organisations(Session& s, std::optional<std::string_view> id) {
  std::vector<std::string> ids, names, types;
  if (id) {
    s << "SELECT id, name, type FROM organisations WHERE id = ?", into(ids), into(names),
        into(types), bind(std::string(*id)), now;
  } else {
    s << "SELECT id, name, type FROM organisations ORDER BY id", into(ids), into(names),
        into(types), now;
  }
  std::vector<Organisation> out;
  for (std::size_t i = 0; i < ids.size(); ++i) out.push_back({ids[i], names[i], types[i]});
  return out;
}

// Record versions matching `where` (an SQL condition over record_versions) with one binding.
struct VersionRows {
  std::vector<std::string> organisation, record_id, action, accepted_at, submitter;
  std::vector<Int64> version, leaf_index;
  std::vector<BLOB> body_hash, source_hash;

  static constexpr const char* kColumns =
      "SELECT organisation, record_id, version, leaf_index, body_hash, source_hash, action, "
      "accepted_at, submitter FROM record_versions ";

  void into_statement(Statement& st) {
    st, into(organisation), into(record_id), into(version), into(leaf_index), into(body_hash),
        into(source_hash), into(action), into(accepted_at), into(submitter);
  }
  std::vector<RecordVersion> rows() const {
    std::vector<RecordVersion> out;
    for (std::size_t i = 0; i < organisation.size(); ++i) {
      out.push_back(RecordVersion{
          organisation[i], record_id[i], u64(version[i]), u64(leaf_index[i]), hash_of(body_hash[i]),
          hash_of(source_hash[i]), action_of(action[i]), accepted_at[i], submitter[i]});
    }
    return out;
  }
};

std::vector<RecordVersion> versions(Session& s, std::string_view org, std::string_view id,
                                    bool latest_only) {
  VersionRows r;
  Statement st(s);
  st << std::string(VersionRows::kColumns) +
            "WHERE organisation = ? AND record_id = ? ORDER BY version " +
            (latest_only ? "DESC LIMIT 1" : "ASC");
  st, bind(std::string(org)), bind(std::string(id));
  r.into_statement(st);
  st.execute();
  return r.rows();
}

std::optional<RecordVersion> version_at_leaf(Session& s, std::uint64_t leaf_index) {
  VersionRows r;
  Statement st(s);
  st << std::string(VersionRows::kColumns) + "WHERE leaf_index = ?", bind(i64(leaf_index));
  r.into_statement(st);
  st.execute();
  auto rows = r.rows();
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

// Reviews matching `where` (an SQL condition over reviews, with the bindings `bind_to` adds).
std::vector<Review> reviews(Session& s, const std::string& where,
                            const std::function<void(Statement&)>& bind_to) {
  std::vector<Int64> leaf, version, reviewed_leaf;
  std::vector<std::string> organisation, record_id, reviewer, label, accepted_at;
  std::vector<BLOB> note_hash;
  std::vector<Poco::Nullable<std::string>> note;
  Statement st(s);
  st << "SELECT leaf_index, organisation, record_id, version, reviewed_leaf, reviewer, "
        "reviewer_label, note_hash, note, accepted_at FROM reviews " +
            where;
  bind_to(st);
  st, into(leaf), into(organisation), into(record_id), into(version), into(reviewed_leaf),
      into(reviewer), into(label), into(note_hash), into(note), into(accepted_at);
  st.execute();
  std::vector<Review> out;
  for (std::size_t i = 0; i < leaf.size(); ++i) {
    Review r{u64(leaf[i]),          organisation[i], record_id[i], u64(version[i]),
             u64(reviewed_leaf[i]), reviewer[i],     label[i],     hash_of(note_hash[i]),
             std::nullopt,          accepted_at[i]};
    if (!note[i].isNull()) r.note = note[i].value();
    out.push_back(std::move(r));
  }
  return out;
}

std::uint64_t log_size(Session& s) {
  Int64 n = 0;
  s << "SELECT coalesce(max(leaf_index) + 1, 0) FROM log_entries", into(n), now;
  return u64(n);
}

std::vector<Hash> read_hashes(Session& s, std::span<const NodeId> nodes) {
  std::vector<Hash> out(nodes.size());
  // One statement per chunk, the node list inlined as integer literals: the SQL text holds only
  // numbers we formatted ourselves, so there is nothing to inject, and one query answers a
  // whole proof. Chunks keep each statement a reasonable size.
  constexpr std::size_t kChunk = 512;
  for (std::size_t first = 0; first < nodes.size(); first += kChunk) {
    const std::size_t last = std::min(nodes.size(), first + kChunk);
    std::string sql = "WITH want (pos, level, idx) AS (VALUES ";
    for (std::size_t i = first; i < last; ++i) {
      if (nodes[i].level >= 64 || nodes[i].index > static_cast<std::uint64_t>(INT64_MAX)) {
        throw StoreError("no stored hash for node beyond the tree's range");
      }
      if (i != first) sql += ',';
      sql += '(' + std::to_string(i) + ',' + std::to_string(nodes[i].level) + ',' +
             std::to_string(nodes[i].index) + ')';
    }
    sql +=
        ") SELECT want.pos, tree_hashes.hash FROM want JOIN tree_hashes "
        "ON tree_hashes.level = want.level AND tree_hashes.idx = want.idx";
    std::vector<Int64> pos;
    std::vector<BLOB> hashes;
    s << sql, into(pos), into(hashes), now;
    if (pos.size() != last - first) {
      throw StoreError("the store is missing " + std::to_string(last - first - pos.size()) +
                       " tree hash(es) that its log size requires");
    }
    for (std::size_t i = 0; i < pos.size(); ++i) {
      out[static_cast<std::size_t>(pos[i])] = hash_of(hashes[i]);
    }
  }
  return out;
}

std::optional<StoredCheckpoint> checkpoint(Session& s, std::optional<std::uint64_t> size) {
  std::vector<Int64> sizes;
  std::vector<BLOB> roots;
  std::vector<std::string> notes;
  if (size) {
    s << "SELECT size, root, note FROM checkpoints WHERE size = ?", into(sizes), into(roots),
        into(notes), bind(i64(*size)), now;
  } else {
    s << "SELECT size, root, note FROM checkpoints ORDER BY size DESC LIMIT 1", into(sizes),
        into(roots), into(notes), now;
  }
  if (sizes.empty()) return std::nullopt;
  return StoredCheckpoint{u64(sizes[0]), hash_of(roots[0]), notes[0]};
}

}  // namespace q

// ---- Statements compiled once per writer connection --------------------------------------------

// The write path runs the same dozen statements for every version, and for SQLite, parsing and
// planning a statement costs about as much as running a small insert. Poco::Data re-prepares a
// Statement at every execute() (profiled: sqlite3_prepare and sqlite3_finalize per call), so the
// writer keeps these few hot statements compiled itself, as sqlite3 prepared statements on the
// connection Poco opened and configured. Everything else goes through Poco::Data.
struct Blob {
  const void* data;
  std::size_t size;
};
Blob blob_arg(const Hash& h) {
  return {h.data(), h.size()};
}
Blob blob_arg(std::string_view bytes) {
  return {bytes.data(), bytes.size()};
}

// A text column of the current row, valid until the statement steps again; empty for NULL.
std::string_view column_view(sqlite3_stmt* st, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, column));
  return text == nullptr
             ? std::string_view{}
             : std::string_view(text, static_cast<std::size_t>(sqlite3_column_bytes(st, column)));
}
std::string text_column(sqlite3_stmt* st, int column) {
  return std::string(column_view(st, column));
}
Hash hash_column(sqlite3_stmt* st, int column) {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, column));
  auto h = hash_from_bytes({data, static_cast<std::size_t>(sqlite3_column_bytes(st, column))});
  if (!data || !h) throw StoreError("stored hash is not 32 bytes");
  return *h;
}

class CachedStatement {
 public:
  CachedStatement(Session& s, std::string_view sql)
      : db_(Poco::Data::SQLite::Utility::dbHandle(s)) {
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &statement_, nullptr) != SQLITE_OK) {
      throw StoreError(std::string("prepare: ") + sqlite3_errmsg(db_));
    }
  }
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;
  ~CachedStatement() { sqlite3_finalize(statement_); }

  // Binds the arguments to ?1, ?2... in order, runs the statement to completion, and resets it
  // (so it never holds a read or write cursor open between calls). Arguments: Int64, text
  // (std::string_view), Blob, std::optional<int> (NULL when empty).
  template <class... Args>
  void operator()(const Args&... args) {
    run([](sqlite3_stmt*) {}, args...);
  }

  // The same for a query: calls read(statement) on its first row, if there is one, and says
  // whether there was.
  template <class Read, class... Args>
  bool first_row(Read&& read, const Args&... args) {
    return run(std::forward<Read>(read), args...);
  }

 private:
  template <class Read, class... Args>
  bool run(Read&& read, const Args&... args) {
    if (sqlite3_bind_parameter_count(statement_) != static_cast<int>(sizeof...(Args))) {
      throw std::logic_error("CachedStatement: wrong number of parameters");
    }
    int pos = 0;
    int rc = SQLITE_OK;
    ((rc = rc == SQLITE_OK ? bind(++pos, args) : rc), ...);
    if (rc == SQLITE_OK) rc = sqlite3_step(statement_);
    const bool row = rc == SQLITE_ROW;
    const bool ok = row || rc == SQLITE_DONE;
    const std::string error = ok ? std::string() : sqlite3_errmsg(db_);
    if (row) {
      try {
        read(statement_);
      } catch (...) {
        sqlite3_reset(statement_);
        sqlite3_clear_bindings(statement_);
        throw;
      }
    }
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    if (!ok) throw StoreError(error);
    return row;
  }

  // SQLITE_STATIC: the arguments outlive the step, and the statement is reset before returning.
  int bind(int pos, Int64 v) { return sqlite3_bind_int64(statement_, pos, v); }
  int bind(int pos, std::string_view v) {
    // A null data pointer would bind SQL NULL; an empty text is still text.
    const char* data = v.data() != nullptr ? v.data() : "";
    return sqlite3_bind_text64(statement_, pos, data, v.size(), SQLITE_STATIC, SQLITE_UTF8);
  }
  int bind(int pos, Blob v) {
    return sqlite3_bind_blob64(statement_, pos, v.data, v.size, SQLITE_STATIC);
  }
  int bind(int pos, const std::optional<int>& v) {
    return v ? sqlite3_bind_int64(statement_, pos, *v) : sqlite3_bind_null(statement_, pos);
  }

  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};

}  // namespace

class WriterCache {
 public:
  explicit WriterCache(Session& s) : s_(s) {}
  // The statement for `sql` (a string literal: it is the key), compiled on first use.
  CachedStatement& get(std::string_view sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      it = statements_.emplace(sql, std::make_unique<CachedStatement>(s_, sql)).first;
    }
    return *it->second;
  }
  // After a failed transaction, start afresh (statements are reset after every call anyway).
  void clear() { statements_.clear(); }

 private:
  Session& s_;
  std::unordered_map<std::string_view, std::unique_ptr<CachedStatement>> statements_;
};

namespace {

// ---- Whole tables (export_rows, import_rows) -------------------------------------------------

// A table's column as SQL: the FTS5 search table keys its rows by rowid (= the doc_id of the
// current record), which is not a declared column.
std::string column_sql(StoreTable table, const StoreColumn& column) {
  if (table == StoreTable::search_text && column.name == "doc_id") return "rowid";
  return std::string(column.name);
}

std::string column_list(StoreTable table) {
  std::string out;
  for (const StoreColumn& c : table_info(table).columns) {
    if (!out.empty()) out += ", ";
    out += column_sql(table, c);
  }
  return out;
}

// A statement on a raw connection, finalized at scope exit (also when a visitor throws).
class RawStatement {
 public:
  RawStatement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st_, nullptr) != SQLITE_OK) {
      throw StoreError(sql + ": " + sqlite3_errmsg(db));
    }
  }
  RawStatement(const RawStatement&) = delete;
  RawStatement& operator=(const RawStatement&) = delete;
  ~RawStatement() { sqlite3_finalize(st_); }
  sqlite3_stmt* get() const { return st_; }
  sqlite3* db() const { return db_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

// Column i of the current row as `column` says it is stored. A value of another storage class
// (SQLite's typing would allow one) is an error rather than a silent conversion: the copy must
// be exact.
RowValue read_value(sqlite3_stmt* st, int i, StoreTable table, const StoreColumn& column) {
  const int stored = sqlite3_column_type(st, i);
  if (stored == SQLITE_NULL && column.nullable) return std::monostate{};
  const int expected = column.type == ColumnType::integer ? SQLITE_INTEGER
                       : column.type == ColumnType::text  ? SQLITE_TEXT
                                                          : SQLITE_BLOB;
  if (stored != expected) {
    throw StoreError("export: " + std::string(to_string(table)) + "." + std::string(column.name) +
                     " holds a value of SQLite type " + std::to_string(stored) + ", not " +
                     std::to_string(expected));
  }
  const auto bytes = [&](const void* data) {
    const int n = sqlite3_column_bytes(st, i);
    return n == 0 ? std::string() : std::string(static_cast<const char*>(data), n);
  };
  switch (column.type) {
    case ColumnType::integer:
      return static_cast<std::int64_t>(sqlite3_column_int64(st, i));
    case ColumnType::text:
      return bytes(sqlite3_column_text(st, i));
    case ColumnType::bytes:
      return RowBytes{bytes(sqlite3_column_blob(st, i))};
  }
  throw std::logic_error("unknown column type");
}

// Binds value i (1-based in SQLite) without copying: the row outlives the step.
void bind_value(sqlite3_stmt* st, int i, const RowValue& value) {
  int rc = SQLITE_OK;
  if (std::holds_alternative<std::monostate>(value)) {
    rc = sqlite3_bind_null(st, i);
  } else if (const auto* n = std::get_if<std::int64_t>(&value)) {
    rc = sqlite3_bind_int64(st, i, *n);
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    rc = sqlite3_bind_text64(st, i, text->data(), text->size(), SQLITE_STATIC, SQLITE_UTF8);
  } else {
    const std::string& data = std::get<RowBytes>(value).data;
    // An empty blob bound from a null pointer would be NULL.
    rc = data.empty() ? sqlite3_bind_zeroblob(st, i, 0)
                      : sqlite3_bind_blob64(st, i, data.data(), data.size(), SQLITE_STATIC);
  }
  if (rc != SQLITE_OK) throw StoreError("import: cannot bind a value");
}

std::uint64_t count_table(sqlite3* db, StoreTable table) {
  RawStatement count(db, "SELECT count(*) FROM " + std::string(to_string(table)));
  if (sqlite3_step(count.get()) != SQLITE_ROW) {
    throw StoreError("count " + std::string(to_string(table)) + ": " + sqlite3_errmsg(db));
  }
  return u64(sqlite3_column_int64(count.get(), 0));
}

// ---- The write transaction -------------------------------------------------------------------

class SqliteWriteTransaction final : public WriteTransaction {
 public:
  SqliteWriteTransaction(std::unique_lock<std::mutex> lock, Session& session, WriterCache& cache)
      : lock_(std::move(lock)), s_(session), cache_(cache) {}

  ~SqliteWriteTransaction() override {
    if (finished_) return;
    cache_.clear();
    try {
      exec(s_, "ROLLBACK");
    } catch (...) {
      // SQLite may already have rolled back after an I/O error; begin_write checks again.
    }
  }

  // put_checkpoint reads these once per batch: the writer's compiled statements answer them.
  std::optional<LogSettings> log_settings() override {
    LogSettings settings;
    const bool found =
        cache_.get("SELECT origin, verifier_key, signer_key_path FROM log_settings")
            .first_row([&](sqlite3_stmt* st) {
              settings = LogSettings{text_column(st, 0), text_column(st, 1), text_column(st, 2)};
            });
    if (!found) return std::nullopt;
    return settings;
  }
  // These two run for every submission, so they use the writer's compiled statements.
  std::optional<Organisation> organisation(std::string_view id) override {
    Organisation o;
    const bool found =
        cache_.get("SELECT id, name, type FROM organisations WHERE id = ?")
            .first_row(
                [&](sqlite3_stmt* st) {
                  o = Organisation{text_column(st, 0), text_column(st, 1), text_column(st, 2)};
                },
                id);
    if (!found) return std::nullopt;
    return o;
  }
  std::optional<RecordVersion> latest_version(std::string_view organisation,
                                              std::string_view record_id) override {
    RecordVersion v;
    const bool found =
        cache_
            .get(
                "SELECT organisation, record_id, version, leaf_index, body_hash, source_hash, "
                "action, accepted_at, submitter FROM record_versions "
                "WHERE organisation = ? AND record_id = ? ORDER BY version DESC LIMIT 1")
            .first_row(
                [&](sqlite3_stmt* st) {
                  v = RecordVersion{text_column(st, 0),
                                    text_column(st, 1),
                                    u64(sqlite3_column_int64(st, 2)),
                                    u64(sqlite3_column_int64(st, 3)),
                                    hash_column(st, 4),
                                    hash_column(st, 5),
                                    action_of(text_column(st, 6)),
                                    text_column(st, 7),
                                    text_column(st, 8)};
                },
                organisation, record_id);
    if (!found) return std::nullopt;
    return v;
  }
  std::optional<RecordVersion> record_version(std::string_view organisation,
                                              std::string_view record_id,
                                              std::uint64_t version) override {
    return guarded("record version", [&]() -> std::optional<RecordVersion> {
      q::VersionRows r;
      Statement st(s_);
      st << std::string(q::VersionRows::kColumns) +
                "WHERE organisation = ? AND record_id = ? AND version = ?",
          bind(std::string(organisation)), bind(std::string(record_id)), bind(i64(version));
      r.into_statement(st);
      st.execute();
      auto rows = r.rows();
      if (rows.empty()) return std::nullopt;
      return rows.front();
    });
  }
  std::uint64_t log_size() override {
    if (!size_) {
      Int64 n = 0;
      cache_.get("SELECT coalesce(max(leaf_index) + 1, 0) FROM log_entries")
          .first_row([&](sqlite3_stmt* st) { n = sqlite3_column_int64(st, 0); });
      size_ = u64(n);
    }
    return *size_;
  }
  // A root or a proof needs at most a few dozen nodes: one lookup each by primary key through a
  // compiled statement costs less than compiling one statement that asks for all of them.
  std::vector<Hash> read_hashes(std::span<const NodeId> nodes) override {
    std::vector<Hash> out(nodes.size());
    CachedStatement& lookup =
        cache_.get("SELECT hash FROM tree_hashes WHERE level = ? AND idx = ?");
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i].level >= 64 || nodes[i].index > static_cast<std::uint64_t>(INT64_MAX)) {
        throw StoreError("no stored hash for node beyond the tree's range");
      }
      const bool found = lookup.first_row([&](sqlite3_stmt* st) { out[i] = hash_column(st, 0); },
                                          i64(nodes[i].level), i64(nodes[i].index));
      if (!found) {
        throw StoreError("the store is missing a tree hash (level " +
                         std::to_string(nodes[i].level) + ", index " +
                         std::to_string(nodes[i].index) + ") that its log size requires");
      }
    }
    return out;
  }
  std::optional<StoredCheckpoint> latest_checkpoint() override {
    return guarded("checkpoint", [&] { return q::checkpoint(s_, std::nullopt); });
  }

  void init_log(std::string_view actor, const LogSettings& settings) override {
    require_open();
    if (log_settings()) throw std::logic_error("the log is already initialised");
    guarded("init log", [&] {
      s_ << "INSERT INTO log_settings (singleton, origin, verifier_key, signer_key_path) "
            "VALUES (1, ?, ?, ?)",
          bind(settings.origin), bind(settings.verifier_key), bind(settings.signer_key_path), now;
      audit(actor, "log.init", settings.origin,
            {{"origin", settings.origin}, {"verifier_key", settings.verifier_key}});
    });
  }

  void put_organisation(std::string_view actor, const Organisation& o) override {
    require_open();
    guarded("put organisation", [&] {
      s_ << "INSERT INTO organisations (id, name, type) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type",
          bind(o.id), bind(o.name), bind(o.type), now;
      audit(actor, "organisation.put", o.id, {{"name", o.name}, {"type", o.type}});
    });
  }

  void put_token(std::string_view actor, const Token& t) override {
    require_open();
    guarded("put token", [&] {
      s_ << "INSERT INTO tokens (hash, organisation, role, label, revoked) VALUES (?, ?, ?, ?, ?)",
          bind(blob_of(t.hash)), bind(t.organisation), bind(std::string(to_string(t.role))),
          bind(t.label), bind(t.revoked ? 1 : 0), now;
      // The audit names the token by the start of its hash: enough to tell tokens apart, and
      // the hash of a random secret reveals nothing of it.
      audit(actor, "token.put", t.organisation + "/" + t.label,
            {{"token", to_hex(t.hash).substr(0, 16)}, {"role", to_string(t.role)}});
    });
  }

  void revoke_token(std::string_view actor, const Hash& token_hash) override {
    require_open();
    guarded("revoke token", [&] {
      std::vector<std::string> orgs, labels;
      s_ << "SELECT organisation, label FROM tokens WHERE hash = ?", into(orgs), into(labels),
          bind(blob_of(token_hash)), now;
      if (orgs.empty()) throw std::logic_error("revoke: no such token");
      s_ << "UPDATE tokens SET revoked = 1 WHERE hash = ?", bind(blob_of(token_hash)), now;
      audit(actor, "token.revoke", orgs[0] + "/" + labels[0],
            {{"token", to_hex(token_hash).substr(0, 16)}});
    });
  }

  void record_denial(std::string_view actor, const Denial& d) override {
    require_open();
    guarded("record denial", [&] {
      audit(actor, "write.denied", d.attempt,
            {{"status", d.status}, {"reason", d.reason}, {"address", d.address}});
    });
  }

  void add_version(std::string_view actor, const NewVersion& nv) override {
    require_open();
    const RecordVersion& v = nv.version;
    if (v.leaf_index != log_size()) {
      throw std::logic_error("add_version: leaf index " + std::to_string(v.leaf_index) +
                             " is not the next entry " + std::to_string(log_size()));
    }
    if (nv.leaf.size() > kMaxLeafBytes) throw std::logic_error("add_version: leaf too large");
    guarded("add version", [&] {
      cache_.get("INSERT INTO log_entries (leaf_index, entry) VALUES (?, ?)")(i64(v.leaf_index),
                                                                              blob_arg(nv.leaf));
      cache_.get("INSERT OR IGNORE INTO bodies (hash, canonical_json) VALUES (?, ?)")(
          blob_arg(v.body_hash), nv.canonical_json);
      cache_.get("INSERT OR IGNORE INTO sources (hash, yaml) VALUES (?, ?)")(
          blob_arg(v.source_hash), nv.source_yaml);
      cache_.get(
          "INSERT INTO record_versions (organisation, record_id, version, leaf_index, "
          "body_hash, source_hash, action, accepted_at, submitter) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")(
          v.organisation, v.record_id, i64(v.version), i64(v.leaf_index), blob_arg(v.body_hash),
          blob_arg(v.source_hash), to_string(v.action), v.accepted_at, v.submitter);
      const Findings& f = nv.findings;
      cache_.get(
          "INSERT INTO findings (organisation, record_id, version, evaluated, json, "
          "errors, warnings, infos) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")(
          v.organisation, v.record_id, i64(v.version), Int64{f.evaluated ? 1 : 0}, f.json,
          Int64{f.counts.error}, Int64{f.counts.warning}, Int64{f.counts.info});
      for (const std::string& rule : f.failing_rules) {
        cache_.get(
            "INSERT OR IGNORE INTO failing_rules (organisation, record_id, version, rule_id) "
            "VALUES (?, ?, ?, ?)")(v.organisation, v.record_id, i64(v.version), rule);
      }
      put_current(nv.current, nv.search);
      audit(actor, "version.add",
            v.organisation + "/" + v.record_id + " v" + std::to_string(v.version),
            {{"leaf_index", v.leaf_index},
             {"action", to_string(v.action)},
             {"body", to_hex(v.body_hash)},
             {"submitter", v.submitter}});
    });
    *size_ += 1;
  }

  void add_review(std::string_view actor, const NewReview& nr) override {
    require_open();
    const Review& r = nr.review;
    if (r.leaf_index != log_size()) {
      throw std::logic_error("add_review: leaf index " + std::to_string(r.leaf_index) +
                             " is not the next entry " + std::to_string(log_size()));
    }
    if (nr.entry.size() > kMaxLeafBytes) throw std::logic_error("add_review: entry too large");
    if (!r.note) throw std::logic_error("add_review: a review needs its note text");
    const auto reviewed = record_version(r.organisation, r.record_id, r.version);
    if (!reviewed || reviewed->leaf_index != r.reviewed_leaf) {
      throw std::logic_error("add_review: no such version " + r.organisation + "/" + r.record_id +
                             " v" + std::to_string(r.version) + " at leaf " +
                             std::to_string(r.reviewed_leaf));
    }
    guarded("add review", [&] {
      cache_.get("INSERT INTO log_entries (leaf_index, entry) VALUES (?, ?)")(i64(r.leaf_index),
                                                                              blob_arg(nr.entry));
      cache_.get(
          "INSERT INTO reviews (leaf_index, organisation, record_id, version, reviewed_leaf, "
          "reviewer, reviewer_label, note_hash, note, accepted_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")(i64(r.leaf_index), r.organisation, r.record_id,
                                                   i64(r.version), i64(r.reviewed_leaf), r.reviewer,
                                                   r.reviewer_label, blob_arg(r.note_hash),
                                                   std::string_view(*r.note), r.accepted_at);
      audit(actor, "review.add",
            r.organisation + "/" + r.record_id + " v" + std::to_string(r.version),
            {{"leaf_index", r.leaf_index},
             {"reviewed_leaf", r.reviewed_leaf},
             {"reviewer", r.reviewer},
             {"note", to_hex(r.note_hash)}});
    });
    *size_ += 1;
  }

  void put_tree_hashes(std::string_view actor, std::span<const StoredHash> hashes) override {
    require_open();
    if (hashes.empty()) return;
    guarded("put tree hashes", [&] {
      CachedStatement& insert =
          cache_.get("INSERT INTO tree_hashes (level, idx, hash) VALUES (?, ?, ?)");
      for (const StoredHash& h : hashes)
        insert(i64(h.node.level), i64(h.node.index), blob_arg(h.hash));
      audit(actor, "tree.extend", std::to_string(hashes.size()) + " hashes",
            {{"hashes", hashes.size()}});
    });
  }

  void commit() override {
    require_open();
    try {
      write_search_text();
    } catch (...) {
      finished_ = true;
      cache_.clear();
      try {
        exec(s_, "ROLLBACK");
      } catch (...) {
        // begin_write checks again.
      }
      throw;
    }
    finished_ = true;  // whatever COMMIT does, this transaction is over
    raw_exec(s_, "COMMIT");
  }

 protected:
  void store_checkpoint(std::string_view actor, const StoredCheckpoint& c) override {
    require_open();
    guarded("put checkpoint", [&] {
      cache_.get("INSERT INTO checkpoints (size, root, note) VALUES (?, ?, ?)")(
          i64(c.size), blob_arg(c.root), std::string_view(c.note));
      audit(actor, "checkpoint.put", "size " + std::to_string(c.size),
            {{"size", c.size}, {"root", to_hex(c.root)}});
    });
  }

  std::uint64_t count_rows(StoreTable table) override {
    return count_table(Poco::Data::SQLite::Utility::dbHandle(s_), table);
  }

  // One compiled statement for the whole batch, every value bound in place.
  void insert_rows(StoreTable table, std::span<const StoreRow> rows) override {
    require_open();
    const StoreTableInfo& info = table_info(table);
    std::string placeholders;
    for (std::size_t i = 0; i < info.columns.size(); ++i) placeholders += i == 0 ? "?" : ", ?";
    RawStatement insert(Poco::Data::SQLite::Utility::dbHandle(s_),
                        "INSERT INTO " + std::string(info.name) + " (" + column_list(table) +
                            ") VALUES (" + placeholders + ")");
    for (const StoreRow& row : rows) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        bind_value(insert.get(), static_cast<int>(i + 1), row[i]);
      }
      if (sqlite3_step(insert.get()) != SQLITE_DONE) {
        throw StoreError("import into " + std::string(info.name) + ": " +
                         sqlite3_errmsg(insert.db()));
      }
      sqlite3_reset(insert.get());
      sqlite3_clear_bindings(insert.get());
    }
    if (table == StoreTable::log_entries) size_.reset();
  }

 public:
  void record_copy(std::string_view actor, std::string_view source, std::uint64_t rows) override {
    require_open();
    guarded("record copy", [&] {
      audit(actor, "register.copy", std::string(source), {{"from", source}, {"rows", rows}});
    });
  }

 private:
  void require_open() const {
    if (finished_) throw std::logic_error("write transaction already committed");
  }

  void put_current(const CurrentRecord& c, const SearchText& t) {
    cache_.get(
        "INSERT INTO current_records (organisation, record_id, version, leaf_index, "
        "title, organisation_name, organisation_type, mission_area, phase, tool_type, "
        "impact_level, compliance, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (organisation, record_id) DO UPDATE SET version = excluded.version, "
        "leaf_index = excluded.leaf_index, title = excluded.title, "
        "organisation_name = excluded.organisation_name, "
        "organisation_type = excluded.organisation_type, "
        "mission_area = excluded.mission_area, phase = excluded.phase, "
        "tool_type = excluded.tool_type, impact_level = excluded.impact_level, "
        "compliance = excluded.compliance, updated_at = excluded.updated_at")(
        c.organisation, c.record_id, i64(c.version), i64(c.leaf_index), c.title,
        c.organisation_name, c.facets.organisation_type, c.facets.mission_area, c.facets.phase,
        c.facets.tool_type, c.facets.impact_level, to_string(c.compliance), c.updated_at);
    // The search row is written at commit (write_search_text), after every other statement:
    // the last text given for a record wins.
    search_[{c.organisation, c.record_id}] = t;
  }

  // Replaces the search rows of the records this transaction changed. FTS5 keeps the terms it
  // is given in memory until the next statement that opens a savepoint, and then writes them out
  // as a new index segment that later merges must rewrite. Written per version, between the
  // other inserts, that is a segment per version (profiled: a third of the sequencer's time);
  // written together at the end, the whole transaction makes one.
  void write_search_text() {
    if (search_.empty()) return;
    guarded("search text", [&] {
      for (const auto& [key, t] : search_) {
        // The search row shares the current row's doc_id: replace it in place.
        cache_.get(
            "DELETE FROM search_text WHERE rowid = (SELECT doc_id FROM current_records "
            "WHERE organisation = ? AND record_id = ?)")(key.first, key.second);
        cache_.get(
            "INSERT INTO search_text (rowid, title, organisation_name, summary, body) "
            "VALUES ((SELECT doc_id FROM current_records WHERE organisation = ? AND "
            "record_id = ?), ?, ?, ?, ?)")(key.first, key.second, t.title, t.organisation_name,
                                           t.summary, t.body);
      }
    });
    search_.clear();
  }

  void audit(std::string_view actor, std::string_view action, const std::string& subject,
             const nlohmann::json& detail) {
    cache_.get("INSERT INTO audit_log (actor, action, subject, detail) VALUES (?, ?, ?, ?)")(
        actor, action, subject, detail.dump());
  }

  std::unique_lock<std::mutex> lock_;
  Session& s_;
  WriterCache& cache_;
  bool finished_ = false;
  std::optional<std::uint64_t> size_;  // cached: this transaction is the only writer
  // Search text of the current records written so far, by (organisation, record id).
  std::map<std::pair<std::string, std::string>, SearchText> search_;
};

std::once_flag g_register_connector;
constexpr sqlite3_int64 k_sqlite_heap_limit = sqlite3_int64{24} * 1024 * 1024;

}  // namespace

// ---- WAL checkpoints ---------------------------------------------------------------------------

// Copies committed pages from the WAL back into the database file, off the writer's thread; and,
// on the writer's thread, starts the WAL over once it has grown past wal_restart_bytes.
//
// SQLite's default is to checkpoint inside the commit that takes the WAL past 1,000 pages, which
// profiling showed to be a seventh of the sequencer's time. Instead the writer connection's WAL
// hook wakes this thread, which checkpoints on its own connection: PASSIVE, which never blocks
// the writer or the readers. Durability is unchanged: a commit is durable once its WAL frames are
// synced, and a checkpoint syncs the WAL before and the database after copying, as always.
//
// A PASSIVE checkpoint cannot copy frames newer than the oldest snapshot still being read, and
// SQLite writes from the start of the WAL again only once every frame has been copied and no
// reader still reads from the WAL. Under a steady stream of readers and writers that moment never
// comes: in a soak the WAL grew by 3 MB a second (868 MB in five minutes), and with it the
// wal-index that every process maps into memory. So past the limit the writer's own commit asks
// for a RESTART checkpoint, which waits for the reads in flight to finish, copies what the
// background left and lets the next commit write from the start (and truncate the file to the
// limit, with journal_size_limit). It runs on the writer's thread because it needs the write
// lock: asked from this thread it polled for the lock between the sequencer's back-to-back
// commits, rarely got it, and the WAL reached 412 MiB in a soak. A submission then waits for the
// longest read in flight, once per limit's worth of writes. The wait is bounded: kFirstWaitMs,
// twice as long after each failure up to kMaxWaitMs, and past that the next try is ten seconds
// later, so that a read longer than a second (an export to a slow client) holds the writer back
// a tenth of the time at most; the WAL grows meanwhile.
class SqliteStore::Checkpointer {
 public:
  static constexpr int kBackgroundPages = 1000;  // SQLite's wal_autocheckpoint default
  static constexpr int kFirstWaitMs = 100;
  static constexpr int kMaxWaitMs = 1000;

  // `restart_pages`: the limit in WAL frames (one page each).
  Checkpointer(Session& writer, Session own, int restart_pages, int busy_timeout_ms)
      : writer_(Poco::Data::SQLite::Utility::dbHandle(writer)),
        own_(std::move(own)),
        restart_pages_(restart_pages),
        busy_timeout_ms_(busy_timeout_ms) {
    thread_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "candor-ckpt");
      run();
    });
    sqlite3_wal_hook(writer_, &Checkpointer::hook, this);
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  ~Checkpointer() {
    sqlite3_wal_autocheckpoint(writer_, kBackgroundPages);  // back to SQLite's own hook
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

 private:
  // Called by SQLite in the writer's thread after each commit, with the WAL's size in pages.
  static int hook(void* self, sqlite3* db, const char* name, int pages) {
    auto* c = static_cast<Checkpointer*>(self);
    if (pages > c->restart_pages_ && !c->passive_running_ &&
        std::chrono::steady_clock::now() >= c->next_restart_) {
      c->restart(db, name);
    } else if (pages >= kBackgroundPages) {
      {
        std::lock_guard<std::mutex> lock(c->mutex_);
        c->wanted_ = true;
      }
      c->wake_.notify_one();
    }
    return SQLITE_OK;
  }

  // On the writer's thread, between two of its transactions.
  void restart(sqlite3* db, const char* name) {
    sqlite3_busy_timeout(db, wait_ms_);
    const int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
    sqlite3_busy_timeout(db, busy_timeout_ms_);
    if (rc == SQLITE_OK) {
      wait_ms_ = kFirstWaitMs;
    } else if (wait_ms_ < kMaxWaitMs) {
      wait_ms_ = std::min(wait_ms_ * 2, kMaxWaitMs);  // again after the next commit
    } else {
      next_restart_ = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    }
  }

  void run() {
    sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(own_);
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || wanted_; });
      if (stopping_) return;
      wanted_ = false;
      lock.unlock();
      // Failure (an I/O error, another process's checkpoint) only leaves the WAL longer: the
      // next commit past the threshold asks again. While this runs, the writer does not ask for
      // a RESTART, which would fail at once on the checkpoint lock and count as a long read.
      passive_running_ = true;
      sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      passive_running_ = false;
      lock.lock();
    }
  }

  sqlite3* writer_;
  Session own_;
  const int restart_pages_;
  const int busy_timeout_ms_;
  // The writer's thread only.
  int wait_ms_ = kFirstWaitMs;
  std::chrono::steady_clock::time_point next_restart_;
  std::atomic<bool> passive_running_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool wanted_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above exists
};

// ---- Reader pool -----------------------------------------------------------------------------

// A pooled read-only session, returned to the pool when the lease ends.
class SqliteStore::Lease {
 public:
  explicit Lease(SqliteStore& store) : store_(store) {
    {
      std::lock_guard<std::mutex> lock(store_.pool_mutex_);
      if (!store_.idle_readers_.empty()) {
        session_ = std::move(store_.idle_readers_.back());
        store_.idle_readers_.pop_back();
      }
    }
    if (!session_) session_ = std::make_unique<Session>(store_.open_session(false));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() {
    std::lock_guard<std::mutex> lock(store_.pool_mutex_);
    store_.idle_readers_.push_back(std::move(session_));
  }
  Session& operator*() { return *session_; }

 private:
  SqliteStore& store_;
  std::unique_ptr<Session> session_;
};

// ---- The store -------------------------------------------------------------------------------

int sqlite_schema_version() {
  return sqlite::migrations().back().version;
}

bool SqliteStore::read_only() const {
  return options_.read_only;
}

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& path,
                                         const SqliteOptions& options) {
  return std::make_unique<SqliteStore>(path, options);
}

SqliteStore::SqliteStore(const std::filesystem::path& path, const SqliteOptions& options)
    : path_(path), options_(options) {
  std::call_once(g_register_connector, [] {
    Poco::Data::SQLite::Connector::registerConnector();
    // Each connection's page cache (about 2 MiB for the database, as much again for a query's
    // temporary tables) fills as the register grows, so a server's SQLite memory grew with its
    // pool until every cache was full: a soak's RSS kept rising as the register did. Past this
    // limit SQLite reuses cache pages instead of allocating more (the operating system's file
    // cache still holds the pages). A limit the embedding program set first is kept.
    if (sqlite3_soft_heap_limit64(-1) == 0) sqlite3_soft_heap_limit64(k_sqlite_heap_limit);
  });
  std::error_code ec;
  if ((!options_.create || options_.read_only) && !std::filesystem::exists(path_, ec)) {
    throw StoreError("no register database at " + path_.string() +
                     ": check the path, or create the register with candor register init");
  }
  if (options_.read_only) {
    guarded("open", [&] { check_schema_read_only(); });
    return;
  }
  guarded("open", [&] {
    try {
      writer_ = std::make_unique<Session>(open_session(true));
    } catch (const Poco::Exception& e) {
      // Poco reports SQLITE_READONLY as "attempt to write a readonly database": say what to do.
      if (e.displayText().find("readonly") != std::string::npos) {
        throw StoreError(path_.string() +
                         " cannot be written (file permissions, or a read-only file system): the "
                         "register needs write access to the database file and to its directory, "
                         "where SQLite keeps the WAL and shared-memory files beside it");
      }
      throw;
    }
    migrate();
    writer_cache_ = std::make_unique<WriterCache>(*writer_);
    Session own("SQLite", path_.string());
    exec(own, "PRAGMA busy_timeout = " + std::to_string(options_.busy_timeout_ms));
    exec(own, options_.durability == Durability::full ? "PRAGMA synchronous = FULL"
                                                      : "PRAGMA synchronous = NORMAL");
    int restart_pages = std::numeric_limits<int>::max();  // never
    if (options_.wal_restart_bytes > 0) {
      exec(*writer_, "PRAGMA journal_size_limit = " + std::to_string(options_.wal_restart_bytes));
      int page_size = 4096;
      own << "PRAGMA page_size", into(page_size), now;
      restart_pages = static_cast<int>(std::min<std::int64_t>(
          options_.wal_restart_bytes / std::max(page_size, 512), restart_pages));
    }
    checkpointer_ = std::make_unique<Checkpointer>(*writer_, std::move(own), restart_pages,
                                                   options_.busy_timeout_ms);
  });
}

SqliteStore::~SqliteStore() = default;

Session SqliteStore::open_session(bool writer) const {
  Session s("SQLite", path_.string());
  exec(s, "PRAGMA busy_timeout = " + std::to_string(options_.busy_timeout_ms));
  if (writer) {
    std::string mode;
    s << "PRAGMA journal_mode = WAL", into(mode), now;
    if (mode != "wal") throw StoreError("cannot put " + path_.string() + " in WAL mode");
    exec(s, options_.durability == Durability::full ? "PRAGMA synchronous = FULL"
                                                    : "PRAGMA synchronous = NORMAL");
    exec(s, "PRAGMA foreign_keys = ON");
  } else {
    exec(s, "PRAGMA query_only = ON");
    exec(s, "PRAGMA cache_size = -" + std::to_string(std::max(options_.reader_cache_kib, 64)));
  }
  return s;
}

void SqliteStore::migrate() {
  Session& s = *writer_;
  // A migration may rebuild a table that others refer to (create, copy, drop, rename), which
  // SQLite allows only with foreign keys off; they cannot be switched inside a transaction, and
  // are checked below before the migration commits.
  exec(s, "PRAGMA foreign_keys = OFF");
  const auto keys_on = [&] { exec(s, "PRAGMA foreign_keys = ON"); };
  exec(s, "BEGIN IMMEDIATE");
  try {
    exec(s,
         "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
         "name TEXT NOT NULL, applied_at TEXT NOT NULL "
         "DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))");
    int current = 0;
    s << "SELECT coalesce(max(version), 0) FROM schema_migrations", into(current), now;
    if (current > sqlite_schema_version()) {
      throw StoreError(path_.string() + " has schema version " + std::to_string(current) +
                       ", newer than this build of Candor knows (" +
                       std::to_string(sqlite_schema_version()) + "): upgrade Candor");
    }
    bool migrated = false;
    for (const sqlite::Migration& m : sqlite::migrations()) {
      if (m.version <= current) continue;
      for (std::string_view statement : m.statements) exec(s, std::string(statement));
      s << "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", bind(m.version),
          bind(std::string(m.name)), now;
      migrated = true;
    }
    std::vector<std::string> broken;
    if (migrated) s << "SELECT DISTINCT \"table\" FROM pragma_foreign_key_check", into(broken), now;
    if (!broken.empty()) {
      throw StoreError(path_.string() + ": after migrating, rows of " + broken.front() +
                       " refer to rows that do not exist; nothing was changed. Check the "
                       "database with `sqlite3 " +
                       path_.string() +
                       " 'PRAGMA foreign_key_check'` and restore it from a backup");
    }
    exec(s, "COMMIT");
  } catch (...) {
    try {
      exec(s, "ROLLBACK");
    } catch (...) {
    }
    keys_on();
    throw;
  }
  keys_on();
}

void SqliteStore::check_schema_read_only() {
  Session s = open_session(false);
  Poco::Int64 tables = 0;
  s << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
      into(tables), now;
  int current = 0;
  if (tables > 0)
    s << "SELECT coalesce(max(version), 0) FROM schema_migrations", into(current), now;
  if (current == 0) {
    throw StoreError(path_.string() +
                     " holds no register: create it with candor register init, then serve it");
  }
  if (current > sqlite_schema_version()) {
    throw StoreError(path_.string() + " has schema version " + std::to_string(current) +
                     ", newer than this build of Candor knows (" +
                     std::to_string(sqlite_schema_version()) + "): upgrade Candor");
  }
  if (current < sqlite_schema_version()) {
    throw StoreError(path_.string() + " has schema version " + std::to_string(current) +
                     " and this build of Candor needs " + std::to_string(sqlite_schema_version()) +
                     ": a read-only node does not migrate it; start one node without --read-only "
                     "first (opening the register writable migrates it)");
  }
}

int SqliteStore::schema_version() {
  return guarded("schema version", [&] {
    Lease l(*this);
    int v = 0;
    *l << "SELECT coalesce(max(version), 0) FROM schema_migrations", into(v), now;
    return v;
  });
}

std::optional<LogSettings> SqliteStore::log_settings() {
  return guarded("log settings", [&] {
    Lease l(*this);
    return q::log_settings(*l);
  });
}

std::optional<Organisation> SqliteStore::organisation(std::string_view id) {
  return guarded("organisation", [&]() -> std::optional<Organisation> {
    Lease l(*this);
    auto rows = q::organisations(*l, id);
    if (rows.empty()) return std::nullopt;
    return rows.front();
  });
}

std::vector<Organisation> SqliteStore::organisations() {
  return guarded("organisations", [&] {
    Lease l(*this);
    return q::organisations(*l, std::nullopt);
  });
}

std::optional<Token> SqliteStore::token(const Hash& token_hash) {
  return guarded("token", [&]() -> std::optional<Token> {
    Lease l(*this);
    std::vector<std::string> orgs, roles, labels;
    std::vector<int> revoked;
    *l << "SELECT organisation, role, label, revoked FROM tokens WHERE hash = ?", into(orgs),
        into(roles), into(labels), into(revoked), bind(blob_of(token_hash)), now;
    if (orgs.empty()) return std::nullopt;
    auto role = parse_role(roles[0]);
    if (!role) throw StoreError("stored role \"" + roles[0] + "\" is unknown");
    return Token{token_hash, orgs[0], *role, labels[0], revoked[0] != 0};
  });
}

std::vector<RecordVersion> SqliteStore::versions(std::string_view organisation,
                                                 std::string_view record_id) {
  return guarded("versions", [&] {
    Lease l(*this);
    return q::versions(*l, organisation, record_id, false);
  });
}

std::optional<RecordVersion> SqliteStore::version_at_leaf(std::uint64_t leaf_index) {
  return guarded("version", [&] {
    Lease l(*this);
    return q::version_at_leaf(*l, leaf_index);
  });
}

std::vector<Review> SqliteStore::reviews(std::string_view organisation,
                                         std::string_view record_id) {
  return guarded("reviews", [&] {
    Lease l(*this);
    const std::string org(organisation), id(record_id);
    return q::reviews(*l, "WHERE organisation = ? AND record_id = ? ORDER BY leaf_index",
                      [&](Statement& st) { st, bind(org), bind(id); });
  });
}

std::optional<Review> SqliteStore::review_at_leaf(std::uint64_t leaf_index) {
  return guarded("review", [&]() -> std::optional<Review> {
    Lease l(*this);
    const Int64 leaf = i64(leaf_index);
    auto rows = q::reviews(*l, "WHERE leaf_index = ?", [&](Statement& st) { st, bind(leaf); });
    if (rows.empty()) return std::nullopt;
    return rows.front();
  });
}

std::optional<std::string> SqliteStore::body(const Hash& body_hash) {
  return guarded("body", [&]() -> std::optional<std::string> {
    Lease l(*this);
    std::vector<Poco::Nullable<std::string>> text;
    *l << "SELECT canonical_json FROM bodies WHERE hash = ?", into(text), bind(blob_of(body_hash)),
        now;
    if (text.empty() || text[0].isNull()) return std::nullopt;
    return text[0].value();
  });
}

std::optional<std::string> SqliteStore::source(const Hash& source_hash) {
  return guarded("source", [&]() -> std::optional<std::string> {
    Lease l(*this);
    std::vector<Poco::Nullable<std::string>> text;
    *l << "SELECT yaml FROM sources WHERE hash = ?", into(text), bind(blob_of(source_hash)), now;
    if (text.empty() || text[0].isNull()) return std::nullopt;
    return text[0].value();
  });
}

std::optional<Findings> SqliteStore::findings(std::string_view organisation,
                                              std::string_view record_id, std::uint64_t version) {
  return guarded("findings", [&]() -> std::optional<Findings> {
    Lease l(*this);
    std::vector<int> evaluated;
    std::vector<std::string> json;
    std::vector<Int64> errors, warnings, infos;
    *l << "SELECT evaluated, json, errors, warnings, infos FROM findings "
          "WHERE organisation = ? AND record_id = ? AND version = ?",
        into(evaluated), into(json), into(errors), into(warnings), into(infos),
        bind(std::string(organisation)), bind(std::string(record_id)), bind(i64(version)), now;
    if (json.empty()) return std::nullopt;
    Findings f;
    f.evaluated = evaluated[0] != 0;
    f.json = json[0];
    f.counts = {static_cast<std::uint32_t>(errors[0]), static_cast<std::uint32_t>(warnings[0]),
                static_cast<std::uint32_t>(infos[0])};
    *l << "SELECT rule_id FROM failing_rules WHERE organisation = ? AND record_id = ? AND "
          "version = ? ORDER BY rule_id",
        into(f.failing_rules), bind(std::string(organisation)), bind(std::string(record_id)),
        bind(i64(version)), now;
    return f;
  });
}

void SqliteStore::for_each_current_failing_rule_set(
    const std::function<void(const FailingRuleSet&)>& visit) {
  guarded("failing rule sets", [&] {
    Lease l(*this);
    // One statement, stepped a row at a time: one snapshot, and one set in memory.
    RawStatement st(Poco::Data::SQLite::Utility::dbHandle(*l),
                    "SELECT value, count FROM current_counts WHERE facet = ? ORDER BY value");
    sqlite3_bind_text(st.get(), 1, counts::k_failing_rules.data(),
                      static_cast<int>(counts::k_failing_rules.size()), SQLITE_STATIC);
    FailingRuleSet set;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      counts::split_rules(column_view(st.get(), 0), set.rules);
      set.count = u64(sqlite3_column_int64(st.get(), 1));
      visit(set);
    }
    if (rc != SQLITE_DONE)
      throw StoreError(std::string("failing rule sets: ") + sqlite3_errmsg(st.db()));
  });
}

namespace {

struct CurrentRows {
  std::vector<std::string> organisation, record_id, title, organisation_name, organisation_type,
      mission_area, phase, tool_type, compliance, updated_at;
  std::vector<Int64> version, leaf_index;
  std::vector<Poco::Nullable<int>> impact_level;

  static constexpr const char* kColumns =
      "SELECT organisation, record_id, version, leaf_index, title, organisation_name, "
      "organisation_type, mission_area, phase, tool_type, impact_level, compliance, updated_at "
      "FROM current_records ";

  void into_statement(Statement& st) {
    st, into(organisation), into(record_id), into(version), into(leaf_index), into(title),
        into(organisation_name), into(organisation_type), into(mission_area), into(phase),
        into(tool_type), into(impact_level), into(compliance), into(updated_at);
  }
  std::vector<CurrentRecord> rows() const {
    std::vector<CurrentRecord> out;
    for (std::size_t i = 0; i < organisation.size(); ++i) {
      CurrentRecord c;
      c.organisation = organisation[i];
      c.record_id = record_id[i];
      c.version = u64(version[i]);
      c.leaf_index = u64(leaf_index[i]);
      c.title = title[i];
      c.organisation_name = organisation_name[i];
      c.facets = {organisation_type[i], mission_area[i], phase[i], tool_type[i], std::nullopt};
      if (!impact_level[i].isNull()) c.facets.impact_level = impact_level[i].value();
      c.compliance = compliance_from(compliance[i]);
      c.updated_at = updated_at[i];
      out.push_back(std::move(c));
    }
    return out;
  }
};

}  // namespace

std::optional<CurrentRecord> SqliteStore::current_record(std::string_view organisation,
                                                         std::string_view record_id) {
  return guarded("current record", [&]() -> std::optional<CurrentRecord> {
    Lease l(*this);
    CurrentRows r;
    Statement st(*l);
    st << std::string(CurrentRows::kColumns) + "WHERE organisation = ? AND record_id = ?",
        bind(std::string(organisation)), bind(std::string(record_id));
    r.into_statement(st);
    st.execute();
    auto rows = r.rows();
    if (rows.empty()) return std::nullopt;
    return rows.front();
  });
}

std::vector<CurrentRecord> SqliteStore::current_records(const RecordFilter& filter) {
  return guarded("current records", [&] {
    Lease l(*this);
    CurrentRows r;
    Statement st(*l);
    std::string where;
    const auto add_text = [&](const char* column, const std::optional<std::string>& value) {
      if (!value) return;
      where += (where.empty() ? "WHERE " : " AND ") + std::string(column) + " = ?";
      st, bind(*value);
    };
    add_text("organisation", filter.organisation);
    add_text("organisation_type", filter.organisation_type);
    add_text("mission_area", filter.mission_area);
    add_text("phase", filter.phase);
    add_text("tool_type", filter.tool_type);
    if (filter.impact_level) {
      where += (where.empty() ? "WHERE " : " AND ") + std::string("impact_level = ?");
      st, bind(*filter.impact_level);
    }
    if (filter.compliance) {
      add_text("compliance", std::string(to_string(*filter.compliance)));
    }
    st << std::string(CurrentRows::kColumns) + where +
              " ORDER BY organisation, record_id LIMIT ? OFFSET ?";
    st, bind(i64(filter.limit)), bind(i64(filter.offset));
    r.into_statement(st);
    st.execute();
    return r.rows();
  });
}

Result<std::vector<SearchHit>> SqliteStore::search(const SearchQuery& query) {
  using R = Result<std::vector<SearchHit>>;
  return guarded("search", [&]() -> R {
    Lease l(*this);
    std::vector<std::string> orgs, ids, titles, snippets;
    std::vector<double> ranks;
    try {
      // bm25 weights by column: title, organisation name, summary, body.
      *l << "SELECT c.organisation, c.record_id, c.title, "
            "bm25(search_text, 10.0, 5.0, 3.0, 1.0) AS rank, "
            "snippet(search_text, -1, ?, ?, '…', 16) "
            "FROM search_text JOIN current_records c ON c.doc_id = search_text.rowid "
            "WHERE search_text MATCH ? ORDER BY rank, c.organisation, c.record_id LIMIT ?",
          into(orgs), into(ids), into(titles), into(ranks), into(snippets), bind(query.open_mark),
          bind(query.close_mark), bind(query.match), bind(i64(query.limit)), now;
    } catch (const Poco::Data::SQLite::InvalidSQLStatementException&) {
      // SQLITE_ERROR from this fixed, tested statement can only come from the MATCH text that
      // FTS5 could not parse: the searcher's mistake (a 400), not the store's.
      Problem p;
      p.code = "search.query";
      p.message = "the search text could not be understood";
      p.hint = "use plain words; put phrases in double quotes";
      return R(Problems{std::move(p)});
    }
    std::vector<SearchHit> hits;
    for (std::size_t i = 0; i < orgs.size(); ++i) {
      hits.push_back({orgs[i], ids[i], titles[i], ranks[i], snippets[i]});
    }
    return hits;
  });
}

namespace {

// The SQL expression of a facet over current_records (aliased c).
std::string facet_column(Facet facet) {
  switch (facet) {
    case Facet::organisation:
      return "c.organisation";
    case Facet::organisation_type:
      return "c.organisation_type";
    case Facet::mission_area:
      return "c.mission_area";
    case Facet::phase:
      return "c.phase";
    case Facet::tool_type:
      return "c.tool_type";
    case Facet::impact_level:
      return "coalesce(CAST(c.impact_level AS TEXT), '')";
    case Facet::compliance:
      return "c.compliance";
  }
  throw std::logic_error("unknown facet");
}

// "col IN (?, ?) AND ..." for the search's facet filters, leaving out `except`'s (for that
// facet's own counts); the values are appended to `params`, never spliced into the SQL.
std::string filter_conditions(const RecordSearch& search, std::optional<Facet> except,
                              std::vector<std::string>& params) {
  std::string where;
  for (const FacetFilter& filter : search.filters) {
    if (filter.values.empty() || (except && filter.facet == *except)) continue;
    if (!where.empty()) where += " AND ";
    where += facet_column(filter.facet) + " IN (";
    for (std::size_t i = 0; i < filter.values.size(); ++i) {
      where += i == 0 ? "?" : ", ?";
      params.push_back(filter.values[i]);
    }
    where += ")";
  }
  return where;
}

// The FROM and WHERE clauses of a record search and their text parameters, in order.
struct SearchSql {
  std::string sql;
  std::vector<std::string> params;
};

SearchSql search_sql(const RecordSearch& search) {
  SearchSql out;
  out.sql = "FROM current_records c ";
  std::string where;
  if (!search.match.empty()) {
    out.sql += "JOIN search_text ON search_text.rowid = c.doc_id ";
    where = "search_text MATCH ?";
    out.params.push_back(search.match);
  }
  const std::string filters = filter_conditions(search, std::nullopt, out.params);
  if (!filters.empty()) where += (where.empty() ? "" : " AND ") + filters;
  if (!where.empty()) out.sql += "WHERE " + where + " ";
  return out;
}

// A search without a full-text match is counted in SQL, so that the cost follows what the filters
// select, not the register's size: a count that no filter applies to is read from current_counts
// (kept by triggers), any other groups the records its filters select, through their indexes.
// An organisation's page (one filter) groups that organisation's records, and takes the counts
// of the other organisations from current_counts.
SearchSql unmatched_counts_sql(const RecordSearch& search) {
  SearchSql out;
  const std::string all = filter_conditions(search, std::nullopt, out.params);
  if (all.empty()) {
    out.sql = "SELECT -1, '', '', coalesce(sum(count), 0) FROM current_counts WHERE facet = ? ";
    out.params.emplace_back(to_string(Facet::organisation));  // every record counts once there
  } else {
    out.sql = "SELECT -1, '', '', count(*) FROM current_records c WHERE " + all + " ";
  }
  for (std::size_t i = 0; i < std::size(k_all_facets); ++i) {
    const Facet facet = k_all_facets[i];
    const std::string others = filter_conditions(search, facet, out.params);
    out.sql += "UNION ALL SELECT " + std::to_string(i) + ", ";
    if (others.empty()) {
      // Labelled as the grouped counts are: the organisation by name, the rest by value.
      out.sql += std::string("value, ") + (facet == Facet::organisation ? "max(label)" : "value") +
                 ", sum(count) FROM current_counts WHERE facet = ? GROUP BY 2 ";
      out.params.emplace_back(to_string(facet));
    } else {
      const std::string column = facet_column(facet);
      out.sql += column + ", ";
      out.sql += facet == Facet::organisation ? "max(c.organisation_name)" : column;
      out.sql += ", count(*) FROM current_records c WHERE " + others;
      out.sql += " GROUP BY 2 ";
    }
  }
  out.sql += "ORDER BY 1, 2";
  return out;
}

// The total and every facet's counts of a search with a full-text match, counted as the
// matching rows stream past (facet_tally.h): nothing is materialized or sorted, so a search's
// memory does not follow its number of matches. nullopt when FTS5 cannot parse the match.
std::optional<FacetTally> tally_matches(Session& s, const RecordSearch& search) {
  RawStatement st(Poco::Data::SQLite::Utility::dbHandle(s),
                  "SELECT c.organisation, c.organisation_type, c.mission_area, c.phase, "
                  "c.tool_type, coalesce(CAST(c.impact_level AS TEXT), ''), c.compliance, "
                  "c.organisation_name FROM current_records c "
                  "JOIN search_text ON search_text.rowid = c.doc_id WHERE search_text MATCH ?");
  sqlite3_bind_text(st.get(), 1, search.match.data(), static_cast<int>(search.match.size()),
                    SQLITE_STATIC);
  FacetTally tally(search);
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    std::array<std::string_view, k_facet_count> values;
    for (std::size_t i = 0; i < k_facet_count; ++i) {
      values[i] = column_view(st.get(), static_cast<int>(i));
    }
    tally.add(values, column_view(st.get(), static_cast<int>(k_facet_count)));
  }
  if (rc == SQLITE_DONE) return tally;
  // The statement is fixed and tested: a plain SQLITE_ERROR can only be FTS5 refusing the text.
  if (rc == SQLITE_ERROR) return std::nullopt;
  throw StoreError(std::string("search: ") + sqlite3_errmsg(st.db()));
}

std::string order_by(const RecordSearch& search) {
  if (search.sort == RecordSort::relevance && !search.match.empty()) {
    return "ORDER BY bm25(search_text, 10.0, 5.0, 3.0, 1.0), c.organisation, c.record_id ";
  }
  if (search.sort == RecordSort::updated) {
    return "ORDER BY c.updated_at DESC, c.organisation, c.record_id ";
  }
  return "ORDER BY c.title COLLATE NOCASE, c.organisation, c.record_id ";
}

constexpr const char* k_qualified_current_columns =
    "SELECT c.organisation, c.record_id, c.version, c.leaf_index, c.title, c.organisation_name, "
    "c.organisation_type, c.mission_area, c.phase, c.tool_type, c.impact_level, c.compliance, "
    "c.updated_at, ";

}  // namespace

Result<RecordSearchResult> SqliteStore::find_records(const RecordSearch& search) {
  using R = Result<RecordSearchResult>;
  return guarded("find records", [&]() -> R {
    Lease l(*this);
    RecordSearchResult result;
    const auto not_understood = [] {
      Problem p;
      p.code = "search.query";
      p.message = "the search text could not be understood";
      p.hint = "use plain words; put phrases in double quotes";
      return R(Problems{std::move(p)});
    };
    try {
      const SearchSql all = search_sql(search);
      if (search.count_facets && !search.match.empty()) {
        const auto tally = tally_matches(*l, search);
        if (!tally) return not_understood();
        result.total = tally->total();
        result.facets = tally->facets();
      } else if (search.count_facets) {
        const SearchSql counts = unmatched_counts_sql(search);
        std::vector<Int64> facets, numbers;
        std::vector<std::string> values, labels;
        Statement st(*l);
        st << counts.sql;
        for (const std::string& p : counts.params) st, bind(p);
        st, into(facets), into(values), into(labels), into(numbers);
        st.execute();
        for (const Facet facet : k_all_facets) result.facets.push_back({facet, {}});
        for (std::size_t i = 0; i < facets.size(); ++i) {
          if (facets[i] < 0) {
            result.total = u64(numbers[i]);
          } else {
            result.facets.at(static_cast<std::size_t>(facets[i]))
                .values.push_back({values[i], labels[i], u64(numbers[i])});
          }
        }
      } else {
        Int64 total = 0;
        Statement st(*l);
        if (counts::unfiltered(search)) {
          // Every record counts once under its organisation: no scan of the register.
          st << "SELECT coalesce(sum(count), 0) FROM current_counts WHERE facet = ?",
              bind(std::string(to_string(Facet::organisation)));
        } else {
          st << "SELECT count(*) " + all.sql;
          for (const std::string& p : all.params) st, bind(p);
        }
        st, into(total);
        st.execute();
        result.total = u64(total);
      }
      if (search.limit > 0) {
        CurrentRows rows;
        std::vector<std::string> snippets;
        Statement st(*l);
        const bool matching = !search.match.empty();
        st << std::string(k_qualified_current_columns) +
                  (matching ? "snippet(search_text, -1, ?, ?, '…', 16) " : "'' ") + all.sql +
                  order_by(search) + "LIMIT ? OFFSET ?";
        if (matching) st, bind(search.open_mark), bind(search.close_mark);
        for (const std::string& p : all.params) st, bind(p);
        st, bind(i64(search.limit)), bind(i64(search.offset));
        rows.into_statement(st);
        st, into(snippets);
        st.execute();
        auto records = rows.rows();
        for (std::size_t i = 0; i < records.size(); ++i) {
          result.hits.push_back({std::move(records[i]), snippets.at(i)});
        }
      }
    } catch (const Poco::Data::SQLite::InvalidSQLStatementException&) {
      // As in search(): the statements are fixed, so SQLITE_ERROR means FTS5 could not parse
      // the searcher's MATCH text.
      return not_understood();
    }
    return result;
  });
}

std::vector<RecordVersion> SqliteStore::recent_versions(
    std::optional<std::string_view> organisation, std::size_t limit) {
  return guarded("recent versions", [&] {
    Lease l(*this);
    q::VersionRows r;
    Statement st(*l);
    st << std::string(q::VersionRows::kColumns) + (organisation ? "WHERE organisation = ? " : "") +
              "ORDER BY leaf_index DESC LIMIT ?";
    if (organisation) st, bind(std::string(*organisation));
    st, bind(i64(limit));
    r.into_statement(st);
    st.execute();
    return r.rows();
  });
}

std::uint64_t SqliteStore::log_size() {
  return guarded("log size", [&] {
    Lease l(*this);
    return q::log_size(*l);
  });
}

std::vector<std::string> SqliteStore::log_entries(std::uint64_t begin, std::uint64_t end) {
  return guarded("log entries", [&] {
    Lease l(*this);
    // One read transaction, so the size check and the entries come from the same snapshot.
    exec(*l, "BEGIN");
    struct End {
      Session& s;
      ~End() {
        try {
          exec(s, "COMMIT");
        } catch (...) {
        }
      }
    } end_tx{*l};
    const std::uint64_t size = q::log_size(*l);
    if (begin > end || end > size) {
      throw std::out_of_range("log entries [" + std::to_string(begin) + ", " + std::to_string(end) +
                              ") outside the log of " + std::to_string(size));
    }
    std::vector<BLOB> entries;
    *l << "SELECT entry FROM log_entries WHERE leaf_index >= ? AND leaf_index < ? "
          "ORDER BY leaf_index",
        into(entries), bind(i64(begin)), bind(i64(end)), now;
    if (entries.size() != end - begin) throw StoreError("the log has a gap");
    std::vector<std::string> out;
    out.reserve(entries.size());
    for (const BLOB& b : entries) out.push_back(string_of(b));
    return out;
  });
}

std::vector<Hash> SqliteStore::read_hashes(std::span<const NodeId> nodes) {
  return guarded("tree hashes", [&] {
    Lease l(*this);
    return q::read_hashes(*l, nodes);
  });
}

std::optional<StoredCheckpoint> SqliteStore::latest_checkpoint() {
  return guarded("checkpoint", [&] {
    Lease l(*this);
    return q::checkpoint(*l, std::nullopt);
  });
}

std::optional<StoredCheckpoint> SqliteStore::checkpoint(std::uint64_t size) {
  return guarded("checkpoint", [&] {
    Lease l(*this);
    return q::checkpoint(*l, size);
  });
}

std::optional<StoredCheckpoint> SqliteStore::checkpoint_covering(std::uint64_t leaf_index) {
  return guarded("checkpoint", [&]() -> std::optional<StoredCheckpoint> {
    Lease l(*this);
    std::vector<Int64> sizes;
    std::vector<BLOB> roots;
    std::vector<std::string> notes;
    *l << "SELECT size, root, note FROM checkpoints WHERE size > ? ORDER BY size LIMIT 1",
        into(sizes), into(roots), into(notes), bind(i64(leaf_index)), now;
    if (sizes.empty()) return std::nullopt;
    return StoredCheckpoint{u64(sizes[0]), hash_of(roots[0]), notes[0]};
  });
}

std::vector<AuditEvent> SqliteStore::audit_events(std::uint64_t after_id, std::size_t limit) {
  return guarded("audit events", [&] {
    Lease l(*this);
    std::vector<Int64> ids;
    std::vector<std::string> at, actor, action, subject, detail;
    *l << "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE id > ? "
          "ORDER BY id LIMIT ?",
        into(ids), into(at), into(actor), into(action), into(subject), into(detail),
        bind(i64(after_id)), bind(i64(limit)), now;
    std::vector<AuditEvent> out;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      out.push_back({u64(ids[i]), at[i], actor[i], action[i], subject[i], detail[i]});
    }
    return out;
  });
}

std::uint64_t SqliteStore::row_count(StoreTable table) {
  return guarded("row count", [&] {
    Lease l(*this);
    return count_table(Poco::Data::SQLite::Utility::dbHandle(*l), table);
  });
}

// One read transaction over every table, so the rows are one snapshot; each table is one
// statement stepped a row at a time, which SQLite reads from the file as it goes.
void SqliteStore::export_rows(const std::function<void(StoreTable, const StoreRow&)>& visit) {
  guarded("export rows", [&] {
    Lease l(*this);
    sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(*l);
    raw_exec(*l, "BEGIN");
    struct End {
      Session& s;
      ~End() {
        try {
          raw_exec(s, "COMMIT");
        } catch (...) {
        }
      }
    } end_tx{*l};
    for (StoreTable table : k_store_tables) {
      const StoreTableInfo& info = table_info(table);
      std::string order;
      for (std::size_t i = 0; i < info.key_columns; ++i) {
        order += (i == 0 ? "" : ", ") + column_sql(table, info.columns[i]);
      }
      RawStatement select(db, "SELECT " + column_list(table) + " FROM " + std::string(info.name) +
                                  " ORDER BY " + order);
      StoreRow row(info.columns.size());
      for (;;) {
        const int rc = sqlite3_step(select.get());
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) {
          throw StoreError("export " + std::string(info.name) + ": " + sqlite3_errmsg(db));
        }
        for (std::size_t i = 0; i < row.size(); ++i) {
          row[i] = read_value(select.get(), static_cast<int>(i), table, info.columns[i]);
        }
        visit(table, row);
      }
    }
  });
}

std::unique_ptr<WriteTransaction> SqliteStore::begin_write() {
  if (options_.read_only) {
    throw StoreError(path_.string() +
                     " is open read-only here: write through a node or command without "
                     "--read-only");
  }
  std::unique_lock<std::mutex> lock(write_mutex_);
  return guarded("begin write", [&]() -> std::unique_ptr<WriteTransaction> {
    Session& s = *writer_;
    // A previous transaction whose ROLLBACK failed would leave the connection inside it.
    if (sqlite3_get_autocommit(Poco::Data::SQLite::Utility::dbHandle(s)) == 0) {
      exec(s, "ROLLBACK");
    }
    raw_exec(s, "BEGIN IMMEDIATE");
    return std::make_unique<SqliteWriteTransaction>(std::move(lock), s, *writer_cache_);
  });
}

}  // namespace candor::registry
