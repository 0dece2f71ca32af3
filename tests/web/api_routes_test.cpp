// The JSON API and the exports, answered by App::handle from a real SQLite register; and the
// OpenAPI description, which must list exactly the routes the router serves.
#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <set>
#include <string>
#include <vector>

#include "candor/web/app.h"
#include "store_test_support.h"
#include "web_test_support.h"

using namespace candor::registry;
using namespace candor::registry::test;
using candor::web::App;
using candor::web::AppOptions;
using candor::web::Request;
using candor::web::Response;
using candor::web::test::get;
using candor::web::test::read_only;
using nlohmann::json;

namespace {

json body_of(const Response& r) {
  INFO(r.body);
  REQUIRE(r.headers.get("Content-Type").value_or("").starts_with("application/json"));
  return json::parse(r.body);
}

std::string hostile_record() {
  std::string yaml = small_record("north-agency", "hostile");
  const std::string from = "  name: Grant application summaries\n";
  yaml.replace(yaml.find(from), from.size(),
               "  name: \"=HYPERLINK(\\\"x\\\") <script>\\\"q\\\"\"\n");
  return yaml;
}

// Four versions: r1 (twice: v1, v2), r2 in another organisation, and the hostile title.
struct Register {
  TempDir dir;
  std::unique_ptr<Store> store = open_initialised(dir / "register.db");
  Register() {
    Intake intake(*store, test_signer(), fixed_clock_options());
    const auto add = [&](const std::string& yaml, const std::string& org, Findings f = {}) {
      auto r = intake.submit(prepare(yaml), {org, "test"}, std::move(f)).get();
      REQUIRE(r.ok());
    };
    add(small_record("north-agency", "r1"), "north-agency");
    Findings failing;
    failing.evaluated = true;
    failing.counts.error = 2;
    // Two rules that serve one recommendation (Transparency): the statistics count it once.
    failing.json = R"([{"rule_id":"TRN-001","severity":"error","outcome":"fail"},)"
                   R"({"rule_id":"TRN-002","severity":"error","outcome":"fail"}])";
    failing.failing_rules = {"TRN-001", "TRN-002"};  // as rules::evaluate_for_intake lists them
    add(small_record("north-agency", "r1", "summarise the text"), "north-agency", failing);
    add(small_record("south-agency", "r2"), "south-agency");
    add(hostile_record(), "north-agency");
  }
};

}  // namespace

TEST_CASE("api: records list, filters and pages", "[api]") {
  Register reg;
  App app(read_only(*reg.store));
  const json all = body_of(app.handle(get("/api/v1/records")));
  REQUIRE(all.at("records").size() == 3);
  CHECK(all.at("records")[0].at("organisation") == "north-agency");
  CHECK(all.at("records")[0].at("id") == "hostile");
  CHECK(all.at("records")[1].at("id") == "r1");
  CHECK(all.at("records")[1].at("version") == 2);
  CHECK(all.at("records")[1].at("compliance") == "failing");
  CHECK(all.at("records")[1].at("facets").at("mission_area") == "growth");
  CHECK(all.at("records")[1].at("url") == "/records/north-agency/r1");
  CHECK_FALSE(all.contains("next_offset"));

  const json south = body_of(app.handle(get("/api/v1/records?organisation=south-agency")));
  REQUIRE(south.at("records").size() == 1);
  CHECK(south.at("records")[0].at("id") == "r2");
  CHECK(body_of(app.handle(get("/api/v1/records?compliance=failing"))).at("records").size() == 1);
  CHECK(body_of(app.handle(get("/api/v1/records?mission_area=health"))).at("records").empty());

  const json page1 = body_of(app.handle(get("/api/v1/records?limit=2")));
  CHECK(page1.at("records").size() == 2);
  CHECK(page1.at("next_offset") == 2);
  const json page2 = body_of(app.handle(get("/api/v1/records?limit=2&offset=2")));
  CHECK(page2.at("records").size() == 1);
  CHECK_FALSE(page2.contains("next_offset"));

  for (const char* bad :
       {"/api/v1/records?limit=201", "/api/v1/records?limit=x", "/api/v1/records?compliance=great",
        "/api/v1/records?impact_level=9", "/api/v1/records?offset=-1"}) {
    INFO(bad);
    const Response r = app.handle(get(bad));
    CHECK(r.status == 400);
    CHECK(body_of(r).at("error").at("code") == "api.parameter");
  }
}

