// The citizen pages over a real (temporary) register: record pages, versions, diffs,
// organisations, statistics, feeds and search with filters. App::handle, no socket.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "candor/registry/receipt.h"
#include "candor/web/app.h"
#include "store_test_support.h"
#include "xml_check.h"

using namespace candor::web;
using namespace candor::registry;
using namespace candor::registry::test;

namespace {

Request get(std::string target) {
  Request r;
  r.target = std::move(target);
  r.remote_address = "127.0.0.1:1";
  r.headers.set("Host", "register.example");
  return r;
}

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

constexpr const char* k_hostile_title = "<script>alert(1)</script> & \"friends\"";

// A record whose strings try to break out of HTML and XML.
std::string hostile_record() {
  return "schema: candor.record/v1\n"
         "id: hostile-tool\n"
         "organisation:\n"
         "  id: eastbridge-council\n"
         "  name: Eastbridge <b>Council</b>\n"
         "  type: local-authority\n"
         "mission_area: health\n"
         "tool:\n"
         "  name: '<script>alert(1)</script> & \"friends\"'\n"
         "  type: chatbot\n"
         "  description_public: An <img src=x onerror=alert(1)> description ]]> here.\n"
         "phase: production\n"
         "redress:\n"
         "  route: Write to us </p><script>x()</script>\n";
}

// Findings as the rules engine reports them (docs/report-format.md): one failure with its rule.
Findings failing_findings() {
  Findings f;
  f.evaluated = true;
  f.counts = {1, 0, 0};
  f.failing_rules = {"TRN-001"};  // as rules::evaluate_for_intake lists them
  f.json = R"({"findings": [
      {"rule_id": "SCHEMA", "outcome": "pass", "severity": "error", "message": "ok"},
      {"rule_id": "TRN-001", "outcome": "fail", "severity": "error",
       "message": "The record has no <contact> route.", "waiver": null},
      {"rule_id": "PRV-002", "outcome": "not_applicable", "severity": "warning", "message": "n/a"}],
    "rules": [{"id": "TRN-001", "title": "People can contact the team", "severity": "error",
               "recommendation": 1, "recommendation_name": "Transparency",
               "sources": [{"cite": "ATRS Tier 1 field 1.3", "url": "https://www.gov.uk/atrs"}],
               "remediation": "Add contact.email."}]})";
  return f;
}

// A register: grant-summaries (two versions), statistics-agent (findings), the hostile record.
struct Register {
  TempDir dir;
  std::unique_ptr<Store> store = open_initialised(dir / "register.db");
  std::unique_ptr<App> app;

  Register() {
    {
      Intake intake(*store, test_signer(), fixed_clock_options());
      const Submitter growth{"northern-growth-agency", "cli:test"};
      const Submitter council{"eastbridge-council", "cli:test"};
      submit(intake, small_record("northern-growth-agency", "grant-summaries"), growth);
      submit(intake, small_record("northern-growth-agency", "grant-summaries", "write letters"),
             growth);
      submit(intake, small_record("northern-growth-agency", "statistics-agent"), growth,
             failing_findings());
      submit(intake, hostile_record(), council);
    }
    AppOptions options;
    options.store = store.get();
    app = std::make_unique<App>(options);
  }

  static void submit(Intake& intake, const std::string& yaml, const Submitter& who,
                     Findings findings = {}) {
    auto result = intake.submit(prepare(yaml), who, std::move(findings)).get();
    if (!result.ok()) FAIL(format_problem(result.problems().front()));
  }

  Response handle(std::string target) { return app->handle(get(std::move(target))); }
};

}  // namespace

