// The web application: every route, and the one function that answers a request.
//
//   App app({.store = store.get(), .static_root = "web/static"});
//   Response r = app.handle(request);   // no socket needed: what tests and fuzzers call
//
// handle() never throws. It routes (404, 405 with Allow, 400 for a malformed path), runs the
// handler, turns HttpError into the consistent error body (errors.h) and any other exception
// into a 500 (logged, not shown), answers HEAD with the GET response's headers and no body,
// adds the security headers (security_headers.h) to every response, and records the request in
// the metrics under its route pattern.
//
// Routes the App registers itself (more are added through router() before serving):
//   GET /healthz          {"status":"ok"} (+ "log_size" with a store); 503 if the store fails
//   GET /metrics          Prometheus text (metrics.h)
//   GET /static/{path...} files under static_root (static_files.h)
//   GET /                 home page with the search form
//   GET /search?q=        search results (needs a store; otherwise a page that says so)
//   GET /about            what the register is and how to verify it
//   GET /records/...      record pages, versions, receipts, diffs (record_routes.cpp)
//   GET /organisations, /organisations/{organisation}, /statistics (browse_routes.cpp)
//   GET /feed.atom, /organisations/{organisation}/feed.atom (feed_routes.cpp)
//   GET /checkpoint, /tile/..., /api/v1/log[/proof/...]   the transparency log (log_routes.cpp)
//   GET /api/v1/records..., /api/v1/organisations..., /export/...   JSON API (api_routes.cpp)
//   POST /api/v1/records  submit a record (bearer token; api_write_routes.cpp, docs/api.md)
//   POST /api/v1/records/{organisation}/{id}/versions/{n}/reviews  a regulator's review note
//   GET /regulator..., POST /regulator/sign-in|sign-out   regulator's view (regulator_routes.cpp)
//   GET /regulator/reviews/new, POST /regulator/reviews   write a review note (the same file)
//
// Public pages and API reads are answered from a cache of rendered responses that empties
// itself whenever the log grows (response_cache.h; routes opt in with cached()).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/web/access_log.h"
#include "candor/web/http.h"
#include "candor/web/metrics.h"
#include "candor/web/rate_limit.h"
#include "candor/web/response_cache.h"
#include "candor/web/router.h"
#include "candor/web/static_files.h"
#include "candor/web/templates.h"

namespace candor::registry {
class Store;
class Intake;
}  // namespace candor::registry

namespace candor::rules {
struct Pack;
}  // namespace candor::rules

namespace candor::web {

struct AppOptions {
  registry::Store* store = nullptr;    // null: read pages say the register is not available
  registry::Intake* intake = nullptr;  // null (no signing key): write routes answer 503
  std::filesystem::path static_root;   // empty: default_static_root()
  std::optional<std::filesystem::path> templates_dir;  // default: the embedded templates
  EventLog* log = nullptr;  // where handler failures are logged (null: nowhere)
  // The rule packs evaluated on every submission. Null: the shipped default pack
  // (uk-public-sector), loaded when the App is built with an intake.
  std::shared_ptr<const std::vector<rules::Pack>> packs;
  // Submissions allowed per bearer token and per client address (token buckets; 429 with
  // Retry-After beyond them). The address limit is checked before the token is, so guessing
  // tokens is limited too. Generous defaults: a CI job submitting a directory is not throttled.
  RateLimit write_limit_per_token{1.0, 60.0};
  RateLimit write_limit_per_address{2.0, 120.0};
  // Memory for rendered public responses (response_cache.h); 0: no cache. Only with a store.
  std::size_t response_cache_bytes = std::size_t{32} << 20;
};

// The source tree's web/static, compiled in; `candor serve --static DIR` overrides it.
std::filesystem::path default_static_root();

// The Candor version the server reports.
std::string_view candor_version();

class App {
 public:
  explicit App(AppOptions options);
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // `route`, if given, receives the label the request was counted under: its route pattern,
  // or "unmatched" (for the access log).
  Response handle(const Request& request, std::string* route = nullptr);

  // An error response for failures found before a Request is complete (the server's 408 and
  // 413): headers and metrics as for any other response, route label "unmatched".
  Response reject(const Request& request, const HttpError& error,
                  std::chrono::steady_clock::time_point started, std::string* route = nullptr);

  // Renders templates/NAME.mustache inside the layout as a 200 (or `status`) HTML response.
  Response page(std::string_view name, const nlohmann::json& view, int status = 200) const;

  // `handler` answered through the response cache, for public GET routes whose answer depends
  // only on the request target and the register: requests with a cookie or Authorization bypass
  // it, only 200s are kept (with an ETag and "no-cache" if the handler set none), and a matching
  // If-None-Match gets a 304. Without a cache or a store, `handler` itself.
  Handler cached(Handler handler);

  Router& router() { return router_; }
  Metrics& metrics() { return metrics_; }
  const Templates& templates() const { return templates_; }
  const StaticFiles& static_files() const { return static_files_; }
  // Whether the request comes from a signed-in regulator, for pages that offer regulators more
  // (a link to write a review note). The regulator routes install the check; until then, no.
  bool has_regulator_session(const Request& request) const;
  void set_regulator_session_check(std::function<bool(const Request&)> check);

  registry::Store* store() const { return options_.store; }
  registry::Intake* intake() const { return options_.intake; }
  const AppOptions& options() const { return options_; }

 private:
  Response finish(const Request& request, Response response, std::string_view route,
                  std::chrono::steady_clock::time_point started);

  AppOptions options_;
  Templates templates_;
  StaticFiles static_files_;
  Metrics metrics_;
  std::unique_ptr<ResponseCache> cache_;
  Router router_;
  std::function<bool(const Request&)> regulator_session_;
};

// The route groups, each in its own file; App's constructor calls them. A new group of pages or
// API routes follows the same shape (see CONTRIBUTING.md, "Add an endpoint").
void add_core_routes(App& app);       // healthz, metrics, static
void add_page_routes(App& app);       // home, search, about
// /records/{organisation}/{id}: the current version; .../versions/{n} (+ /receipt, /record.json);
// .../diff?from=&to=
void add_record_routes(App& app);
void add_browse_routes(App& app);     // /organisations, /organisations/{organisation}, /statistics
void add_feed_routes(App& app);       // /feed.atom, /organisations/{organisation}/feed.atom
void add_log_routes(App& app);        // checkpoint, tiles, log info and proofs
void add_api_routes(App& app);        // JSON API for records and organisations, exports
void add_api_write_routes(App& app);  // POST /api/v1/records, POST .../versions/{n}/reviews
void add_regulator_routes(App& app);  // /regulator: sign-in, oversight, downloads, review notes

}  // namespace candor::web
