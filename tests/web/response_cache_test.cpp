// The response cache on its own (LRU by bytes, emptied when the register's log grows) and through
// App::handle: cached answers are never older than the log, personal requests bypass it, and
// conditional requests get 304s from it.
#include <catch2/catch.hpp>

#include <string>

#include "candor/web/app.h"
#include "candor/web/response_cache.h"
#include "store_test_support.h"
#include "web_test_support.h"

using namespace candor::registry;
using namespace candor::registry::test;
using candor::web::App;
using candor::web::Request;
using candor::web::Response;
using candor::web::ResponseCache;
using candor::web::test::get;
using candor::web::test::read_only;

namespace {

Response body_response(std::string body) {
  return Response::text(std::move(body), "text/plain");
}

}  // namespace

TEST_CASE("response cache: hits within a generation, emptied by the next", "[web][cache]") {
  ResponseCache cache(1 << 20);
  CHECK(cache.find("/a", 1) == nullptr);
  cache.put("/a", 1, body_response("one"));
  const auto hit = cache.find("/a", 1);
  REQUIRE(hit != nullptr);
  CHECK(hit->body == "one");
  CHECK(cache.find("/b", 1) == nullptr);

  // The log grew: everything rendered before is dropped.
  CHECK(cache.find("/a", 2) == nullptr);
  CHECK(cache.stats().entries == 0);
  // A render that started before the change must not come back into the new generation.
  cache.put("/a", 1, body_response("stale"));
  CHECK(cache.find("/a", 2) == nullptr);
  cache.put("/a", 2, body_response("two"));
  REQUIRE(cache.find("/a", 2) != nullptr);
  CHECK(cache.find("/a", 2)->body == "two");
  const auto stats = cache.stats();
  CHECK(stats.hits == 3);
  CHECK(stats.misses == 4);
}

TEST_CASE("response cache: least recently used entries go first, big ones never enter",
          "[web][cache]") {
  const std::string kb(1000, 'x');
  ResponseCache cache(3 * (1000 + sizeof(Response) + 200), 2000);
  cache.put("/1", 7, body_response(kb));
  cache.put("/2", 7, body_response(kb));
  cache.put("/3", 7, body_response(kb));
  REQUIRE(cache.find("/1", 7) != nullptr);  // now the most recently used
  cache.put("/4", 7, body_response(kb));    // evicts /2, the least recently used
  CHECK(cache.find("/2", 7) == nullptr);
  CHECK(cache.find("/1", 7) != nullptr);
  CHECK(cache.find("/3", 7) != nullptr);
  CHECK(cache.find("/4", 7) != nullptr);
  CHECK(cache.stats().bytes <= 3 * (1000 + sizeof(Response) + 200));

  cache.put("/huge", 7, body_response(std::string(5000, 'y')));
  CHECK(cache.find("/huge", 7) == nullptr);
  CHECK(cache.find("/4", 7) != nullptr);  // nothing was evicted for it
}

TEST_CASE("response cache: pages are never older than the log", "[web][cache]") {
  TempDir dir;
  auto store = open_initialised(dir / "register.db");
  Intake intake(*store, test_signer(), fixed_clock_options());
  REQUIRE(intake.submit(prepare(small_record("north-agency", "r1")), {"north-agency", "t"})
              .get()
              .ok());
  App app(read_only(*store));

  const Response first = app.handle(get("/records/north-agency/r1"));
  REQUIRE(first.status == 200);
  CHECK(first.body.find("draft short summaries") != std::string::npos);
  const Response again = app.handle(get("/records/north-agency/r1"));
  CHECK(again.body == first.body);
  const auto etag = first.headers.get("ETag");
  REQUIRE(etag);
  CHECK(again.headers.get("ETag") == etag);
  CHECK(first.headers.get("Cache-Control") == "no-cache");
  const std::string metrics = app.handle(get("/metrics")).body;
  CHECK(metrics.find("\ncandor_response_cache_hits 1\n") != std::string::npos);

  // A conditional request is answered from the cache with a 304.
  Request conditional = get("/records/north-agency/r1");
  conditional.headers.set("If-None-Match", std::string{*etag});
  const Response not_modified = app.handle(conditional);
  CHECK(not_modified.status == 304);
  CHECK(not_modified.body.empty());
  CHECK(not_modified.headers.get("Content-Length") == std::to_string(first.body.size()));

  // A new version: the very next request shows it, and the old ETag no longer matches.
  REQUIRE(intake
              .submit(prepare(small_record("north-agency", "r1", "write a new summary")),
                      {"north-agency", "t"})
              .get()
              .ok());
  const Response updated = app.handle(conditional);
  REQUIRE(updated.status == 200);
  CHECK(updated.body.find("write a new summary") != std::string::npos);
  CHECK(updated.headers.get("ETag") != etag);
  const Response api = app.handle(get("/api/v1/records/north-agency/r1"));
  CHECK(api.body.find("write a new summary") != std::string::npos);
  const Response search = app.handle(get("/search?q=summary"));
  CHECK(search.body.find("write a new") != std::string::npos);
}

TEST_CASE("response cache: requests with a cookie or a token, and errors, are not cached",
          "[web][cache]") {
  TempDir dir;
  auto store = open_initialised(dir / "register.db");
  App app(read_only(*store));
  const auto hits = [&] {
    const std::string metrics = app.handle(get("/metrics")).body;
    const std::string name = "\ncandor_response_cache_hits ";
    const auto at = metrics.find(name);
    REQUIRE(at != std::string::npos);
    return std::stoi(metrics.substr(at + name.size()));
  };
  Request with_cookie = get("/api/v1/records");
  with_cookie.headers.set("Cookie", "candor_session=x");
  Request with_token = get("/api/v1/records");
  with_token.headers.set("Authorization", "Bearer x");
  for (int i = 0; i < 2; ++i) {
    CHECK(app.handle(with_cookie).status == 200);
    CHECK(app.handle(with_token).status == 200);
    CHECK(app.handle(get("/records/nobody/nothing")).status == 404);
  }
  CHECK(hits() == 0);
  CHECK(app.handle(get("/api/v1/records")).status == 200);
  CHECK(app.handle(get("/api/v1/records")).status == 200);
  CHECK(hits() == 1);
}

TEST_CASE("response cache: off when asked", "[web][cache]") {
  TempDir dir;
  auto store = open_initialised(dir / "register.db");
  auto options = read_only(*store);
  options.response_cache_bytes = 0;
  App app(options);
  CHECK(app.handle(get("/api/v1/records")).status == 200);
  CHECK(app.handle(get("/metrics")).body.find("candor_response_cache") == std::string::npos);
}
