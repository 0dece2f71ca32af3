// Building the views (JSON for the mustache templates) of the record pages from what the store
// holds: the canonical JSON body of a version, its findings, the log. Private to web/src.
//
// Nothing here parses YAML or builds HTML: values go to templates, which escape them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "candor/registry/store.h"

namespace candor::web {

// Addresses of the record pages, with every part percent-encoded.
std::string record_url(std::string_view organisation, std::string_view record_id);
std::string version_url(std::string_view organisation, std::string_view record_id,
                        std::uint64_t version);
std::string diff_url(std::string_view organisation, std::string_view record_id, std::uint64_t from,
                     std::uint64_t to);
std::string organisation_url(std::string_view organisation);

// "2026-09-14T10:00:00Z" → "14 September 2026"; anything else is returned as it is.
std::string human_date(std::string_view iso);

// Labels for people.
std::string compliance_label(registry::Compliance compliance);
std::string compliance_tag_class(registry::Compliance compliance);  // GOV.UK tag colour class
std::string facet_value_label(registry::Facet facet, std::string_view value);
std::string facet_heading(registry::Facet facet);
std::string action_label(registry::LeafAction action);

// The plain-language summary: what the tool is, why it is used, who decides, how to challenge a
// decision, who to contact. [{heading, id, paragraphs: [...], links: [{text, href}]}].
nlohmann::json summary_view(const nlohmann::json& body);

// Key facts for the summary list at the top of a record page.
nlohmann::json key_facts_view(const nlohmann::json& body, const registry::RecordVersion& version);

// Every field of the record, by section: [{heading, id, rows: [{key, value}]}].
nlohmann::json detail_view(const nlohmann::json& body);

// The rules engine's findings explained: {assessed, status, status_label, tag_class, problems:
// [{rule_id, title, severity, message, sources: [{cite, url?}], remediation, waived, waiver}],
// passed, not_applicable, waived, ...}. Accepts the stored findings as a findings array or as a
// candor.report/v1-like object with "findings" and "rules". A rule's title, sources,
// remediation and recommendation come from the stored "rules" when present, else from the
// shipped rule packs (by rule_id), else from the finding itself.
nlohmann::json findings_view(const std::optional<registry::Findings>& findings);

// The name of the recommendation of the public dialogues a shipped rule serves, or "" if the rule
// is unknown or names none.
std::string rule_recommendation(const std::string& rule_id);

// The C2SP tlog-proof of leaf `leaf_index` against `checkpoint`, or nullopt if the checkpoint
// does not cover the leaf.
std::optional<std::string> make_receipt(registry::Store& store, std::uint64_t leaf_index,
                                        const registry::StoredCheckpoint& checkpoint);

}  // namespace candor::web
