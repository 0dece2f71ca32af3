#include "candor/importers/importer.h"

#include <map>
#include <set>

#include "candor/registry/document.h"
#include "candor/registry/schema.h"
#include "convert.h"
#include "sources.h"

namespace candor::importers {

namespace {

using registry::Problem;
using registry::Problems;

constexpr int k_max_repairs = 20;  // each pass moves at least one value to extensions

std::string where(std::size_t row, std::uint32_t line) {
  std::string s = "row " + std::to_string(row);
  if (line != 0) s += " (line " + std::to_string(line) + ")";
  return s;
}

// "data.sources[0].name" -> "data.sources[0].name", "data.sources"...: the draft path to move.
std::vector<std::string> candidate_paths(const std::string& path) {
  std::vector<std::string> out;
  std::string p = path;
  if (auto bracket = p.find('['); bracket != std::string::npos) p.resize(bracket);
  while (!p.empty()) {
    out.push_back(p);
    const auto dot = p.rfind('.');
    if (dot == std::string::npos) break;
    p.resize(dot);
  }
  return out;
}

Mapping map_row(Source source, const SourceRow& row, Draft& draft) {
  switch (source) {
    case Source::us_omb_2025:
      return map_us_omb(row, draft);
    case Source::nl_algoritmeregister:
      return map_nl(row, draft);
    case Source::uk_atrs:
      return map_uk_atrs(row, draft);
  }
  return {};
}

std::string_view source_title(Source source) {
  switch (source) {
    case Source::us_omb_2025:
      return "the US federal AI use case inventory (OMB, 2025)";
    case Source::nl_algoritmeregister:
      return "the Dutch Algoritmeregister (standard v1.0)";
    case Source::uk_atrs:
      return "the GOV.UK listing of ATRS records (summary fields only)";
  }
  return "";
}

}  // namespace

std::string_view source_name(Source source) {
  switch (source) {
    case Source::us_omb_2025:
      return "us-omb-2025";
    case Source::nl_algoritmeregister:
      return "nl-algoritmeregister";
    case Source::uk_atrs:
      return "uk-atrs";
  }
  return "";
}

std::string_view extension_key(Source source) {
  switch (source) {
    case Source::us_omb_2025:
      return "us_omb_2025";
    case Source::nl_algoritmeregister:
      return "nl_algoritmeregister";
    case Source::uk_atrs:
      return "uk_atrs";
  }
  return "";
}

std::optional<Source> source_from_name(std::string_view name) {
  for (Source s : {Source::us_omb_2025, Source::nl_algoritmeregister, Source::uk_atrs}) {
    if (source_name(s) == name) return s;
  }
  return std::nullopt;
}

bool is_empty_value(const Json& v) {
  if (v.is_null()) return true;
  if (v.is_string()) return trim(v.get_ref<const std::string&>()).empty();
  if (v.is_array() || v.is_object()) return v.empty();
  return false;
}

std::string text_of(const Json& v) {
  return v.is_string() ? v.get<std::string>() : std::string();
}

SourceRows rows_from_csv(std::string_view text, const std::string& file, const CsvLimits& limits) {
  CsvTable table = read_csv(text, file, limits);
  SourceRows out;
  out.problems = std::move(table.problems);
  for (CsvRow& r : table.rows) {
    SourceRow row;
    row.number = r.number;
    row.line = r.line;
    row.problems = std::move(r.problems);
    for (std::size_t i = 0; i < r.fields.size() && i < table.header.size(); ++i) {
      if (!table.header[i].empty()) row.fields[table.header[i]] = std::move(r.fields[i]);
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

SourceRows rows_from_json(std::string_view text, const std::string& file, std::size_t max_bytes) {
  SourceRows out;
  if (text.size() > max_bytes) {
    out.problems.push_back({file,
                            {},
                            "",
                            "json.too-large",
                            "the file has " + std::to_string(text.size()) +
                                " bytes, more than the limit of " + std::to_string(max_bytes),
                            "split the file"});
    return out;
  }
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    out.problems.push_back({file,
                            {},
                            "",
                            "json.syntax",
                            "the file is not valid JSON",
                            "give the register's JSON export, or its CSV export"});
    return out;
  }
  Json* list = nullptr;
  if (doc.is_array()) {
    list = &doc;
  } else if (doc.is_object()) {
    for (const char* key : {"records", "data", "results", "items", "algoritmes"}) {
      if (auto it = doc.find(key); it != doc.end() && it->is_array()) {
        list = &*it;
        break;
      }
    }
  }
  if (list == nullptr) {
    out.problems.push_back({file,
                            {},
                            "",
                            "json.shape",
                            "the file holds no list of records (a JSON array, or an object with "
                            "a 'records' array)",
                            "give the register's JSON export"});
    return out;
  }
  std::size_t n = 0;
  for (Json& item : *list) {
    SourceRow row;
    row.number = ++n;
    if (!item.is_object()) {
      row.problems.push_back({file,
                              {},
                              "",
                              "json.not-a-record",
                              "record " + std::to_string(n) + " is not a JSON object",
                              "each record must be an object of field names and values"});
    } else {
      row.fields = std::move(item);
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

ImportReport import_register(Source source, std::string_view text, const std::string& file,
                             const ImportOptions& options) {
  ImportReport report;
  SourceRows rows;
  const bool json = !trim(text).empty() && (trim(text).front() == '[' || trim(text).front() == '{');
  if (source == Source::uk_atrs || (source == Source::nl_algoritmeregister && json)) {
    rows = rows_from_json(text, file, options.limits.max_bytes);
  } else {
    rows = rows_from_csv(text, file, options.limits);
    if (source == Source::us_omb_2025 && rows.problems.empty()) {
      std::set<std::string> have;
      if (!rows.rows.empty()) {
        for (const auto& [k, v] : rows.rows.front().fields.items()) have.insert(k);
      }
      for (const auto& col : us_required_columns()) {
        if (!rows.rows.empty() && !have.count(col)) {
          rows.problems.push_back(
              {file,
               {1, 1},
               col,
               "import.missing-column",
               "the header has no column '" + col + "': this is not the US AI use case inventory",
               "give the inventory's CSV with its header row (docs/importers.md lists the "
               "columns)"});
        }
      }
    }
  }
  if (!rows.problems.empty()) {
    report.file_problems = std::move(rows.problems);
    return report;
  }

  const registry::SchemaValidator& validator = registry::SchemaValidator::record_v1();
  std::map<std::string, std::size_t> ids_used;  // "org/id" -> row that took it
  const std::size_t total = rows.rows.size();
  for (SourceRow& row : rows.rows) {
    ++report.rows_read;
    const std::string at = where(row.number, row.line);
    auto reject = [&](Problems problems) {
      report.rejected.push_back({row.number, row.line, std::move(problems)});
    };
    if (!row.problems.empty()) {
      reject(std::move(row.problems));
    } else {
      Draft draft{std::string(extension_key(source))};
      Mapping m = map_row(source, row, draft);
      if (!m.reasons.empty()) {
        Problems problems;
        for (auto& r : m.reasons) {
          problems.push_back(
              {file, {row.line, row.line != 0 ? 1u : 0u}, "", "import.row", at + ": " + r, ""});
        }
        reject(std::move(problems));
      } else {
        // Identity: a unique id within the organisation, in row order.
        std::string id = m.record_id.empty() ? "record" : m.record_id;
        const std::string org = m.organisation_id;
        std::string unique = id;
        for (int n = 2; ids_used.count(org + "/" + unique); ++n) {
          const std::string suffix = "-" + std::to_string(n);
          unique = id.substr(0, std::min<std::size_t>(id.size(), 80 - suffix.size())) + suffix;
        }
        if (unique != id) {
          draft.comment("id", "The source's identifier gives '" + id + "', which row " +
                                  std::to_string(ids_used[org + "/" + id]) +
                                  " already uses: this record is '" + unique + "'.");
        }
        ids_used[org + "/" + unique] = row.number;
        draft.set("schema", "candor.record/v1");
        draft.set("id", unique);
        draft.set("record.completeness", "partial");
        draft.set("record.provenance.source", std::string(source_name(source)));
        if (!m.source_id.empty()) draft.set("record.provenance.source_id", m.source_id);
        if (!m.source_url.empty()) draft.set("record.provenance.source_url", m.source_url, "url");
        if (!options.imported_on.empty()) {
          draft.set("record.provenance.imported_on", options.imported_on);
        }
        draft.header("Imported from " + std::string(source_title(source)) + " by candor import.");
        draft.header("Source: " + (options.input_name.empty() ? file : options.input_name) + ", " +
                     at + ".");
        draft.header("This record is partial: the organisation should check every field, and");
        draft.header("add what the source does not hold (run candor check to see what).");
        draft.comment("extensions",
                      "Values from the source with no field of their own here, or changed by");
        draft.comment("extensions", "conversion, kept verbatim under their source names.");

        // Emit, load, validate; move refused optional values to extensions and try again.
        std::string yaml;
        Problems problems;
        for (int pass = 0; pass <= k_max_repairs; ++pass) {
          yaml = emit(draft);
          auto doc = registry::load_document(yaml, file);
          if (!doc.ok()) {
            problems = doc.problems();
            break;
          }
          problems = validator.validate(doc.value());
          bool moved = false;
          for (const Problem& p : problems) {
            if (p.code == "schema.required") continue;
            for (const auto& candidate : candidate_paths(p.path)) {
              // A required field is never moved: the row is rejected with the schema's reason.
              if (candidate == "tool.name" || candidate == "organisation.name") break;
              if (draft.from_source(candidate) && draft.move_to_extensions(candidate)) {
                moved = true;
                break;
              }
            }
          }
          if (!moved) break;
        }
        std::vector<std::string> missing;
        bool only_missing = !problems.empty();
        for (const Problem& p : problems) {
          if (p.code == "schema.required") {
            missing.push_back(p.path);
          } else {
            only_missing = false;
          }
        }
        if (problems.empty() || (source == Source::uk_atrs && only_missing)) {
          report.records.push_back(
              {row.number, row.line, org, unique,
               (org.empty() ? std::string("unknown-organisation") : org) + "--" + unique + ".yaml",
               std::move(yaml), std::move(missing)});
        } else {
          for (Problem& p : problems) {
            p.file = file;
            p.position = {row.line, row.line != 0 ? 1u : 0u};
            p.message = at + ": the record would be invalid: " + p.message;
          }
          reject(std::move(problems));
        }
      }
    }
    if (options.progress) options.progress(report.rows_read, total);
  }
  return report;
}

}  // namespace candor::importers
