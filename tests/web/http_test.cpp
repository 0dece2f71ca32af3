#include <catch2/catch.hpp>

#include "candor/web/html.h"
#include "candor/web/http.h"
#include "candor/web/search_query.h"
#include "candor/web/url.h"

using namespace candor::web;

TEST_CASE("url: percent_decode is strict", "[url]") {
  CHECK(percent_decode("a%20b") == "a b");
  CHECK(percent_decode("%2e%2E") == "..");
  CHECK(percent_decode("a+b") == "a+b");
  CHECK(percent_decode("a+b", true) == "a b");
  CHECK(percent_decode("%00") == std::string(1, '\0'));
  CHECK_FALSE(percent_decode("%").has_value());
  CHECK_FALSE(percent_decode("%2").has_value());
  CHECK_FALSE(percent_decode("%zz").has_value());
  CHECK_FALSE(percent_decode("abc%").has_value());
}

TEST_CASE("url: percent_encode keeps only unreserved characters", "[url]") {
  CHECK(percent_encode("northshire-police_1.~") == "northshire-police_1.~");
  CHECK(percent_encode("a/b c?&\"<") == "a%2Fb%20c%3F%26%22%3C");
  CHECK(percent_decode(percent_encode("é ü/%")) == "é ü/%");
}

TEST_CASE("url: parse_query", "[url]") {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  CHECK(parse_query("q=facial+recognition&page=2&q=x") ==
        Pairs{{"q", "facial recognition"}, {"page", "2"}, {"q", "x"}});
  CHECK(parse_query("flag&&=v&bad=%zz") == Pairs{{"flag", ""}, {"", "v"}});
  CHECK(parse_query("").empty());
}

TEST_CASE("http: Request splits the target", "[http]") {
  Request r;
  r.target = "/search?q=school+meals&q=other";
  CHECK(r.path() == "/search");
  CHECK(r.query_string() == "q=school+meals&q=other");
  CHECK(r.query("q") == "school meals");
  CHECK_FALSE(r.query("missing").has_value());
  CHECK_FALSE(r.is_api());
  r.target = "/api/v1/records";
  CHECK(r.is_api());
  CHECK(r.query_string().empty());
  r.target = "/api";
  CHECK(r.is_api());
  r.target = "/apis";
  CHECK_FALSE(r.is_api());
}

TEST_CASE("http: header names compare without case", "[http]") {
  Headers h;
  h.add("Content-Type", "text/html");
  h.add("Set-Cookie", "a=1");
  h.add("set-cookie", "b=2");
  CHECK(h.get("content-type") == "text/html");
  h.set("SET-COOKIE", "c=3");
  CHECK(h.entries().size() == 2);
  CHECK(h.get("Set-Cookie") == "c=3");
  h.remove("CONTENT-TYPE");
  CHECK_FALSE(h.has("Content-Type"));
}

TEST_CASE("http: response helpers set content types", "[http]") {
  CHECK(Response::html("<p>").headers.get("Content-Type") == "text/html; charset=utf-8");
  auto json = Response::json({{"a", 1}}, 201);
  CHECK(json.status == 201);
  CHECK(json.headers.get("Content-Type") == "application/json");
  CHECK(json.body == "{\"a\":1}\n");
  // Invalid UTF-8 from stored data is replaced, not thrown.
  CHECK_NOTHROW(Response::json({{"a", std::string("\xff")}}));
  auto redirect = Response::redirect("/search?q=x");
  CHECK(redirect.status == 303);
  CHECK(redirect.headers.get("Location") == "/search?q=x");
  CHECK(reason_phrase(404) == "Not Found");
  CHECK(error_code_for(413) == "payload_too_large");
}

TEST_CASE("html: escape and highlight", "[html]") {
  CHECK(escape_html("<a href=\"x\">'&'</a>") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  CHECK(highlight_marks("the \x02police\x03 <force>") ==
        "the <mark class=\"candor-mark\">police</mark> &lt;force&gt;");
  CHECK(highlight_marks("\x02open") == "<mark class=\"candor-mark\">open</mark>");
  CHECK(highlight_marks("stray\x03 close") == "stray close");
}

TEST_CASE("search: user text becomes quoted terms, never query syntax", "[search]") {
  CHECK(to_fts_query("police facial recognition") == "\"police\" \"facial\" \"recognition\"");
  CHECK(to_fts_query("children's \"services\" AND NOT x*") ==
        "\"children\" \"s\" \"services\" \"AND\" \"NOT\" \"x\"");
  CHECK(to_fts_query("  ()\"*:^  ").empty());
  CHECK(to_fts_query("").empty());
  CHECK(to_fts_query("Gwasanaethau cymdeithasol café") ==
        "\"Gwasanaethau\" \"cymdeithasol\" \"café\"");
  std::string many;
  for (int i = 0; i < 40; ++i) many += "w" + std::to_string(i) + " ";
  const std::string q = to_fts_query(many);
  CHECK(std::count(q.begin(), q.end(), '"') == static_cast<long>(2 * k_max_search_terms));
  // A multi-byte character cut at the length limit is dropped, not half-kept.
  const std::string long_text = std::string(k_max_search_chars - 1, 'a') + "é";
  CHECK(to_fts_query(long_text) == "\"" + std::string(k_max_search_chars - 1, 'a') + "\"");
}