TEST_CASE("record page: summary first, then details, findings, history and verification",
          "[pages]") {
  Register reg;
  const Response r = reg.handle("/records/northern-growth-agency/grant-summaries");
  REQUIRE(r.status == 200);
  CHECK(r.headers.get("Content-Type") == "text/html; charset=utf-8");
  const std::string& b = r.body;
  CHECK(has(b, "<h1 class=\"govuk-heading-xl\">Grant application summaries</h1>"));
  CHECK(has(b, "Staff use this tool to write letters of grant applications."));
  const auto summary = b.find("id=\"summary\"");
  const auto details = b.find("id=\"details\"");
  const auto compliance = b.find("id=\"compliance\"");
  const auto history = b.find("id=\"history\"");
  const auto verify = b.find("id=\"verify\"");
  REQUIRE(summary != std::string::npos);
  CHECK(summary < details);
  CHECK(details < compliance);
  CHECK(compliance < history);
  CHECK(history < verify);
  CHECK(has(b, "How to challenge a decision"));
  CHECK(has(b, "Who to contact"));
  CHECK(has(b, "Not assessed"));
  // History: both versions, newest first, with a diff link.
  const auto v2 = b.find("/records/northern-growth-agency/grant-summaries/versions/2\"");
  const auto v1 = b.find("/records/northern-growth-agency/grant-summaries/versions/1\"");
  REQUIRE(v2 != std::string::npos);
  REQUIRE(v1 != std::string::npos);
  CHECK(v2 < v1);
  CHECK(has(b, "/records/northern-growth-agency/grant-summaries/diff?from=1&amp;to=2"));
  // Verification: leaf 1 (the second entry), the checkpoint and the receipt text.
  CHECK(has(b, "c2sp.org/tlog-proof@v1"));
  CHECK(has(b, "index 1\n"));
  CHECK(has(b, k_origin));
  CHECK(has(b, "candor verify receipt.tlog-proof --vkey register.vkey --record record.json"));
  CHECK(has(b,
            to_hex(reg.store->versions("northern-growth-agency", "grant-summaries")[1].body_hash)));
  CHECK_FALSE(has(b, "style="));
}

