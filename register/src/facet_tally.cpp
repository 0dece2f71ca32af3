#include "facet_tally.h"

#include <algorithm>

namespace candor::registry {

namespace {

std::size_t index_of(Facet facet) {
  return static_cast<std::size_t>(
      std::find(std::begin(k_all_facets), std::end(k_all_facets), facet) -
      std::begin(k_all_facets));
}

}  // namespace

FacetTally::FacetTally(const RecordSearch& search) {
  // Several filters on one facet each restrict it, as the SQL's ANDed conditions do.
  for (const FacetFilter& filter : search.filters) {
    if (!filter.values.empty()) filters_.at(index_of(filter.facet)).push_back(&filter.values);
  }
}

bool FacetTally::admits(std::size_t facet, std::string_view value) const {
  return std::all_of(filters_[facet].begin(), filters_[facet].end(), [&](const auto* values) {
    return std::find(values->begin(), values->end(), value) != values->end();
  });
}

void FacetTally::add(const std::array<std::string_view, k_facet_count>& values,
                     std::string_view organisation_name) {
  // Which filters the record fails: it counts under a facet when it fails none of the others.
  std::size_t failed = 0;
  std::size_t failed_facet = k_facet_count;
  for (std::size_t i = 0; i < k_facet_count; ++i) {
    if (admits(i, values[i])) continue;
    ++failed;
    failed_facet = i;
  }
  if (failed > 1) return;
  if (failed == 0) ++total_;
  for (std::size_t i = 0; i < k_facet_count; ++i) {
    if (failed == 1 && failed_facet != i) continue;
    auto it = counts_[i].find(values[i]);
    if (it == counts_[i].end()) it = counts_[i].emplace(std::string(values[i]), Count{}).first;
    ++it->second.n;
    if (k_all_facets[i] == Facet::organisation && organisation_name > it->second.label) {
      it->second.label = organisation_name;
    }
  }
}

std::vector<FacetCounts> FacetTally::facets() const {
  std::vector<FacetCounts> out;
  out.reserve(k_facet_count);
  for (std::size_t i = 0; i < k_facet_count; ++i) {
    FacetCounts f{k_all_facets[i], {}};
    f.values.reserve(counts_[i].size());
    for (const auto& [value, count] : counts_[i]) {
      f.values.push_back(
          {value, k_all_facets[i] == Facet::organisation ? count.label : value, count.n});
    }
    std::sort(f.values.begin(), f.values.end(),
              [](const FacetValueCount& a, const FacetValueCount& b) { return a.value < b.value; });
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace candor::registry
