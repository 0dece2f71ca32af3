#include "record_view.h"

#include <algorithm>
#include <array>
#include <map>

#include "candor/registry/merkle.h"
#include "candor/registry/receipt.h"
#include "candor/rules/report.h"
#include "candor/rules/shipped_packs.h"
#include "candor/web/record_diff.h"
#include "candor/web/url.h"

namespace candor::web {

namespace {

using nlohmann::json;
using registry::Compliance;
using registry::Facet;

// The value at a dotted path of plain object keys, or nullptr.
const json* at(const json& body, std::initializer_list<std::string_view> keys) {
  const json* node = &body;
  for (std::string_view key : keys) {
    if (!node->is_object()) return nullptr;
    const auto it = node->find(std::string{key});
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

std::string text_at(const json& body, std::initializer_list<std::string_view> keys) {
  const json* node = at(body, keys);
  return node && node->is_string() ? node->get<std::string>() : std::string{};
}

std::optional<bool> bool_at(const json& body, std::initializer_list<std::string_view> keys) {
  const json* node = at(body, keys);
  if (node && node->is_boolean()) return node->get<bool>();
  return std::nullopt;
}

json item(std::string heading, std::string id) {
  return {{"heading", std::move(heading)},
          {"id", std::move(id)},
          {"paragraphs", json::array()},
          {"links", json::array()}};
}

void add_paragraph(json& item, const std::string& text) {
  if (!text.empty()) item["paragraphs"].push_back(text);
}

std::string counted(std::uint64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string{n == 1 ? one : many};
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string record_url(std::string_view organisation, std::string_view record_id) {
  return "/records/" + percent_encode(organisation) + "/" + percent_encode(record_id);
}

std::string version_url(std::string_view organisation, std::string_view record_id,
                        std::uint64_t version) {
  return record_url(organisation, record_id) + "/versions/" + std::to_string(version);
}

std::string diff_url(std::string_view organisation, std::string_view record_id, std::uint64_t from,
                     std::uint64_t to) {
  return record_url(organisation, record_id) + "/diff?from=" + std::to_string(from) +
         "&to=" + std::to_string(to);
}

std::string organisation_url(std::string_view organisation) {
  return "/organisations/" + percent_encode(organisation);
}

std::string human_date(std::string_view iso) {
  static constexpr std::array<std::string_view, 12> months = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  const auto digits = [&](std::size_t from, std::size_t n) {
    if (iso.size() < from + n) return -1;
    int value = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return -1;
      value = value * 10 + (iso[i] - '0');
    }
    return value;
  };
  const int year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || iso[4] != '-' ||
      iso[7] != '-') {
    return std::string{iso};
  }
  return std::to_string(day) + " " + std::string{months[static_cast<std::size_t>(month - 1)]} +
         " " + std::to_string(year);
}

std::string compliance_label(Compliance compliance) {
  switch (compliance) {
    case Compliance::not_assessed:
      return "Not assessed";
    case Compliance::failing:
      return "Does not meet the rules";
    case Compliance::warnings:
      return "Meets the rules, with warnings";
    case Compliance::passing:
      return "Meets the rules";
  }
  return "Unknown";
}

std::string compliance_tag_class(Compliance compliance) {
  switch (compliance) {
    case Compliance::failing:
      return "govuk-tag--red";
    case Compliance::warnings:
      return "govuk-tag--yellow";
    case Compliance::passing:
      return "govuk-tag--green";
    case Compliance::not_assessed:
      break;
  }
  return "govuk-tag--grey";
}

std::string facet_heading(Facet facet) {
  switch (facet) {
    case Facet::organisation:
      return "Organisation";
    case Facet::organisation_type:
      return "Type of organisation";
    case Facet::mission_area:
      return "Mission area";
    case Facet::phase:
      return "Phase";
    case Facet::tool_type:
      return "Type of AI";
    case Facet::impact_level:
      return "Impact level";
    case Facet::compliance:
      return "Compliance";
  }
  return "?";
}

std::string facet_value_label(Facet facet, std::string_view value) {
  if (facet == Facet::compliance) {
    for (Compliance c : {Compliance::not_assessed, Compliance::failing, Compliance::warnings,
                         Compliance::passing}) {
      if (registry::to_string(c) == value) return compliance_label(c);
    }
  }
  if (value.empty()) return "Not stated";
  if (facet == Facet::impact_level) return "Level " + std::string{value};
  // Values whose generic humanised form would read wrongly (abbreviations, hyphenated words).
  static const std::map<std::string_view, std::string_view> special = {
      {"classical-ml", "Classical machine learning"},
      {"llm_assistant", "LLM assistant"},
      {"rules-based", "Rules-based"},
      {"pre-deployment", "Pre-deployment"},
      {"arms-length-body", "Arm's-length body"},
      {"nhs-body", "NHS body"},
      {"non-ministerial-department", "Non-ministerial department"},
      {"energy-and-net-zero", "Energy and net zero"},
  };
  if (const auto it = special.find(value); it != special.end()) return std::string{it->second};
  return humanise(value);
}

std::string action_label(registry::LeafAction action) {
  switch (action) {
    case registry::LeafAction::create:
      return "First published";
    case registry::LeafAction::update:
      return "Updated";
    case registry::LeafAction::retract:
      return "Retracted";
    case registry::LeafAction::redact:
      return "Redacted";
  }
  return "Changed";
}

json summary_view(const json& body) {
  json items = json::array();

  json what = item("What it is", "what-it-is");
  add_paragraph(what, text_at(body, {"tool", "description_public"}));
  if (what["paragraphs"].empty()) {
    add_paragraph(what, "The organisation has not published a description of this tool yet.");
  }
  items.push_back(std::move(what));

  json why = item("Why it is used", "why-it-is-used");
  add_paragraph(why, text_at(body, {"purpose", "problem_statement"}));
  add_paragraph(why, text_at(body, {"purpose", "public_benefit"}));
  if (why["paragraphs"].empty()) add_paragraph(why, "The organisation has not said why yet.");
  items.push_back(std::move(why));

  json who = item("Who makes the decision", "who-decides");
  const std::string role = text_at(body, {"decision", "role"});
  if (role == "informs") {
    add_paragraph(who, "The tool gives information to staff. People make the decisions.");
  } else if (role == "recommends") {
    add_paragraph(who, "The tool suggests an outcome. A person then decides.");
  } else if (role == "decides") {
    add_paragraph(who, "The tool's output is the decision.");
  }
  if (const auto human = bool_at(body, {"human_oversight", "final_decision_by_human"})) {
    add_paragraph(who, *human ? "A person always makes the final decision."
                              : "A person does not always make the final decision.");
  }
  add_paragraph(who, text_at(body, {"human_oversight", "description"}));
  if (who["paragraphs"].empty()) {
    add_paragraph(who,
                  "The organisation has not said who makes decisions or how people check "
                  "the tool's output.");
  }
  items.push_back(std::move(who));

  json challenge = item("How to challenge a decision", "how-to-challenge");
  add_paragraph(challenge, text_at(body, {"redress", "route"}));
  if (challenge["paragraphs"].empty()) {
    add_paragraph(
        challenge,
        "The organisation has not said how to challenge a decision. Contact them to ask.");
  }
  items.push_back(std::move(challenge));

  json contact = item("Who to contact", "contact");
  std::string who_runs = text_at(body, {"organisation", "name"});
  const std::string team = text_at(body, {"organisation", "team"});
  if (!team.empty()) who_runs = team + ", " + who_runs;
  add_paragraph(contact, who_runs);
  const std::string email = text_at(body, {"contact", "email"});
  if (!email.empty()) contact["links"].push_back({{"text", email}, {"href", "mailto:" + email}});
  const std::string url = text_at(body, {"contact", "url"});
  // The schema only allows https addresses; anything else is shown but never linked.
  if (starts_with(url, "https://")) {
    contact["links"].push_back({{"text", url}, {"href", url}});
  } else {
    add_paragraph(contact, url);
  }
  items.push_back(std::move(contact));
  for (json& entry : items) entry["has_links"] = !entry["links"].empty();
  return items;
}

json key_facts_view(const json& body, const registry::RecordVersion& version) {
  json rows = json::array();
  const auto row = [&](std::string key, std::string value, std::string href = {}) {
    if (value.empty()) return;
    json r = {{"key", std::move(key)}, {"value", std::move(value)}};
    if (!href.empty()) r["href"] = std::move(href);
    rows.push_back(std::move(r));
  };
  row("Organisation", text_at(body, {"organisation", "name"}),
      organisation_url(version.organisation));
  row("Type of AI", facet_value_label(Facet::tool_type, text_at(body, {"tool", "type"})));
  row("Mission area", facet_value_label(Facet::mission_area, text_at(body, {"mission_area"})));
  row("Phase", facet_value_label(Facet::phase, text_at(body, {"phase"})));
  if (const json* level = at(body, {"impact", "level"}); level && level->is_number_integer()) {
    row("Impact level", std::to_string(level->get<int>()) + " out of 4");
  }
  row("Version",
      std::to_string(version.version) + ", published " + human_date(version.accepted_at));
  return rows;
}

json detail_view(const json& body) {
  std::vector<RecordField> fields = flatten_record(body);
  std::stable_sort(fields.begin(), fields.end(), [](const RecordField& a, const RecordField& b) {
    return section_rank(section_of(a.path)) < section_rank(section_of(b.path));
  });
  json sections = json::array();
  std::string current;
  for (const RecordField& field : fields) {
    const std::string section{section_of(field.path)};
    if (section == "schema") continue;
    if (sections.empty() || section != current) {
      current = section;
      sections.push_back({{"heading", section_label(section)},
                          {"id", "detail-" + section},
                          {"rows", json::array()}});
    }
    sections.back()["rows"].push_back({{"key", field_label(field.path)}, {"value", field.value}});
  }
  return sections;
}

namespace {

// The stored findings as (findings array, rules by id): see findings_view.
struct ParsedFindings {
  json findings = json::array();
  std::map<std::string, json> rules;
};

// The shipped rule packs' rules by id, in the shape of a report's rules[] entry: a finding
// stored without its rule's title, sources and remediation is explained from here. Loaded once
// (thread-safe static); a pack that does not load is skipped, and its findings show their ids.
const std::map<std::string, json>& shipped_rules() {
  static const std::map<std::string, json> rules = [] {
    std::map<std::string, json> out;
    for (const std::string& name : candor::rules::shipped_pack_names()) {
      auto pack = candor::rules::load_shipped_pack(name);
      if (!pack.ok()) continue;
      for (const candor::rules::Rule& rule : pack.value().rules) {
        json sources = json::array();
        for (const candor::rules::Source& source : rule.sources) {
          json entry = {{"cite", source.cite}};
          if (!source.url.empty()) entry["url"] = source.url;
          sources.push_back(std::move(entry));
        }
        out.emplace(rule.id,
                    json{{"id", rule.id},
                         {"title", rule.title},
                         {"recommendation_name",
                          std::string{candor::rules::recommendation_name(rule.recommendation)}},
                         {"sources", std::move(sources)},
                         {"remediation", rule.remediation}});
      }
    }
    return out;
  }();
  return rules;
}

// The rule a finding names: from the stored report's rules[], else from the shipped packs.
json rule_for(const std::map<std::string, json>& stored, const std::string& rule_id) {
  if (const auto it = stored.find(rule_id); it != stored.end()) return it->second;
  const auto& shipped = shipped_rules();
  if (const auto it = shipped.find(rule_id); it != shipped.end()) return it->second;
  return json::object();
}

ParsedFindings parse_findings(const std::string& text) {
  ParsedFindings out;
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_array()) {
    out.findings = std::move(parsed);
  } else if (parsed.is_object()) {
    if (parsed.contains("findings") && parsed["findings"].is_array()) {
      out.findings = parsed["findings"];
    } else if (parsed.contains("records") && parsed["records"].is_array() &&
               !parsed["records"].empty() && parsed["records"][0].contains("findings")) {
      out.findings = parsed["records"][0]["findings"];
    }
    if (parsed.contains("rules") && parsed["rules"].is_array()) {
      for (const json& rule : parsed["rules"]) {
        if (rule.is_object() && rule.contains("id") && rule["id"].is_string()) {
          out.rules[rule["id"].get<std::string>()] = rule;
        }
      }
    }
  }
  return out;
}

std::string string_field(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// A field of the finding, else of its rule.
std::string described(const json& finding, const json& rule, const char* key) {
  std::string value = string_field(finding, key);
  return value.empty() ? string_field(rule, key) : value;
}

}  // namespace

json findings_view(const std::optional<registry::Findings>& findings) {
  const Compliance status =
      findings ? registry::compliance_of(*findings) : Compliance::not_assessed;
  json view = {{"assessed", status != Compliance::not_assessed},
               {"status", std::string{registry::to_string(status)}},
               {"status_label", compliance_label(status)},
               {"tag_class", compliance_tag_class(status)},
               {"problems", json::array()},
               {"has_problems", false},
               {"passed", 0},
               {"not_applicable", 0},
               {"waived", 0}};
  if (status == Compliance::not_assessed) return view;
  view["errors"] = findings->counts.error;
  view["warnings"] = findings->counts.warning;
  const ParsedFindings parsed = parse_findings(findings->json);
  int passed = 0, not_applicable = 0, waived = 0;
  for (const json& finding : parsed.findings) {
    if (!finding.is_object()) continue;
    const std::string outcome = string_field(finding, "outcome");
    if (outcome == "pass") ++passed;
    if (outcome == "not_applicable") ++not_applicable;
    if (outcome != "fail" && outcome != "waived") continue;
    if (outcome == "waived") ++waived;
    const std::string rule_id = string_field(finding, "rule_id");
    const json rule = rule_for(parsed.rules, rule_id);
    std::string title = described(finding, rule, "title");
    const std::string severity = string_field(finding, "severity");
    json problem = {{"rule_id", rule_id},
                    {"title", title.empty() ? rule_id : title},
                    {"severity", severity},
                    {"severity_label", severity == "error"     ? "Must be fixed"
                                       : severity == "warning" ? "Should be fixed"
                                                               : "For information"},
                    {"message", string_field(finding, "message")},
                    {"remediation", described(finding, rule, "remediation")},
                    {"recommendation", described(finding, rule, "recommendation_name")},
                    {"waived", outcome == "waived"},
                    {"sources", json::array()}};
    if (finding.contains("waiver") && finding["waiver"].is_object()) {
      problem["waiver"] = string_field(finding["waiver"], "description");
    }
    const json* sources = finding.contains("sources") ? &finding["sources"]
                          : rule.contains("sources")  ? &rule["sources"]
                                                      : nullptr;
    if (sources && sources->is_array()) {
      for (const json& source : *sources) {
        const std::string cite = string_field(source, "cite");
        if (cite.empty()) continue;
        json s = {{"cite", cite}};
        const std::string url = string_field(source, "url");
        if (starts_with(url, "https://") || starts_with(url, "http://")) s["url"] = url;
        problem["sources"].push_back(std::move(s));
      }
    }
    problem["has_sources"] = !problem["sources"].empty();
    view["problems"].push_back(std::move(problem));
  }
  view["has_problems"] = !view["problems"].empty();
  view["passed"] = passed;
  view["not_applicable"] = not_applicable;
  view["waived"] = waived;
  view["checks_text"] = "It passed " + counted(passed, "check", "checks") + "; " +
                        counted(not_applicable, "check", "checks") + " did not apply to it.";
  return view;
}

std::string rule_recommendation(const std::string& rule_id) {
  return string_field(rule_for({}, rule_id), "recommendation_name");
}

std::optional<std::string> make_receipt(registry::Store& store, std::uint64_t leaf_index,
                                        const registry::StoredCheckpoint& checkpoint) {
  if (leaf_index >= checkpoint.size) return std::nullopt;
  registry::Receipt receipt;
  receipt.extra = store.log_entries(leaf_index, leaf_index + 1).at(0);
  receipt.index = leaf_index;
  receipt.proof = registry::inclusion_proof(leaf_index, checkpoint.size, store.hash_reader());
  receipt.checkpoint = checkpoint.note;
  return registry::format_receipt(receipt);
}

}  // namespace candor::web
