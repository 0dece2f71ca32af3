#include "register_statistics.h"

#include <algorithm>
#include <map>
#include <set>
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

  // A record counts once for each recommendation served by any rule it fails. The store counts
  // records by the exact set of rules they fail, so this reads one row per distinct set.
  std::map<std::string, std::uint64_t> failing;
  std::map<std::string, std::string, std::less<>> recommendation_of;  // rule id -> name
  store.for_each_current_failing_rule_set([&](const registry::FailingRuleSet& set) {
    std::set<std::string> names;  // the set's recommendations, each once
    for (const std::string& rule : set.rules) {
      auto it = recommendation_of.find(rule);
      if (it == recommendation_of.end()) {
        std::string name = rule_recommendation(rule);
        it = recommendation_of.emplace(rule, name.empty() ? "Other rules" : std::move(name)).first;
      }
      names.insert(it->second);
    }
    for (const std::string& name : names) failing[name] += set.count;
  });
  stats.failing_by_recommendation.assign(failing.begin(), failing.end());
  std::stable_sort(stats.failing_by_recommendation.begin(), stats.failing_by_recommendation.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return stats;
}

}  // namespace candor::web
