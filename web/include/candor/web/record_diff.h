// Records as lists of fields, and the field-by-field differences between two versions, for
// people to read (the record page's detail and the diff page).
//
// A record (its canonical JSON) is flattened to field paths in document order:
//   {"tool": {"name": "X", "type": "chatbot"}, "data": {"sources": [{"name": "A"}]}}
//   → tool.name = "X", tool.type = "chatbot", data.sources[0].name = "A"
// A list whose items are all plain values (strings, numbers, booleans) is one field, its values
// joined with ", "; a list of objects is indexed. Empty lists and objects, and null, are one
// field whose value is "None", so that adding or emptying them still shows as a change.
// Booleans read "Yes" / "No". Nothing here builds HTML: templates escape every value.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace candor::web {

struct RecordField {
  std::string path;   // "data.sources[0].name"
  std::string value;  // as shown to people
  friend bool operator==(const RecordField&, const RecordField&) = default;
};

std::vector<RecordField> flatten_record(const nlohmann::json& record);

enum class FieldChangeKind { added, removed, changed };
std::string_view to_string(FieldChangeKind kind);  // "added", "removed", "changed"

struct FieldChange {
  std::string path;
  FieldChangeKind kind = FieldChangeKind::changed;
  std::string before;  // empty when added
  std::string after;   // empty when removed
  friend bool operator==(const FieldChange&, const FieldChange&) = default;
};

// Every field whose value differs, grouped by top-level section in reading order (section_rank;
// sections it does not know in the order they first appear, in `after` then `before`); within a
// section, fields of `after` in order, then fields only `before` had. Equal records give an
// empty list.
std::vector<FieldChange> diff_records(const nlohmann::json& before, const nlohmann::json& after);

// The top-level key of a path: "data" for "data.sources[0].name".
std::string_view section_of(std::string_view path);
// Where a top-level section comes when a record is read: what the tool is and who runs it first,
// then purpose, decisions and redress, then the evidence, then the record's own bookkeeping.
// Sections it does not know rank after all known ones (equal to each other).
int section_rank(std::string_view section);
// A heading for a top-level section: "human_oversight" → "Human oversight", "tool" → "The tool".
std::string section_label(std::string_view section);
// A label for the rest of a path within its section: "data.sources[0].name" → "Sources 1: name";
// a top-level scalar ("phase") is labelled by its section.
std::string field_label(std::string_view path);
// An identifier-like value for people: "crime-and-policing" → "Crime and policing".
std::string humanise(std::string_view value);

}  // namespace candor::web
