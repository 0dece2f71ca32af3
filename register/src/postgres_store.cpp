#include "postgres_store.h"

#include <libpq-fe.h>

#include <Poco/Data/LOB.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/PostgreSQLException.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <exception>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <variant>

#include "candor/registry/open_store.h"
#include "current_counts.h"
#include "postgres_schema.h"

// Poco::Data::PostgreSQL 1.11 is used for everything; what it cannot do, and how this file works
// around it:
//   - Placeholders are PostgreSQL's $1, $2... (Poco passes the SQL through; `?` is a syntax
//     error), so dynamic SQL numbers its parameters (Params below).
//   - Its session takes libpq's key=value connection strings only, parsed by Poco itself, which
//     splits on blanks and knows no quoting. URLs are turned into that form with libpq's own
//     parser (PQconninfoParse, the one place libpq is called directly), and a value with a
//     blank in it (a password, usually) is refused with a hint to use ~/.pgpass or PGPASSWORD.
//   - bytea, bigint and NULLs (Poco::Nullable) bind and extract correctly, checked at the start
//     of this work; tree hashes are still written as one multi-row INSERT of hex literals that
//     this file formats itself, since one statement per hash costs a round trip each.

namespace candor::registry {

namespace {

using Poco::Int64;
using Poco::Data::BLOB;
using Poco::Data::Session;
using Poco::Data::Statement;
using namespace Poco::Data::Keywords;

// The key of the advisory lock migrations take, so that nodes started together migrate once.
constexpr long long k_migration_lock = 0x63616e646f722d6dLL;  // "candor-m"

// ---- Conversions -----------------------------------------------------------------------------

BLOB blob_of(const Hash& h) {
  return BLOB(h.data(), h.size());
}
BLOB blob_of(std::string_view bytes) {
  return BLOB(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
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
// A LIMIT or OFFSET as SQL text: a number this file formats, clamped to what bigint holds.
std::string sql_count(std::size_t n) {
  return std::to_string(std::min<std::uint64_t>(n, static_cast<std::uint64_t>(INT64_MAX)));
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

// Numbered parameters for SQL built at run time: add() returns the placeholder of a new text
// parameter; bind_all binds them in order.
struct Params {
  std::vector<std::string> values;
  std::string add(std::string value) {
    values.push_back(std::move(value));
    return "$" + std::to_string(values.size());
  }
  void bind_all(Statement& st) const {
    for (const std::string& v : values) st, bind(v);
  }
};

// ---- Connection strings ----------------------------------------------------------------------

// libpq's key=value form of `url`, for Poco's session (see the note at the top of this file).
std::string connection_string(const std::string& url, const std::string& display) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string message = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    throw StoreError("the database URL " + display + " cannot be read: " + message +
                     "; write postgresql://USER@HOST[:PORT]/DBNAME");
  }
  std::string out;
  std::string blank_key;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || *o->val == '\0') continue;
    const std::string value = o->val;
    if (std::any_of(value.begin(), value.end(), [](char c) {
          return std::isspace(static_cast<unsigned char>(c)) || c == '\'' || c == '\\';
        })) {
      blank_key = o->keyword;
      continue;
    }
    if (!out.empty()) out += ' ';
    out += std::string(o->keyword) + "=" + value;
  }
  PQconninfoFree(options);
  if (!blank_key.empty()) {
    throw StoreError("the database URL " + display + " has a " + blank_key +
                     " with a blank, quote or backslash in it, which Candor's PostgreSQL "
                     "connector cannot pass on" +
                     (blank_key == "password"
                          ? ": leave the password out of the URL and put it in ~/.pgpass or "
                            "the PGPASSWORD environment variable"
                          : std::string()));
  }
  return out;
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
    s << "SELECT id, name, type FROM organisations WHERE id = $1", into(ids), into(names),
        into(types), bind(std::string(*id)), now;
  } else {
    s << "SELECT id, name, type FROM organisations ORDER BY id", into(ids), into(names),
        into(types), now;
  }
  std::vector<Organisation> out;
  for (std::size_t i = 0; i < ids.size(); ++i) out.push_back({ids[i], names[i], types[i]});
  return out;
}

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
            "WHERE organisation = $1 AND record_id = $2 ORDER BY version " +
            (latest_only ? "DESC LIMIT 1" : "ASC");
  st, bind(std::string(org)), bind(std::string(id));
  r.into_statement(st);
  st.execute();
  return r.rows();
}

