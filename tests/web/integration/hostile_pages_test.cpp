// Markup in records: the corpus's `markup` cases are valid records whose text carries HTML,
// JavaScript and SVG. They are accepted (a register must publish what was filed), and then every
// page that shows them must show them as text: no live tag, event attribute or script URL may
// reach a page, a feed or an export. The JSON API carries them as JSON strings, with nosniff.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hostile_support.h"
#include "http_client.h"
#include "server_process.h"
#include "test_files.h"

namespace {

namespace fs = std::filesystem;
using candor::test::read_file;
using candor::test::lower;
using candor::test::get;
using candor::test::http;
using candor::test::Reply;
using candor::test::ServerProcess;
using nlohmann::json;

const fs::path k_corpus = fs::path(CANDOR_SOURCE_DIR) / "tests" / "data" / "hostile";

// The cases of the manifest in `category` that are accepted (HTTP 201): their file names.
std::vector<std::string> accepted_files(const std::string& category) {
  std::ifstream in(k_corpus / "manifest.tsv");
  std::vector<std::string> files;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream cells_in(line);
    for (std::string cell; std::getline(cells_in, cell, '\t');) cells.push_back(cell);
    if (cells.size() == 7 && cells[1] == category && cells[5] == "201") {
      files.push_back(cells[0]);
    }
  }
  return files;
}

std::vector<std::string> markup_files() {
  return accepted_files("markup");
}

// Every tag the page really contains (a '<' followed by a letter, up to the next '>'), in
// lower case. Escaped payloads (&lt;script&gt;) are text and never appear here.
std::vector<std::string> live_tags(const std::string& page) {
  std::vector<std::string> tags;
  for (std::size_t at = page.find('<'); at != std::string::npos; at = page.find('<', at + 1)) {
    if (at + 1 >= page.size() || !std::isalpha(static_cast<unsigned char>(page[at + 1]))) continue;
    const auto end = page.find('>', at);
    tags.push_back(lower(page.substr(at, end == std::string::npos ? std::string::npos : end - at)));
  }
  return tags;
}