TEST_CASE("api: a record, its versions, a version and its findings", "[api]") {
  Register reg;
  App app(read_only(*reg.store));
  const json record = body_of(app.handle(get("/api/v1/records/north-agency/r1")));
  CHECK(record.at("version") == 2);
  CHECK(record.at("record").at("tool").at("description_public") ==
        "Staff use this tool to summarise the text of grant applications.");
  CHECK(record.at("findings").at("compliance") == "failing");
  CHECK(record.at("findings").at("findings")[0].at("rule_id") == "TRN-001");
  REQUIRE(record.at("versions").size() == 2);
  CHECK(record.at("versions")[0].at("version") == 1);
  CHECK_FALSE(record.at("versions")[0].contains("submitter"));  // the audit log keeps that

  const Response v1 = app.handle(get("/api/v1/records/north-agency/r1/versions/1"));
  REQUIRE(v1.status == 200);
  CHECK(v1.headers.get("Cache-Control") == "public, max-age=31536000, immutable");
  const json v1_body = body_of(v1);
  CHECK(v1_body.at("record").at("tool").at("description_public") ==
        "Staff use this tool to draft short summaries of grant applications.");
  const auto versions = reg.store->versions("north-agency", "r1");
  CHECK(v1_body.at("body_hash") == to_hex(versions[0].body_hash));
  CHECK(v1_body.at("leaf_index") == versions[0].leaf_index);

  Request again = get("/api/v1/records/north-agency/r1/versions/1");
  again.headers.set("If-None-Match", std::string{*v1.headers.get("ETag")});
  CHECK(app.handle(again).status == 304);

  const json f1 = body_of(app.handle(get("/api/v1/records/north-agency/r1/versions/1/findings")));
  CHECK(f1.at("evaluated") == false);
  CHECK(f1.at("compliance") == "not-assessed");
  const json f2 = body_of(app.handle(get("/api/v1/records/north-agency/r1/versions/2/findings")));
  CHECK(f2.at("counts").at("error") == 2);

  CHECK(
      body_of(app.handle(get("/api/v1/records/north-agency/r1/versions"))).at("versions").size() ==
      2);

  for (const char* missing :
       {"/api/v1/records/north-agency/nope", "/api/v1/records/nobody/r1",
        "/api/v1/records/north-agency/r1/versions/3", "/api/v1/records/north-agency/r1/versions/0",
        "/api/v1/records/north-agency/r1/versions/x/findings", "/api/v1/organisations/nobody"}) {
    INFO(missing);
    const Response r = app.handle(get(missing));
    CHECK(r.status == 404);
    CHECK_FALSE(body_of(r).at("error").at("message").get<std::string>().empty());
  }
}

TEST_CASE("api: organisations with their records and compliance", "[api]") {
  Register reg;
  App app(read_only(*reg.store));
  const json orgs = body_of(app.handle(get("/api/v1/organisations")));
  REQUIRE(orgs.at("organisations").size() == 2);
  CHECK(orgs.at("organisations")[0].at("id") == "north-agency");
  const Response north_r = app.handle(get("/api/v1/organisations/north-agency"));
  INFO(north_r.body);
  const json north = body_of(north_r);
  CHECK(north.at("name") == "Northern Growth Agency");
  CHECK(north.at("records").size() == 2);
  CHECK(north.at("compliance").at("failing") == 1);
  CHECK(north.at("compliance").at("not-assessed") == 1);
}

