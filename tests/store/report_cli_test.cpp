// `candor report`: the regulator's oversight report of a register, from the real binary.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "candor_run.h"
#include "store_test_support.h"

namespace {

namespace fs = std::filesystem;
using candor::test::ProcessResult;
using candor::test::run_process;
using namespace candor::registry::test;

using candor::test::describe;
using candor::test::run_candor;

const fs::path k_examples = fs::path(CANDOR_SOURCE_DIR) / "schemas" / "examples" / "valid";

}  // namespace

TEST_CASE("report: oversight of a register as CSV, JSON and HTML") {
  TempDir dir;
  const fs::path skey = dir / "keys" / "example.org-ai-register.skey";
  const std::string db = (dir / "register.db").string();
  REQUIRE(run_candor({"keygen", "--name", "example.org/ai-register", "--out",
                      (dir / "keys").string()})
              .exit_code == 0);
  REQUIRE(run_candor({"register", "init", "--db", db, "--key", skey.string()}).exit_code == 0);
  // Marchfield's triage tool (production) has an old bias test and threat model; Harrowdale's
  // pilot is exemplary; the chatbot of Kestrel Valley is retired.
  for (const auto& [org, file] : std::vector<std::pair<std::string, std::string>>{
           {"marchfield-police", "marchfield-police--missing-person-risk-triage.yaml"},
           {"harrowdale-nhs-trust", "harrowdale-nhs-trust--appointment-support-prediction.yaml"},
           {"kestrel-valley-icb", "kestrel-valley-icb--urgent-care-signposting-chatbot.yaml"}}) {
    const auto added = run_candor({"register", "add", (k_examples / file).string(), "--db", db,
                                   "--org", org, "--receipts", dir.path().string()});
    INFO(describe(added));
    REQUIRE(added.exit_code == 0);
  }

  const auto json_run = run_candor({"report", "--db", db, "--format", "json", "--by", "mission",
                                    "--as-of", "2026-11-26"});
  INFO(describe(json_run));
  REQUIRE(json_run.exit_code == 0);
  const auto report = nlohmann::json::parse(json_run.out);
  CHECK(report.at("format") == "candor.oversight/v1");
  CHECK(report.at("as_of") == "2026-11-26");
  CHECK(report.at("total").at("records") == 3);
  CHECK(report.at("total").at("not_assessed") == 0);  // register add evaluates the shipped pack
  std::vector<std::string> groups;
  for (const auto& g : report.at("groups")) groups.push_back(g.at("key"));
  CHECK(groups == std::vector<std::string>{"crime-and-policing", "health"});
  bool triage_lapsed = false;
  for (const auto& r : report.at("records")) {
    if (r.at("id") == "missing-person-risk-triage") {
      for (const auto& l : r.at("lapses")) triage_lapsed |= l.at("kind") == "bias-testing";
    }
    if (r.at("id") == "urgent-care-signposting-chatbot") CHECK(r.at("lapses").empty());
  }
  CHECK(triage_lapsed);

  const auto csv = run_candor({"report", "--db", db, "--format", "csv", "--as-of", "2026-11-26"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.starts_with("organisation,label,records,"));
  CHECK(csv.out.find("\"marchfield-police\",\"Marchfield Police\",1,") != std::string::npos);
  CHECK(csv.out.find("\"\",\"All records\",3,") != std::string::npos);

  const fs::path html = dir / "oversight.html";
  REQUIRE(run_candor({"report", "--db", db, "-o", html.string()}).exit_code == 0);
  const std::string page = read_all(html);
  CHECK(page.starts_with("<!DOCTYPE html>"));
  CHECK(page.find("Marchfield Police") != std::string::npos);

  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"report", "--db", db, "--by", "region"},
        std::vector<std::string>{"report", "--db", db, "--format", "pdf"},
        std::vector<std::string>{"report", "--db", db, "--as-of", "26/11/2026"},
        std::vector<std::string>{"report", "--db", (dir / "missing.db").string()}}) {
    const auto r = run_candor(bad);
    INFO(describe(r));
    CHECK(r.exit_code == 2);
    CHECK(r.err.starts_with("candor report: "));
    CHECK(r.out.empty());
  }
}