std::optional<RecordVersion> record_version(Session& s, std::string_view org, std::string_view id,
                                            std::uint64_t version) {
  VersionRows r;
  Statement st(s);
  st << std::string(VersionRows::kColumns) +
            "WHERE organisation = $1 AND record_id = $2 AND version = $3",
      bind(std::string(org)), bind(std::string(id)), bind(i64(version));
  r.into_statement(st);
  st.execute();
  auto rows = r.rows();
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::optional<RecordVersion> version_at_leaf(Session& s, std::uint64_t leaf_index) {
  VersionRows r;
  Statement st(s);
  st << std::string(VersionRows::kColumns) + "WHERE leaf_index = $1", bind(i64(leaf_index));
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
  // As in the SQLite store: one statement per chunk, the node list inlined as integer literals
  // this function formats itself (nothing to inject), so one query answers a whole proof.
  constexpr std::size_t kChunk = 512;
  for (std::size_t first = 0; first < nodes.size(); first += kChunk) {
    const std::size_t last = std::min(nodes.size(), first + kChunk);
    std::string sql = "WITH want (pos, level, idx) AS (VALUES ";
    for (std::size_t i = first; i < last; ++i) {
      if (nodes[i].level >= 64 || nodes[i].index > static_cast<std::uint64_t>(INT64_MAX)) {
        throw StoreError("no stored hash for node beyond the tree's range");
      }
      if (i != first) sql += ',';
      sql += "(" + std::to_string(i) + "::bigint," + std::to_string(nodes[i].level) + "::bigint," +
             std::to_string(nodes[i].index) + "::bigint)";
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

std::optional<StoredCheckpoint> checkpoint(Session& s, const std::string& where,
                                           std::optional<std::uint64_t> size) {
  std::vector<Int64> sizes;
  std::vector<BLOB> roots;
  std::vector<std::string> notes;
  Statement st(s);
  st << "SELECT size, root, note FROM checkpoints " + where, into(sizes), into(roots), into(notes);
  if (size) st, bind(i64(*size));
  st.execute();
  if (sizes.empty()) return std::nullopt;
  return StoredCheckpoint{u64(sizes[0]), hash_of(roots[0]), notes[0]};
}

std::optional<StoredCheckpoint> latest_checkpoint(Session& s) {
  return checkpoint(s, "ORDER BY size DESC LIMIT 1", std::nullopt);
}

}  // namespace q

// ---- Whole tables (export_rows, import_rows) -------------------------------------------------

std::string column_list(const StoreTableInfo& info) {
  std::string out;
  for (const StoreColumn& c : info.columns) out += (out.empty() ? "" : ", ") + std::string(c.name);
  return out;
}

std::uint64_t count_table(Session& s, StoreTable table) {
  Int64 n = 0;
  s << "SELECT count(*) FROM " + std::string(to_string(table)), into(n), now;
  return u64(n);
}

// One batch of a table's rows as Poco extracts them: a vector per column, of the column's type.
// The vectors are made once, before any into() refers to them, and never move.
class ColumnBuffers {
 public:
  using Column = std::variant<std::vector<Poco::Nullable<Int64>>,
                              std::vector<Poco::Nullable<std::string>>, std::vector<BLOB>>;

  explicit ColumnBuffers(StoreTable table) : info_(table_info(table)) {
    columns_.reserve(info_.columns.size());
    for (const StoreColumn& c : info_.columns) {
      switch (c.type) {
        case ColumnType::integer:
          columns_.emplace_back(std::vector<Poco::Nullable<Int64>>());
          break;
        case ColumnType::text:
          columns_.emplace_back(std::vector<Poco::Nullable<std::string>>());
          break;
        case ColumnType::bytes:
          columns_.emplace_back(std::vector<BLOB>());
          break;
      }
    }
  }

  void into_statement(Statement& st) {
    for (Column& c : columns_) std::visit([&](auto& values) { st, into(values); }, c);
  }
  std::size_t size() const {
    return std::visit([](const auto& values) { return values.size(); }, columns_.front());
  }
  StoreRow row(std::size_t i) const {
    StoreRow out;
    out.reserve(columns_.size());
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      out.push_back(std::visit([&](const auto& values) { return value(values[i]); }, columns_[c]));
      if (std::holds_alternative<std::monostate>(out.back()) && !info_.columns[c].nullable) {
        throw StoreError("export: " + std::string(info_.name) + "." +
                         std::string(info_.columns[c].name) + " is NULL where it may not be");
      }
    }
    return out;
  }

 private:
  static RowValue value(const Poco::Nullable<Int64>& v) {
    if (v.isNull()) return std::monostate{};
    return static_cast<std::int64_t>(v.value());
  }
  static RowValue value(const Poco::Nullable<std::string>& v) {
    if (v.isNull()) return std::monostate{};
    return v.value();
  }
  static RowValue value(const BLOB& v) { return RowBytes{string_of(v)}; }

  const StoreTableInfo& info_;
  std::vector<Column> columns_;
};

// Binds one value as a parameter (Poco's bind copies it).
void bind_value(Statement& st, const StoreColumn& column, const RowValue& value) {
  if (std::holds_alternative<std::monostate>(value)) {
    if (column.type == ColumnType::integer) {
      st, bind(Poco::Nullable<Int64>());
    } else {
      st, bind(Poco::Nullable<std::string>());
    }
  } else if (const auto* n = std::get_if<std::int64_t>(&value)) {
    st, bind(Int64{*n});
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    st, bind(*text);
  } else {
    st, bind(blob_of(std::string_view(std::get<RowBytes>(value).data)));
  }
}

// ---- The write transaction -------------------------------------------------------------------

class PostgresWriteTransaction final : public WriteTransaction {
 public:
  // `session` is inside a transaction that holds the sequencer lock.
  PostgresWriteTransaction(std::unique_lock<std::mutex> lock, Session& session)
      : lock_(std::move(lock)), s_(session) {}

  ~PostgresWriteTransaction() override {
    if (finished_) return;
    try {
      s_.rollback();
    } catch (...) {
      // A lost connection has rolled back already (the server aborts the transaction and
      // releases the lock with it); begin_write replaces the session.
    }
  }

  std::optional<LogSettings> log_settings() override {
    return guarded("log settings", [&] { return q::log_settings(s_); });
  }
  std::optional<Organisation> organisation(std::string_view id) override {
    return guarded("organisation", [&]() -> std::optional<Organisation> {
      auto rows = q::organisations(s_, id);
      if (rows.empty()) return std::nullopt;
      return rows.front();
    });
  }
  std::optional<RecordVersion> latest_version(std::string_view organisation,
                                              std::string_view record_id) override {
    return guarded("latest version", [&]() -> std::optional<RecordVersion> {
      auto rows = q::versions(s_, organisation, record_id, true);
      if (rows.empty()) return std::nullopt;
      return rows.front();
    });
  }
  std::optional<RecordVersion> record_version(std::string_view organisation,
                                              std::string_view record_id,
                                              std::uint64_t version) override {
    return guarded("record version",
                   [&] { return q::record_version(s_, organisation, record_id, version); });
  }
  // Read once, under the sequencer lock: no other node can append until this transaction ends.
  std::uint64_t log_size() override {
    if (!size_) size_ = guarded("log size", [&] { return q::log_size(s_); });
    return *size_;
  }
  std::vector<Hash> read_hashes(std::span<const NodeId> nodes) override {
    return guarded("tree hashes", [&] { return q::read_hashes(s_, nodes); });
  }
  std::optional<StoredCheckpoint> latest_checkpoint() override {
    return guarded("checkpoint", [&] { return q::latest_checkpoint(s_); });
  }

  void init_log(std::string_view actor, const LogSettings& settings) override {
    require_open();
    if (log_settings()) throw std::logic_error("the log is already initialised");
    guarded("init log", [&] {
      s_ << "INSERT INTO log_settings (singleton, origin, verifier_key, signer_key_path) "
            "VALUES (1, $1, $2, $3)",
          bind(settings.origin), bind(settings.verifier_key), bind(settings.signer_key_path), now;
      audit(actor, "log.init", settings.origin,
            {{"origin", settings.origin}, {"verifier_key", settings.verifier_key}});
    });
  }

  void put_organisation(std::string_view actor, const Organisation& o) override {
    require_open();
    guarded("put organisation", [&] {
      s_ << "INSERT INTO organisations (id, name, type) VALUES ($1, $2, $3) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type",
          bind(o.id), bind(o.name), bind(o.type), now;
      audit(actor, "organisation.put", o.id, {{"name", o.name}, {"type", o.type}});
    });
  }

  void put_token(std::string_view actor, const Token& t) override {
    require_open();
    guarded("put token", [&] {
      s_ << "INSERT INTO tokens (hash, organisation, role, label, revoked) "
            "VALUES ($1, $2, $3, $4, $5)",
          bind(blob_of(t.hash)), bind(t.organisation), bind(std::string(to_string(t.role))),
          bind(t.label), bind(t.revoked ? 1 : 0), now;
      // As in the SQLite store: the audit names the token by the start of its hash only.
      audit(actor, "token.put", t.organisation + "/" + t.label,
            {{"token", to_hex(t.hash).substr(0, 16)}, {"role", to_string(t.role)}});
    });
  }

  void revoke_token(std::string_view actor, const Hash& token_hash) override {
    require_open();
    guarded("revoke token", [&] {
      std::vector<std::string> orgs, labels;
      s_ << "SELECT organisation, label FROM tokens WHERE hash = $1", into(orgs), into(labels),
          bind(blob_of(token_hash)), now;
      if (orgs.empty()) throw std::logic_error("revoke: no such token");
      s_ << "UPDATE tokens SET revoked = 1 WHERE hash = $1", bind(blob_of(token_hash)), now;
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
      s_ << "INSERT INTO log_entries (leaf_index, entry) VALUES ($1, $2)", bind(i64(v.leaf_index)),
          bind(blob_of(nv.leaf)), now;
      s_ << "INSERT INTO bodies (hash, canonical_json) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          bind(blob_of(v.body_hash)), bind(nv.canonical_json), now;
      s_ << "INSERT INTO sources (hash, yaml) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          bind(blob_of(v.source_hash)), bind(nv.source_yaml), now;
      s_ << "INSERT INTO record_versions (organisation, record_id, version, leaf_index, "
            "body_hash, source_hash, action, accepted_at, submitter) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
          bind(v.organisation), bind(v.record_id), bind(i64(v.version)), bind(i64(v.leaf_index)),
          bind(blob_of(v.body_hash)), bind(blob_of(v.source_hash)),
          bind(std::string(to_string(v.action))), bind(v.accepted_at), bind(v.submitter), now;
      const Findings& f = nv.findings;
      s_ << "INSERT INTO findings (organisation, record_id, version, evaluated, json, "
            "errors, warnings, infos) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          bind(v.organisation), bind(v.record_id), bind(i64(v.version)), bind(f.evaluated ? 1 : 0),
          bind(f.json), bind(Int64{f.counts.error}), bind(Int64{f.counts.warning}),
          bind(Int64{f.counts.info}), now;
      for (const std::string& rule : f.failing_rules) {
        s_ << "INSERT INTO failing_rules (organisation, record_id, version, rule_id) "
              "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            bind(v.organisation), bind(v.record_id), bind(i64(v.version)), bind(rule), now;
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
      s_ << "INSERT INTO log_entries (leaf_index, entry) VALUES ($1, $2)", bind(i64(r.leaf_index)),
          bind(blob_of(nr.entry)), now;
      s_ << "INSERT INTO reviews (leaf_index, organisation, record_id, version, reviewed_leaf, "
            "reviewer, reviewer_label, note_hash, note, accepted_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
          bind(i64(r.leaf_index)), bind(r.organisation), bind(r.record_id), bind(i64(r.version)),
          bind(i64(r.reviewed_leaf)), bind(r.reviewer), bind(r.reviewer_label),
          bind(blob_of(r.note_hash)), bind(*r.note), bind(r.accepted_at), now;
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
      // One statement per chunk, every value a number or hex this function formats.
      constexpr std::size_t kChunk = 500;
      for (std::size_t first = 0; first < hashes.size(); first += kChunk) {
        const std::size_t last = std::min(hashes.size(), first + kChunk);
        std::string sql = "INSERT INTO tree_hashes (level, idx, hash) VALUES ";
        for (std::size_t i = first; i < last; ++i) {
          const StoredHash& h = hashes[i];
          if (i != first) sql += ',';
          sql += "(" + std::to_string(i64(h.node.level)) + "," + std::to_string(i64(h.node.index)) +
                 ",'\\x" + to_hex(h.hash) + "'::bytea)";
        }
        exec(s_, sql);
      }
      audit(actor, "tree.extend", std::to_string(hashes.size()) + " hashes",
            {{"hashes", hashes.size()}});
    });
  }

  void commit() override {
    require_open();
    finished_ = true;  // whatever COMMIT does, this transaction is over
    guarded("commit", [&] { s_.commit(); });
  }

 protected:
  void store_checkpoint(std::string_view actor, const StoredCheckpoint& c) override {
    require_open();
    guarded("put checkpoint", [&] {
      s_ << "INSERT INTO checkpoints (size, root, note) VALUES ($1, $2, $3)", bind(i64(c.size)),
          bind(blob_of(c.root)), bind(c.note), now;
      audit(actor, "checkpoint.put", "size " + std::to_string(c.size),
            {{"size", c.size}, {"root", to_hex(c.root)}});
    });
  }

  std::uint64_t count_rows(StoreTable table) override {
    return guarded("count rows", [&] { return count_table(s_, table); });
  }

  // Multi-row INSERTs of numbered parameters: one round trip per chunk, not per row.
  void insert_rows(StoreTable table, std::span<const StoreRow> rows) override {
    require_open();
    const StoreTableInfo& info = table_info(table);
    const std::size_t width = info.columns.size();
    // PostgreSQL takes at most 65535 parameters in one statement.
    const std::size_t chunk = std::min<std::size_t>(500, 65535 / width);
    guarded("import rows", [&] {
      for (std::size_t first = 0; first < rows.size(); first += chunk) {
        const std::size_t last = std::min(rows.size(), first + chunk);
        std::string sql =
            "INSERT INTO " + std::string(info.name) + " (" + column_list(info) + ") VALUES ";
        std::size_t parameter = 0;
        for (std::size_t r = first; r < last; ++r) {
          sql += r == first ? "(" : ", (";
          for (std::size_t c = 0; c < width; ++c) {
            sql += (c == 0 ? "$" : ", $") + std::to_string(++parameter);
          }
          sql += ")";
        }
        Statement st(s_);
        st << sql;
        for (std::size_t r = first; r < last; ++r) {
          for (std::size_t c = 0; c < width; ++c) bind_value(st, info.columns[c], rows[r][c]);
        }
        st.execute();
      }
      // Copied rows carry their doc_ids; the identity must continue after them, or the next
      // new record would be given a doc_id already taken.
      if (table == StoreTable::current_records) {
        exec(s_,
             "SELECT setval(pg_get_serial_sequence('current_records', 'doc_id'), "
             "(SELECT max(doc_id) FROM current_records))");
      }
    });
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

  // The current row and its search text; the tsvector is a generated column, so the search row
  // is just the four texts (the last written for a record wins, as with SQLite).
  void put_current(const CurrentRecord& c, const SearchText& t) {
    Poco::Nullable<int> impact;
    if (c.facets.impact_level) impact = *c.facets.impact_level;
    std::vector<Int64> doc_id;
    s_ << "INSERT INTO current_records (organisation, record_id, version, leaf_index, "
          "title, organisation_name, organisation_type, mission_area, phase, tool_type, "
          "impact_level, compliance, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
          "ON CONFLICT (organisation, record_id) DO UPDATE SET version = excluded.version, "
          "leaf_index = excluded.leaf_index, title = excluded.title, "
          "organisation_name = excluded.organisation_name, "
          "organisation_type = excluded.organisation_type, "
          "mission_area = excluded.mission_area, phase = excluded.phase, "
          "tool_type = excluded.tool_type, impact_level = excluded.impact_level, "
          "compliance = excluded.compliance, updated_at = excluded.updated_at "
          "RETURNING doc_id",
        into(doc_id), bind(c.organisation), bind(c.record_id), bind(i64(c.version)),
        bind(i64(c.leaf_index)), bind(c.title), bind(c.organisation_name),
        bind(c.facets.organisation_type), bind(c.facets.mission_area), bind(c.facets.phase),
        bind(c.facets.tool_type), bind(impact), bind(std::string(to_string(c.compliance))),
        bind(c.updated_at), now;
    if (doc_id.size() != 1) throw StoreError("current record upsert returned no row");
    s_ << "INSERT INTO search_text (doc_id, title, organisation_name, summary, body) "
          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (doc_id) DO UPDATE SET "
          "title = excluded.title, organisation_name = excluded.organisation_name, "
          "summary = excluded.summary, body = excluded.body",
        bind(doc_id[0]), bind(t.title), bind(t.organisation_name), bind(t.summary), bind(t.body),
        now;
  }

  // Audit ids are max + 1, not a sequence: sequences are not transactional, so a rolled-back
  // write would leave a gap. Every write holds the sequencer lock, so no two writers race.
  void audit(std::string_view actor, std::string_view action, const std::string& subject,
             const nlohmann::json& detail) {
    s_ << "INSERT INTO audit_log (id, actor, action, subject, detail) "
          "SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $4 FROM audit_log",
        bind(std::string(actor)), bind(std::string(action)), bind(subject), bind(detail.dump()),
        now;
  }

  std::unique_lock<std::mutex> lock_;
  Session& s_;
  bool finished_ = false;
  std::optional<std::uint64_t> size_;
};

std::once_flag g_register_connector;

// The text search configuration every query and the generated column use.
constexpr const char* k_config = "'candor'::regconfig";
// ts_rank's weights for D, C, B, A (body, summary, organisation name, title): the ratios of the
// SQLite store's bm25 weights 1/3/5/10.
constexpr const char* k_rank = "ts_rank('{0.1, 0.3, 0.5, 1.0}', s.document, q)";

// A double-quoted ts_headline option value ("" stands for a quote inside it).
std::string headline_value(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// ts_headline options giving snippets like FTS5's snippet(..., 16): one fragment of at most 16
// words around the best match, the marks around matched terms.
std::string headline_options(const std::string& open_mark, const std::string& close_mark) {
  return "StartSel=" + headline_value(open_mark) + ", StopSel=" + headline_value(close_mark) +
         ", MaxWords=16, MinWords=4, MaxFragments=1, FragmentDelimiter=" + headline_value(" … ");
}

// The text the snippet is cut from: the four fields, the summary first (it is what a reader
// wants to see around a match), then title, body and organisation name.
constexpr const char* k_snippet_text =
    "concat_ws(' … ', nullif(s.summary, ''), nullif(s.title, ''), nullif(s.body, ''), "
    "nullif(s.organisation_name, ''))";

// websearch_to_tsquery accepts any text; the contract's query language (store.h) is words and
// double-quoted phrases, so an unterminated phrase is refused, as FTS5 refuses it.
std::optional<Problem> query_problem(std::string_view match) {
  if (std::count(match.begin(), match.end(), '"') % 2 == 0) return std::nullopt;
  Problem p;
  p.code = "search.query";
  p.message = "the search text could not be understood";
  p.hint = "use plain words; put phrases in double quotes";
  return p;
}

std::string facet_column(Facet facet, bool materialized = false) {
  switch (facet) {
    case Facet::organisation:
      return materialized ? "organisation" : "c.organisation";
    case Facet::organisation_type:
      return materialized ? "organisation_type" : "c.organisation_type";
    case Facet::mission_area:
      return materialized ? "mission_area" : "c.mission_area";
    case Facet::phase:
      return materialized ? "phase" : "c.phase";
    case Facet::tool_type:
      return materialized ? "tool_type" : "c.tool_type";
    case Facet::impact_level:
      return materialized ? "impact_level"
                          : "(coalesce(CAST(c.impact_level AS text), '') COLLATE \"C\")";
    case Facet::compliance:
      return materialized ? "compliance" : "c.compliance";
  }
  throw std::logic_error("unknown facet");
}

std::string filter_conditions(const RecordSearch& search, std::optional<Facet> except,
                              bool materialized, Params& params) {
  std::string where;
  for (const FacetFilter& filter : search.filters) {
    if (filter.values.empty() || (except && filter.facet == *except)) continue;
    if (!where.empty()) where += " AND ";
    where += facet_column(filter.facet, materialized) + " IN (";
    for (std::size_t i = 0; i < filter.values.size(); ++i) {
      where += (i == 0 ? "" : ", ") + params.add(filter.values[i]);
    }
    where += ")";
  }
  return where;
}

// The FROM and WHERE clauses of a record search; `params` gains their values.
std::string search_from(const RecordSearch& search, Params& params) {
  std::string sql = "FROM current_records c ";
  std::string where;
  if (!search.match.empty()) {
    sql += "JOIN search_text s ON s.doc_id = c.doc_id CROSS JOIN websearch_to_tsquery(" +
           std::string(k_config) + ", " + params.add(search.match) + ") q ";
    where = "s.document @@ q";
  }
  const std::string filters = filter_conditions(search, std::nullopt, false, params);
  if (!filters.empty()) where += (where.empty() ? "" : " AND ") + filters;
  if (!where.empty()) sql += "WHERE " + where + " ";
  return sql;
}

// Without a full-text match, as the SQLite store does it: nothing materialized, a count that no
// filter applies to read from current_counts, any other grouped over what its filters select.
std::string unmatched_counts_sql(const RecordSearch& search, Params& params) {
  std::string sql;
  const std::string all = filter_conditions(search, std::nullopt, false, params);
  if (all.empty()) {
    sql =
        "SELECT -1::bigint, ''::text COLLATE \"C\", ''::text COLLATE \"C\", "
        "coalesce(sum(count), 0)::bigint FROM current_counts WHERE facet = " +
        params.add(std::string(to_string(Facet::organisation))) + " ";
  } else {
    sql =
        "SELECT -1::bigint, ''::text COLLATE \"C\", ''::text COLLATE \"C\", count(*) "
        "FROM current_records c WHERE " +
        all + " ";
  }
  for (std::size_t i = 0; i < std::size(k_all_facets); ++i) {
    const Facet facet = k_all_facets[i];
    const std::string others = filter_conditions(search, facet, false, params);
    sql += "UNION ALL SELECT " + std::to_string(i) + "::bigint, ";
    if (others.empty()) {
      // Labelled as the grouped counts are: the organisation by name, the rest by value.
      sql += std::string("value, ") + (facet == Facet::organisation ? "max(label)" : "value") +
             ", sum(count)::bigint FROM current_counts WHERE facet = " +
             params.add(std::string(to_string(facet))) + " GROUP BY 2 ";
    } else {
      const std::string column = facet_column(facet);
      sql += column + ", ";
      sql += facet == Facet::organisation ? "max(c.organisation_name)" : column;
      sql += ", count(*) FROM current_records c WHERE " + others;
      sql += " GROUP BY 2 ";
    }
  }
  sql += "ORDER BY 1, 2";
  return sql;
}

// The total and every facet's counts in one statement, as the SQLite store does it: rows
// (facet, value, label, count), facet -1 for the total; the full-text match runs once.
std::string facet_counts_sql(const RecordSearch& search, Params& params) {
  if (search.match.empty()) return unmatched_counts_sql(search, params);
  std::string sql =
      "WITH m AS MATERIALIZED (SELECT c.organisation AS organisation, "
      "c.organisation_name AS organisation_name, c.organisation_type AS organisation_type, "
      "c.mission_area AS mission_area, c.phase AS phase, c.tool_type AS tool_type, " +
      facet_column(Facet::impact_level) + " AS impact_level, c.compliance AS compliance " +
      "FROM current_records c ";
  if (!search.match.empty()) {
    sql += "JOIN search_text s ON s.doc_id = c.doc_id CROSS JOIN websearch_to_tsquery(" +
           std::string(k_config) + ", " + params.add(search.match) + ") q WHERE s.document @@ q ";
  }
  sql += ") ";
  const auto where = [&](std::optional<Facet> except) {
    const std::string conditions = filter_conditions(search, except, true, params);
    return conditions.empty() ? std::string{} : "WHERE " + conditions + " ";
  };
  sql += "SELECT -1::bigint, ''::text COLLATE \"C\", ''::text COLLATE \"C\", count(*) FROM m " +
         where(std::nullopt);
  for (std::size_t i = 0; i < std::size(k_all_facets); ++i) {
    const Facet facet = k_all_facets[i];
    const std::string column = facet_column(facet, true);
    const std::string label = facet == Facet::organisation ? "max(organisation_name)" : column;
    sql += "UNION ALL SELECT ";
    sql += std::to_string(i);
    sql += "::bigint, ";
    sql += column;
    sql += ", ";
    sql += label;
    sql += ", count(*) FROM m ";
    sql += where(facet);
    sql += "GROUP BY 2 ";
  }
  sql += "ORDER BY 1, 2";
  return sql;
}

std::string order_by(const RecordSearch& search) {
  if (search.sort == RecordSort::relevance && !search.match.empty()) {
    return "ORDER BY " + std::string(k_rank) + " DESC, c.organisation, c.record_id ";
  }
  if (search.sort == RecordSort::updated) {
    return "ORDER BY c.updated_at DESC, c.organisation, c.record_id ";
  }
  // SQLite's NOCASE folds ASCII letters only; lower() under the "C" collation does the same.
  return "ORDER BY lower(c.title), c.organisation, c.record_id ";
}

struct CurrentRows {
  std::vector<std::string> organisation, record_id, title, organisation_name, organisation_type,
      mission_area, phase, tool_type, compliance, updated_at;
  std::vector<Int64> version, leaf_index;
  std::vector<Poco::Nullable<int>> impact_level;

  static constexpr const char* kColumns =
      "SELECT c.organisation, c.record_id, c.version, c.leaf_index, c.title, "
      "c.organisation_name, c.organisation_type, c.mission_area, c.phase, c.tool_type, "
      "c.impact_level, c.compliance, c.updated_at ";

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

// ---- Reader pool -----------------------------------------------------------------------------

namespace {

// Closes a session that may be broken. Poco 1.11 frees a session's libpq connection only while
// it is healthy (SessionHandle::disconnect checks PQstatus first), so a broken one would leak
// (LeakSanitizer finds it). Reconnecting it first (PQreset, through Poco) lets Poco free it; if
// the server is still unreachable, that one connection's memory is lost.
void discard(std::unique_ptr<Session>& session) {
  if (!session) return;
  try {
    if (auto* impl = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(session->impl());
        impl != nullptr && !impl->handle().isConnected()) {
      impl->handle().reset();
    }
  } catch (...) {
    // Closing goes ahead either way.
  }
  session.reset();
}

}  // namespace

// A pooled reader session, returned to the pool when the lease ends, unless the call using it
// failed: the connection may be broken (a restarted server), and a fresh one costs little.
class PostgresStore::Lease {
 public:
  explicit Lease(PostgresStore& store) : store_(store), exceptions_(std::uncaught_exceptions()) {
    {
      std::lock_guard<std::mutex> lock(store_.pool_mutex_);
      if (!store_.idle_readers_.empty()) {
        session_ = std::move(store_.idle_readers_.back());
        store_.idle_readers_.pop_back();
      }
    }
    if (!session_) session_ = std::make_unique<Session>(store_.connect());
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() {
    if (std::uncaught_exceptions() > exceptions_) {
      discard(session_);
      return;
    }
    std::lock_guard<std::mutex> lock(store_.pool_mutex_);
    store_.idle_readers_.push_back(std::move(session_));
  }
  Session& operator*() { return *session_; }

 private:
  PostgresStore& store_;
  int exceptions_;
  std::unique_ptr<Session> session_;
};

// ---- The store -------------------------------------------------------------------------------

int postgres_schema_version() {
  return postgres::migrations().back().version;
}

std::unique_ptr<Store> open_postgres_store(const std::string& url, const PostgresOptions& options) {
  return std::make_unique<PostgresStore>(url, options);
}

PostgresStore::PostgresStore(const std::string& url, const PostgresOptions& options)
    : display_url_(redact_database_url(url)),
      connection_(connection_string(url, display_url_)),
      options_(options) {
  std::call_once(g_register_connector,
                 [] { Poco::Data::PostgreSQL::Connector::registerConnector(); });
  if (options_.read_only) {
    guarded("open", [&] { check_schema_read_only(); });
    return;
  }
  writer_ = std::make_unique<Session>(connect());
  guarded("open", [&] { migrate(); });
}

bool PostgresStore::read_only() const {
  return options_.read_only;
}

PostgresStore::~PostgresStore() = default;

namespace {

// libpq's message on one line: it uses newlines and tabs to lay out hints.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

Session PostgresStore::connect() const {
  const auto failed = [&](const std::string& message) {
    return StoreError("cannot connect to " + display_url_ + ": " + one_line(message) +
                      " (check that the server is running and reachable at that host and port, "
                      "that the user may log in, and that the database exists: createdb DBNAME)");
  };
  // Poco 1.11 does not free the libpq connection when connecting fails (LeakSanitizer finds it
  // at every refused connection), so libpq is asked first, directly, and gives its own message.
  {
    PGconn* probe = PQconnectdb(connection_.c_str());
    const bool ok = PQstatus(probe) == CONNECTION_OK;
    const std::string message = ok ? std::string() : PQerrorMessage(probe);
    PQfinish(probe);
    if (!ok) throw failed(message);
  }
  try {
    Session s("PostgreSQL", connection_);
    // Notices (CREATE ... IF NOT EXISTS, an empty text search query) would go to stderr.
    exec(s, "SET client_min_messages = warning");
    // The server, not only this code, then refuses any write through this process.
    if (options_.read_only) exec(s, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    return s;
  } catch (const Poco::Exception& e) {
    throw failed(e.displayText());
  }
}

void PostgresStore::migrate() {
  Session& s = *writer_;
  s.begin();
  try {
    s << "SELECT pg_advisory_xact_lock($1)", bind(Int64{k_migration_lock}), now;
    Int64 exists = 0;
    s << "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
         "AND tablename = 'schema_migrations'",
        into(exists), now;
    if (exists == 0 && !options_.create) {
      throw StoreError("the database " + display_url_ +
                       " holds no register: run candor register init --db " + display_url_ +
                       " first");
    }
    exec(s,
         "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
         "name text NOT NULL, applied_at text NOT NULL DEFAULT "
         "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))");
    int current = 0;
    s << "SELECT coalesce(max(version), 0) FROM schema_migrations", into(current), now;
    if (current > postgres_schema_version()) {
      throw StoreError(display_url_ + " has schema version " + std::to_string(current) +
                       ", newer than this build of Candor knows (" +
                       std::to_string(postgres_schema_version()) + "): upgrade Candor");
    }
    for (const postgres::Migration& m : postgres::migrations()) {
      if (m.version <= current) continue;
      for (std::string_view statement : m.statements) exec(s, std::string(statement));
      s << "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", bind(m.version),
          bind(std::string(m.name)), now;
    }
    s.commit();
  } catch (...) {
    try {
      s.rollback();
    } catch (...) {
    }
    throw;
  }
}

void PostgresStore::check_schema_read_only() {
  Session s = connect();
  Int64 tables = 0;
  s << "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
       "AND tablename = 'schema_migrations'",
      into(tables), now;
  int current = 0;
  if (tables > 0)
    s << "SELECT coalesce(max(version), 0) FROM schema_migrations", into(current), now;
  if (current == 0) {
    throw StoreError("the database " + display_url_ + " holds no register: run candor register " +
                     "init --db " + display_url_ + " first");
  }
  if (current > postgres_schema_version()) {
    throw StoreError(display_url_ + " has schema version " + std::to_string(current) +
                     ", newer than this build of Candor knows (" +
                     std::to_string(postgres_schema_version()) + "): upgrade Candor");
  }
  if (current < postgres_schema_version()) {
    throw StoreError(display_url_ + " has schema version " + std::to_string(current) +
                     " and this build of Candor needs " +
                     std::to_string(postgres_schema_version()) +
                     ": a read-only node does not migrate it; start one node without --read-only "
                     "first (opening the register writable migrates it)");
  }
}

int PostgresStore::schema_version() {
  return guarded("schema version", [&] {
    Lease l(*this);
    int v = 0;
    *l << "SELECT coalesce(max(version), 0) FROM schema_migrations", into(v), now;
    return v;
  });
}

std::optional<LogSettings> PostgresStore::log_settings() {
  return guarded("log settings", [&] {
    Lease l(*this);
    return q::log_settings(*l);
  });
}

std::optional<Organisation> PostgresStore::organisation(std::string_view id) {
  return guarded("organisation", [&]() -> std::optional<Organisation> {
    Lease l(*this);
    auto rows = q::organisations(*l, id);
    if (rows.empty()) return std::nullopt;
    return rows.front();
  });
}

std::vector<Organisation> PostgresStore::organisations() {
  return guarded("organisations", [&] {
    Lease l(*this);
    return q::organisations(*l, std::nullopt);
  });
}

std::optional<Token> PostgresStore::token(const Hash& token_hash) {
  return guarded("token", [&]() -> std::optional<Token> {
    Lease l(*this);
    std::vector<std::string> orgs, roles, labels;
    std::vector<int> revoked;
    *l << "SELECT organisation, role, label, revoked FROM tokens WHERE hash = $1", into(orgs),
        into(roles), into(labels), into(revoked), bind(blob_of(token_hash)), now;
    if (orgs.empty()) return std::nullopt;
    auto role = parse_role(roles[0]);
    if (!role) throw StoreError("stored role \"" + roles[0] + "\" is unknown");
    return Token{token_hash, orgs[0], *role, labels[0], revoked[0] != 0};
  });
}

std::vector<RecordVersion> PostgresStore::versions(std::string_view organisation,
                                                   std::string_view record_id) {
  return guarded("versions", [&] {
    Lease l(*this);
    return q::versions(*l, organisation, record_id, false);
  });
}

std::optional<RecordVersion> PostgresStore::version_at_leaf(std::uint64_t leaf_index) {
  return guarded("version", [&] {
    Lease l(*this);
    return q::version_at_leaf(*l, leaf_index);
  });
}

std::vector<Review> PostgresStore::reviews(std::string_view organisation,
                                           std::string_view record_id) {
  return guarded("reviews", [&] {
    Lease l(*this);
    const std::string org(organisation), id(record_id);
    return q::reviews(*l, "WHERE organisation = $1 AND record_id = $2 ORDER BY leaf_index",
                      [&](Statement& st) { st, bind(org), bind(id); });
  });
}

std::optional<Review> PostgresStore::review_at_leaf(std::uint64_t leaf_index) {
  return guarded("review", [&]() -> std::optional<Review> {
    Lease l(*this);
    const Int64 leaf = i64(leaf_index);
    auto rows = q::reviews(*l, "WHERE leaf_index = $1", [&](Statement& st) { st, bind(leaf); });
    if (rows.empty()) return std::nullopt;
    return rows.front();
  });
}

std::optional<std::string> PostgresStore::body(const Hash& body_hash) {
  return guarded("body", [&]() -> std::optional<std::string> {
    Lease l(*this);
    std::vector<Poco::Nullable<std::string>> text;
    *l << "SELECT canonical_json FROM bodies WHERE hash = $1", into(text), bind(blob_of(body_hash)),
        now;
    if (text.empty() || text[0].isNull()) return std::nullopt;
    return text[0].value();
  });
}

std::optional<std::string> PostgresStore::source(const Hash& source_hash) {
  return guarded("source", [&]() -> std::optional<std::string> {
    Lease l(*this);
    std::vector<Poco::Nullable<std::string>> text;
    *l << "SELECT yaml FROM sources WHERE hash = $1", into(text), bind(blob_of(source_hash)), now;
    if (text.empty() || text[0].isNull()) return std::nullopt;
    return text[0].value();
  });
}

std::optional<Findings> PostgresStore::findings(std::string_view organisation,
                                                std::string_view record_id, std::uint64_t version) {
  return guarded("findings", [&]() -> std::optional<Findings> {
    Lease l(*this);
    std::vector<int> evaluated;
    std::vector<std::string> json;
    std::vector<Int64> errors, warnings, infos;
    *l << "SELECT evaluated, json, errors, warnings, infos FROM findings "
          "WHERE organisation = $1 AND record_id = $2 AND version = $3",
        into(evaluated), into(json), into(errors), into(warnings), into(infos),
        bind(std::string(organisation)), bind(std::string(record_id)), bind(i64(version)), now;
    if (json.empty()) return std::nullopt;
    Findings f;
    f.evaluated = evaluated[0] != 0;
    f.json = json[0];
    f.counts = {static_cast<std::uint32_t>(errors[0]), static_cast<std::uint32_t>(warnings[0]),
                static_cast<std::uint32_t>(infos[0])};
    *l << "SELECT rule_id FROM failing_rules WHERE organisation = $1 AND record_id = $2 AND "
          "version = $3 ORDER BY rule_id",
        into(f.failing_rules), bind(std::string(organisation)), bind(std::string(record_id)),
        bind(i64(version)), now;
    return f;
  });
}

void PostgresStore::for_each_current_failing_rule_set(
    const std::function<void(const FailingRuleSet&)>& visit) {
  std::vector<std::string> values;
  std::vector<Int64> numbers;
  guarded("failing rule sets", [&] {
    Lease l(*this);
    *l << "SELECT value, count FROM current_counts WHERE facet = $1 ORDER BY value",
        bind(std::string(counts::k_failing_rules)), into(values), into(numbers), now;
  });
  for (const FailingRuleSet& set : counts::failing_rule_sets(values, numbers)) visit(set);
}

std::optional<CurrentRecord> PostgresStore::current_record(std::string_view organisation,
                                                           std::string_view record_id) {
  return guarded("current record", [&]() -> std::optional<CurrentRecord> {
    Lease l(*this);
    CurrentRows r;
    Statement st(*l);
    st << std::string(CurrentRows::kColumns) +
              "FROM current_records c WHERE c.organisation = $1 AND c.record_id = $2",
        bind(std::string(organisation)), bind(std::string(record_id));
    r.into_statement(st);
    st.execute();
    auto rows = r.rows();
    if (rows.empty()) return std::nullopt;
    return rows.front();
  });
}

std::vector<CurrentRecord> PostgresStore::current_records(const RecordFilter& filter) {
  return guarded("current records", [&] {
    Lease l(*this);
    Params params;
    std::string where;
    const auto add_text = [&](const char* column, const std::optional<std::string>& value) {
      if (!value) return;
      where +=
          (where.empty() ? "WHERE " : " AND ") + std::string(column) + " = " + params.add(*value);
    };
    add_text("c.organisation", filter.organisation);
    add_text("c.organisation_type", filter.organisation_type);
    add_text("c.mission_area", filter.mission_area);
    add_text("c.phase", filter.phase);
    add_text("c.tool_type", filter.tool_type);
    if (filter.impact_level) {
      // A number this function formats, compared as one.
      where += (where.empty() ? "WHERE " : " AND ") + std::string("c.impact_level = ") +
               std::to_string(*filter.impact_level);
    }
    if (filter.compliance) {
      add_text("c.compliance", std::string(to_string(*filter.compliance)));
    }
    CurrentRows r;
    Statement st(*l);
    st << std::string(CurrentRows::kColumns) + "FROM current_records c " + where +
              " ORDER BY c.organisation, c.record_id LIMIT " + sql_count(filter.limit) +
              " OFFSET " + sql_count(filter.offset);
    params.bind_all(st);
    r.into_statement(st);
    st.execute();
    return r.rows();
  });
}

Result<std::vector<SearchHit>> PostgresStore::search(const SearchQuery& query) {
  using R = Result<std::vector<SearchHit>>;
  if (auto problem = query_problem(query.match)) return R(Problems{std::move(*problem)});
  return guarded("search", [&]() -> R {
    Lease l(*this);
    std::vector<std::string> orgs, ids, titles, snippets;
    std::vector<double> ranks;
    // rank: lower is better, as bm25's is in the SQLite store.
    *l << "SELECT c.organisation, c.record_id, c.title, -" + std::string(k_rank) +
              " AS rank, ts_headline(" + k_config + ", " + k_snippet_text + ", q, $1) " +
              "FROM search_text s JOIN current_records c ON c.doc_id = s.doc_id "
              "CROSS JOIN websearch_to_tsquery(" +
              k_config + ", $2) q WHERE s.document @@ q ORDER BY rank, c.organisation, " +
              "c.record_id LIMIT " + sql_count(query.limit),
        into(orgs), into(ids), into(titles), into(ranks), into(snippets),
        bind(headline_options(query.open_mark, query.close_mark)), bind(query.match), now;
    std::vector<SearchHit> hits;
    for (std::size_t i = 0; i < orgs.size(); ++i) {
      hits.push_back({orgs[i], ids[i], titles[i], ranks[i], snippets[i]});
    }
    return hits;
  });
}

Result<RecordSearchResult> PostgresStore::find_records(const RecordSearch& search) {
  using R = Result<RecordSearchResult>;
  if (auto problem = query_problem(search.match)) return R(Problems{std::move(*problem)});
  return guarded("find records", [&]() -> R {
    Lease l(*this);
    RecordSearchResult result;
    if (search.count_facets) {
      Params params;
      const std::string sql = facet_counts_sql(search, params);
      std::vector<Int64> facets, numbers;
      std::vector<std::string> values, labels;
      Statement st(*l);
      st << sql;
      params.bind_all(st);
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
      Params params;
      const std::string from = search_from(search, params);
      Int64 total = 0;
      Statement st(*l);
      if (counts::unfiltered(search)) {
        // Every record counts once under its organisation: no scan of the register.
        st << "SELECT coalesce(sum(count), 0)::bigint FROM current_counts WHERE facet = $1",
            bind(std::string(to_string(Facet::organisation)));
      } else {
        st << "SELECT count(*) " + from;
        params.bind_all(st);
      }
      st, into(total);
      st.execute();
      result.total = u64(total);
    }
    if (search.limit > 0) {
      Params params;
      const bool matching = !search.match.empty();
      std::string snippet = "''";
      if (matching) {
        // The options are the first parameter; search_from numbers the rest after it.
        snippet = "ts_headline(" + std::string(k_config) + ", " + k_snippet_text + ", q, " +
                  params.add(headline_options(search.open_mark, search.close_mark)) + ")";
      }
      const std::string from = search_from(search, params);
      CurrentRows rows;
      std::vector<std::string> snippets;
      Statement st(*l);
      st << std::string(CurrentRows::kColumns) + ", " + snippet + " " + from + order_by(search) +
                "LIMIT " + sql_count(search.limit) + " OFFSET " + sql_count(search.offset);
      params.bind_all(st);
      rows.into_statement(st);
      st, into(snippets);
      st.execute();
      auto records = rows.rows();
      for (std::size_t i = 0; i < records.size(); ++i) {
        result.hits.push_back({std::move(records[i]), snippets.at(i)});
      }
    }
    return result;
  });
}

std::vector<RecordVersion> PostgresStore::recent_versions(
    std::optional<std::string_view> organisation, std::size_t limit) {
  return guarded("recent versions", [&] {
    Lease l(*this);
    q::VersionRows r;
    Statement st(*l);
    st << std::string(q::VersionRows::kColumns) + (organisation ? "WHERE organisation = $1 " : "") +
              "ORDER BY leaf_index DESC LIMIT " + sql_count(limit);
    if (organisation) st, bind(std::string(*organisation));
    r.into_statement(st);
    st.execute();
    return r.rows();
  });
}

std::uint64_t PostgresStore::log_size() {
  return guarded("log size", [&] {
    Lease l(*this);
    return q::log_size(*l);
  });
}

std::vector<std::string> PostgresStore::log_entries(std::uint64_t begin, std::uint64_t end) {
  return guarded("log entries", [&] {
    Lease l(*this);
    // The log only grows, so entries below the size read first are all there when the second
    // statement runs: no snapshot needs to span both.
    const std::uint64_t size = q::log_size(*l);
    if (begin > end || end > size) {
      throw std::out_of_range("log entries [" + std::to_string(begin) + ", " + std::to_string(end) +
                              ") outside the log of " + std::to_string(size));
    }
    std::vector<BLOB> entries;
    *l << "SELECT entry FROM log_entries WHERE leaf_index >= $1 AND leaf_index < $2 "
          "ORDER BY leaf_index",
        into(entries), bind(i64(begin)), bind(i64(end)), now;
    if (entries.size() != end - begin) throw StoreError("the log has a gap");
    std::vector<std::string> out;
    out.reserve(entries.size());
    for (const BLOB& b : entries) out.push_back(string_of(b));
    return out;
  });
}

std::vector<Hash> PostgresStore::read_hashes(std::span<const NodeId> nodes) {
  return guarded("tree hashes", [&] {
    Lease l(*this);
    return q::read_hashes(*l, nodes);
  });
}

std::optional<StoredCheckpoint> PostgresStore::latest_checkpoint() {
  return guarded("checkpoint", [&] {
    Lease l(*this);
    return q::latest_checkpoint(*l);
  });
}

std::optional<StoredCheckpoint> PostgresStore::checkpoint(std::uint64_t size) {
  return guarded("checkpoint", [&] {
    Lease l(*this);
    return q::checkpoint(*l, "WHERE size = $1", size);
  });
}

std::optional<StoredCheckpoint> PostgresStore::checkpoint_covering(std::uint64_t leaf_index) {
  return guarded("checkpoint", [&] {
    Lease l(*this);
    return q::checkpoint(*l, "WHERE size > $1 ORDER BY size LIMIT 1", leaf_index);
  });
}

std::vector<AuditEvent> PostgresStore::audit_events(std::uint64_t after_id, std::size_t limit) {
  return guarded("audit events", [&] {
    Lease l(*this);
    std::vector<Int64> ids;
    std::vector<std::string> at, actor, action, subject, detail;
    *l << "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE id > $1 "
          "ORDER BY id LIMIT " +
              sql_count(limit),
        into(ids), into(at), into(actor), into(action), into(subject), into(detail),
        bind(i64(after_id)), now;
    std::vector<AuditEvent> out;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      out.push_back({u64(ids[i]), at[i], actor[i], action[i], subject[i], detail[i]});
    }
    return out;
  });
}

std::uint64_t PostgresStore::row_count(StoreTable table) {
  return guarded("row count", [&] {
    Lease l(*this);
    return count_table(*l, table);
  });
}

// One REPEATABLE READ transaction over every table, so the rows are one snapshot. libpq holds a
// query's whole result in memory, so each table is read in pages of k_page rows (findings run to
// tens of kilobytes a row), each page starting after the last key of the one before: a keyed
// index scan per page, where OFFSET would rescan every earlier row.
void PostgresStore::export_rows(const std::function<void(StoreTable, const StoreRow&)>& visit) {
  constexpr std::size_t k_page = 500;
  guarded("export rows", [&] {
    Lease l(*this);
    Session& s = *l;
    if (s.isTransaction()) s.rollback();
    s.begin();
    exec(s, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    for (StoreTable table : k_store_tables) {
      const StoreTableInfo& info = table_info(table);
      std::string key, after;
      for (std::size_t i = 0; i < info.key_columns; ++i) {
        key += (i == 0 ? "" : ", ") + std::string(info.columns[i].name);
        after += (i == 0 ? "$" : ", $") + std::to_string(i + 1);
      }
      std::string first_page = "SELECT " + column_list(info) + " FROM " + std::string(info.name);
      // Row comparison in key order (text keys are COLLATE "C", as ORDER BY uses them).
      std::string next_page = first_page;
      next_page.append(" WHERE (").append(key).append(") > (").append(after).append(")");
      const std::string order = " ORDER BY " + key + " LIMIT " + std::to_string(k_page);
      first_page += order;
      next_page += order;
      std::optional<StoreRow> last;
      for (;;) {
        ColumnBuffers page(table);
        Statement st(s);
        if (!last) {
          st << first_page;
        } else {
          st << next_page;
          for (std::size_t i = 0; i < info.key_columns; ++i) {
            bind_value(st, info.columns[i], (*last)[i]);
          }
        }
        page.into_statement(st);
        st.execute();
        for (std::size_t i = 0; i < page.size(); ++i) {
          StoreRow row = page.row(i);
          visit(table, row);
          if (i + 1 == page.size()) last = std::move(row);
        }
        if (page.size() < k_page) break;
      }
    }
    s.commit();
  });
}

namespace {

// BEGIN, then the sequencer lock before anything is read: every later statement of the
// transaction (READ COMMITTED, a snapshot per statement) sees all that other nodes committed
// before the lock was granted, and none of them can append until this transaction ends.
void begin_sequenced(Session& s) {
  if (s.isTransaction()) s.rollback();
  s.begin();
  try {
    s << "SELECT pg_advisory_xact_lock($1)", bind(Int64{k_sequencer_lock}), now;
  } catch (...) {
    try {
      s.rollback();
    } catch (...) {
    }
    throw;
  }
}

}  // namespace

std::unique_ptr<WriteTransaction> PostgresStore::begin_write() {
  if (options_.read_only) {
    throw StoreError(display_url_ +
                     " is open read-only here: write through a node or command without "
                     "--read-only");
  }
  std::unique_lock<std::mutex> lock(write_mutex_);
  if (!writer_) writer_ = std::make_unique<Session>(connect());
  try {
    begin_sequenced(*writer_);
  } catch (const Poco::Exception&) {
    // The writer's connection may have broken since its last transaction (a restarted server,
    // a network failure, a terminated backend): its transaction, if any, died with it on the
    // server. Start again on a new connection, once.
    discard(writer_);
    writer_ = std::make_unique<Session>(connect());
    guarded("begin write", [&] { begin_sequenced(*writer_); });
  }
  return std::make_unique<PostgresWriteTransaction>(std::move(lock), *writer_);
}

}  // namespace candor::registry
