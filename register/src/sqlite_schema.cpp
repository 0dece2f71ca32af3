#include "sqlite_schema.h"

#include <string>

namespace candor::registry::sqlite {

namespace {

// The (facet, value, label) rows that the current record `row` (NEW or OLD in a trigger) counts
// under in current_counts: one per facet of the public search, labelled with the organisation's
// name for the organisation facet, and one for the exact set of rules its current version fails
// (rule ids in order, one per line), unless it fails none. Frozen with migration 4.
std::string counted_rows(std::string_view row) {
  std::string sql = R"sql(SELECT facet, value, label FROM (
      SELECT 'organisation' AS facet, R.organisation AS value, R.organisation_name AS label
      UNION ALL SELECT 'organisation_type', R.organisation_type, ''
      UNION ALL SELECT 'mission_area', R.mission_area, ''
      UNION ALL SELECT 'phase', R.phase, ''
      UNION ALL SELECT 'tool_type', R.tool_type, ''
      UNION ALL SELECT 'impact_level', coalesce(CAST(R.impact_level AS TEXT), ''), ''
      UNION ALL SELECT 'compliance', R.compliance, ''
      UNION ALL SELECT 'failing_rules', (SELECT group_concat(rule_id, char(10)) FROM (
          SELECT rule_id FROM failing_rules f WHERE f.organisation = R.organisation
            AND f.record_id = R.record_id AND f.version = R.version ORDER BY rule_id)), '')
    WHERE value IS NOT NULL)sql";
  for (std::size_t at = sql.find("R."); at != std::string::npos; at = sql.find("R.", at)) {
    sql.replace(at, 1, row);
    at += row.size() + 1;
  }
  return sql;
}

// Migration 4's statements. current_counts is kept by triggers, not by the store's code, so that
// every way a current record changes (a submission, `register copy`, a hand edit) keeps it true.
// An update counts only what changed: a resubmission that keeps its facets touches nothing.
const std::vector<std::string>& current_counts_statements() {
  static const std::vector<std::string> statements = [] {
    const std::string inserted = counted_rows("NEW");
    const std::string removed = counted_rows("OLD");
    const std::string gone = removed + " EXCEPT " + inserted;
    const std::string added = inserted + " EXCEPT " + removed;
    const std::string add = " ON CONFLICT (facet, value, label) DO UPDATE SET count = count + 1;";
    const auto take_away = [](const std::string& rows) {
      // A count that would reach zero goes, so the table holds only values in use.
      return "DELETE FROM current_counts WHERE count = 1 AND (facet, value, label) IN (" + rows +
             "); UPDATE current_counts SET count = count - 1 WHERE (facet, value, label) IN (" +
             rows + ");";
    };
    return std::vector<std::string>{
        R"sql(CREATE TABLE current_counts (
          facet TEXT NOT NULL,
          value TEXT NOT NULL,
          label TEXT NOT NULL,
          count INTEGER NOT NULL CHECK (count > 0),
          PRIMARY KEY (facet, value, label)) WITHOUT ROWID)sql",
        // Registers filed before this migration: counted once here.
        R"sql(INSERT INTO current_counts (facet, value, label, count)
          SELECT 'organisation', organisation, organisation_name, count(*) FROM current_records
            GROUP BY 2, 3
          UNION ALL SELECT 'organisation_type', organisation_type, '', count(*)
            FROM current_records GROUP BY 2
          UNION ALL SELECT 'mission_area', mission_area, '', count(*) FROM current_records
            GROUP BY 2
          UNION ALL SELECT 'phase', phase, '', count(*) FROM current_records GROUP BY 2
          UNION ALL SELECT 'tool_type', tool_type, '', count(*) FROM current_records GROUP BY 2
          UNION ALL SELECT 'impact_level', coalesce(CAST(impact_level AS TEXT), ''), '',
            count(*) FROM current_records GROUP BY 2
          UNION ALL SELECT 'compliance', compliance, '', count(*) FROM current_records
            GROUP BY 2
          UNION ALL SELECT 'failing_rules', rules, '', count(*) FROM (
            SELECT (SELECT group_concat(rule_id, char(10)) FROM (
                SELECT rule_id FROM failing_rules f WHERE f.organisation = c.organisation
                  AND f.record_id = c.record_id AND f.version = c.version ORDER BY rule_id))
              AS rules FROM current_records c)
            WHERE rules IS NOT NULL GROUP BY 2)sql",
        "CREATE TRIGGER current_counts_insert AFTER INSERT ON current_records BEGIN "
        "INSERT INTO current_counts (facet, value, label, count) SELECT facet, value, label, 1 "
        "FROM (" +
            inserted + ") WHERE true" + add + " END",
        "CREATE TRIGGER current_counts_update AFTER UPDATE ON current_records BEGIN " +
            take_away(gone) +
            " INSERT INTO current_counts (facet, value, label, count) SELECT facet, value, "
            "label, 1 FROM (" +
            added + ") WHERE true" + add + " END",
        "CREATE TRIGGER current_counts_delete AFTER DELETE ON current_records BEGIN " +
            take_away(removed) + " END"};
  }();
  return statements;
}

