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

  // The stored counts say how many rules failed, not which recommendation each serves, so this
  // needs the findings of every current version.
  std::map<std::string, std::uint64_t> failing;
  registry::RecordFilter every;
  store.for_each_current_record(every, [&](const registry::CurrentRecord& r) {
    if (r.compliance == registry::Compliance::not_assessed) return;
    const auto findings = store.findings(r.organisation, r.record_id, r.version);
    if (!findings || !findings->evaluated) return;
    ++stats.assessed;
    std::vector<std::string> seen;
    for (const auto& [rule, recommendation] : failed_rules(*findings)) {
      std::string name = recommendation.empty() ? "Other rules" : recommendation;
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
      seen.push_back(name);
      ++failing[name];
    }
  });
  stats.failing_by_recommendation.assign(failing.begin(), failing.end());
  std::stable_sort(stats.failing_by_recommendation.begin(), stats.failing_by_recommendation.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return stats;
}

}  // namespace candor::web