TEST_CASE("record page: hostile record strings are escaped everywhere", "[pages]") {
  Register reg;
  for (const char* target :
       {"/records/eastbridge-council/hostile-tool",
        "/records/eastbridge-council/hostile-tool/versions/1", "/organisations/eastbridge-council",
        "/search?q=alert", "/search?mission_area=health", "/statistics"}) {
    INFO(target);
    const Response r = reg.handle(target);
    CHECK(r.status == 200);
    CHECK_FALSE(has(r.body, "<script>"));
    CHECK_FALSE(has(r.body, "<img"));
    CHECK_FALSE(has(r.body, "<b>Council"));
  }
  const Response r = reg.handle("/records/eastbridge-council/hostile-tool");
  CHECK(has(r.body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;"));
  CHECK(has(r.body, "Write to us &lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;"));
}

TEST_CASE("record page: unknown records and versions are helpful 404s", "[pages]") {
  Register reg;
  const Response unknown = reg.handle("/records/northern-growth-agency/no-such-thing");
  CHECK(unknown.status == 404);
  CHECK(unknown.headers.get("Content-Type") == "text/html; charset=utf-8");
  CHECK(has(unknown.body, "Record not found"));
  CHECK(has(unknown.body, "href=\"/organisations/northern-growth-agency\""));  // org exists
  const Response nobody = reg.handle("/records/nobody/%3Cscript%3E");
  CHECK(nobody.status == 404);
  CHECK_FALSE(has(nobody.body, "<script>"));
  CHECK_FALSE(has(nobody.body, "href=\"/organisations/nobody\""));
  for (const char* target :
       {"/records/northern-growth-agency/grant-summaries/versions/3",
        "/records/northern-growth-agency/grant-summaries/versions/0",
        "/records/northern-growth-agency/grant-summaries/versions/x1",
        "/records/northern-growth-agency/grant-summaries/versions/99999999999",
        "/records/northern-growth-agency/grant-summaries/versions/3/receipt"}) {
    INFO(target);
    CHECK(reg.handle(target).status == 404);
  }
  CHECK(reg.handle("/organisations/nobody").status == 404);
  CHECK(reg.handle("/organisations/nobody/feed.atom").status == 404);
}

TEST_CASE("version page: an older version, revalidated with ETag and 304", "[pages]") {
  Register reg;
  const std::string target = "/records/northern-growth-agency/grant-summaries/versions/1";
  const Response r = reg.handle(target);
  REQUIRE(r.status == 200);
  CHECK(has(r.body, "This is an older version of this record."));
  CHECK(has(r.body, "replaced by version 2 on"));
  CHECK(has(r.body, "/records/northern-growth-agency/grant-summaries/diff?from=1&amp;to=2"));
  CHECK(has(r.body, "href=\"/records/northern-growth-agency/grant-summaries\""));
  CHECK(has(r.body, "draft short summaries"));  // version 1's text, not version 2's
  CHECK_FALSE(has(r.body, "write letters"));
  CHECK_FALSE(has(r.body, "id=\"history\""));
  const auto etag = r.headers.get("ETag");
  REQUIRE(etag.has_value());
  // A regulator may add a review note to any version at any time: revalidated, never immutable.
  CHECK(r.headers.get("Cache-Control") == "no-cache");
  const std::string tag{*etag};

  Request again = get(target);
  again.headers.set("If-None-Match", tag);
  const Response unchanged = reg.app->handle(again);
  CHECK(unchanged.status == 304);
  CHECK(unchanged.body.empty());
  CHECK(unchanged.headers.get("ETag") == tag);
  again.headers.set("If-None-Match", "\"something-else\"");
  CHECK(reg.app->handle(again).status == 200);

  // The latest version's page will change (to say it was replaced): revalidated, not cached.
  const Response latest = reg.handle("/records/northern-growth-agency/grant-summaries/versions/2");
  CHECK(has(latest.body, "It is the latest version."));
  CHECK(latest.headers.get("Cache-Control") == "no-cache");
  REQUIRE(latest.headers.get("ETag").has_value());
  CHECK(latest.headers.get("ETag") != tag);
  const std::string latest_tag{*latest.headers.get("ETag")};
  {
    Intake intake(*reg.store, test_signer(), fixed_clock_options());
    Register::submit(intake,
                     small_record("northern-growth-agency", "grant-summaries", "answer letters"),
                     {"northern-growth-agency", "cli:test"});
  }
  const Response replaced =
      reg.handle("/records/northern-growth-agency/grant-summaries/versions/2");
  CHECK(replaced.headers.get("ETag") != latest_tag);
  CHECK(replaced.headers.get("Cache-Control") == "no-cache");
  CHECK(has(replaced.body, "replaced by version 3 on"));
}

TEST_CASE("version files: the receipt verifies, the record file is the canonical JSON", "[pages]") {
  Register reg;
  const Response receipt =
      reg.handle("/records/northern-growth-agency/grant-summaries/versions/2/receipt");
  REQUIRE(receipt.status == 200);
  CHECK(receipt.headers.get("Content-Type") == "text/plain; charset=utf-8");
  const auto keys = test_verifiers();
  auto verified = verify_receipt(receipt.body, k_origin, keys);
  REQUIRE(verified.ok());
  CHECK(verified.value().index == 1);
  CHECK(verified.value().leaf.record_id == "grant-summaries");
  CHECK(verified.value().checkpoint.size == 2);  // the first checkpoint covering leaf 1
  Request again = get("/records/northern-growth-agency/grant-summaries/versions/2/receipt");
  again.headers.set("If-None-Match", std::string{*receipt.headers.get("ETag")});
  CHECK(reg.app->handle(again).status == 304);

  const Response body =
      reg.handle("/records/northern-growth-agency/grant-summaries/versions/1/record.json");
  REQUIRE(body.status == 200);
  CHECK(body.headers.get("Content-Type") == "application/json");
  CHECK(body.body ==
        prepare(small_record("northern-growth-agency", "grant-summaries")).canonical_json);
  CHECK(
      reg.handle("/records/northern-growth-agency/grant-summaries/versions/1/record.yaml").status ==
      404);  // the submitted YAML (and its comments) is not published
}

TEST_CASE("record page: findings explained with their sources", "[pages]") {
  Register reg;
  const Response r = reg.handle("/records/northern-growth-agency/statistics-agent");
  REQUIRE(r.status == 200);
  CHECK(has(r.body, "Does not meet the rules"));
  CHECK(has(r.body, "People can contact the team"));
  CHECK(has(r.body, "The record has no &lt;contact&gt; route."));
  CHECK(has(r.body,
            "<a class=\"govuk-link\" href=\"https://www.gov.uk/atrs\">ATRS Tier 1 field 1.3</a>"));
  CHECK(has(r.body, "Add contact.email."));
  CHECK(has(r.body, "It passed 1 check; 1 check did not apply to it."));
  CHECK_FALSE(has(r.body, "Not assessed"));
}

TEST_CASE("record page: findings stored without their rules are explained from the shipped packs",
          "[pages]") {
  TempDir dir;
  auto store = open_initialised(dir / "register.db");
  {
    Intake intake(*store, test_signer(), fixed_clock_options());
    Findings f;
    f.evaluated = true;
    f.counts = {1, 0, 0};
    f.json = R"([{"rule_id": "TRN-001", "outcome": "fail", "severity": "error",
                  "message": "The senior responsible owner is not named.", "waiver": null},
                 {"rule_id": "NOT-A-RULE", "outcome": "fail", "severity": "warning",
                  "message": "Something else."}])";
    auto result = intake
                      .submit(prepare(small_record("northern-growth-agency", "grant-summaries")),
                              {"northern-growth-agency", "cli:test"}, f)
                      .get();
    REQUIRE(result.ok());
  }
  AppOptions options;
  options.store = store.get();
  App app(options);
  const Response r = app.handle(get("/records/northern-growth-agency/grant-summaries"));
  REQUIRE(r.status == 200);
  CHECK(has(r.body,
            "The tool, the organisation, the team and the senior responsible owner are "
            "named"));
  CHECK(has(r.body, "ATRS v3 Tier 1 (name of the tool)"));
  CHECK(has(r.body, "Rule TRN-001, Transparency"));
  CHECK(has(r.body, "The senior responsible owner is not named."));
  // A rule nobody knows is still listed, by its id.
  CHECK(has(r.body, "<h4 class=\"govuk-heading-s\">NOT-A-RULE</h4>"));
  CHECK(has(r.body, "Should be fixed"));
}

