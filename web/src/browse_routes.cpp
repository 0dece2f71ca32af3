// Pages that look across records: the organisations, an organisation's records with its
// compliance summary, and statistics about the whole register with server-rendered SVG charts (no
// script needed).
#include <algorithm>
#include <map>
#include <string>

#include "candor/registry/store.h"
#include "candor/web/app.h"
#include "candor/web/url.h"
#include "record_view.h"
#include "register_statistics.h"
#include "route_support.h"

namespace candor::web {

namespace {

using nlohmann::json;
using registry::Facet;
using registry::Store;

// The organisation page lists this many records by title; a larger organisation's page says so
// and links to the search, which pages through them all with filters. 500 rows made a 137 KB
// page that took megabytes to render, and under a soak's load the server's memory grew as each
// organisation's list did (docs/hardening.md, Soak, fourth round).
constexpr std::size_t k_organisation_page_limit = 100;

const registry::FacetCounts* counts_of(const registry::RecordSearchResult& result, Facet facet) {
  for (const auto& counts : result.facets) {
    if (counts.facet == facet) return &counts;
  }
  return nullptr;
}

// A horizontal bar chart: label, count and the geometry the SVG needs. Sizes are in the SVG's
// own units (viewBox 0 0 640 height), so CSS scales the whole chart to the column's width.
constexpr int k_label_width = 250;
constexpr int k_bar_space = 330;
constexpr int k_row_height = 32;

json chart(std::string id, std::string heading, std::string unit,
           const std::vector<std::pair<std::string, std::uint64_t>>& data) {
  std::uint64_t max = 0, total = 0;
  for (const auto& [label, count] : data) {
    max = std::max(max, count);
    total += count;
  }
  json bars = json::array();
  std::string description;
  int y = 0;
  for (const auto& [label, count] : data) {
    const int width =
        max == 0 ? 0 : static_cast<int>((count * static_cast<std::uint64_t>(k_bar_space)) / max);
    bars.push_back({{"label", label},
                    {"count", count},
                    {"y", y + 6},
                    {"text_y", y + 22},
                    {"width", std::max(width, count > 0 ? 2 : 0)},
                    {"value_x", k_label_width + std::max(width, 2) + 8}});
    if (!description.empty()) description += "; ";
    description += label + ": " + std::to_string(count);
    y += k_row_height;
  }
  return {{"id", std::move(id)},
          {"heading", std::move(heading)},
          {"unit", std::move(unit)},
          {"bars", bars},
          {"has_data", !bars.empty()},
          {"total", total},
          {"height", std::max(y, k_row_height)},
          {"bar_x", k_label_width},
          {"description", description.empty() ? "No records." : description + "."}};
}

json compliance_rows(const registry::RecordSearchResult& result) {
  json rows = json::array();
  if (const auto* counts = counts_of(result, Facet::compliance)) {
    for (const auto& value : counts->values) {
      for (auto c : {registry::Compliance::not_assessed, registry::Compliance::failing,
                     registry::Compliance::warnings, registry::Compliance::passing}) {
        if (registry::to_string(c) != value.value) continue;
        rows.push_back({{"label", compliance_label(c)},
                        {"tag_class", compliance_tag_class(c)},
                        {"count", value.count},
                        {"search_url", "/search?compliance=" + value.value}});
      }
    }
  }
  return rows;
}

Response organisation_page(const App& app, const Request& request) {
  Store& store = require_store(app);
  const std::string id = request.param("organisation");
  const auto organisation = store.organisation(id);
  if (!organisation) {
    throw HttpError(404, "not_found",
                    "There is no organisation with that name in the register. Check the web "
                    "address, or search the register for the organisation.");
  }
  registry::RecordSearch search;
  search.filters = {{Facet::organisation, {id}}};
  search.sort = registry::RecordSort::title;
  search.limit = k_organisation_page_limit;
  auto found = store.find_records(search);
  if (!found.ok()) throw std::runtime_error("organisation listing failed");
  const auto& result = found.value();

  json records = json::array();
  for (const auto& hit : result.hits) {
    const auto& r = hit.record;
    records.push_back({{"title", r.title.empty() ? r.record_id : r.title},
                       {"url", record_url(r.organisation, r.record_id)},
                       {"phase", facet_value_label(Facet::phase, r.facets.phase)},
                       {"updated", human_date(r.updated_at)},
                       {"compliance", compliance_label(r.compliance)},
                       {"tag_class", compliance_tag_class(r.compliance)}});
  }
  json view = {{"title", organisation->name},
               {"nav_search", true},
               {"name", organisation->name},
               {"type", organisation->type.empty()
                            ? std::string{}
                            : facet_value_label(Facet::organisation_type, organisation->type)},
               {"total", result.total},
               {"one_record", result.total == 1},
               {"records", records},
               {"has_records", !records.empty()},
               {"truncated", result.total > records.size()},
               {"shown", records.size()},
               {"compliance", compliance_rows(result)},
               {"search_url", "/search?organisation=" + percent_encode(id)},
               {"feed_url", organisation_url(id) + "/feed.atom"}};
  return app.page("organisation", view);
}

// Every organisation with current records, by name, with how many each has.
Response organisations_page(const App& app) {
  Store& store = require_store(app);
  registry::RecordSearch all;
  all.limit = 0;
  auto found = store.find_records(all);
  if (!found.ok()) throw std::runtime_error("organisation counts failed");
  json organisations = json::array();
  if (const auto* counts = counts_of(found.value(), Facet::organisation)) {
    std::vector<registry::FacetValueCount> values = counts->values;
    std::stable_sort(values.begin(), values.end(),
                     [](const auto& a, const auto& b) { return a.label < b.label; });
    for (const auto& value : values) {
      organisations.push_back({{"name", value.label},
                               {"url", organisation_url(value.value)},
                               {"count", value.count},
                               {"one_record", value.count == 1}});
    }
  }
  return app.page("organisations", {{"title", "Organisations in the register"},
                                    {"nav_search", true},
                                    {"organisations", organisations},
                                    {"count", organisations.size()},
                                    {"has_organisations", !organisations.empty()}});
}

// Chart data for one facet of the statistics, labelled for people.
std::vector<std::pair<std::string, std::uint64_t>> chart_data(const FacetStatistics& stats) {
  std::vector<std::pair<std::string, std::uint64_t>> data;
  for (const auto& value : stats.values) {
    data.emplace_back(stats.facet == Facet::organisation
                          ? value.label
                          : facet_value_label(stats.facet, value.value),
                      value.count);
  }
  return data;
}

Response statistics_page(const App& app) {
  const RegisterStatistics stats = register_statistics(require_store(app));
  const auto data = [&](Facet facet) {
    for (const auto& f : stats.by_facet) {
      if (f.facet == facet) return chart_data(f);
    }
    return std::vector<std::pair<std::string, std::uint64_t>>{};
  };
  json charts = json::array();
  charts.push_back(
      chart("mission-area", "Records by mission area", "records", data(Facet::mission_area)));
  charts.push_back(chart("phase", "Records by phase", "records", data(Facet::phase)));
  charts.push_back(chart("tool-type", "Records by type of AI", "records", data(Facet::tool_type)));
  charts.push_back(
      chart("impact-level", "Records by impact level", "records", data(Facet::impact_level)));
  charts.push_back(
      chart("compliance", "Records by compliance status", "records", data(Facet::compliance)));

  const std::uint64_t assessed = stats.assessed;
  json view = {{"title", "Statistics about the register"},
               {"nav_statistics", true},
               {"total", stats.total},
               {"one_record", stats.total == 1},
               {"charts", charts},
               {"assessed", assessed},
               {"assessed_text",
                std::to_string(assessed) + (assessed == 1 ? " record has" : " records have")},
               {"has_assessed", assessed > 0}};
  if (assessed > 0) {
    view["recommendation_chart"] =
        chart("recommendation", "Assessed records that fail at least one rule, by recommendation",
              "records", stats.failing_by_recommendation);
    view["no_failures"] = stats.failing_by_recommendation.empty();
  }
  return app.page("statistics", view);
}

}  // namespace

void add_browse_routes(App& app) {
  app.router().add("GET", "/organisations",
                   app.cached([&app](const Request&) { return organisations_page(app); }));
  app.router().add(
      "GET", "/organisations/{organisation}",
      app.cached([&app](const Request& request) { return organisation_page(app, request); }));
  app.router().add("GET", "/statistics",
                   app.cached([&app](const Request&) { return statistics_page(app); }));
}

}  // namespace candor::web
