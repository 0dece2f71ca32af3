// Importers: existing AI registers turned into Candor records (candor.record/v1), with nothing
// lost. Mapping tables and value conversions: docs/importers.md and docs/field-mapping.md.
//
// Contract:
//   - Each source row (a CSV row or a JSON record) becomes one record, or one rejection with its
//     row number, line and reasons; rows_read == records.size() + rejected.size() always.
//   - A record's YAML is written with yaml-cpp's emitter (strings quoted and escaped whenever
//     needed), starts with comments that say where it came from, and lists its fields in the
//     schema's order. It is loaded and validated before it is returned: a value the schema
//     refuses in an optional field is moved to extensions.<source> instead of being dropped; a row
//     whose required fields cannot be filled is rejected (US, NL). Every source value with no
//     Candor field, and every value a conversion changes, is kept verbatim under
//     extensions.<source>.<source field name> (lists as YAML lists).
//   - UK ATRS listing entries are summaries: their records are written even though the listing
//     lacks fields the schema requires (mission_area, sometimes the organisation). Such a record
//     says so in extensions.uk_atrs.summary_only and extensions.uk_atrs.missing_fields, and in its
//     comments; `candor check` reports the missing fields.
//   - Identifiers are slugs; each record's file name is "<organisation id>--<record id>.yaml",
//     unique within an import (a repeated id gets -2, -3... in row order). The same input and
//     options give the same output, byte for byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/importers/csv.h"
#include "candor/registry/problem.h"

namespace candor::importers {

enum class Source { us_omb_2025, nl_algoritmeregister, uk_atrs };

// "us-omb-2025", "nl-algoritmeregister", "uk-atrs" (record.provenance.source).
std::string_view source_name(Source source);
std::optional<Source> source_from_name(std::string_view name);
// The key under `extensions`: "us_omb_2025"...
std::string_view extension_key(Source source);

struct ImportOptions {
  std::string imported_on;  // YYYY-MM-DD, written to record.provenance.imported_on
  std::string input_name;   // the input's name as shown in the records' comments
  CsvLimits limits;
  // Called after each row with (rows done, rows in all); may be empty.
  std::function<void(std::size_t, std::size_t)> progress;
};

struct ImportedRecord {
  std::size_t row = 0;     // 1-based row (CSV: after the header; JSON: record index)
  std::uint32_t line = 0;  // where the row starts (0 for JSON input)
  std::string organisation_id;
  std::string record_id;
  std::string file_name;  // "<organisation_id>--<record_id>.yaml"
  std::string yaml;
  std::vector<std::string> missing;  // required fields the source lacks (UK summaries); empty
                                     // means the record is schema-valid
};

struct RejectedRow {
  std::size_t row = 0;
  std::uint32_t line = 0;
  registry::Problems problems;  // why; each message starts "row N (line L): "
};

struct ImportReport {
  std::size_t rows_read = 0;
  std::vector<ImportedRecord> records;
  std::vector<RejectedRow> rejected;
  registry::Problems file_problems;  // the input as a whole is unusable (nothing imported)
};

// Imports `text` (the whole input file; `file` names it in problems). Never throws on bad input.
ImportReport import_register(Source source, std::string_view text, const std::string& file,
                             const ImportOptions& options);

}  // namespace candor::importers
