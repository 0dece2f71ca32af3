// Reading current_counts: how many current records have each facet value, and fail each exact
// set of rules, as both stores keep them with triggers on current_records (sqlite_schema.cpp,
// postgres_schema.cpp, migration 4). Private to register/src.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/store.h"

namespace candor::registry::counts {

// The facet name under which a record's failing rules are counted: its value is the rule ids,
// sorted, one per line. The facets' own names are to_string(Facet).
inline constexpr std::string_view k_failing_rules = "failing_rules";

// Whether `search` selects every current record: no full-text match and no filter with values.
// Its total and facet counts are then current_counts as they stand.
bool unfiltered(const RecordSearch& search);

// The rule ids of a k_failing_rules value, into `rules` (cleared first, its capacity kept).
void split_rules(std::string_view value, std::vector<std::string>& rules);

// The k_failing_rules rows (values and their counts, in the same order) as
// current_failing_rule_sets returns them.
std::vector<FailingRuleSet> failing_rule_sets(const std::vector<std::string>& values,
                                              const std::vector<std::int64_t>& counts);

}  // namespace candor::registry::counts
