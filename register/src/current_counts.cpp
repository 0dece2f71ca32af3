#include "current_counts.h"

#include <algorithm>
#include <string>
#include <utility>

namespace candor::registry::counts {

bool unfiltered(const RecordSearch& search) {
  return search.match.empty() &&
         std::all_of(search.filters.begin(), search.filters.end(),
                     [](const FacetFilter& filter) { return filter.values.empty(); });
}

std::vector<FailingRuleSet> failing_rule_sets(const std::vector<std::string>& values,
                                              const std::vector<std::int64_t>& counts) {
  std::vector<FailingRuleSet> sets;
  sets.reserve(values.size());
  for (std::size_t i = 0; i < values.size() && i < counts.size(); ++i) {
    FailingRuleSet set;
    set.count = static_cast<std::uint64_t>(counts[i]);
    std::string_view rest = values[i];
    while (!rest.empty()) {
      const std::size_t end = std::min(rest.find('\n'), rest.size());
      set.rules.emplace_back(rest.substr(0, end));
      rest.remove_prefix(std::min(end + 1, rest.size()));
    }
    sets.push_back(std::move(set));
  }
  return sets;
}

}  // namespace candor::registry::counts
