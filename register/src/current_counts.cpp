#include "current_counts.h"

#include <algorithm>
#include <string>

namespace candor::registry::counts {

bool unfiltered(const RecordSearch& search) {
  return search.match.empty() &&
         std::all_of(search.filters.begin(), search.filters.end(),
                     [](const FacetFilter& filter) { return filter.values.empty(); });
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