// Why the shape is what it is:
//  - hashes are 32-byte BLOBs; leaf indices and tree coordinates are INTEGER (int64: the log
//    would need 2^63 entries to overflow);
//  - the append-only tables refuse UPDATE and DELETE with triggers, so even a bug or a careless
//    operator with the sqlite3 shell cannot rewrite history without first dropping a trigger;
//  - bodies and sources may lose their text (lawful erasure sets it NULL) but keep their hash,
//    which the log refers to;
//  - current_records has an integer key (doc_id) that is also the rowid of its row in the FTS5
//    table, so replacing a record's search text is a keyed delete, not a scan.
const std::vector<Migration>& all_migrations() {
  // Built on first use, not at static initialisation (where a throw could not be caught).
  static const std::vector<Migration> migrations = {
      {1,
       "register core: organisations, tokens, versions, bodies, findings, current records, "
       "search, log, audit",
       {
           R"sql(CREATE TABLE log_settings (
             singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
             origin TEXT NOT NULL,
             verifier_key TEXT NOT NULL,
             signer_key_path TEXT NOT NULL))sql",
           R"sql(CREATE TABLE organisations (
             id TEXT PRIMARY KEY,
             name TEXT NOT NULL,
             type TEXT NOT NULL) WITHOUT ROWID)sql",
           R"sql(CREATE TABLE tokens (
             hash BLOB PRIMARY KEY CHECK (length(hash) = 32),
             organisation TEXT NOT NULL REFERENCES organisations (id),
             role TEXT NOT NULL CHECK (role IN ('submitter', 'regulator', 'admin')),
             label TEXT NOT NULL,
             revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))) WITHOUT ROWID)sql",
           R"sql(CREATE TABLE bodies (
             hash BLOB PRIMARY KEY CHECK (length(hash) = 32),
             canonical_json TEXT) WITHOUT ROWID)sql",
           R"sql(CREATE TABLE sources (
             hash BLOB PRIMARY KEY CHECK (length(hash) = 32),
             yaml TEXT) WITHOUT ROWID)sql",
           R"sql(CREATE TABLE log_entries (
             leaf_index INTEGER PRIMARY KEY CHECK (leaf_index >= 0),
             entry BLOB NOT NULL CHECK (length(entry) <= 65535)))sql",
           R"sql(CREATE TABLE tree_hashes (
             level INTEGER NOT NULL CHECK (level >= 0 AND level < 64),
             idx INTEGER NOT NULL CHECK (idx >= 0),
             hash BLOB NOT NULL CHECK (length(hash) = 32),
             PRIMARY KEY (level, idx)) WITHOUT ROWID)sql",
           R"sql(CREATE TABLE checkpoints (
             size INTEGER PRIMARY KEY CHECK (size >= 0),
             root BLOB NOT NULL CHECK (length(root) = 32),
             note TEXT NOT NULL))sql",
           R"sql(CREATE TABLE record_versions (
             organisation TEXT NOT NULL REFERENCES organisations (id),
             record_id TEXT NOT NULL,
             version INTEGER NOT NULL CHECK (version >= 1),
             leaf_index INTEGER NOT NULL UNIQUE REFERENCES log_entries (leaf_index),
             body_hash BLOB NOT NULL REFERENCES bodies (hash),
             source_hash BLOB NOT NULL REFERENCES sources (hash),
             action TEXT NOT NULL CHECK (action IN ('create', 'update', 'retract', 'redact')),
             accepted_at TEXT NOT NULL,
             submitter TEXT NOT NULL,
             PRIMARY KEY (organisation, record_id, version)) WITHOUT ROWID)sql",
           R"sql(CREATE TABLE findings (
             organisation TEXT NOT NULL,
             record_id TEXT NOT NULL,
             version INTEGER NOT NULL,
             evaluated INTEGER NOT NULL CHECK (evaluated IN (0, 1)),
             json TEXT NOT NULL,
             errors INTEGER NOT NULL CHECK (errors >= 0),
             warnings INTEGER NOT NULL CHECK (warnings >= 0),
             infos INTEGER NOT NULL CHECK (infos >= 0),
             PRIMARY KEY (organisation, record_id, version),
             FOREIGN KEY (organisation, record_id, version)
                 REFERENCES record_versions (organisation, record_id, version)) WITHOUT ROWID)sql",
           R"sql(CREATE TABLE current_records (
             doc_id INTEGER PRIMARY KEY,
             organisation TEXT NOT NULL,
             record_id TEXT NOT NULL,
             version INTEGER NOT NULL,
             leaf_index INTEGER NOT NULL,
             title TEXT NOT NULL,
             organisation_name TEXT NOT NULL,
             organisation_type TEXT NOT NULL,
             mission_area TEXT NOT NULL,
             phase TEXT NOT NULL,
             tool_type TEXT NOT NULL,
             impact_level INTEGER,
             compliance TEXT NOT NULL
                 CHECK (compliance IN ('not-assessed', 'failing', 'warnings', 'passing')),
             updated_at TEXT NOT NULL,
             UNIQUE (organisation, record_id),
             FOREIGN KEY (organisation, record_id, version)
                 REFERENCES record_versions (organisation, record_id, version)))sql",
           "CREATE INDEX current_records_organisation_type ON current_records (organisation_type)",
           "CREATE INDEX current_records_mission_area ON current_records (mission_area)",
           "CREATE INDEX current_records_phase ON current_records (phase)",
           "CREATE INDEX current_records_tool_type ON current_records (tool_type)",
           "CREATE INDEX current_records_impact_level ON current_records (impact_level)",
           "CREATE INDEX current_records_compliance ON current_records (compliance)",
           R"sql(CREATE VIRTUAL TABLE search_text USING fts5 (
             title, organisation_name, summary, body,
             tokenize = 'unicode61 remove_diacritics 2'))sql",
           R"sql(CREATE TABLE audit_log (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
             actor TEXT NOT NULL,
             action TEXT NOT NULL,
             subject TEXT NOT NULL,
             detail TEXT NOT NULL))sql",
           // Append-only tables.
           R"sql(CREATE TRIGGER log_settings_fixed BEFORE UPDATE ON log_settings
             BEGIN SELECT RAISE(ABORT, 'log_settings are fixed at initialisation'); END)sql",
           R"sql(CREATE TRIGGER log_settings_kept BEFORE DELETE ON log_settings
             BEGIN SELECT RAISE(ABORT, 'log_settings are fixed at initialisation'); END)sql",
           R"sql(CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries
             BEGIN SELECT RAISE(ABORT, 'log_entries is append-only'); END)sql",
           R"sql(CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries
             BEGIN SELECT RAISE(ABORT, 'log_entries is append-only'); END)sql",
           R"sql(CREATE TRIGGER tree_hashes_no_update BEFORE UPDATE ON tree_hashes
             BEGIN SELECT RAISE(ABORT, 'tree_hashes is append-only'); END)sql",
           R"sql(CREATE TRIGGER tree_hashes_no_delete BEFORE DELETE ON tree_hashes
             BEGIN SELECT RAISE(ABORT, 'tree_hashes is append-only'); END)sql",
           R"sql(CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
             BEGIN SELECT RAISE(ABORT, 'checkpoints is append-only'); END)sql",
           R"sql(CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
             BEGIN SELECT RAISE(ABORT, 'checkpoints is append-only'); END)sql",
           R"sql(CREATE TRIGGER record_versions_no_update BEFORE UPDATE ON record_versions
             BEGIN SELECT RAISE(ABORT, 'record_versions is append-only'); END)sql",
           R"sql(CREATE TRIGGER record_versions_no_delete BEFORE DELETE ON record_versions
             BEGIN SELECT RAISE(ABORT, 'record_versions is append-only'); END)sql",
           R"sql(CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
             BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END)sql",
           R"sql(CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
             BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END)sql",
       }},
      {2,
       "reviews: regulators' public review notes on record versions, each a log entry",
       {
           R"sql(CREATE TABLE reviews (
             leaf_index INTEGER PRIMARY KEY REFERENCES log_entries (leaf_index),
             organisation TEXT NOT NULL,
             record_id TEXT NOT NULL,
             version INTEGER NOT NULL CHECK (version >= 1),
             reviewed_leaf INTEGER NOT NULL REFERENCES record_versions (leaf_index),
             reviewer TEXT NOT NULL REFERENCES organisations (id),
             reviewer_label TEXT NOT NULL,
             note_hash BLOB NOT NULL CHECK (length(note_hash) = 32),
             note TEXT,
             accepted_at TEXT NOT NULL,
             FOREIGN KEY (organisation, record_id, version)
                 REFERENCES record_versions (organisation, record_id, version)))sql",
           "CREATE INDEX reviews_record ON reviews (organisation, record_id)",
           // Append-only, except that a note's text may be erased (set NULL), as a body's may:
           // the log keeps its hash.
           R"sql(CREATE TRIGGER reviews_no_update BEFORE UPDATE OF leaf_index, organisation,
             record_id, version, reviewed_leaf, reviewer, reviewer_label, note_hash, accepted_at
             ON reviews
             BEGIN SELECT RAISE(ABORT, 'reviews is append-only'); END)sql",
           R"sql(CREATE TRIGGER reviews_note_erase_only BEFORE UPDATE OF note ON reviews
             WHEN NEW.note IS NOT NULL
             BEGIN SELECT RAISE(ABORT, 'a review note may only be erased'); END)sql",
           R"sql(CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
             BEGIN SELECT RAISE(ABORT, 'reviews is append-only'); END)sql",
       }},
      {3,
       "failing_rules: the rules each version fails, so statistics count without parsing findings",
       {
           R"sql(CREATE TABLE failing_rules (
             organisation TEXT NOT NULL,
             record_id TEXT NOT NULL,
             version INTEGER NOT NULL,
             rule_id TEXT NOT NULL,
             PRIMARY KEY (organisation, record_id, version, rule_id),
             FOREIGN KEY (organisation, record_id, version)
                 REFERENCES findings (organisation, record_id, version)) WITHOUT ROWID)sql",
           // Registers filed before this migration: the same facts, read once from the stored
           // findings (an array of findings, or an object holding one under "findings").
           R"sql(INSERT OR IGNORE INTO failing_rules (organisation, record_id, version, rule_id)
             SELECT f.organisation, f.record_id, f.version, j.value ->> 'rule_id'
             FROM findings f,
                  json_each(CASE json_type(f.json) WHEN 'array' THEN f.json
                                 ELSE json_extract(f.json, '$.findings') END) j
             WHERE f.evaluated = 1 AND json_valid(f.json)
               AND json_type(f.json) IN ('array', 'object')
               AND j.value ->> 'outcome' = 'fail' AND j.value ->> 'rule_id' IS NOT NULL)sql",
           R"sql(CREATE TRIGGER failing_rules_no_update BEFORE UPDATE ON failing_rules
             BEGIN SELECT RAISE(ABORT, 'failing_rules is append-only'); END)sql",
           R"sql(CREATE TRIGGER failing_rules_no_delete BEFORE DELETE ON failing_rules
             BEGIN SELECT RAISE(ABORT, 'failing_rules is append-only'); END)sql",
       }},
      {4,
       "current_counts: records per facet value and per set of failing rules, kept by triggers, "
       "so that statistics and unfiltered counts cost the same at any size",
       {current_counts_statements().begin(), current_counts_statements().end()}},
      {5,
       "bodies, sources and findings as rowid tables: a version's large texts are appended, and "
       "only their small key index is written at random places",
       {
           // WITHOUT ROWID keeps each row inside its key's B-tree, so a body keyed by a random
           // hash landed on a random page that the commit then had to read and rewrite whole:
           // profiled, most of the sequencer's page reads and WAL writes. A rowid table appends
           // the text in arrival order; the key's index holds 32-byte entries, a hundred a page.
           // The store turns foreign keys off around migrations (SQLite's documented way to
           // rebuild a table that others refer to) and checks them before committing.
           R"sql(CREATE TABLE bodies_by_rowid (
             hash BLOB NOT NULL PRIMARY KEY CHECK (length(hash) = 32),
             canonical_json TEXT))sql",
           R"sql(INSERT INTO bodies_by_rowid (hash, canonical_json)
             SELECT hash, canonical_json FROM bodies)sql",
           "DROP TABLE bodies",
           "ALTER TABLE bodies_by_rowid RENAME TO bodies",
           R"sql(CREATE TABLE sources_by_rowid (
             hash BLOB NOT NULL PRIMARY KEY CHECK (length(hash) = 32),
             yaml TEXT))sql",
           "INSERT INTO sources_by_rowid (hash, yaml) SELECT hash, yaml FROM sources",
           "DROP TABLE sources",
           "ALTER TABLE sources_by_rowid RENAME TO sources",
           R"sql(CREATE TABLE findings_by_rowid (
             organisation TEXT NOT NULL,
             record_id TEXT NOT NULL,
             version INTEGER NOT NULL,
             evaluated INTEGER NOT NULL CHECK (evaluated IN (0, 1)),
             json TEXT NOT NULL,
             errors INTEGER NOT NULL CHECK (errors >= 0),
             warnings INTEGER NOT NULL CHECK (warnings >= 0),
             infos INTEGER NOT NULL CHECK (infos >= 0),
             PRIMARY KEY (organisation, record_id, version),
             FOREIGN KEY (organisation, record_id, version)
                 REFERENCES record_versions (organisation, record_id, version)))sql",
           R"sql(INSERT INTO findings_by_rowid
             SELECT organisation, record_id, version, evaluated, json, errors, warnings, infos
             FROM findings ORDER BY organisation, record_id, version)sql",
           "DROP TABLE findings",
           "ALTER TABLE findings_by_rowid RENAME TO findings",
       }},
  };
  return migrations;
}

}  // namespace

std::span<const Migration> migrations() {
  return all_migrations();
}

}  // namespace candor::registry::sqlite
