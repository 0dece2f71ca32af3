#include <catch2/catch.hpp>

#include "candor/web/router.h"

using namespace candor::web;

namespace {

Handler respond(std::string name) {
  return [name](const Request&) { return Response::text(name, "text/plain"); };
}

std::string run(const RouteMatch& match) {
  REQUIRE(match.handler != nullptr);
  return (*match.handler)(Request{}).body;
}

}  // namespace

TEST_CASE("router: literal, parameter and rest segments", "[router]") {
  Router router;
  router.add("GET", "/", respond("home"));
  router.add("GET", "/records/{organisation}/{id}", respond("record"));
  router.add("GET", "/records/{organisation}/{id}/versions/{n}", respond("version"));
  router.add("GET", "/static/{path...}", respond("static"));

  auto home = router.match("GET", "/");
  CHECK(home.status == 200);
  CHECK(run(home) == "home");
  CHECK(home.pattern == "/");

  auto version = router.match("GET", "/records/northshire-police/footage-redaction/versions/3");
  REQUIRE(version.status == 200);
  CHECK(run(version) == "version");
  CHECK(version.pattern == "/records/{organisation}/{id}/versions/{n}");
  CHECK(version.params ==
        PathParams{{"organisation", "northshire-police"}, {"id", "footage-redaction"}, {"n", "3"}});

  auto rest = router.match("GET", "/static/govuk/a%20b.css");
  REQUIRE(rest.status == 200);
  CHECK(rest.params == PathParams{{"path", "govuk/a%20b.css"}});  // raw: the handler vets it
}

TEST_CASE("router: parameters are decoded per segment, an encoded slash stays inside", "[router]") {
  Router router;
  router.add("GET", "/organisations/{organisation}", respond("org"));
  auto m = router.match("GET", "/organisations/a%2Fb%20c");
  REQUIRE(m.status == 200);
  CHECK(m.params == PathParams{{"organisation", "a/b c"}});
  // A literal segment matches its decoded form.
  router.add("GET", "/about", respond("about"));
  CHECK(router.match("GET", "/%61bout").status == 200);
}

TEST_CASE("router: 404 for unknown paths, empty segments and trailing slashes", "[router]") {
  Router router;
  router.add("GET", "/about", respond("about"));
  router.add("GET", "/records/{organisation}", respond("org"));
  CHECK(router.match("GET", "/nothing").status == 404);
  CHECK(router.match("GET", "/about/").status == 404);
  CHECK(router.match("GET", "/records/").status == 404);  // {name} needs a non-empty segment
  CHECK(router.match("GET", "/records//").status == 404);
  CHECK(router.match("GET", "/records/a/b").status == 404);
  CHECK(router.match("GET", "").status == 400);
  CHECK(router.match("GET", "about").status == 400);
}

TEST_CASE("router: 400 for a malformed escape when nothing else matches", "[router]") {
  Router router;
  router.add("GET", "/records/{organisation}", respond("org"));
  CHECK(router.match("GET", "/records/%zz").status == 400);
  CHECK(router.match("GET", "/records/%4").status == 400);
}

TEST_CASE("router: 405 with Allow when the path exists for other methods", "[router]") {
  Router router;
  router.add("GET", "/api/v1/records", respond("list"));
  router.add("POST", "/api/v1/records", respond("submit"));
  router.add("DELETE", "/tokens/{id}", respond("revoke"));

  auto put = router.match("PUT", "/api/v1/records");
  CHECK(put.status == 405);
  CHECK(put.handler == nullptr);
  CHECK(put.allow == std::vector<std::string>{"GET", "POST", "HEAD"});

  auto get = router.match("GET", "/tokens/abc");
  CHECK(get.status == 405);
  CHECK(get.allow == std::vector<std::string>{"DELETE"});
}

TEST_CASE("router: HEAD is answered by the GET route unless a HEAD route exists", "[router]") {
  Router router;
  router.add("GET", "/a", respond("get a"));
  router.add("GET", "/b", respond("get b"));
  router.add("HEAD", "/b", respond("head b"));
  CHECK(run(router.match("HEAD", "/a")) == "get a");
  CHECK(run(router.match("HEAD", "/b")) == "head b");
  CHECK(router.match("POST", "/a").allow == std::vector<std::string>{"GET", "HEAD"});
}

TEST_CASE("router: the most specific pattern wins, whatever the order added", "[router]") {
  Router router;
  router.add("GET", "/records/{organisation}/{id}", respond("record"));
  router.add("GET", "/records/{organisation}/feed.atom", respond("feed"));
  router.add("GET", "/records/{rest...}", respond("rest"));
  router.add("GET", "/records/export/{id}", respond("export"));

  CHECK(run(router.match("GET", "/records/northshire/feed.atom")) == "feed");
  CHECK(run(router.match("GET", "/records/northshire/custody")) == "record");
  CHECK(run(router.match("GET", "/records/export/custody")) == "export");
  CHECK(run(router.match("GET", "/records/a/b/c")) == "rest");
  CHECK(run(router.match("GET", "/records/a")) == "rest");
}

TEST_CASE("router: malformed or tying patterns are refused", "[router]") {
  Router router;
  router.add("GET", "/records/{organisation}", respond("org"));
  CHECK_THROWS_AS(router.add("GET", "/records/{other}", respond("x")), std::invalid_argument);
  CHECK_NOTHROW(router.add("POST", "/records/{other}", respond("x")));  // another method
  CHECK_THROWS_AS(router.add("GET", "records", respond("x")), std::invalid_argument);
  CHECK_THROWS_AS(router.add("GET", "/a//b", respond("x")), std::invalid_argument);
  CHECK_THROWS_AS(router.add("GET", "/a/{b", respond("x")), std::invalid_argument);
  CHECK_THROWS_AS(router.add("GET", "/a/{}", respond("x")), std::invalid_argument);
  CHECK_THROWS_AS(router.add("GET", "/a/{rest...}/b", respond("x")), std::invalid_argument);
  CHECK_THROWS_AS(router.add("GET", "/a/%2e", respond("x")), std::invalid_argument);
  CHECK_THROWS_AS(router.add("get", "/a", respond("x")), std::invalid_argument);
  CHECK_THROWS_AS(router.add("GET", "/a", Handler{}), std::invalid_argument);
}

TEST_CASE("router: routes() lists every route in the order added", "[router]") {
  Router router;
  router.add("GET", "/", respond("home"));
  router.add("POST", "/api/v1/records", respond("submit"));
  CHECK(router.routes() == std::vector<RouteInfo>{{"GET", "/"}, {"POST", "/api/v1/records"}});
}