// What a payload could do if it reached the page as markup. The templates use none of these
// (no scripts at all, under the Content-Security-Policy) except the two kinds of icon SVG.
void check_no_live_markup(const std::string& what, const std::string& page) {
  static const std::regex event_attribute(R"([\s/"']on[a-z]+\s*=)");
  static const std::regex script_url(
      R"((href|src|action|xlink:href)\s*=\s*["']?\s*(javascript|data|vbscript):)");
  for (const std::string& tag : live_tags(page)) {
    INFO(what << ": live tag " << tag.substr(0, 200));
    const std::string name = tag.substr(1, tag.find_first_of(" \t\r\n/>", 1) - 1);
    // The layout's own <meta> fields are charset, theme-color and viewport; never http-equiv.
    const bool own_meta = name == "meta" && tag.find("http-equiv") == std::string::npos;
    for (const char* banned : {"script", "iframe", "img", "style", "object", "embed", "frame",
                               "meta", "base", "math", "template"}) {
      if (name == banned && !own_meta) {
        FAIL_CHECK(what << ": a <" << name << "> tag reached the page");
      }
    }
    if (name == "svg") {
      CHECK((tag.find("govuk-pagination__icon") != std::string::npos ||
             tag.find("candor-chart__svg") != std::string::npos));
    }
    CHECK_FALSE(std::regex_search(tag, event_attribute));
    CHECK_FALSE(std::regex_search(tag, script_url));
  }
}

// A record of the corpus: its id is its file name without .yaml.
std::string record_id(const std::string& file) {
  return file.substr(0, file.size() - 5);
}

}  // namespace

TEST_CASE("hostile markup: accepted, then shown only as text on every page", "[hostile]") {
  candor::test::ScratchRegister reg("hostile-pages");
  ServerProcess server(reg.serve_args());
  const auto port = server.port();
  const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + reg.submitter},
                                                   {"Content-Type", "application/yaml"}};
  const auto files = markup_files();
  REQUIRE(files.size() >= 10);
  for (const auto& file : files) {
    const Reply r = http(port, "POST", "/api/v1/records", auth, read_file(k_corpus / file));
    INFO(file << ": " << r.status << " " << r.body.substr(0, 1500));
    REQUIRE(r.status == 201);
  }
  // A second version of one, so that the diff page has payloads on both sides.
  std::string changed = read_file(k_corpus / "markup-script.yaml");
  changed.replace(changed.find("xss-script"), 10, "<svg/onload=alert(\"v2\")>");
  REQUIRE(http(port, "POST", "/api/v1/records", auth, changed).status == 201);

  std::vector<std::string> pages = {"/organisations",
                                    "/organisations/northshire-police",
                                    "/search?q=Redaction",
                                    "/search?q=script+alert",
                                    "/search?q=onload",
                                    "/search?organisation=northshire-police",
                                    "/search?q=Redaction&page=2",
                                    "/records/northshire-police/markup-script/diff",
                                    "/records/northshire-police/markup-script/diff?from=1&to=2",
                                    "/records/northshire-police/markup-script/versions/2"};
  for (const auto& file : files) {
    const std::string id = record_id(file);
    pages.push_back("/records/northshire-police/" + id);
    pages.push_back("/records/northshire-police/" + id + "/versions/1");
  }
  for (const auto& page : pages) {
    const Reply r = get(port, page);
    INFO(page << ": " << r.status);
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type").rfind("text/html", 0) == 0);
    check_no_live_markup(page, r.body);
  }
  // The payloads did reach the pages, escaped: the test looked at the right thing.
  const Reply script_page = get(port, "/records/northshire-police/markup-script");
  CHECK(script_page.body.find("&lt;script&gt;alert(") != std::string::npos);
  const Reply search = get(port, "/search?q=script+alert");
  CHECK(search.body.find("markup-script") != std::string::npos);

  // Records with control characters are accepted too; XML 1.0 cannot carry C0 controls, so the
  // feeds must drop them (or no feed reader could read the register).
  for (const auto& file : accepted_files("bytes")) {
    const Reply r = http(port, "POST", "/api/v1/records", auth, read_file(k_corpus / file));
    INFO(file << ": " << r.status << " " << r.body.substr(0, 500));
    REQUIRE(r.status == 201);
  }
  for (const std::string feed : {"/feed.atom", "/organisations/northshire-police/feed.atom"}) {
    const std::string body = get(port, feed).body;
    const bool control = std::any_of(body.begin(), body.end(), [](char c) {
      const auto u = static_cast<unsigned char>(c);
      return u < 0x20 && c != '\t' && c != '\n' && c != '\r';
    });
    INFO(feed);
    CHECK_FALSE(control);
  }

  // Feeds are XML: the payload must be character data, not elements or an entity declaration.
  for (const std::string feed : {"/feed.atom", "/organisations/northshire-police/feed.atom"}) {
    const Reply r = get(port, feed);
    INFO(feed);
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type").rfind("application/atom+xml", 0) == 0);
    check_no_live_markup(feed, r.body);
    CHECK(r.body.find("<!ENTITY") == std::string::npos);
    CHECK(r.body.find("&lt;script&gt;") != std::string::npos);
  }

  // JSON carries the text as data; the browser is told not to sniff it into HTML.
  for (const auto& file : files) {
    const Reply r = get(port, "/api/v1/records/northshire-police/" + record_id(file));
    INFO(file);
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type").rfind("application/json", 0) == 0);
    CHECK(lower(r.header("x-content-type-options")) == "nosniff");
    CHECK_NOTHROW(json::parse(r.body));
  }
  const Reply listed = get(port, "/api/v1/records?organisation=northshire-police&limit=200");
  CHECK(json::parse(listed.body)["records"].size() ==
        files.size() + accepted_files("bytes").size());

  // The spreadsheet export defuses formulas (docs/api.md).
  const Reply csv = get(port, "/export/records.csv");
  REQUIRE(csv.status == 200);
  CHECK(csv.body.find("'=HYPERLINK") != std::string::npos);
  CHECK(csv.body.find(",=HYPERLINK") == std::string::npos);
  CHECK(csv.body.find(",\"=HYPERLINK") == std::string::npos);
}
