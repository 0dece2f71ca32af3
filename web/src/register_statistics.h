// What the statistics page and GET /api/v1/statistics both show, computed once from the store:
// how many current records there are by each facet, and among the records the rules engine
// assessed, how many fail at least one rule serving each recommendation of the public dialogues.
// Private to web/src.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "candor/registry/store.h"

namespace candor::web {

struct FacetStatistics {
  registry::Facet facet = registry::Facet::mission_area;
  // Every value with at least one record, largest count first (ties by value).
  std::vector<registry::FacetValueCount> values;
};

struct RegisterStatistics {
  std::uint64_t total = 0;                 // current records
  std::vector<FacetStatistics> by_facet;   // mission area, phase, AI type, impact, compliance, ...
  std::uint64_t assessed = 0;              // current records whose findings were evaluated
  // Assessed records failing at least one rule of each recommendation (rules without one count
  // under "Other rules"), largest first. A record counts once per recommendation.
  std::vector<std::pair<std::string, std::uint64_t>> failing_by_recommendation;
};

// The facets the statistics cover, in the order the page shows them.
inline constexpr registry::Facet k_statistics_facets[] = {
    registry::Facet::mission_area, registry::Facet::phase, registry::Facet::tool_type,
    registry::Facet::impact_level, registry::Facet::compliance, registry::Facet::organisation_type};

// Reads the store's kept counts (facet values, sets of failing rules): its cost does not grow
// with the number of records. Throws on store failure.
RegisterStatistics register_statistics(registry::Store& store);

}  // namespace candor::web
