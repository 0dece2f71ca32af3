// The per-source halves of the importers: reading a source's rows, and mapping one row onto a
// Draft. importer.cpp runs the common part (identity, provenance, validation, emission).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "candor/importers/importer.h"
#include "draft.h"

namespace candor::importers {

struct SourceRow {
  std::size_t number = 0;
  std::uint32_t line = 0;
  Json fields = Json::object();  // source field name -> value (CSV: strings), in source order
  registry::Problems problems;   // the row could not be read
};

struct SourceRows {
  std::vector<SourceRow> rows;
  registry::Problems problems;  // file-level
};

struct Mapping {
  std::string organisation_id;       // slug, or empty
  std::string record_id;             // slug base, or empty
  std::string source_id;             // record.provenance.source_id, or empty
  std::string source_url;            // record.provenance.source_url, or empty
  std::vector<std::string> reasons;  // why the row cannot be a record (US, NL)
};

// Reads CSV rows as SourceRows (cells as strings).
SourceRows rows_from_csv(std::string_view text, const std::string& file, const CsvLimits& limits);
// Reads a JSON array of objects, or an object holding one ("records", "data", "results", "items").
SourceRows rows_from_json(std::string_view text, const std::string& file, std::size_t max_bytes);

// True if a value counts as empty (rule 3): null, "", blank text, [] or {}.
bool is_empty_value(const Json& v);
std::string text_of(const Json& v);  // a string value, or "" for anything else

Mapping map_us_omb(const SourceRow& row, Draft& draft);
Mapping map_nl(const SourceRow& row, Draft& draft);
Mapping map_uk_atrs(const SourceRow& row, Draft& draft);

// Required US columns, checked against the header before any row is mapped.
const std::vector<std::string>& us_required_columns();

}  // namespace candor::importers
