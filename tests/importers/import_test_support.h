// Helpers for the importer tests: US inventory CSV built from a few cells, and the records an
// import wrote, parsed back with yaml-cpp.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

#include "candor/importers/importer.h"

namespace candor::importers::test {

inline const std::vector<std::string>& us_columns() {
  static const std::vector<std::string> cols = {"agency",
                                                "agency_name",
                                                "id",
                                                "use_case_name",
                                                "agency_bureau",
                                                "contact_email",
                                                "is_withheld",
                                                "development_stage",
                                                "is_high_impact",
                                                "HI_justification",
                                                "topic_area",
                                                "classification",
                                                "problem_solved",
                                                "benefits",
                                                "system_outputs",
                                                "operational_date",
                                                "contracting_usage",
                                                "vendor_name",
                                                "have_ato",
                                                "system_name_ato",
                                                "data_description",
                                                "link_to_data",
                                                "has_pii",
                                                "pia_url",
                                                "demographic_features",
                                                "has_custom_code",
                                                "code_url",
                                                "hi_testing_conducted",
                                                "hi_assessment_completed",
                                                "hi_potential_impacts",
                                                "hi_independent_review",
                                                "hi_ongoing_monitoring",
                                                "hi_training_established",
                                                "hi_failsafe_presence",
                                                "hi_appeal_process",
                                                "hi_public_consultation"};
  return cols;
}

inline std::string csv_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

using Cells = std::map<std::string, std::string>;

// A CSV of the inventory's 36 columns; each row starts from a minimal valid row.
inline std::string us_csv(const std::vector<Cells>& rows) {
  std::string text;
  for (std::size_t i = 0; i < us_columns().size(); ++i) text += (i ? "," : "") + us_columns()[i];
  text += "\r\n";
  for (const Cells& given : rows) {
    Cells cells = {{"agency", "DOJ"},
                   {"agency_name", "Department of Justice"},
                   {"use_case_name", "Test use case"},
                   {"development_stage", "Deployed"}};
    for (const auto& [k, v] : given) cells[k] = v;
    for (std::size_t i = 0; i < us_columns().size(); ++i) {
      text +=
          (i ? "," : "") + csv_quote(cells.count(us_columns()[i]) ? cells[us_columns()[i]] : "");
    }
    text += "\r\n";
  }
  return text;
}

inline ImportReport run_import(Source source, const std::string& text) {
  ImportOptions options;
  options.imported_on = "2026-11-26";
  options.input_name = "input";
  return import_register(source, text, "input", options);
}

inline ImportReport import_us(const std::vector<Cells>& rows) {
  return run_import(Source::us_omb_2025, us_csv(rows));
}

// The one record of a one-row import (fails the test if there is not exactly one).
inline YAML::Node only_record(const ImportReport& report) {
  if (report.records.size() != 1) {
    std::string why = "expected one record, got " + std::to_string(report.records.size());
    for (const auto& r : report.rejected) {
      for (const auto& p : r.problems) why += "\n" + p.message;
    }
    throw std::runtime_error(why);
  }
  return YAML::Load(report.records[0].yaml);
}

inline YAML::Node us_record(const Cells& cells) {
  return only_record(import_us({cells}));
}

// The value at a dotted path, or an undefined/null node.
inline YAML::Node at(const YAML::Node& root, const std::string& path) {
  YAML::Node node;
  node.reset(root);
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto dot = path.find('.', start);
    const std::string key =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const YAML::Node current = node;
    if (!current.IsMap()) return YAML::Node();
    const YAML::Node child = current[key];
    if (!child) return YAML::Node();
    node.reset(child);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return node;
}

inline std::string str(const YAML::Node& root, const std::string& path) {
  const YAML::Node n = at(root, path);
  return n && n.IsScalar() ? n.Scalar() : std::string("<absent>");
}

inline bool absent(const YAML::Node& root, const std::string& path) {
  const YAML::Node n = at(root, path);
  return !n || n.IsNull();
}

}  // namespace candor::importers::test
