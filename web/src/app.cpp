#include "candor/web/app.h"

#include <string>

#include "candor/registry/store.h"
#include "candor/web/caching.h"
#include "candor/web/errors.h"
#include "candor/web/security_headers.h"

namespace candor::web {

namespace {

constexpr std::string_view k_unmatched = "unmatched";

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace

std::filesystem::path default_static_root() {
  return CANDOR_WEB_STATIC_DIR;
}

std::string_view candor_version() {
  return CANDOR_VERSION;
}

App::App(AppOptions options)
    : options_(std::move(options)),
      templates_(options_.templates_dir ? Templates::from_directory(*options_.templates_dir)
                                        : Templates::embedded()),
      static_files_(options_.static_root.empty() ? default_static_root() : options_.static_root),
      metrics_(std::string{candor_version()}) {
  if (options_.store && options_.response_cache_bytes > 0) {
    cache_ = std::make_unique<ResponseCache>(options_.response_cache_bytes);
    const auto gauge = [this](std::uint64_t ResponseCache::Stats::*field) {
      return [this, field]() -> std::optional<double> {
        return static_cast<double>(cache_->stats().*field);
      };
    };
    metrics_.add_gauge("candor_response_cache_hits", "Requests answered from the response cache",
                       gauge(&ResponseCache::Stats::hits));
    metrics_.add_gauge("candor_response_cache_misses",
                       "Cacheable requests that had to be rendered", gauge(&ResponseCache::Stats::misses));
    metrics_.add_gauge("candor_response_cache_bytes", "Memory held by cached responses",
                       gauge(&ResponseCache::Stats::bytes));
  }
  add_core_routes(*this);
  add_page_routes(*this);
  add_record_routes(*this);
  add_browse_routes(*this);
  add_feed_routes(*this);
  add_log_routes(*this);
  add_api_routes(*this);
  add_api_write_routes(*this);
  add_regulator_routes(*this);
}

namespace {

// The cached response for this request: a 304 when If-None-Match names its ETag (with the
// Content-Length a 200 would have had, as cacheable() does), else a copy.
Response answer_from(const Request& request, const Response& stored) {
  const auto inm = request.headers.get("If-None-Match");
  const auto etag = stored.headers.get("ETag");
  if (inm && etag && etag_matches(*inm, *etag)) {
    Response not_modified;
    not_modified.status = 304;
    not_modified.headers = stored.headers;
    not_modified.headers.set("Content-Length", std::to_string(stored.body.size()));
    return not_modified;
  }
  return stored;
}

}  // namespace

Handler App::cached(Handler handler) {
  return [this, handler = std::move(handler)](const Request& request) -> Response {
    if (!cache_ || (request.method != "GET" && request.method != "HEAD") ||
        request.headers.has("Cookie") || request.headers.has("Authorization")) {
      return handler(request);
    }
    // Read before rendering: a write that lands meanwhile moves the size on, and the next
    // lookup then drops what this render stores, so nothing older than the log is ever served.
    const std::uint64_t generation = options_.store->log_size();
    if (const auto stored = cache_->find(request.target, generation)) {
      return answer_from(request, *stored);
    }
    Request unconditional = request;
    unconditional.headers.remove("If-None-Match");
    Response response = handler(unconditional);
    if (response.status != 200) return response;
    if (!response.headers.has("ETag")) {
      response.headers.set("ETag", strong_etag(response.body));
      if (!response.headers.has("Cache-Control")) {
        response.headers.set("Cache-Control", std::string{k_revalidate_cache_control});
      }
    }
    cache_->put(request.target, generation, response);
    return answer_from(request, response);
  };
}

bool App::has_regulator_session(const Request& request) const {
  return regulator_session_ && regulator_session_(request);
}

void App::set_regulator_session_check(std::function<bool(const Request&)> check) {
  regulator_session_ = std::move(check);
}

Response App::page(std::string_view name, const nlohmann::json& view, int status) const {
  return Response::html(templates_.render_page(name, view), status);
}

Response App::handle(const Request& request, std::string* route_out) {
  const auto started = std::chrono::steady_clock::now();
  const RouteMatch match = router_.match(request.method, request.path());
  std::string_view route = match.status == 200 ? std::string_view{match.pattern} : k_unmatched;
  if (route_out) *route_out = route;
  try {
    switch (match.status) {
      case 200: {
        Request routed = request;
        routed.params = match.params;
        return finish(request, (*match.handler)(routed), route, started);
      }
      case 405: {
        Headers allow;
        allow.set("Allow", join(match.allow, ", "));
        throw HttpError(405, "method_not_allowed",
                        "This address does not accept " + request.method + " requests.",
                        std::move(allow));
      }
      case 400:
        throw HttpError(400, "bad_request", "The address is not valid.");
      default:
        throw HttpError(404, "not_found",
                        request.is_api() ? "There is nothing at this address."
                                         : "If you typed the web address, check it is correct.");
    }
  } catch (const HttpError& error) {
    return finish(request, error_response(request, error, templates_), route, started);
  } catch (const std::exception& error) {
    if (options_.log) {
      options_.log->event(
          "handler_error",
          {{"route", std::string{route}}, {"method", request.method}, {"error", error.what()}});
    }
  } catch (...) {
    if (options_.log) options_.log->event("handler_error", {{"route", std::string{route}}});
  }
  const HttpError internal(500, "internal_error",
                           "Something went wrong on our side. Try again later.");
  return finish(request, error_response(request, internal, templates_), route, started);
}

Response App::reject(const Request& request, const HttpError& error,
                     std::chrono::steady_clock::time_point started, std::string* route_out) {
  if (route_out) *route_out = k_unmatched;
  return finish(request, error_response(request, error, templates_), k_unmatched, started);
}

Response App::finish(const Request& request, Response response, std::string_view route,
                     std::chrono::steady_clock::time_point started) {
  if (request.method == "HEAD") {
    // The length a GET would have sent, then no body (RFC 9110 §9.3.2).
    if (!response.headers.has("Content-Length")) {
      response.headers.set("Content-Length", std::to_string(response.body.size()));
    }
    response.body.clear();
  }
  apply_security_headers(response.headers);
  metrics_.observe_request(route, request.method, response.status,
                           std::chrono::steady_clock::now() - started);
  return response;
}

}  // namespace candor::web