TEST_CASE("diff page: what changed between versions, and errors for bad numbers", "[pages]") {
  Register reg;
  const std::string base = "/records/northern-growth-agency/grant-summaries/diff";
  const Response r = reg.handle(base);
  REQUIRE(r.status == 200);
  CHECK(has(r.body, "What changed from version 1 to version 2"));
  CHECK(has(r.body, "Description public"));
  CHECK(
      has(r.body, "<del class=\"candor-diff__old\">Staff use this tool to draft short summaries"));
  CHECK(has(r.body, "<ins class=\"candor-diff__new\">Staff use this tool to write letters"));
  CHECK(has(r.body, "1 field changed."));
  CHECK(has(r.body, "<option value=\"1\" selected>"));

  const Response reversed = reg.handle(base + "?from=2&to=1");
  REQUIRE(reversed.status == 200);
  CHECK(has(reversed.body, "What changed from version 2 to version 1"));

  for (const char* query :
       {"?from=abc", "?from=0", "?to=3", "?from=2&to=2", "?from=-1", "?from=1e3"}) {
    INFO(query);
    const Response bad = reg.handle(base + query);
    CHECK(bad.status == 400);
    CHECK(has(bad.body, "govuk-error-summary"));
    CHECK(has(bad.body, "<title>Error: "));
  }
  const Response single = reg.handle("/records/northern-growth-agency/statistics-agent/diff");
  CHECK(single.status == 200);
  CHECK(has(single.body, "only one version"));
  CHECK(reg.handle("/records/nobody/nothing/diff").status == 404);
}

TEST_CASE("organisation page: its records and a compliance summary", "[pages]") {
  Register reg;
  const Response r = reg.handle("/organisations/northern-growth-agency");
  REQUIRE(r.status == 200);
  CHECK(has(r.body, "<h1 class=\"govuk-heading-xl\">Northern Growth Agency</h1>"));
  CHECK(has(r.body, "has published 2 records"));
  CHECK(has(r.body, "href=\"/records/northern-growth-agency/grant-summaries\""));
  CHECK(has(r.body, "href=\"/records/northern-growth-agency/statistics-agent\""));
  CHECK_FALSE(has(r.body, "hostile-tool"));
  CHECK(has(r.body, "Does not meet the rules</strong></th>"));
  CHECK(has(r.body, "Not assessed</strong></th>"));
  CHECK(has(r.body, "href=\"/organisations/northern-growth-agency/feed.atom\""));
}