TEST_CASE("api: statistics count records by facet and failures by recommendation", "[api]") {
  Register reg;
  App app(read_only(*reg.store));
  const Response r = app.handle(get("/api/v1/statistics"));
  REQUIRE(r.status == 200);
  CHECK(r.headers.get("Cache-Control") == "no-cache");
  const json stats = body_of(r);
  CHECK(stats.at("total") == 3);
  const json& compliance = stats.at("facets").at("compliance");
  REQUIRE(compliance.size() == 2);
  // Largest first: two records were never assessed, one fails.
  CHECK(compliance[0] == json{{"value", "not-assessed"}, {"label", "Not assessed"}, {"count", 2}});
  CHECK(compliance[1].at("value") == "failing");
  CHECK(compliance[1].at("count") == 1);
  for (const char* facet :
       {"mission_area", "phase", "tool_type", "impact_level", "organisation_type"}) {
    INFO(facet);
    std::uint64_t sum = 0;
    for (const json& value : stats.at("facets").at(facet)) sum += value.at("count").get<int>();
    CHECK(sum == 3);  // every current record has exactly one value of each facet
  }
  CHECK(stats.at("assessed") == 1);
  const json& failing = stats.at("failing_by_recommendation");
  REQUIRE(failing.size() == 1);
  CHECK(failing[0].at("records") == 1);  // one record, though it fails two Transparency rules
  CHECK(failing[0].at("recommendation") == "Transparency");

  // The page draws the same figures.
  const Response page = app.handle(get("/statistics"));
  REQUIRE(page.status == 200);
  CHECK(page.body.find("1 record has") != std::string::npos);
  CHECK(page.body.find(failing[0].at("recommendation").get<std::string>()) != std::string::npos);
}

TEST_CASE("api: exports are complete, escaped and filterable", "[api]") {
  Register reg;
  App app(read_only(*reg.store));
  const Response csv = app.handle(get("/export/records.csv"));
  REQUIRE(csv.status == 200);
  CHECK(csv.headers.get("Content-Type") == "text/csv; charset=utf-8");
  CHECK(csv.headers.get("Content-Disposition") == "attachment; filename=\"records.csv\"");
  CHECK(csv.body.starts_with("organisation,organisation_name,id,title,"));
  CHECK(std::count(csv.body.begin(), csv.body.end(), '\n') == 4);  // header + 3 records
  // Quotes doubled, and a formula neutralised for spreadsheets.
  CHECK(csv.body.find(R"("'=HYPERLINK(""x"") <script>""q""")") != std::string::npos);

  const Response jsonl = app.handle(get("/export/records.jsonl?organisation=north-agency"));
  REQUIRE(jsonl.status == 200);
  CHECK(jsonl.headers.get("Content-Type") == "application/x-ndjson");
  std::vector<json> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = jsonl.body.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(json::parse(jsonl.body.substr(start, nl - start)));
  }
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].at("record").at("tool").at("name") == "=HYPERLINK(\"x\") <script>\"q\"");
  CHECK(lines[1].at("record").at("id") == "r1");
}

TEST_CASE("api: without a store every route is a JSON 503", "[api]") {
  App app(AppOptions{});
  for (const char* target : {"/api/v1/records", "/api/v1/records/a/b", "/api/v1/organisations",
                             "/api/v1/statistics", "/export/records.csv"}) {
    INFO(target);
    const Response r = app.handle(get(target));
    CHECK(r.status == 503);
  }
}

// Everything that is not a page for people is API: it must be described, and only what exists.
TEST_CASE("api: web/openapi.yaml lists exactly the router's API routes", "[api][openapi]") {
  const YAML::Node spec = YAML::LoadFile(std::string(CANDOR_SOURCE_DIR) + "/web/openapi.yaml");
  REQUIRE(spec["openapi"].as<std::string>() == "3.1.0");
  std::set<std::string> documented;
  for (const auto& path : spec["paths"]) {
    for (const auto& op : path.second) {
      std::string method = op.first.as<std::string>();
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(method + " " + path.first.as<std::string>());
      INFO(method << " " << path.first.as<std::string>());
      CHECK(op.second["responses"].IsMap());
      CHECK(op.second["summary"].IsScalar());
    }
  }
  const auto is_api = [](const std::string& pattern) {
    for (const char* prefix :
         {"/api/", "/export/", "/tile/", "/checkpoint", "/healthz", "/metrics"}) {
      if (pattern.starts_with(prefix)) return true;
    }
    return false;
  };
  App app(AppOptions{});
  std::set<std::string> served;
  for (const auto& route : app.router().routes()) {
    if (!is_api(route.pattern)) continue;
    std::string pattern = route.pattern;
    if (const auto rest = pattern.find("...}"); rest != std::string::npos) pattern.erase(rest, 3);
    served.insert(route.method + " " + pattern);
  }
  for (const auto& route : served) {
    INFO("served but not in web/openapi.yaml: " << route);
    CHECK(documented.count(route) == 1);
  }
  for (const auto& route : documented) {
    INFO("in web/openapi.yaml but not served: " << route);
    CHECK(served.count(route) == 1);
  }
}
