// The public pages this foundation serves: home (with the search form), search results, about.
#include <string>

#include "candor/registry/store.h"
#include "candor/web/app.h"
#include "candor/web/html.h"
#include "candor/web/search_query.h"
#include "candor/web/url.h"

namespace candor::web {

namespace {

constexpr std::size_t k_search_page_size = 20;

nlohmann::json search_view(const std::string& q) {
  return {{"title", "Search the register"}, {"nav_search", true}, {"q", q}};
}

Response search(const App& app, const Request& request) {
  const std::string q = request.query("q").value_or("");
  nlohmann::json view = search_view(q);
  const std::string match = to_fts_query(q);
  if (match.empty()) {
    // Submitted with nothing to search for: the GOV.UK error pattern (summary + field message).
    if (request.query("q")) {
      view["title"] = "Error: Search the register";
      view["error"] = "Enter a word or phrase to search for";
    }
    return app.page("search", view, request.query("q") ? 400 : 200);
  }
  registry::Store* store = app.store();
  if (!store) {
    throw HttpError(503, "unavailable",
                    "The register is not available right now. Try again later.");
  }
  registry::SearchQuery query;
  query.match = match;
  query.limit = k_search_page_size;
  auto hits = store->search(query);
  if (!hits.ok()) {
    // to_fts_query quotes every word, so this is rare; it is still the user's input, not a 500.
    throw HttpError(400, "search.query",
                    "We could not search for that. Try different words, without symbols.");
  }
  nlohmann::json results = nlohmann::json::array();
  for (const registry::SearchHit& hit : hits.value()) {
    results.push_back({{"title", hit.title.empty() ? hit.record_id : hit.title},
                       {"organisation", hit.organisation},
                       {"url", "/records/" + percent_encode(hit.organisation) + "/" +
                                   percent_encode(hit.record_id)},
                       {"snippet_html", highlight_marks(hit.snippet, query.open_mark.front(),
                                                        query.close_mark.front())}});
  }
  view["title"] = q + " – Search the register";
  view["searched"] = true;
  view["results"] = results;
  view["count"] = results.size();
  view["has_results"] = !results.empty();
  view["one_result"] = results.size() == 1;
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
  app.router().add("GET", "/search",
                   [&app](const Request& request) { return search(app, request); });
  app.router().add("GET", "/about", [&app](const Request&) {
    return app.page("about",
                    {{"title", "About the register and how to verify it"}, {"nav_about", true}});
  });
}

}  // namespace candor::web
