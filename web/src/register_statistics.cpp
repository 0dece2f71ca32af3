#include "register_statistics.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "record_view.h"

namespace candor::web {

RegisterStatistics register_statistics(registry::Store& store) {
  RegisterStatistics stats;
  registry::RecordSearch all;
  all.limit = 0;
  auto found = store.find_records(all);
  if (!found.ok()) throw std::runtime_error("statistics: counting records failed");
  stats.total = found.value().total;
  for (const registry::Facet facet : k_statistics_facets) {
    FacetStatistics entry;
    entry.facet = facet;
    for (const auto& counts : found.value().facets) {
      if (counts.facet == facet) entry.values = counts.values;
    }
    std::stable_sort(entry.values.begin(), entry.values.end(),
                     [](const auto& a, const auto& b) { return a.count > b.count; });
    stats.by_facet.push_back(std::move(entry));
  }

  // Assessed: every current record but those whose compliance is "not assessed".
  stats.assessed = stats.total;
  for (const auto& counts : found.value().facets) {
    if (counts.facet != registry::Facet::compliance) continue;
    for (const auto& v : counts.values) {
      if (v.value == registry::to_string(registry::Compliance::not_assessed)) {
        stats.assessed -= v.count;
      }
    }
  }

  // A record counts once for each recommendation served by any rule it fails. The store keeps
  // the failing rule ids of each version (ordered by record), so no findings are parsed here.
  std::map<std::string, std::uint64_t> failing;
  std::map<std::string, std::string, std::less<>> recommendation_of;  // rule id -> name
  std::string organisation_seen, record_seen;            // the record being visited
  std::vector<const std::string*> seen;  // its recommendations so far (in recommendation_of)
  store.for_each_current_failing_rule(
      [&](std::string_view organisation, std::string_view record_id, std::string_view rule) {
        if (organisation != organisation_seen || record_id != record_seen) {
          organisation_seen = organisation;
          record_seen = record_id;
          seen.clear();
        }
        auto it = recommendation_of.find(rule);
        if (it == recommendation_of.end()) {
          std::string name = rule_recommendation(std::string(rule));
          it = recommendation_of
                   .emplace(std::string(rule), name.empty() ? "Other rules" : std::move(name))
                   .first;
        }
        // Several rules serve one recommendation: compare names, not the map entries.
        const std::string& name = it->second;
        if (std::any_of(seen.begin(), seen.end(), [&](const auto* s) { return *s == name; })) {
          return;
        }
        seen.push_back(&it->second);
        ++failing[it->second];
      });
  stats.failing_by_recommendation.assign(failing.begin(), failing.end());
  std::stable_sort(stats.failing_by_recommendation.begin(), stats.failing_by_recommendation.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return stats;
}

}  // namespace candor::web
