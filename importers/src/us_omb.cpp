// US federal AI use case inventory (OMB, 2025): docs/importers.md, section "US".
#include <map>
#include <set>

#include "convert.h"
#include "sources.h"

namespace candor::importers {

namespace {

// Each table accepts the dictionary's full value and its shorthand, compared case-insensitively
// after trimming.
const std::map<std::string, std::string>& phase_table() {
  static const std::map<std::string, std::string> t = {
      {"pre-deployment", "pre-deployment"},
      {"a) pre-deployment – the use case is in a development or acquisition status.",
       "pre-deployment"},
      {"pilot", "pilot"},
      {"b) pilot – the use case has been deployed in a limited test or pilot capacity.", "pilot"},
      {"deployed", "production"},
      {"c) deployed – the use case is being actively authorized or utilized to support the "
       "functions or mission of an agency.",
       "production"},
      {"retired", "retired"},
      {"d) retired – the use case was reported in the agency’s prior year’s inventory, but its "
       "development and/or use has since been discontinued.",
       "retired"},
  };
  return t;
}

const std::map<std::string, std::string>& mission_table() {
  static const std::map<std::string, std::string> t = {
      {"administrative functions", "other"},
      {"admin functions", "other"},
      {"cybersecurity", "other"},
      {"emergency management", "other"},
      {"emergency mgmt", "other"},
      {"energy and the environment", "energy-and-net-zero"},
      {"energy and environment", "energy-and-net-zero"},
      {"government benefits processing", "welfare-and-benefits"},
      {"benefits processing", "welfare-and-benefits"},
      {"health and medical", "health"},
      {"human resources", "other"},
      {"hr", "other"},
      {"information technology", "other"},
      {"it", "other"},
      {"international affairs", "other"},
      {"law enforcement", "crime-and-policing"},
      {"other", "other"},
      {"procurement and financial management", "other"},
      {"procurement and finance mgmt", "other"},
      {"science", "other"},
      {"service delivery", "other"},
      {"transportation", "transport"},
  };
  return t;
}

// classification: matched on the text before the first ':' (the full values are
// "Generative AI: AI that generates ...").
const std::map<std::string, std::string>& type_table() {
  static const std::map<std::string, std::string> t = {
      {"agentic ai", "agentic"},
      {"classical ml", "classical-ml"},
      {"classical/predictive machine learning", "classical-ml"},
      {"computer vision", "computer-vision"},
      {"generative ai", "generative"},
      {"nlp", "other"},
      {"natural language processing", "other"},
      {"reinforcement learning", "other"},
  };
  return t;
}

const std::map<std::string, bool>& external_table() {
  static const std::map<std::string, bool> t = {
      {"vendor purchased", true},
      {"a) purchased from a vendor", true},
      {"purchased from a vendor", true},
      {"in-house development", false},
      {"b) developed in-house", false},
      {"developed in-house", false},
      {"contracting and in house", true},
      {"c) developed with both contracting and in-house resources", true},
      {"developed with both contracting and in-house resources", true},
  };
  return t;
}

template <class T>
const T* lookup(const std::map<std::string, T>& table, std::string_view value) {
  auto it = table.find(lower(trim(value)));
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace

const std::vector<std::string>& us_required_columns() {
  static const std::vector<std::string> cols = {"agency", "use_case_name"};
  return cols;
}

Mapping map_us_omb(const SourceRow& row, Draft& d) {
  Mapping m;
  std::set<std::string> used;  // source fields fully represented by a Candor field
  auto cell = [&](const std::string& name) -> std::string {
    auto it = row.fields.find(name);
    return it == row.fields.end() ? std::string() : text_of(*it);
  };
  auto has = [&](const std::string& name) { return !trim(cell(name)).empty(); };

  // Organisation: agency (id), agency_name (name), agency_bureau (team).
  const std::string agency = cell("agency");
  m.organisation_id = slugify(agency);
  if (m.organisation_id.empty()) {
    m.reasons.push_back(
        "'agency' is empty, so the record has no organisation; fill in the "
        "agency's abbreviation (e.g. DOJ)");
  } else {
    d.set("organisation.id", m.organisation_id);
    if (m.organisation_id != agency) d.keep("agency", agency);
    used.insert("agency");
  }
  if (has("agency_name")) {
    d.set("organisation.name", std::string(trim(cell("agency_name"))), "agency_name");
    if (trim(cell("agency_name")) == cell("agency_name")) used.insert("agency_name");
  } else if (!m.organisation_id.empty()) {
    // The abbreviation is the agency's name too (docs/importers.md).
    d.set("organisation.name", std::string(trim(agency)));
  }
  d.set("organisation.type", "other");
  d.set("organisation.public_authority", true);
  if (has("agency_bureau")) {
    d.set("organisation.team", cell("agency_bureau"), "agency_bureau");
    used.insert("agency_bureau");
  }

  // Identity: id (slug and source_id), else the use case's name.
  const std::string name = cell("use_case_name");
  if (trim(name).empty()) {
    m.reasons.push_back("'use_case_name' is empty, and a record needs the tool's name");
  } else {
    d.set("tool.name", name, "use_case_name");
    used.insert("use_case_name");
  }
  if (has("id")) {
    m.source_id = cell("id");
    m.record_id = slugify(m.source_id);
    used.insert("id");
  }
  if (m.record_id.empty()) m.record_id = slugify(name);
  if (m.record_id.empty() && m.reasons.empty()) {
    m.reasons.push_back(
        "neither 'id' nor 'use_case_name' holds a letter or digit to make an id from");
  }

  // mission_area from topic_area (lossy: the original is always kept).
  if (has("topic_area")) {
    const std::string* area = lookup(mission_table(), cell("topic_area"));
    d.set("mission_area", area != nullptr ? *area : std::string("other"));
    if (area == nullptr) {
      d.comment("mission_area",
                "The topic area is not one of the inventory's values: 'other' "
                "stands in for it (see extensions).");
    }
  } else {
    d.set("mission_area", "other");
    d.comment("mission_area",
              "The inventory gives no topic area for this use case: 'other' stands in for it.");
  }

  // tool.type from classification (lossy: the original is kept).
  if (has("classification")) {
    const std::string c = cell("classification");
    std::string key = c.substr(0, c.find(':'));
    if (const std::string* type = lookup(type_table(), key)) d.set("tool.type", *type);
  }

  // phase from development_stage; blank stays blank (TRN-004 reports it).
  if (has("development_stage")) {
    if (const std::string* phase = lookup(phase_table(), cell("development_stage"))) {
      d.set("phase", *phase);
      if (trim(cell("development_stage")) == cell("development_stage")) {
        used.insert("development_stage");
      }
    }
  } else {
    d.comment("record",
              "The inventory gives no development stage for this use case, so it has "
              "no phase: add one.");
  }

  if (has("operational_date")) {
    if (auto date = parse_date(cell("operational_date"))) {
      d.set("deployment.start_date", date->date, "operational_date");
      if (date->exact) used.insert("operational_date");
    }
  }

  if (has("problem_solved")) {
    d.set("purpose.problem_statement", cell("problem_solved"), "problem_solved");
    used.insert("problem_solved");
  }
  if (has("benefits")) {
    d.set("purpose.public_benefit", cell("benefits"), "benefits");
    used.insert("benefits");
  }

  // contact.email: the first valid address; a cell with anything else is kept whole.
  if (has("contact_email")) {
    const auto addresses = split_addresses(cell("contact_email"));
    for (const auto& a : addresses) {
      if (looks_like_email(a)) {
        d.set("contact.email", a, "contact_email");
        if (addresses.size() == 1 && a == cell("contact_email")) used.insert("contact_email");
        break;
      }
    }
  }

  if (has("contracting_usage")) {
    if (const bool* external = lookup(external_table(), cell("contracting_usage"))) {
      d.set("supplier.external", *external);
    }
  }
  if (has("vendor_name")) {
    d.set("supplier.name", cell("vendor_name"), "vendor_name");
    used.insert("vendor_name");
  }

  if (has("has_pii")) {
    const std::string v = lower(trim(cell("has_pii")));
    if (v == "yes" || v == "no") {
      d.set("personal_data.processed", v == "yes");
      if (cell("has_pii") == "Yes" || cell("has_pii") == "No") used.insert("has_pii");
    }
  }
  if (has("pia_url") && looks_like_https_url(cell("pia_url"))) {
    d.set("privacy.dpia.url", cell("pia_url"), "pia_url");
    used.insert("pia_url");
  }

  // Everything else, and every value a conversion changed, verbatim under extensions.
  for (const auto& [field, value] : row.fields.items()) {
    if (used.count(field) || is_empty_value(value)) continue;
    const std::string text = text_of(value);
    if (auto list = parse_list_cell(text)) {
      if (!list->empty()) d.keep(field, Json(*list));
      continue;
    }
    d.keep(field, text);
  }
  return m;
}

}  // namespace candor::importers
