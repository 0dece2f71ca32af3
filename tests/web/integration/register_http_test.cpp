// The register over real HTTP: a register built with the CLI from the example records, served by
// `candor serve`, read through the JSON API, the exports and the log endpoints, and the
// regulator's view reached by signing in with a token made by `candor token create`.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "http_client.h"
#include "process.h"
#include "server_process.h"

namespace {

namespace fs = std::filesystem;
using candor::test::get;
using candor::test::http;
using candor::test::Reply;
using candor::test::ServerProcess;
using nlohmann::json;

candor::test::ProcessResult candor(std::vector<std::string> args) {
  args.insert(args.begin(), CANDOR_BIN);
  return candor::test::run_process(args);
}

// The same, for use in test cases (where the name `candor` is also the namespace).
candor::test::ProcessResult run_cli(std::vector<std::string> args) {
  return candor(std::move(args));
}

json json_of(const Reply& r) {
  INFO(r.status << " " << r.body);
  REQUIRE(r.header("content-type").rfind("application/json", 0) == 0);
  return json::parse(r.body);
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// A register of the 17 example records in a scratch directory, and a regulator token.
struct ExampleRegister {
  fs::path dir = fs::temp_directory_path() / ("candor-web-it-register-" + std::to_string(getpid()));
  fs::path skey;
  fs::path vkey;
  std::string db;
  std::string regulator_token;

  ExampleRegister() {
    fs::remove_all(dir);
    fs::create_directories(dir);
    REQUIRE(candor({"keygen", "--name", "test.example/register", "--out", dir.string()}).exit_code ==
            0);
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".skey") skey = e.path();
      if (e.path().extension() == ".vkey") vkey = e.path();
    }
    db = (dir / "register.db").string();
    REQUIRE(candor({"register", "init", "--db", db, "--key", skey.string()}).exit_code == 0);
    const auto added =
        candor({"register", "add", (fs::path(CANDOR_SOURCE_DIR) / "schemas/examples/valid").string(),
                "--db", db, "--any-org", "--receipts", (dir / "receipts").string()});
    INFO(added.out << added.err);
    REQUIRE(added.exit_code == 0);
    const auto token = candor({"token", "create", "--db", db, "--org", "ai-regulator", "--org-name",
                               "AI Regulator", "--role", "regulator", "--label", "inspector"});
    REQUIRE(token.exit_code == 0);
    regulator_token = token.out.substr(0, token.out.find('\n'));
  }
  ~ExampleRegister() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

TEST_CASE("serve: the JSON API, exports and log proofs over HTTP", "[serve][api]") {
  ExampleRegister reg;
  ServerProcess server({"--db", reg.db});
  const auto port = server.port();

  const json all = json_of(get(port, "/api/v1/records?limit=200"));
  CHECK(all.at("records").size() == 17);
  const json health = json_of(get(port, "/api/v1/records?mission_area=health"));
  CHECK_FALSE(health.at("records").empty());
  for (const auto& r : health.at("records")) CHECK(r.at("facets").at("mission_area") == "health");
  const json page = json_of(get(port, "/api/v1/records?limit=5&offset=5"));
  CHECK(page.at("records").size() == 5);
  CHECK(page.at("next_offset") == 10);
  CHECK(get(port, "/api/v1/records?limit=500").status == 400);

  const std::string base = "/api/v1/records/marchfield-police/missing-person-risk-triage";
  const json record = json_of(get(port, base));
  CHECK(record.at("record").at("organisation").at("id") == "marchfield-police");
  CHECK(record.at("findings").at("evaluated") == true);  // register add runs the shipped pack
  CHECK(record.at("versions").size() == 1);
  const Reply v1 = get(port, base + "/versions/1");
  REQUIRE(v1.status == 200);
  CHECK(v1.header("cache-control") == "public, max-age=31536000, immutable");
  CHECK(get(port, base + "/versions/1", {{"If-None-Match", v1.header("etag")}}).status == 304);
  CHECK(json_of(get(port, base + "/versions/1/findings")).at("findings").is_array());
  CHECK(get(port, base + "/versions/2").status == 404);
  CHECK(json_of(get(port, "/api/v1/organisations")).at("organisations").size() == 17);
  CHECK(json_of(get(port, "/api/v1/organisations/eastbridge-council")).at("records").size() == 2);

  const Reply csv = get(port, "/export/records.csv");
  REQUIRE(csv.status == 200);
  CHECK(lines(csv.body) == 18);
  const Reply jsonl = get(port, "/export/records.jsonl?organisation=eastbridge-council");
  REQUIRE(jsonl.status == 200);
  CHECK(lines(jsonl.body) == 2);

  const json log = json_of(get(port, "/api/v1/log"));
  CHECK(log.at("size") == 17);
  CHECK(log.at("origin") == "test.example/register");
  const json inclusion = json_of(get(port, "/api/v1/log/proof/inclusion?index=3&size=17"));
  CHECK(inclusion.at("proof").size() == 5);  // ceil(log2 17)
  const json consistency = json_of(get(port, "/api/v1/log/proof/consistency?old=4&new=17"));
  CHECK_FALSE(consistency.at("proof").empty());
  CHECK(get(port, "/checkpoint").body == log.at("checkpoint"));
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: a regulator signs in with a token and reads the oversight", "[serve][regulator]") {
  ExampleRegister reg;
  ServerProcess server({"--db", reg.db});
  const auto port = server.port();

  CHECK(get(port, "/regulator").status == 303);
  const Reply form = get(port, "/regulator/sign-in");
  REQUIRE(form.status == 200);
  std::smatch m;
  REQUIRE(std::regex_search(form.body, m, std::regex(R"re(name="csrf" value="([^"]+)")re")));
  const std::string csrf = m[1];
  const std::string form_cookie = form.cookie("candor_sign_in");
  REQUIRE_FALSE(form_cookie.empty());

  const Reply wrong = http(port, "POST", "/regulator/sign-in",
                           {{"Cookie", form_cookie},
                            {"Content-Type", "application/x-www-form-urlencoded"}},
                           "csrf=" + csrf + "&token=candor_wrong");
  CHECK(wrong.status == 401);
  CHECK(wrong.cookie("candor_session").empty());

  const Reply signed_in = http(port, "POST", "/regulator/sign-in",
                               {{"Cookie", form_cookie},
                                {"Content-Type", "application/x-www-form-urlencoded"}},
                               "csrf=" + csrf + "&token=" + reg.regulator_token);
  REQUIRE(signed_in.status == 303);
  const std::string session = signed_in.cookie("candor_session");
  REQUIRE(session.size() > std::string("candor_session=").size());

  const Reply overview = get(port, "/regulator", {{"Cookie", session}});
  REQUIRE(overview.status == 200);
  CHECK(overview.body.find("17 records") != std::string::npos);
  CHECK(overview.body.find("Marchfield Police") != std::string::npos);
  const Reply csv = get(port, "/regulator/oversight.csv?by=mission", {{"Cookie", session}});
  REQUIRE(csv.status == 200);
  CHECK(csv.body.rfind("mission_area,label,records,", 0) == 0);
  // The token never reaches the server's log.
  CHECK(server.log().find(reg.regulator_token) == std::string::npos);
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: a regulator's review note over HTTP, then the whole log verifies",
          "[serve][reviews]") {
  ExampleRegister reg;
  ServerProcess server({"--db", reg.db, "--key", reg.skey.string()});
  const auto port = server.port();
  const std::string target =
      "/api/v1/records/marchfield-police/missing-person-risk-triage/versions/1/reviews";
  const Reply added = http(
      port, "POST", target,
      {{"Authorization", "Bearer " + reg.regulator_token}, {"Content-Type", "application/json"}},
      R"({"text": "We checked the bias testing of this version.\nIt is adequate."})");
  INFO(added.body);
  REQUIRE(added.status == 201);
  const json accepted = json_of(added);
  CHECK(accepted.at("leaf_index") == 17);
  const fs::path receipt = reg.dir / "review.tlog-proof";
  const fs::path note = reg.dir / "review.txt";
  {
    std::ofstream(receipt) << accepted.at("receipt").get<std::string>();
    std::ofstream(note) << accepted.at("text").get<std::string>();
  }
  const auto verified =
      run_cli({"verify", receipt.string(), "--vkey", reg.vkey.string(), "--note", note.string()});
  INFO(verified.out << verified.err);
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.find("review of   marchfield-police/missing-person-risk-triage version 1") !=
        std::string::npos);

  const json reviews =
      json_of(get(port, "/api/v1/records/marchfield-police/missing-person-risk-triage/reviews"));
  REQUIRE(reviews.at("reviews").size() == 1);
  CHECK(reviews.at("reviews")[0].at("reviewer_name") == "AI Regulator");
  const Reply page = get(port, "/records/marchfield-police/missing-person-risk-triage");
  CHECK(page.body.find("Regulator reviews") != std::string::npos);

  const auto audit = run_cli(
      {"verify", "--log", "http://127.0.0.1:" + std::to_string(port), "--vkey", reg.vkey.string()});
  INFO(audit.out << audit.err);
  CHECK(audit.exit_code == 0);
  CHECK(audit.out.find("18 entries") != std::string::npos);
  CHECK(audit.out.find("1 review note") != std::string::npos);
  CHECK(server.stop(SIGTERM) == 0);
}
