// The App driven without a socket: Request in, Response out.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "candor/web/app.h"
#include "candor/web/security_headers.h"

using namespace candor::web;

namespace {

Request get(std::string target, std::string method = "GET") {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.remote_address = "127.0.0.1:1";
  return r;
}

void check_security_headers(const Response& r) {
  CHECK(r.headers.get("Content-Security-Policy") == k_content_security_policy);
  CHECK(r.headers.get("X-Content-Type-Options") == "nosniff");
  CHECK(r.headers.get("Referrer-Policy") == "no-referrer");
  CHECK(r.headers.get("X-Frame-Options") == "DENY");
}

}  // namespace

TEST_CASE("app: every response carries the security headers", "[app]") {
  App app({});
  app.router().add("GET", "/boom",
                   [](const Request&) -> Response { throw std::runtime_error("x"); });
  app.router().add("GET", "/override", [](const Request&) {
    Response r = Response::html("<p>hi</p>");
    r.headers.set("Content-Security-Policy", "default-src *");  // a handler cannot weaken it
    return r;
  });
  for (const char* target : {"/", "/about", "/healthz", "/metrics", "/static/candor.css",
                             "/nothing", "/api/v1/nothing", "/boom", "/override", "/records/%zz"}) {
    INFO(target);
    check_security_headers(app.handle(get(target)));
  }
  check_security_headers(app.handle(get("/about", "DELETE")));
  check_security_headers(app.handle(get("/about", "HEAD")));
}

TEST_CASE("app: errors are JSON under /api/ and HTML elsewhere", "[app]") {
  App app({});
  const Response api = app.handle(get("/api/v1/nothing"));
  CHECK(api.status == 404);
  CHECK(api.headers.get("Content-Type") == "application/json");
  const auto body = nlohmann::json::parse(api.body);
  CHECK(body["error"]["status"] == 404);
  CHECK(body["error"]["code"] == "not_found");
  CHECK(body["error"]["message"].is_string());

  const Response page = app.handle(get("/nothing"));
  CHECK(page.status == 404);
  CHECK(page.headers.get("Content-Type") == "text/html; charset=utf-8");
  CHECK(page.body.find("<h1 class=\"govuk-heading-l\">Page not found</h1>") != std::string::npos);
  CHECK(page.body.find("<title>Page not found") != std::string::npos);
  CHECK(page.headers.get("Cache-Control") == "no-store");
}

TEST_CASE("app: 405 carries Allow", "[app]") {
  App app({});
  const Response r = app.handle(get("/about", "POST"));
  CHECK(r.status == 405);
  CHECK(r.headers.get("Allow") == "GET, HEAD");
  app.router().add("POST", "/api/v1/things", [](const Request&) { return Response::json({}); });
  const Response api = app.handle(get("/api/v1/things", "GET"));
  CHECK(api.status == 405);
  CHECK(api.headers.get("Allow") == "POST");
  CHECK(nlohmann::json::parse(api.body)["error"]["code"] == "method_not_allowed");
}

TEST_CASE("app: a handler's exception is a 500 that reveals nothing", "[app]") {
  std::ostringstream log_text;
  EventLog log(log_text);
  AppOptions options;
  options.log = &log;
  App app(std::move(options));
  app.router().add("GET", "/api/v1/boom", [](const Request&) -> Response {
    throw std::runtime_error("secret detail /etc/passwd");
  });
  const Response r = app.handle(get("/api/v1/boom"));
  CHECK(r.status == 500);
  CHECK(r.body.find("secret") == std::string::npos);
  CHECK(nlohmann::json::parse(r.body)["error"]["code"] == "internal_error");
  CHECK(log_text.str().find("secret detail") != std::string::npos);  // the operator sees it
}

