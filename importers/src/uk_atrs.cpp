// The GOV.UK listing of ATRS records (summary metadata only): docs/importers.md, section "UK".
#include <set>

#include "convert.h"
#include "sources.h"

namespace candor::importers {

Mapping map_uk_atrs(const SourceRow& row, Draft& d) {
  Mapping m;
  std::set<std::string> used;
  auto value = [&](const std::string& name) -> const Json& {
    static const Json null;
    auto it = row.fields.find(name);
    return it == row.fields.end() ? null : *it;
  };
  auto cell = [&](const std::string& name) { return text_of(value(name)); };
  auto has = [&](const std::string& name) {
    return value(name).is_string() && !trim(cell(name)).empty();
  };
  std::vector<std::string> missing;

  if (has("publishing_body")) {
    m.organisation_id = slugify(cell("publishing_body"));
  }
  if (!m.organisation_id.empty()) {
    d.set("organisation.id", m.organisation_id);
    d.set("organisation.name", cell("publishing_body"), "publishing_body");
    used.insert("publishing_body");
  } else {
    missing.push_back("organisation.id");
    missing.push_back("organisation.name");
  }

  if (has("tool_name")) {
    d.set("tool.name", cell("tool_name"), "tool_name");
    used.insert("tool_name");
    m.record_id = slugify(cell("tool_name"));
  } else {
    missing.push_back("tool.name");
  }
  if (has("description")) {
    const std::string description(trim(cell("description")));
    d.set("tool.description_public", description, "description");
    if (description == cell("description")) used.insert("description");
  }
  if (has("url") && looks_like_https_url(cell("url"))) {
    const std::string url = cell("url");
    d.set("transparency.atrs_record_url", url, "url");
    m.source_url = url;
    std::string_view tail = url;
    while (!tail.empty() && tail.back() == '/') tail.remove_suffix(1);
    m.source_id = std::string(tail.substr(tail.rfind('/') + 1));
    if (m.record_id.empty()) m.record_id = slugify(m.source_id);
    used.insert("url");
  }
  if (m.record_id.empty()) m.record_id = "atrs-record-" + std::to_string(row.number);

  // What the listing does not hold: the schema's required mission_area (and the organisation
  // when the listing has none), and the phase every rule pack needs. Nothing is invented.
  missing.insert(missing.begin(), "mission_area");
  missing.push_back("phase");
  for (const auto& [field, v] : row.fields.items()) {
    if (used.count(field) || is_empty_value(v)) continue;
    d.keep(field, v);
  }
  d.keep("summary_only", true);
  d.keep("missing_fields", Json(missing));
  d.comment("record",
            "From the GOV.UK listing of ATRS records, which holds summary fields only. Add what");
  d.comment("record",
            "extensions.uk_atrs.missing_fields lists (mission_area is required)"
            " from the full ATRS record, then remove summary_only.");
  return m;
}

}  // namespace candor::importers
