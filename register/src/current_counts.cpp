#include "current_counts.h"

#include <algorithm>

namespace candor::registry::counts {

bool answer_from_counts(const RecordSearch& search) {
  return search.match.empty() &&
         std::all_of(search.filters.begin(), search.filters.end(),
                     [](const FacetFilter& filter) { return filter.values.empty(); });
}

void fill_facets(const std::vector<CountRow>& rows, RecordSearchResult& result) {
  result.facets.clear();
  for (const Facet facet : k_all_facets) result.facets.push_back({facet, {}});
  result.total = 0;
  for (const CountRow& row : rows) {
    for (FacetCounts& counts : result.facets) {
      if (to_string(counts.facet) != row.facet) continue;
      // Facets other than the organisation are labelled with their value, as the grouped
      // queries label them.
      counts.values.push_back(
          {row.value, counts.facet == Facet::organisation ? row.label : row.value, row.count});
      // Every current record counts once under its organisation.
      if (counts.facet == Facet::organisation) result.total += row.count;
    }
  }
}

FailingRuleSet failing_rule_set(std::string_view value, std::uint64_t count) {
  FailingRuleSet set;
  set.count = count;
  while (!value.empty()) {
    const std::size_t end = std::min(value.find('\n'), value.size());
    set.rules.emplace_back(value.substr(0, end));
    value.remove_prefix(std::min(end + 1, value.size()));
  }
  return set;
}

}  // namespace candor::registry::counts