TEST_CASE("app: HttpError from a handler keeps its status, code and headers", "[app]") {
  App app({});
  app.router().add("GET", "/api/v1/limited", [](const Request&) -> Response {
    Headers h;
    h.set("Retry-After", "30");
    throw HttpError(429, "rate_limited", "Slow down.", h);
  });
  const Response r = app.handle(get("/api/v1/limited"));
  CHECK(r.status == 429);
  CHECK(r.headers.get("Retry-After") == "30");
  CHECK(nlohmann::json::parse(r.body)["error"] ==
        nlohmann::json{{"status", 429}, {"code", "rate_limited"}, {"message", "Slow down."}});
}

TEST_CASE("app: HEAD gets the GET headers and length, no body", "[app]") {
  App app({});
  const Response get_about = app.handle(get("/about"));
  const Response head = app.handle(get("/about", "HEAD"));
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.headers.get("Content-Length") == std::to_string(get_about.body.size()));
  CHECK(head.headers.get("Content-Type") == get_about.headers.get("Content-Type"));
}

TEST_CASE("app: path parameters reach the handler", "[app]") {
  App app({});
  // (/records/... is the App's own record page now: a test route of its own.)
  app.router().add("GET", "/test-params/{organisation}/{id}", [](const Request& r) {
    return Response::text(r.param("organisation") + "|" + r.param("id"), "text/plain");
  });
  CHECK(app.handle(get("/test-params/north%20shire/x?y=1")).body == "north shire|x");
}

TEST_CASE("app: healthz without a store", "[app]") {
  App app({});
  const Response r = app.handle(get("/healthz"));
  CHECK(r.status == 200);
  const auto body = nlohmann::json::parse(r.body);
  CHECK(body["status"] == "ok");
  CHECK_FALSE(body.contains("log_size"));
}

TEST_CASE("app: metrics count requests by route pattern", "[app]") {
  App app({});
  app.handle(get("/about"));
  app.handle(get("/about"));
  app.handle(get("/no/such/page/1"));
  app.handle(get("/no/such/page/2"));
  const Response r = app.handle(get("/metrics"));
  CHECK(r.headers.get("Content-Type") == std::string{k_metrics_content_type});
  CHECK(r.body.find(
            "candor_http_requests_total{route=\"/about\",method=\"GET\",status=\"200\"} 2\n") !=
        std::string::npos);
  CHECK(r.body.find(
            "candor_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 2\n") !=
        std::string::npos);
  CHECK(r.body.find("/no/such") == std::string::npos);  // raw paths never become labels
}

TEST_CASE("app: pages render in the layout with navigation", "[app]") {
  App app({});
  const Response home = app.handle(get("/"));
  CHECK(home.status == 200);
  CHECK(home.body.find("<form action=\"/search\" method=\"get\"") != std::string::npos);
  CHECK(home.body.find("name=\"q\"") != std::string::npos);
  const Response about = app.handle(get("/about"));
  CHECK(about.body.find("candor verify") != std::string::npos);
  CHECK(about.body.find("href=\"/about\" aria-current=\"page\"") != std::string::npos);
}

TEST_CASE("app: search without a store, and with nothing to search for", "[app]") {
  App app({});
  const Response form = app.handle(get("/search"));
  CHECK(form.status == 200);
  CHECK(form.body.find("govuk-error-summary") == std::string::npos);

  const Response empty = app.handle(get("/search?q=+%22%28"));
  CHECK(empty.status == 400);
  CHECK(empty.body.find("Enter a word or phrase to search for") != std::string::npos);
  CHECK(empty.body.find("<title>Error: ") != std::string::npos);

  const Response unavailable = app.handle(get("/search?q=police"));
  CHECK(unavailable.status == 503);
}

TEST_CASE("app: the search box keeps what was typed, escaped", "[app]") {
  App app({});
  // No word in it, so the form comes back (400) with the text as typed.
  const Response r = app.handle(get("/search?q=%22%3E%3C%2F%2A"));
  CHECK(r.status == 400);
  CHECK(r.body.find("\"></*") == std::string::npos);
  CHECK(r.body.find("value=\"&quot;&gt;&lt;/*\"") != std::string::npos);
}
