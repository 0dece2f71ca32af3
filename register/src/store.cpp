#include "candor/registry/store.h"

#include <algorithm>
#include <iterator>

#include "candor/registry/checkpoint.h"
#include "candor/registry/note.h"

namespace candor::registry {

void Store::record_denial(std::string_view actor, const Denial& denial) {
  if (read_only()) return;
  auto tx = begin_write();
  tx->record_denial(actor, denial);
  tx->commit();
}

std::string_view to_string(Role role) {
  switch (role) {
    case Role::submitter:
      return "submitter";
    case Role::regulator:
      return "regulator";
    case Role::admin:
      return "admin";
  }
  return "?";
}

std::optional<Role> parse_role(std::string_view text) {
  for (Role r : {Role::submitter, Role::regulator, Role::admin}) {
    if (to_string(r) == text) return r;
  }
  return std::nullopt;
}

std::string_view to_string(Compliance compliance) {
  switch (compliance) {
    case Compliance::not_assessed:
      return "not-assessed";
    case Compliance::failing:
      return "failing";
    case Compliance::warnings:
      return "warnings";
    case Compliance::passing:
      return "passing";
  }
  return "?";
}

std::string_view to_string(Facet facet) {
  switch (facet) {
    case Facet::organisation:
      return "organisation";
    case Facet::organisation_type:
      return "organisation_type";
    case Facet::mission_area:
      return "mission_area";
    case Facet::phase:
      return "phase";
    case Facet::tool_type:
      return "tool_type";
    case Facet::impact_level:
      return "impact_level";
    case Facet::compliance:
      return "compliance";
  }
  return "?";
}

Compliance compliance_of(const Findings& findings) {
  if (!findings.evaluated) return Compliance::not_assessed;
  if (findings.counts.error > 0) return Compliance::failing;
  if (findings.counts.warning > 0) return Compliance::warnings;
  return Compliance::passing;
}

HashReader WriteTransaction::hash_reader() {
  return [this](std::span<const NodeId> nodes) { return read_hashes(nodes); };
}

HashReader Store::hash_reader() {
  return [this](std::span<const NodeId> nodes) { return read_hashes(nodes); };
}

std::vector<FailingRuleSet> Store::current_failing_rule_sets() {
  std::vector<FailingRuleSet> out;
  for_each_current_failing_rule_set([&](const FailingRuleSet& set) { out.push_back(set); });
  return out;
}

void Store::for_each_current_record(RecordFilter filter,
                                    const std::function<void(const CurrentRecord&)>& visit) {
  constexpr std::size_t k_page = 1000;
  filter.limit = k_page;
  for (filter.offset = 0;; filter.offset += k_page) {
    const std::vector<CurrentRecord> page = current_records(filter);
    for (const CurrentRecord& r : page) visit(r);
    if (page.size() < k_page) return;
  }
}

void WriteTransaction::put_checkpoint(std::string_view actor, const StoredCheckpoint& checkpoint) {
  // The one place that decides whether a checkpoint may be published: it must describe exactly
  // the tree this transaction holds, signed by the log's own key. A bug upstream then fails the
  // transaction instead of publishing a checkpoint the data does not support.
  const auto settings = log_settings();
  if (!settings) throw std::logic_error("checkpoint: the log has not been initialised");
  auto verifier = NoteVerifier::parse(settings->verifier_key);
  if (!verifier.ok()) throw StoreError("checkpoint: the stored log key is not a verifier key");
  const NoteVerifier keys[] = {verifier.value()};
  auto opened = open_checkpoint(checkpoint.note, settings->origin, keys);
  if (!opened.ok()) {
    throw std::logic_error("checkpoint: not a checkpoint of this log signed by its key: " +
                           opened.problems().front().message);
  }
  const std::uint64_t size = log_size();
  if (opened.value().size != checkpoint.size || opened.value().root != checkpoint.root ||
      checkpoint.size != size) {
    throw std::logic_error("checkpoint: size " + std::to_string(checkpoint.size) +
                           " does not match the note or the log's " + std::to_string(size) +
                           " entries");
  }
  if (tree_root(size, hash_reader()) != checkpoint.root) {
    throw std::logic_error("checkpoint: root does not match the stored tree of size " +
                           std::to_string(size));
  }
  store_checkpoint(actor, checkpoint);
}

// ---- Rows, for moving a whole register --------------------------------------------------------

namespace {

constexpr ColumnType k_int = ColumnType::integer;
constexpr ColumnType k_text = ColumnType::text;
constexpr ColumnType k_bytes = ColumnType::bytes;

// The columns of each table as both schemas define them (sqlite_schema.cpp, postgres_schema.cpp),
// primary key first. A migration that adds a column adds it here too, or copies lose it.
constexpr StoreColumn k_log_settings[] = {{"singleton", k_int},
                                          {"origin", k_text},
                                          {"verifier_key", k_text},
                                          {"signer_key_path", k_text}};
constexpr StoreColumn k_organisations[] = {{"id", k_text}, {"name", k_text}, {"type", k_text}};
constexpr StoreColumn k_tokens[] = {{"hash", k_bytes},
                                    {"organisation", k_text},
                                    {"role", k_text},
                                    {"label", k_text},
                                    {"revoked", k_int}};
constexpr StoreColumn k_bodies[] = {{"hash", k_bytes}, {"canonical_json", k_text, true}};
constexpr StoreColumn k_sources[] = {{"hash", k_bytes}, {"yaml", k_text, true}};
constexpr StoreColumn k_log_entries[] = {{"leaf_index", k_int}, {"entry", k_bytes}};
constexpr StoreColumn k_tree_hashes[] = {{"level", k_int}, {"idx", k_int}, {"hash", k_bytes}};
constexpr StoreColumn k_checkpoints[] = {{"size", k_int}, {"root", k_bytes}, {"note", k_text}};
constexpr StoreColumn k_record_versions[] = {
    {"organisation", k_text}, {"record_id", k_text},   {"version", k_int},
    {"leaf_index", k_int},    {"body_hash", k_bytes},  {"source_hash", k_bytes},
    {"action", k_text},       {"accepted_at", k_text}, {"submitter", k_text}};
constexpr StoreColumn k_findings[] = {
    {"organisation", k_text}, {"record_id", k_text}, {"version", k_int},  {"evaluated", k_int},
    {"json", k_text},         {"errors", k_int},     {"warnings", k_int}, {"infos", k_int}};
constexpr StoreColumn k_failing_rules[] = {
    {"organisation", k_text}, {"record_id", k_text}, {"version", k_int}, {"rule_id", k_text}};
constexpr StoreColumn k_current_records[] = {{"doc_id", k_int},
                                             {"organisation", k_text},
                                             {"record_id", k_text},
                                             {"version", k_int},
                                             {"leaf_index", k_int},
                                             {"title", k_text},
                                             {"organisation_name", k_text},
                                             {"organisation_type", k_text},
                                             {"mission_area", k_text},
                                             {"phase", k_text},
                                             {"tool_type", k_text},
                                             {"impact_level", k_int, true},
                                             {"compliance", k_text},
                                             {"updated_at", k_text}};
constexpr StoreColumn k_search_text[] = {{"doc_id", k_int},
                                         {"title", k_text},
                                         {"organisation_name", k_text},
                                         {"summary", k_text},
                                         {"body", k_text}};
constexpr StoreColumn k_reviews[] = {{"leaf_index", k_int},      {"organisation", k_text},
                                     {"record_id", k_text},      {"version", k_int},
                                     {"reviewed_leaf", k_int},   {"reviewer", k_text},
                                     {"reviewer_label", k_text}, {"note_hash", k_bytes},
                                     {"note", k_text, true},     {"accepted_at", k_text}};
constexpr StoreColumn k_audit_log[] = {{"id", k_int},      {"at", k_text},      {"actor", k_text},
                                       {"action", k_text}, {"subject", k_text}, {"detail", k_text}};

std::string_view type_name(ColumnType type) {
  switch (type) {
    case ColumnType::integer:
      return "an integer";
    case ColumnType::text:
      return "text";
    case ColumnType::bytes:
      return "bytes";
  }
  return "?";
}

std::string_view value_type_name(const RowValue& value) {
  switch (value.index()) {
    case 0:
      return "NULL";
    case 1:
      return "an integer";
    case 2:
      return "text";
    default:
      return "bytes";
  }
}

bool fits(const RowValue& value, const StoreColumn& column) {
  switch (column.type) {
    case ColumnType::integer:
      return std::holds_alternative<std::int64_t>(value);
    case ColumnType::text:
      return std::holds_alternative<std::string>(value);
    case ColumnType::bytes:
      return std::holds_alternative<RowBytes>(value);
  }
  return false;
}

}  // namespace

const StoreTableInfo& table_info(StoreTable table) {
  static const StoreTableInfo log_settings{"log_settings", k_log_settings, 1};
  static const StoreTableInfo organisations{"organisations", k_organisations, 1};
  static const StoreTableInfo tokens{"tokens", k_tokens, 1};
  static const StoreTableInfo bodies{"bodies", k_bodies, 1};
  static const StoreTableInfo sources{"sources", k_sources, 1};
  static const StoreTableInfo log_entries{"log_entries", k_log_entries, 1};
  static const StoreTableInfo tree_hashes{"tree_hashes", k_tree_hashes, 2};
  static const StoreTableInfo checkpoints{"checkpoints", k_checkpoints, 1};
  static const StoreTableInfo record_versions{"record_versions", k_record_versions, 3};
  static const StoreTableInfo findings{"findings", k_findings, 3};
  static const StoreTableInfo failing_rules{"failing_rules", k_failing_rules, 4};
  static const StoreTableInfo current_records{"current_records", k_current_records, 1};
  static const StoreTableInfo search_text{"search_text", k_search_text, 1};
  static const StoreTableInfo reviews{"reviews", k_reviews, 1};
  static const StoreTableInfo audit_log{"audit_log", k_audit_log, 1};
  switch (table) {
    case StoreTable::log_settings:
      return log_settings;
    case StoreTable::organisations:
      return organisations;
    case StoreTable::tokens:
      return tokens;
    case StoreTable::bodies:
      return bodies;
    case StoreTable::sources:
      return sources;
    case StoreTable::log_entries:
      return log_entries;
    case StoreTable::tree_hashes:
      return tree_hashes;
    case StoreTable::checkpoints:
      return checkpoints;
    case StoreTable::record_versions:
      return record_versions;
    case StoreTable::findings:
      return findings;
    case StoreTable::failing_rules:
      return failing_rules;
    case StoreTable::current_records:
      return current_records;
    case StoreTable::search_text:
      return search_text;
    case StoreTable::reviews:
      return reviews;
    case StoreTable::audit_log:
      return audit_log;
  }
  throw std::logic_error("unknown store table");
}

std::string row_mismatch(StoreTable table, const StoreRow& row) {
  const StoreTableInfo& info = table_info(table);
  if (row.size() != info.columns.size()) {
    return std::string(info.name) + " has " + std::to_string(info.columns.size()) +
           " columns, the row " + std::to_string(row.size()) + " values";
  }
  for (std::size_t i = 0; i < row.size(); ++i) {
    const StoreColumn& column = info.columns[i];
    if (std::holds_alternative<std::monostate>(row[i]) ? column.nullable : fits(row[i], column)) {
      continue;
    }
    return std::string(info.name) + "." + std::string(column.name) + " takes " +
           std::string(type_name(column.type)) + (column.nullable ? " or NULL" : "") + ", not " +
           std::string(value_type_name(row[i]));
  }
  return {};
}

void WriteTransaction::import_rows(StoreTable table, std::span<const StoreRow> rows) {
  const auto position = [](StoreTable t) {
    const auto* it = std::find(std::begin(k_store_tables), std::end(k_store_tables), t);
    return it - std::begin(k_store_tables);
  };
  if (!last_imported_) {
    // Copying into a register that holds anything would mix two histories (two log_settings, two
    // audit logs), so every table must be empty, not just the log.
    for (StoreTable t : k_store_tables) {
      if (const std::uint64_t n = count_rows(t); n != 0) {
        throw std::logic_error("import: the register is not empty (" + std::to_string(n) +
                               " rows in " + std::string(to_string(t)) + ")");
      }
    }
  } else if (position(table) < position(*last_imported_)) {
    throw std::logic_error("import: " + std::string(to_string(table)) + " after " +
                           std::string(to_string(*last_imported_)) +
                           ", against the k_store_tables order");
  }
  last_imported_ = table;
  for (const StoreRow& row : rows) {
    if (std::string mismatch = row_mismatch(table, row); !mismatch.empty()) {
      throw std::logic_error("import: " + mismatch);
    }
  }
  if (!rows.empty()) insert_rows(table, rows);
}

}  // namespace candor::registry
