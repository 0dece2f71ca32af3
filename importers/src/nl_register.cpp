// Dutch Algoritmeregister, publication standard v1.0: docs/importers.md, section "NL".
#include <map>
#include <set>

#include "convert.h"
#include "sources.h"

namespace candor::importers {

namespace {

const std::map<std::string, std::string>& phase_table() {
  static const std::map<std::string, std::string> t = {
      {"in ontwikkeling", "pre-deployment"},
      {"in gebruik", "production"},
      {"buiten gebruik", "retired"},
  };
  return t;
}

const std::map<std::string, std::string>& mission_table() {
  static const std::map<std::string, std::string> t = {
      {"organisatie en bedrijfsvoering", "other"},
      {"cultuur en recreatie", "local-services"},
      {"economie", "growth"},
      {"overheidsfinanciën", "tax-and-revenue"},
      {"wonen", "local-services"},
      {"internationaal", "other"},
      {"migratie en integratie", "immigration-and-borders"},
      {"natuur en milieu", "other"},
      {"onderwijs en wetenschap", "education"},
      {"openbare orde en veiligheid", "crime-and-policing"},
      {"recht", "justice"},
      {"ruimte en infrastructuur", "local-services"},
      {"sociale zekerheid", "welfare-and-benefits"},
      {"verkeer", "transport"},
      {"werk", "employment"},
      {"zorg en gezondheid", "health"},
  };
  return t;
}

// A list field: a JSON array, or (CSV) a JSON/Python list in a cell, or comma-separated text.
std::vector<Json> list_of(const Json& v) {
  std::vector<Json> out;
  if (v.is_array()) {
    for (const Json& item : v) out.push_back(item);
    return out;
  }
  const std::string text = text_of(v);
  if (trim(text).empty()) return out;
  if (trim(text).front() == '[') {
    Json parsed = Json::parse(text, nullptr, false);
    if (!parsed.is_discarded() && parsed.is_array()) {
      for (const Json& item : parsed) out.push_back(item);
      return out;
    }
    if (auto list = parse_list_cell(text)) {
      for (auto& item : *list) out.emplace_back(item);
      return out;
    }
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const auto item = trim(std::string_view(text).substr(start, comma - start));
    if (!item.empty()) out.emplace_back(std::string(item));
    start = comma + 1;
  }
  return out;
}

std::string organisation_type(std::string_view name) {
  const std::string l = lower(trim(name));
  if (l.rfind("gemeente ", 0) == 0) return "local-authority";
  if (l.rfind("ministerie van ", 0) == 0) return "ministerial-department";
  if (l == "politie") return "police-force";
  return "";
}

}  // namespace

Mapping map_nl(const SourceRow& row, Draft& d) {
  Mapping m;
  std::set<std::string> used;
  auto value = [&](const std::string& name) -> const Json& {
    static const Json null;
    auto it = row.fields.find(name);
    return it == row.fields.end() ? null : *it;
  };
  auto cell = [&](const std::string& name) { return text_of(value(name)); };
  auto has = [&](const std::string& name) { return !is_empty_value(value(name)); };
  // Free text that may hold the allowed HTML: plain text in Candor, the original kept if changed.
  auto set_text = [&](const std::string& path, const std::string& field) {
    if (!has(field) || !value(field).is_string()) return;
    bool markup = false;
    std::string text = html_to_text(cell(field), markup);
    if (trim(text).empty()) return;
    d.set(path, text, field);
    if (!markup) used.insert(field);
  };

  const std::string organisation = cell("organization");
  m.organisation_id = slugify(organisation);
  if (m.organisation_id.empty()) {
    m.reasons.push_back("'organization' is empty, so the record has no organisation");
  } else {
    d.set("organisation.id", m.organisation_id);
    d.set("organisation.name", organisation, "organization");
    used.insert("organization");
    if (const std::string type = organisation_type(organisation); !type.empty()) {
      d.set("organisation.type", type);
    }
    d.set("organisation.public_authority", true);
  }

  const std::string name = cell("name");
  if (trim(name).empty()) {
    m.reasons.push_back("'name' is empty, and a record needs the algorithm's name");
  } else {
    d.set("tool.name", name, "name");
    used.insert("name");
    m.record_id = slugify(name);
    if (m.record_id.empty()) m.reasons.push_back("'name' holds no letter or digit to make an id");
  }
  set_text("tool.description_public", "description_short");

  // mission_area: the first theme that maps to something other than 'other'.
  std::string mission = "other";
  for (const Json& theme : list_of(value("category"))) {
    auto it = mission_table().find(lower(trim(text_of(theme))));
    if (it != mission_table().end() && it->second != "other") {
      mission = it->second;
      break;
    }
  }
  d.set("mission_area", mission);
  if (!has("category")) {
    d.comment("mission_area", "The register gives no theme for this algorithm: 'other' stands in.");
  }

  if (has("status")) {
    auto it = phase_table().find(lower(trim(cell("status"))));
    if (it != phase_table().end()) {
      d.set("phase", it->second);
      if (trim(cell("status")) == cell("status")) used.insert("status");
    }
  }
  if (has("begin_date")) {
    if (auto date = parse_date(cell("begin_date"))) {
      d.set("deployment.start_date", date->date, "begin_date");
      if (date->exact) used.insert("begin_date");
    }
  }

  // contact_email may be an address or a web address; website wins for contact.url.
  if (has("contact_email")) {
    const std::string c = std::string(trim(cell("contact_email")));
    if (looks_like_email(c)) {
      d.set("contact.email", c, "contact_email");
      if (c == cell("contact_email")) used.insert("contact_email");
    } else if (looks_like_https_url(c) && !has("website")) {
      d.set("contact.url", c, "contact_email");
      if (c == cell("contact_email")) used.insert("contact_email");
    }
  }
  if (has("website") && looks_like_https_url(cell("website"))) {
    d.set("contact.url", cell("website"), "website");
    used.insert("website");
  }

  if (has("publication_category") &&
      lower(trim(cell("publication_category"))) == "hoog-risico ai-systeem") {
    d.set("eu_ai_act.applicable", true);
    d.set("eu_ai_act.high_risk", true);
  }

  set_text("purpose.public_benefit", "goal");
  set_text("purpose.alternatives_considered", "proportionality");
  set_text("human_oversight.description", "human_intervention");

  // The DPIA entry of the impact assessments gives privacy.dpia.url (the list is kept whole).
  for (const Json& item : list_of(value("impacttoetsen_grouping"))) {
    if (!item.is_object()) continue;
    const std::string title = lower(text_of(item.value("title", Json())));
    const std::string link = text_of(item.value("link", Json()));
    if (title.find("data protection impact assessment") != std::string::npos &&
        title.find("pre-scan") == std::string::npos && looks_like_https_url(link)) {
      d.set("privacy.dpia.url", link, "impacttoetsen_grouping");
      break;
    }
  }

  // Data sources: one per listed source, named by its title (links stay in extensions).
  Json sources = Json::array();
  for (const Json& item : list_of(value("source_data_grouping"))) {
    const std::string title =
        item.is_object() ? text_of(item.value("title", Json())) : text_of(item);
    if (!trim(title).empty()) sources.push_back(Json{{"name", title}});
  }
  if (!sources.empty()) d.set("data.sources", sources, "source_data_grouping");

  if (has("provider")) {
    const std::string provider = cell("provider");
    if (lower(trim(provider)) == "intern ontwikkeld") {
      d.set("supplier.external", false);
    } else {
      d.set("supplier.external", true);
      d.set("supplier.name", provider, "provider");
      used.insert("provider");
    }
  }

  if (has("lars")) {
    const Json& lars = value("lars");
    m.source_id = lars.is_string() ? lars.get<std::string>() : lars.dump();
    if (lars.is_string()) used.insert("lars");
  }

  for (const auto& [field, v] : row.fields.items()) {
    if (used.count(field) || is_empty_value(v)) continue;
    if (v.is_string()) {
      const std::string text = v.get<std::string>();
      if (!trim(text).empty() && trim(text).front() == '[') {
        Json parsed = Json::parse(text, nullptr, false);
        if (!parsed.is_discarded() && parsed.is_array()) {
          if (!parsed.empty()) d.keep(field, parsed);
          continue;
        }
        if (auto list = parse_list_cell(text)) {
          if (!list->empty()) d.keep(field, Json(*list));
          continue;
        }
      }
    }
    d.keep(field, v);
  }
  return m;
}

}  // namespace candor::importers
