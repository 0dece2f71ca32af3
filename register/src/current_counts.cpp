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

void split_rules(std::string_view value, std::vector<std::string>& rules) {
  rules.clear();
  while (!value.empty()) {
    const std::size_t end = std::min(value.find('\n'), value.size());
    rules.emplace_back(value.substr(0, end));
    value.remove_prefix(std::min(end + 1, value.size()));
  }
}

std::vector<FailingRuleSet> failing_rule_sets(const std::vector<std::string>& values,
                                              const std::vector<std::int64_t>& counts) {
  std::vector<FailingRuleSet> sets;
  sets.reserve(values.size());
  for (std::size_t i = 0; i < values.size() && i < counts.size(); ++i) {
    FailingRuleSet set;
    set.count = static_cast<std::uint64_t>(counts[i]);
    split_rules(values[i], set.rules);
    sets.push_back(std::move(set));
  }
  return sets;
}

}  // namespace candor::registry::counts