TEST_CASE("organisation page: a large organisation lists its first 100 and links to search",
          "[pages]") {
  TempDir dir;
  auto store = open_initialised(dir / "register.db");
  {
    Intake intake(*store, test_signer(), fixed_clock_options());
    const Submitter growth{"northern-growth-agency", "cli:test"};
    for (int i = 0; i < 101; ++i) {
      const std::string n = std::to_string(i);
      const std::string id = "tool-" + std::string(3 - n.size(), '0') + n;
      Register::submit(intake, small_record("northern-growth-agency", id), growth);
    }
  }
  AppOptions options;
  options.store = store.get();
  App app(options);
  const Response r = app.handle(get("/organisations/northern-growth-agency"));
  REQUIRE(r.status == 200);
  CHECK(has(r.body, "has published 101 records"));
  CHECK(has(r.body, "Only the first 100 records are listed."));
  CHECK(has(r.body, "href=\"/search?organisation=northern-growth-agency\""));
  CHECK(has(r.body, "href=\"/records/northern-growth-agency/tool-099\""));
  CHECK_FALSE(has(r.body, "href=\"/records/northern-growth-agency/tool-100\""));
  // A smaller one lists every record and says nothing of a limit.
  Register small;
  CHECK_FALSE(has(small.handle("/organisations/northern-growth-agency").body, "Only the first"));
}

TEST_CASE("organisations page: every organisation with its number of records", "[pages]") {
  Register reg;
  const Response r = reg.handle("/organisations");
  REQUIRE(r.status == 200);
  CHECK(has(r.body, "2 public bodies have published records"));
  // By name: "Eastbridge &lt;b&gt;Council..." sorts before "Northern Growth Agency".
  const auto eastbridge = r.body.find(
      "href=\"/organisations/eastbridge-council\">Eastbridge "
      "&lt;b&gt;Council&lt;/b&gt;</a> <span class=\"candor-count\">(1 "
      "record)</span>");
  const auto growth = r.body.find(
      "href=\"/organisations/northern-growth-agency\">Northern Growth "
      "Agency</a> <span class=\"candor-count\">(2 records)</span>");
  REQUIRE(eastbridge != std::string::npos);
  REQUIRE(growth != std::string::npos);
  CHECK(eastbridge < growth);
}

TEST_CASE("statistics page: charts as SVG with text alternatives", "[pages]") {
  Register reg;
  const Response r = reg.handle("/statistics");
  REQUIRE(r.status == 200);
  CHECK(has(r.body, "The register holds 3 records"));
  CHECK(has(r.body, "Records by mission area"));
  CHECK(has(r.body, "<svg class=\"candor-chart__svg\""));
  CHECK(has(r.body, "<desc id=\"chart-mission-area-desc\">Growth: 2; Health: 1.</desc>"));
  CHECK(has(r.body, "<th scope=\"row\" class=\"govuk-table__header\">Growth</th>"));
  CHECK(has(r.body, "href=\"/statistics\" aria-current=\"page\""));
  // Findings are present for one record: the recommendation chart counts it.
  CHECK(has(r.body, "1 record has been checked"));
  CHECK(has(r.body, "<desc id=\"chart-recommendation-desc\">Transparency: 1.</desc>"));
  CHECK_FALSE(has(r.body, "style="));
  CHECK(candor::test::check_well_formed(
            r.body.substr(r.body.find("<svg class"),
                          r.body.find("</svg>") + 6 - r.body.find("<svg class")),
            {}) == "");
}

