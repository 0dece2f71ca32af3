// FacetTally: a search's total and facet counts, counted over its matching records one at a
// time instead of grouped by the database. Private to register/src.
//
// Counting a full-text search's facets in SQL means materializing every match and sorting it
// once per facet: memory and work that follow the number of matches, held in the server's own
// process when the store is SQLite. Streamed through this tally, a search holds one row at a
// time and a counter per distinct value, whatever the register's size.
//
// The counts are those RecordSearch documents: `total` counts the records that pass every
// filter; a facet's counts apply every filter except that facet's own; an organisation's label
// is the greatest of its records' organisation names (byte order, as SQL's max). Values come
// out in byte order (SQL's ORDER BY on text), only those with a count.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "candor/registry/store.h"

namespace candor::registry {

inline constexpr std::size_t k_facet_count = std::size(k_all_facets);

class FacetTally {
 public:
  // Keeps a reference to `search`'s filters: it must outlive the tally.
  explicit FacetTally(const RecordSearch& search);

  // One matching record: its value of each facet in k_all_facets order (impact level as text,
  // "" when not stated), and its organisation's name.
  void add(const std::array<std::string_view, k_facet_count>& values,
           std::string_view organisation_name);

  std::uint64_t total() const { return total_; }
  std::vector<FacetCounts> facets() const;  // in k_all_facets order

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Count {
    std::uint64_t n = 0;
    std::string label;
  };
  using Counts = std::unordered_map<std::string, Count, Hash, std::equal_to<>>;

  bool admits(std::size_t facet, std::string_view value) const;

  // Per facet, the value lists of its filters; a record passes the facet if each list has its
  // value (none: no restriction).
  std::array<std::vector<const std::vector<std::string>*>, k_facet_count> filters_;
  std::array<Counts, k_facet_count> counts_;
  std::uint64_t total_ = 0;
};

}  // namespace candor::registry
