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
// sorted, one per line.
inline constexpr std::string_view k_failing_rules = "failing_rules";

// Whether find_records can answer `search`'s total and facets from the counts: it has no
// full-text match and no filter with values.
bool answer_from_counts(const RecordSearch& search);

struct CountRow {
  std::string facet;  // to_string(Facet), or k_failing_rules
  std::string value;
  std::string label;  // the largest organisation name among the records counted; else the value
  std::uint64_t count = 0;
};

// Fills result.total and result.facets (every facet, in k_all_facets order) from the facets'
// rows, each facet's ordered by value. Rows of names it does not know are ignored.
void fill_facets(const std::vector<CountRow>& rows, RecordSearchResult& result);

// A k_failing_rules value and its count, as current_failing_rule_sets returns it.
FailingRuleSet failing_rule_set(std::string_view value, std::uint64_t count);

}  // namespace candor::registry::counts
