// Records as fields, and the field-by-field differences between two versions.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "candor/web/record_diff.h"

using namespace candor::web;
using nlohmann::json;

TEST_CASE("record diff: flattening follows the document, lists of values join", "[diff]") {
  const json record = json::parse(R"({
    "tool": {"name": "Chatbot", "third_party_model": true},
    "data": {"sources": [{"name": "A", "external_org": null}, {"name": "B"}]},
    "bias": {"testing": [{"protected_characteristics": ["age", "sex"]}]},
    "impact": {"level": 2},
    "withheld": [],
    "extensions": {}
  })");
  const std::vector<RecordField> expected = {
      {"bias.testing[0].protected_characteristics", "age, sex"},
      {"data.sources[0].external_org", "None"},
      {"data.sources[0].name", "A"},
      {"data.sources[1].name", "B"},
      {"extensions", "None"},
      {"impact.level", "2"},
      {"tool.name", "Chatbot"},
      {"tool.third_party_model", "Yes"},
      {"withheld", "None"},
  };
  CHECK(flatten_record(record) == expected);
}

TEST_CASE("record diff: added, removed and changed fields, grouped by section", "[diff]") {
  const json before = json::parse(R"({
    "phase": "pilot",
    "tool": {"name": "Old name", "type": "chatbot"},
    "data": {"sources": [{"name": "A"}, {"name": "B"}]},
    "supplier": {"external": false}
  })");
  const json after = json::parse(R"({
    "phase": "production",
    "tool": {"name": "New name", "type": "chatbot", "third_party_model": false},
    "data": {"sources": [{"name": "A"}]},
    "contact": {"email": "ai@council.example"}
  })");
  const std::vector<FieldChange> changes = diff_records(before, after);
  const std::vector<FieldChange> expected = {
      // Sections in reading order (tool, phase, contact, data, supplier), not alphabetical.
      {"tool.name", FieldChangeKind::changed, "Old name", "New name"},
      {"tool.third_party_model", FieldChangeKind::added, "", "No"},
      {"phase", FieldChangeKind::changed, "pilot", "production"},
      {"contact.email", FieldChangeKind::added, "", "ai@council.example"},
      {"data.sources[1].name", FieldChangeKind::removed, "B", ""},
      {"supplier.external", FieldChangeKind::removed, "No", ""},
  };
  CHECK(changes == expected);
  CHECK(diff_records(after, after).empty());
  // Reversed, every addition is a removal and every change swaps sides.
  const auto reversed = diff_records(after, before);
  REQUIRE(reversed.size() == expected.size());
  for (const FieldChange& c : reversed) {
    if (c.path == "contact.email") CHECK(c.kind == FieldChangeKind::removed);
    if (c.path == "supplier.external") CHECK(c.kind == FieldChangeKind::added);
    if (c.path == "phase") CHECK((c.before == "production" && c.after == "pilot"));
  }
}

TEST_CASE("record diff: values are compared as people read them", "[diff]") {
  const auto changes =
      diff_records(json::parse(R"({"a": {"b": "1"}})"), json::parse(R"({"a": {"b": true}})"));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].before == "1");
  CHECK(changes[0].after == "Yes");
  // An empty list becoming a list with items: the "None" field goes, the item fields come.
  const auto filled = diff_records(json::parse(R"({"withheld": []})"),
                                   json::parse(R"({"withheld": [{"field": "x", "reason": "y"}]})"));
  REQUIRE(filled.size() == 3);
  CHECK(filled[0] == FieldChange{"withheld[0].field", FieldChangeKind::added, "", "x"});
  CHECK(filled[2] == FieldChange{"withheld", FieldChangeKind::removed, "None", ""});
}

TEST_CASE("record diff: sections it does not know keep their order, after known ones", "[diff]") {
  const auto changes =
      diff_records(json::parse(R"({"zeta": 1, "alpha": 1, "tool": {"name": "a"}})"),
                   json::parse(R"({"zeta": 2, "alpha": 2, "tool": {"name": "b"}})"));
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].path == "tool.name");
  CHECK(changes[1].path == "alpha");  // canonical (sorted) order among unknown sections
  CHECK(changes[2].path == "zeta");
}

TEST_CASE("record diff: labels for people", "[diff]") {
  CHECK(section_of("data.sources[0].name") == "data");
  CHECK(section_of("withheld[2].reason") == "withheld");
  CHECK(section_of("phase") == "phase");
  CHECK(section_label("human_oversight") == "Human oversight");
  CHECK(section_label("tool") == "The tool");
  CHECK(section_label("something_new") == "Something new");
  CHECK(section_rank("tool") < section_rank("organisation"));
  CHECK(section_rank("redress") < section_rank("bias"));
  CHECK(section_rank("something_new") > section_rank("schema"));
  CHECK(section_rank("another_new") == section_rank("something_new"));
  CHECK(field_label("tool.description_public") == "Description public");
  CHECK(field_label("data.sources[0].name") == "Sources 1: Name");
  CHECK(field_label("withheld[1].reason") == "Item 2: Reason");
  CHECK(field_label("phase") == "Phase");
  CHECK(humanise("crime-and-policing") == "Crime and policing");
  CHECK(humanise("") == "");
  CHECK(to_string(FieldChangeKind::removed) == "removed");
}