TEST_CASE("atom feeds: newest first, escaped, valid", "[pages]") {
  Register reg;
  const Response r = reg.handle("/feed.atom");
  REQUIRE(r.status == 200);
  CHECK(r.headers.get("Content-Type") == "application/atom+xml; charset=utf-8");
  CHECK(r.body.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "
                     "xmlns=\"http://www.w3.org/2005/Atom\">",
                     0) == 0);
  CHECK(candor::test::check_well_formed(r.body.substr(r.body.find("<feed")), {}) == "");
  CHECK_FALSE(has(r.body, "<script>"));
  CHECK(has(r.body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;"));
  CHECK(has(r.body,
            "<id>http://register.example/records/eastbridge-council/hostile-tool/versions/1</id>"));
  // Newest first: the hostile record (leaf 3) before version 2 of grant-summaries (leaf 1).
  const auto hostile = r.body.find("hostile-tool/versions/1");
  const auto second = r.body.find("grant-summaries/versions/2");
  const auto first = r.body.find("grant-summaries/versions/1");
  REQUIRE(second != std::string::npos);
  CHECK(hostile < second);
  CHECK(second < first);
  CHECK(has(r.body, "grant-summaries/diff?from=1&amp;to=2"));
  std::size_t entries = 0;
  for (auto at = r.body.find("<entry>"); at != std::string::npos;
       at = r.body.find("<entry>", at + 1)) {
    ++entries;
  }
  CHECK(entries == 4);

  const Response org = reg.handle("/organisations/eastbridge-council/feed.atom");
  REQUIRE(org.status == 200);
  CHECK(has(org.body, "hostile-tool"));
  CHECK_FALSE(has(org.body, "grant-summaries"));
  CHECK(candor::test::check_well_formed(org.body.substr(org.body.find("<feed")), {}) == "");

  // A hostile Host header does not reach the feed.
  Request evil = get("/feed.atom");
  evil.headers.set("Host", "x\"><script>");
  const Response e = reg.app->handle(evil);
  CHECK(has(e.body, "<id>http://localhost/feed.atom</id>"));
}

TEST_CASE("search: browse with filters, facets with counts, sorting", "[pages]") {
  Register reg;
  const Response all = reg.handle("/search");
  REQUIRE(all.status == 200);
  CHECK(has(all.body, "3 records"));
  CHECK(has(all.body, "name=\"mission_area\" type=\"checkbox\" value=\"growth\""));
  CHECK(has(all.body, "Growth <span class=\"candor-count\">(2)</span>"));
  CHECK(has(all.body, "Health <span class=\"candor-count\">(1)</span>"));
  // The filters come first in the page: a link lets people skip them.
  CHECK(has(all.body, "<a class=\"govuk-link\" href=\"#results\">Skip to the results</a>"));
  CHECK(has(all.body, "id=\"results\""));

  const Response health = reg.handle("/search?q=&mission_area=health");
  REQUIRE(health.status == 200);
  CHECK(has(health.body, "1 record with the filters you chose"));
  CHECK(has(health.body, "hostile-tool"));
  CHECK_FALSE(has(health.body, "href=\"/records/northern-growth-agency/grant-summaries\""));
  CHECK(has(health.body, "value=\"health\" form=\"search-form\" checked"));
  // The facet's own counts ignore its filter, so other areas stay offered.
  CHECK(has(health.body, "Growth <span class=\"candor-count\">(2)</span>"));

  // Text and filters combined.
  const Response both = reg.handle("/search?q=grant&compliance=failing");
  REQUIRE(both.status == 200);
  CHECK(has(both.body, "href=\"/records/northern-growth-agency/statistics-agent\""));
  CHECK_FALSE(has(both.body, "href=\"/records/northern-growth-agency/grant-summaries\""));

  // Sorting by title: the hostile "<script>..." title sorts before "Grant application ...".
  const Response by_title = reg.handle("/search?sort=title");
  REQUIRE(by_title.status == 200);
  CHECK(by_title.body.find("hostile-tool") < by_title.body.find("grant-summaries"));
  const Response by_update = reg.handle("/search?sort=updated");
  REQUIRE(by_update.status == 200);
  CHECK(has(by_update.body, "<option value=\"updated\" selected>"));
  // Relevance without words to match sorts (and says it sorts) by title.
  const Response no_words = reg.handle("/search?sort=relevance");
  CHECK(has(no_words.body, "<option value=\"title\" selected>"));
  CHECK_FALSE(has(no_words.body, "value=\"relevance\""));
  CHECK(has(reg.handle("/search?q=grant").body, "<option value=\"relevance\" selected>"));
}

TEST_CASE("search: no results, errors and hostile queries are never a 500", "[pages]") {
  Register reg;
  const Response none = reg.handle("/search?q=zzzzqqqq");
  REQUIRE(none.status == 200);
  CHECK(has(none.body, "There are no matching records"));
  CHECK(has(none.body, "Browse by organisation"));
  CHECK(has(none.body, "href=\"/organisations/eastbridge-council\""));
  const Response filtered_none = reg.handle("/search?q=zzzzqqqq&phase=idea");
  CHECK(has(filtered_none.body, "removing the filters"));
  CHECK(has(filtered_none.body, "href=\"/search?q=zzzzqqqq\""));

  for (const char* target :
       {"/search?q=%22unbalanced+AND+(+NEAR", "/search?q=grant*", "/search?q=a%00b",
        "/search?phase=%27%20OR%201%3D1", "/search?page=0", "/search?page=abc", "/search?page=999",
        "/search?sort=nonsense", "/search?q=NOT", "/search?q=%FF%FEgrant", "/search?q=gr%C3",
        "/search?organisation=%FF"}) {
    INFO(target);
    CHECK(reg.handle(target).status == 200);
  }
  CHECK(reg.handle("/search?q=*").status == 400);  // no word in it: asks for one
  const Response empty = reg.handle("/search?q=");
  CHECK(empty.status == 400);
  CHECK(has(empty.body, "Enter a word or phrase to search for, or choose a filter"));
  CHECK(has(empty.body, "name=\"phase\""));  // the filters are offered instead
}

TEST_CASE("search: pages of results with the GOV.UK pagination component", "[pages]") {
  TempDir dir;
  auto store = open_initialised(dir / "register.db");
  {
    Intake intake(*store, test_signer(), fixed_clock_options());
    std::vector<std::future<Result<Acceptance>>> pending;
    for (int i = 0; i < 45; ++i) {
      pending.push_back(intake.submit(
          prepare(small_record("northern-growth-agency", "tool-" + std::to_string(100 + i))),
          {"northern-growth-agency", "cli:test"}));
    }
    for (auto& p : pending) REQUIRE(p.get().ok());
  }
  AppOptions options;
  options.store = store.get();
  App app(options);
  const Response first = app.handle(get("/search?q=grant&phase=pilot"));
  REQUIRE(first.status == 200);
  CHECK(has(first.body, "45 records found for <strong>grant</strong>"));
  CHECK(has(first.body, "Showing 1 to 20."));
  CHECK(has(first.body, "class=\"govuk-pagination\""));
  CHECK(has(first.body, "href=\"/search?q=grant&amp;phase=pilot&amp;page=2\" rel=\"next\""));
  CHECK(has(first.body, "aria-label=\"Page 3\""));
  CHECK_FALSE(has(first.body, "rel=\"prev\""));
  const Response last = app.handle(get("/search?q=grant&phase=pilot&page=3"));
  CHECK(has(last.body, "Showing 41 to 45."));
  CHECK(has(last.body, "rel=\"prev\""));
  CHECK_FALSE(has(last.body, "rel=\"next\""));
  CHECK(has(last.body, "aria-label=\"Page 3\" aria-current=\"page\""));
}

TEST_CASE("search: a facet with many values shows those with most records, and ticked ones",
          "[pages]") {
  TempDir dir;
  auto store = open_initialised(dir / "register.db");
  {
    // 30 organisations; org-00 has three records, the others one each.
    Intake intake(*store, test_signer(), fixed_clock_options());
    std::vector<std::future<Result<Acceptance>>> pending;
    for (int i = 0; i < 30; ++i) {
      const std::string org = "org-" + std::string(i < 10 ? "0" : "") + std::to_string(i);
      for (int n = 0; n < (i == 0 ? 3 : 1); ++n) {
        pending.push_back(intake.submit(prepare(small_record(org, "tool-" + std::to_string(n))),
                                        {org, "cli:test"}));
      }
    }
    for (auto& p : pending) REQUIRE(p.get().ok());
  }
  AppOptions options;
  options.store = store.get();
  App app(options);
  const auto organisation_boxes = [](const std::string& body) {
    std::size_t n = 0;
    for (std::size_t at = 0;
         (at = body.find("name=\"organisation\" type=\"checkbox\"", at)) != std::string::npos;
         ++at) {
      ++n;
    }
    return n;
  };
  const Response browse = app.handle(get("/search"));
  REQUIRE(browse.status == 200);
  CHECK(organisation_boxes(browse.body) == 25);
  CHECK(has(browse.body, "5 more are not shown"));
  CHECK(has(browse.body, "href=\"/organisations\">See every organisation</a>"));
  CHECK(has(browse.body, "value=\"org-00\""));  // the one with most records is kept
  // A ticked organisation stays listed (and ticked) even when it would not make the cut.
  const Response ticked = app.handle(get("/search?organisation=org-29"));
  REQUIRE(ticked.status == 200);
  CHECK(has(ticked.body, "value=\"org-29\" form=\"search-form\" checked"));
}

TEST_CASE("record pages without a register answer 503", "[pages]") {
  App app({});
  for (const char* target :
       {"/records/a/b", "/records/a/b/versions/1", "/records/a/b/versions/1/receipt",
        "/records/a/b/diff", "/organisations/a", "/statistics", "/feed.atom",
        "/organisations/a/feed.atom", "/search?mission_area=health"}) {
    INFO(target);
    const Response r = app.handle(get(target));
    CHECK(r.status == 503);
    CHECK(has(r.body, "The register is not available right now."));
  }
}
