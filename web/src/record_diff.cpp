#include "candor/web/record_diff.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace candor::web {

namespace {

using nlohmann::json;

bool is_plain(const json& value) {
  return value.is_string() || value.is_number() || value.is_boolean();
}

std::string plain_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "Yes" : "No";
  return value.dump();  // numbers, as JSON writes them
}

void flatten_into(const json& value, const std::string& path, std::vector<RecordField>& out) {
  if (value.is_object() && !value.empty()) {
    for (const auto& [key, child] : value.items()) {
      flatten_into(child, path.empty() ? key : path + "." + key, out);
    }
    return;
  }
  if (value.is_array() && !value.empty()) {
    if (std::all_of(value.begin(), value.end(), is_plain)) {
      std::string joined;
      for (const json& item : value) {
        if (!joined.empty()) joined += ", ";
        joined += plain_text(item);
      }
      out.push_back({path, joined});
      return;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      flatten_into(value[i], path + "[" + std::to_string(i) + "]", out);
    }
    return;
  }
  out.push_back({path, is_plain(value) ? plain_text(value) : "None"});
}

// Section labels people understand; anything else falls back to humanise(key).
const std::map<std::string_view, std::string_view>& section_labels() {
  static const std::map<std::string_view, std::string_view> labels = {
      {"bias", "Bias testing"},
      {"contact", "Contact"},
      {"data", "Data"},
      {"decision", "How decisions are made"},
      {"deployment", "Deployment"},
      {"equality", "Equality"},
      {"eu_ai_act", "EU AI Act"},
      {"extensions", "Values imported from other registers"},
      {"generates_synthetic_content", "Generates text, images, audio or video"},
      {"governance", "Governance"},
      {"human_oversight", "Human oversight"},
      {"id", "Record identifier"},
      {"impact", "Impact"},
      {"interacts_with_public", "The public use it directly"},
      {"logging", "Logging"},
      {"mission_area", "Mission area"},
      {"organisation", "Organisation"},
      {"performance", "Performance"},
      {"personal_data", "Personal data"},
      {"phase", "Phase"},
      {"privacy", "Privacy"},
      {"purpose", "Purpose"},
      {"record", "About this record"},
      {"redress", "Challenging a decision"},
      {"safeguards", "Safeguards for automated decisions"},
      {"schema", "Record format"},
      {"security", "Security"},
      {"supplier", "Supplier"},
      {"tool", "The tool"},
      {"transparency", "Transparency"},
      {"withheld", "Information held back"},
  };
  return labels;
}

}  // namespace

std::vector<RecordField> flatten_record(const json& record) {
  std::vector<RecordField> out;
  flatten_into(record, "", out);
  return out;
}

std::string_view to_string(FieldChangeKind kind) {
  switch (kind) {
    case FieldChangeKind::added:
      return "added";
    case FieldChangeKind::removed:
      return "removed";
    case FieldChangeKind::changed:
      return "changed";
  }
  return "?";
}

std::vector<FieldChange> diff_records(const json& before, const json& after) {
  const std::vector<RecordField> old_fields = flatten_record(before);
  const std::vector<RecordField> new_fields = flatten_record(after);
  std::unordered_map<std::string, const RecordField*> old_by_path, new_by_path;
  for (const RecordField& f : old_fields) old_by_path.emplace(f.path, &f);
  for (const RecordField& f : new_fields) new_by_path.emplace(f.path, &f);

  // Section order: first appearance in `after`, then in `before`.
  std::vector<std::string> sections;
  const auto note_section = [&](const std::string& path) {
    const std::string section{section_of(path)};
    if (std::find(sections.begin(), sections.end(), section) == sections.end()) {
      sections.push_back(section);
    }
  };
  for (const RecordField& f : new_fields) note_section(f.path);
  for (const RecordField& f : old_fields) note_section(f.path);
  std::stable_sort(sections.begin(), sections.end(),
                   [](const auto& a, const auto& b) { return section_rank(a) < section_rank(b); });

  std::vector<FieldChange> changes;
  for (const std::string& section : sections) {
    for (const RecordField& f : new_fields) {
      if (section_of(f.path) != section) continue;
      const auto old = old_by_path.find(f.path);
      if (old == old_by_path.end()) {
        changes.push_back({f.path, FieldChangeKind::added, "", f.value});
      } else if (old->second->value != f.value) {
        changes.push_back({f.path, FieldChangeKind::changed, old->second->value, f.value});
      }
    }
    for (const RecordField& f : old_fields) {
      if (section_of(f.path) != section || new_by_path.count(f.path)) continue;
      changes.push_back({f.path, FieldChangeKind::removed, f.value, ""});
    }
  }
  return changes;
}

std::string_view section_of(std::string_view path) {
  return path.substr(0, std::min(path.find('.'), path.find('[')));
}

std::string humanise(std::string_view value) {
  std::string out;
  for (char c : value) out += (c == '-' || c == '_') ? ' ' : c;
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

int section_rank(std::string_view section) {
  static constexpr std::string_view order[] = {"tool",
                                               "organisation",
                                               "mission_area",
                                               "phase",
                                               "purpose",
                                               "decision",
                                               "human_oversight",
                                               "redress",
                                               "contact",
                                               "impact",
                                               "interacts_with_public",
                                               "generates_synthetic_content",
                                               "transparency",
                                               "deployment",
                                               "data",
                                               "personal_data",
                                               "privacy",
                                               "bias",
                                               "equality",
                                               "performance",
                                               "safeguards",
                                               "eu_ai_act",
                                               "supplier",
                                               "governance",
                                               "security",
                                               "logging",
                                               "withheld",
                                               "record",
                                               "extensions",
                                               "id",
                                               "schema"};
  for (std::size_t i = 0; i < std::size(order); ++i) {
    if (order[i] == section) return static_cast<int>(i);
  }
  return static_cast<int>(std::size(order));
}

std::string section_label(std::string_view section) {
  const auto& labels = section_labels();
  const auto it = labels.find(section);
  return it != labels.end() ? std::string{it->second} : humanise(section);
}

std::string field_label(std::string_view path) {
  const std::string_view section = section_of(path);
  std::string_view rest = path.substr(section.size());
  if (rest.empty()) return section_label(section);
  // ".sources[0].name" below the section, or "[0].field" for a top-level list (withheld).
  std::string out;
  std::string segment;
  const auto flush = [&] {
    if (segment.empty()) return;
    if (!out.empty()) out += ": ";
    out += humanise(segment);
    segment.clear();
  };
  std::size_t i = 0;
  while (i < rest.size()) {
    const char c = rest[i];
    if (c == '.') {
      flush();
      ++i;
    } else if (c == '[') {
      const std::size_t close = rest.find(']', i);
      if (close == std::string_view::npos) break;
      const std::string index{rest.substr(i + 1, close - i - 1)};
      std::string number;
      try {
        number = std::to_string(std::stoul(index) + 1);  // people count from 1
      } catch (const std::exception&) {
        number = index;
      }
      if (segment.empty() && out.empty()) {
        segment = "Item";  // a list at the top of the section: withheld[0]
      }
      segment += " " + number;
      flush();
      i = close + 1;
    } else {
      segment += c;
      ++i;
    }
  }
  flush();
  return out.empty() ? section_label(section) : out;
}

}  // namespace candor::web
