// The public pages this foundation serves: home (with the search form), search and browse (with
// facets, sorting and paging), about.
#include <algorithm>
#include <string>

#include "candor/registry/store.h"
#include "candor/web/app.h"
#include "candor/web/html.h"
#include "candor/web/search_query.h"
#include "candor/web/url.h"
#include "record_view.h"
#include "route_support.h"

namespace candor::web {

namespace {

using nlohmann::json;
using registry::Facet;

constexpr std::size_t k_search_page_size = 20;
constexpr std::size_t k_max_page = 10000;
constexpr std::size_t k_max_filter_values = 50;  // per facet
constexpr std::size_t k_max_facet_options = 25;  // checkboxes shown per facet
constexpr std::size_t k_max_filter_value_chars = 200;
constexpr std::size_t k_max_organisations_suggested = 30;

// What the search form asked for, read from the query string.
struct SearchForm {
  bool has_q = false;
  std::string q;
  std::vector<registry::FacetFilter> filters;  // one per facet with values, k_all_facets order
  std::string sort;                            // "relevance", "updated", "title", or ""
  std::size_t page = 1;

  bool has_filters() const { return !filters.empty(); }
  bool selected(Facet facet, const std::string& value) const {
    for (const auto& f : filters) {
      if (f.facet == facet)
        return std::find(f.values.begin(), f.values.end(), value) != f.values.end();
    }
    return false;
  }
};

SearchForm read_form(const Request& request) {
  SearchForm form;
  if (auto q = request.query("q")) {
    form.has_q = true;
    form.q = *q;
  }
  const auto pairs = parse_query(request.query_string());
  for (Facet facet : registry::k_all_facets) {
    registry::FacetFilter filter{facet, {}};
    for (const auto& [name, value] : pairs) {
      if (name != registry::to_string(facet) || value.size() > k_max_filter_value_chars) continue;
      if (filter.values.size() >= k_max_filter_values) break;
      if (std::find(filter.values.begin(), filter.values.end(), value) == filter.values.end()) {
        filter.values.push_back(value);
      }
    }
    if (!filter.values.empty()) form.filters.push_back(std::move(filter));
  }
  if (auto sort = request.query("sort")) {
    if (*sort == "relevance" || *sort == "updated" || *sort == "title") form.sort = *sort;
  }
  if (auto page = request.query("page")) {
    if (const auto n = parse_count(*page); n && *n >= 1 && *n <= k_max_page) form.page = *n;
  }
  return form;
}

// The address of the search with `form`'s query and filters, on `page`, sorted by `sort`.
std::string search_url(const SearchForm& form, std::size_t page, const std::string& sort) {
  std::string url = "/search?q=" + percent_encode(form.q);
  for (const auto& filter : form.filters) {
    for (const auto& value : filter.values) {
      url += "&" + std::string{registry::to_string(filter.facet)} + "=" + percent_encode(value);
    }
  }
  if (!sort.empty()) url += "&sort=" + sort;
  if (page > 1) url += "&page=" + std::to_string(page);
  return url;
}

registry::RecordSort sort_of(const std::string& sort, bool has_match) {
  if (sort == "updated") return registry::RecordSort::updated;
  if (sort == "title") return registry::RecordSort::title;
  if (sort == "relevance" && has_match) return registry::RecordSort::relevance;
  return has_match ? registry::RecordSort::relevance : registry::RecordSort::title;
}

// The filter checkboxes: every value with a count, plus selected values that now have none (so
// they can be unticked).
json facets_view(const SearchForm& form, const std::vector<registry::FacetCounts>& counts) {
  json facets = json::array();
  for (const auto& facet_counts : counts) {
    const Facet facet = facet_counts.facet;
    const std::string name{registry::to_string(facet)};
    json options = json::array();
    std::vector<std::string> listed;
    for (const auto& value : facet_counts.values) {
      listed.push_back(value.value);
      options.push_back(
          {{"value", value.value},
           {"label",
            facet == Facet::organisation ? value.label : facet_value_label(facet, value.value)},
           {"count", value.count},
           {"checked", form.selected(facet, value.value)}});
    }
    for (const auto& filter : form.filters) {
      if (filter.facet != facet) continue;
      for (const auto& value : filter.values) {
        if (std::find(listed.begin(), listed.end(), value) != listed.end()) continue;
        options.push_back({{"value", value},
                           {"label", facet_value_label(facet, value)},
                           {"count", 0},
                           {"checked", true}});
      }
    }
    if (options.empty()) continue;
    // A register of thousands of organisations cannot show a checkbox for each: keep the values
    // with the most records (and every ticked one), in their usual order, and say how many more.
    std::size_t hidden = 0;
    if (options.size() > k_max_facet_options) {
      std::vector<std::size_t> order(options.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return options[a]["count"].get<std::uint64_t>() > options[b]["count"].get<std::uint64_t>();
      });
      std::vector<bool> keep(options.size(), false);
      for (std::size_t rank = 0; rank < order.size(); ++rank) {
        keep[order[rank]] = rank < k_max_facet_options || options[order[rank]]["checked"].get<bool>();
      }
      json kept = json::array();
      for (std::size_t i = 0; i < options.size(); ++i) {
        if (keep[i]) {
          kept.push_back(options[i]);
        } else {
          ++hidden;
        }
      }
      options = std::move(kept);
    }
    for (std::size_t i = 0; i < options.size(); ++i) {
      options[i]["id"] = "f-" + name + "-" + std::to_string(i);
    }
    bool any_checked = false;
    for (const auto& o : options) any_checked = any_checked || o["checked"].get<bool>();
    facets.push_back({{"name", name},
                      {"heading", facet_heading(facet)},
                      {"options", options},
                      {"open", any_checked},
                      {"more", hidden > 0 ? json(hidden) : json(false)},
                      {"more_organisations", hidden > 0 && facet == Facet::organisation}});
  }
  return facets;
}

// The GOV.UK pagination component: first, last, and the pages around the current one.
json pagination_view(const SearchForm& form, const std::string& sort, std::size_t pages) {
  json view = {{"show", pages > 1}, {"items", json::array()}};
  if (pages <= 1) return view;
  const std::size_t current = std::min(form.page, pages);
  if (current > 1) view["previous"] = search_url(form, current - 1, sort);
  if (current < pages) view["next"] = search_url(form, current + 1, sort);
  std::size_t last_shown = 0;
  for (std::size_t p = 1; p <= pages; ++p) {
    const bool near = p == 1 || p == pages || (p + 1 >= current && p <= current + 1);
    if (!near) continue;
    if (last_shown != 0 && p > last_shown + 1) view["items"].push_back({{"ellipsis", true}});
    view["items"].push_back(
        {{"number", p}, {"url", search_url(form, p, sort)}, {"current", p == current}});
    last_shown = p;
  }
  return view;
}

json sort_options(const std::string& sort, bool has_match) {
  json options = json::array();
  const auto add = [&](const char* value, const char* label) {
    options.push_back({{"value", value}, {"label", label}, {"selected", sort == value}});
  };
  if (has_match) add("relevance", "Best match");
  add("updated", "Recently updated");
  add("title", "Title (A to Z)");
  return options;
}

Response search(const App& app, const Request& request) {
  const SearchForm form = read_form(request);
  const std::string match = to_fts_query(form.q);
  json view = {{"title", "Search the register"},
               {"nav_search", true},
               {"q", form.q},
               {"has_filters", form.has_filters()},
               {"clear_filters_url",
                form.q.empty() ? std::string{"/search"} : "/search?q=" + percent_encode(form.q)}};
  registry::Store* store = app.store();
  // Submitted with nothing to search for and no filter: the GOV.UK error pattern (summary and
  // field message), with the filters still offered so a person can browse instead.
  const bool nothing_asked = form.has_q && match.empty() && !form.has_filters();
  if (nothing_asked) {
    view["title"] = "Error: Search the register";
    view["error"] = "Enter a word or phrase to search for, or choose a filter";
  }
  if (!store) {
    if (!form.has_q && !form.has_filters()) return app.page("search", view);
    if (nothing_asked) return app.page("search", view, 400);
    throw HttpError(503, "unavailable",
                    "The register is not available right now. Try again later.");
  }

  // Relevance needs words to be relevant to: without them the default is the title.
  const std::string sort = form.sort.empty() || (form.sort == "relevance" && match.empty())
                               ? (match.empty() ? "title" : "relevance")
                               : form.sort;
  registry::RecordSearch query;
  query.match = nothing_asked ? std::string{} : match;
  query.filters = form.filters;
  query.sort = sort_of(sort, !match.empty());
  query.limit = k_search_page_size;
  query.offset = (form.page - 1) * k_search_page_size;
  auto found = store->find_records(query);
  if (!found.ok()) {
    // to_fts_query quotes every word, so this is rare; it is still the user's input, not a 500.
    throw HttpError(400, "search.query",
                    "We could not search for that. Try different words, without symbols.");
  }
  const registry::RecordSearchResult& result = found.value();
  view["facets"] = facets_view(form, result.facets);
  view["has_facets"] = !view["facets"].empty();
  view["sort_options"] = sort_options(sort, !match.empty());
  if (nothing_asked) return app.page("search", view, 400);

  json results = json::array();
  for (const registry::RecordSearchHit& hit : result.hits) {
    const registry::CurrentRecord& r = hit.record;
    json item = {
        {"title", r.title.empty() ? r.record_id : r.title},
        {"organisation", r.organisation_name.empty() ? r.organisation : r.organisation_name},
        {"organisation_url", organisation_url(r.organisation)},
        {"url", record_url(r.organisation, r.record_id)},
        {"phase", facet_value_label(Facet::phase, r.facets.phase)},
        {"mission_area", facet_value_label(Facet::mission_area, r.facets.mission_area)},
        {"updated", human_date(r.updated_at)},
        {"compliance", compliance_label(r.compliance)},
        {"tag_class", compliance_tag_class(r.compliance)}};
    if (!hit.snippet.empty()) {
      item["snippet_html"] =
          highlight_marks(hit.snippet, query.open_mark.front(), query.close_mark.front());
    }
    results.push_back(std::move(item));
  }
  const std::size_t pages = (result.total + k_search_page_size - 1) / k_search_page_size;
  const bool searched = !match.empty();
  view["title"] = (searched ? form.q + " – " : std::string{}) +
                  (form.has_filters() ? "Filtered records"
                   : searched         ? "Search results"
                                      : "All records") +
                  (form.page > 1 ? " (page " + std::to_string(form.page) + ")" : std::string{});
  view["searched"] = searched;
  view["browsing"] = true;
  view["results"] = results;
  view["total"] = result.total;
  view["has_results"] = !results.empty();
  view["one_result"] = result.total == 1;
  view["first"] = results.empty() ? 0 : query.offset + 1;
  view["last"] = query.offset + results.size();
  view["pagination"] = pagination_view(form, form.sort, pages);
  if (results.empty()) {
    view["beyond_last_page"] = result.total > 0;
    json organisations = json::array();
    for (const auto& org : store->organisations()) {
      if (organisations.size() >= k_max_organisations_suggested) break;
      organisations.push_back({{"name", org.name}, {"url", organisation_url(org.id)}});
    }
    view["organisations"] = organisations;
    view["has_organisations"] = !organisations.empty();
  }
  return app.page("search", view);
}

}  // namespace

void add_page_routes(App& app) {
  app.router().add("GET", "/", [&app](const Request&) {
    return app.page("home", {{"title", "Find out how public bodies use AI"},
                             {"nav_home", true},
                             {"form_heading", true},
                             {"has_store", app.store() != nullptr}});
  });
  app.router().add("GET", "/search", app.cached([&app](const Request& request) {
                     return search(app, request);
                   }));
  app.router().add("GET", "/about", [&app](const Request&) {
    return app.page("about",
                    {{"title", "About the register and how to verify it"}, {"nav_about", true}});
  });
}

}  // namespace candor::web
