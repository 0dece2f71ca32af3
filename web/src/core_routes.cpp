// Operational routes: health, metrics, static files.
#include <string>

#include "candor/registry/store.h"
#include "candor/web/app.h"

namespace candor::web {

void add_core_routes(App& app) {
  if (registry::Store* store = app.store()) {
    app.metrics().add_gauge(
        "candor_log_size", "Entries in the transparency log.",
        [store]() -> std::optional<double> { return static_cast<double>(store->log_size()); });
  }

  // For load balancers and orchestrators: 200 when the server can answer from its store.
  app.router().add("GET", "/healthz", [&app](const Request&) {
    nlohmann::json body = {{"status", "ok"}, {"version", std::string{candor_version()}}};
    if (registry::Store* store = app.store()) {
      try {
        body["log_size"] = store->log_size();
      } catch (const std::exception&) {
        Response response = Response::json({{"status", "unavailable"}}, 503);
        response.headers.set("Cache-Control", "no-store");
        return response;
      }
    }
    Response response = Response::json(body);
    response.headers.set("Cache-Control", "no-store");
    return response;
  });

  app.router().add("GET", "/metrics", [&app](const Request&) {
    Response response = Response::text(app.metrics().render(), k_metrics_content_type);
    response.headers.set("Cache-Control", "no-store");
    return response;
  });

  app.router().add("GET", "/static/{path...}", [&app](const Request& request) {
    return app.static_files().serve(request, request.param("path"));
  });
}

}  // namespace candor::web
