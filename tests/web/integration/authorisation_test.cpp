// Who may write, over real HTTP: every refusal docs/api.md and docs/web.md promise (no token, a
// malformed, unknown or revoked one, another organisation's, the wrong role, a form without its
// CSRF secret) gets its status and code, changes nothing in the log, and leaves a "write.denied"
// event in the audit log that names the attempt but never the token. Replays are idempotent.
#include <catch2/catch.hpp>

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
using candor::test::example_record;
using candor::test::AuditRow;
using candor::test::get;
using candor::test::http;
using candor::test::Reply;
using candor::test::ServerProcess;
using nlohmann::json;

const std::string k_northshire = "northshire-police--footage-redaction.yaml";
const std::string k_review_path =
    "/api/v1/records/northshire-police/footage-redaction/versions/1/reviews";

std::map<std::string, std::string> bearer(const std::string& token,
                                          const std::string& type = "application/yaml") {
  return {{"Authorization", "Bearer " + token}, {"Content-Type", type}};
}

std::string error_code(const Reply& r) {
  const json body = json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.contains("error")) return "";
  return body["error"]["code"].get<std::string>();
}

// The refusals the audit log gained since `after`.
std::vector<AuditRow> denials(const candor::test::ScratchRegister& reg, std::int64_t after) {
  std::vector<AuditRow> out;
  for (auto& row : candor::test::audit_rows(reg.db, after)) {
    if (row.action == "write.denied") out.push_back(row);
  }
  return out;
}

// Exactly one new denial, with this actor, attempt and reason, that does not hold `secret`.
void check_audited(const candor::test::ScratchRegister& reg, std::int64_t after,
                   const std::string& actor, const std::string& attempt, int status,
                   const std::string& reason, const std::string& secret = "") {
  const auto rows = denials(reg, after);
  REQUIRE(rows.size() == 1);
  const AuditRow& row = rows.front();
  INFO(row.actor << " | " << row.subject << " | " << row.detail);
  CHECK(row.actor == actor);
  CHECK(row.subject == attempt);
  const json detail = json::parse(row.detail);
  CHECK(detail["status"] == status);
  CHECK(detail["reason"] == reason);
  CHECK(detail["address"] == "127.0.0.1");
  if (!secret.empty()) {
    CHECK(row.actor.find(secret) == std::string::npos);
    CHECK(row.subject.find(secret) == std::string::npos);
    CHECK(row.detail.find(secret) == std::string::npos);
  }
}

// A regulator's signed-in browser: the session cookie and the forms' CSRF secret.
struct RegulatorSession {
  std::string cookie;
  std::string csrf;
};

RegulatorSession sign_in(std::uint16_t port, const std::string& token) {
  const Reply form = get(port, "/regulator/sign-in");
  std::smatch m;
  REQUIRE(std::regex_search(form.body, m, std::regex(R"re(name="csrf" value="([^"]+)")re")));
  const Reply signed_in = http(port, "POST", "/regulator/sign-in",
                               {{"Cookie", form.cookie("candor_sign_in")},
                                {"Content-Type", "application/x-www-form-urlencoded"}},
                               "csrf=" + m[1].str() + "&token=" + token);
  REQUIRE(signed_in.status == 303);
  const std::string cookie = signed_in.cookie("candor_session");
  // The overview's sign-out form carries the session's CSRF secret, as every form does (an
  // admin's session may not open the review form).
  const Reply page = get(port, "/regulator", {{"Cookie", cookie}});
  REQUIRE(page.status == 200);
  REQUIRE(std::regex_search(page.body, m, std::regex(R"re(name="csrf" value="([^"]+)")re")));
  return {cookie, m[1].str()};
}

}  // namespace

TEST_CASE("authorisation: POST /api/v1/records refuses every wrong credential, audited",
          "[authorisation]") {
  candor::test::ScratchRegister reg("auth-records");
  ServerProcess server(reg.serve_args());
  const auto port = server.port();
  const std::string record = example_record(k_northshire);
  const auto before = candor::test::log_state(port);
  const std::string attempt = "POST /api/v1/records";

  {  // no token: 401 auth.missing with a Bearer challenge
    const auto mark = candor::test::last_audit_id(reg.db);
    const Reply r =
        http(port, "POST", "/api/v1/records", {{"Content-Type", "application/yaml"}}, record);
    CHECK(r.status == 401);
    CHECK(error_code(r) == "auth.missing");
    CHECK(r.header("www-authenticate") == R"(Bearer realm="candor")");
    check_audited(reg, mark, "anonymous", attempt, 401, "auth.missing");
  }
  {  // malformed tokens: 401 auth.invalid
    for (const std::string& value : std::vector<std::string>{
             "Bearer", "Bearer ", "Bearer not-a-token", "Basic dXNlcjpwYXNz",
             "Token " + reg.submitter, "Bearer " + reg.submitter + "x",
             "Bearer " + reg.submitter.substr(0, 20), "Bearer candor_" + std::string(43, 'A'),
             "Bearer " + std::string(8000, 'A')}) {
      const auto mark = candor::test::last_audit_id(reg.db);
      const Reply r =
          http(port, "POST", "/api/v1/records",
               {{"Authorization", value}, {"Content-Type", "application/yaml"}}, record);
      INFO(value.substr(0, 60));
      CHECK(r.status == 401);
      CHECK(error_code(r) == "auth.invalid");
      CHECK(r.header("www-authenticate").find(R"(error="invalid_token")") != std::string::npos);
      check_audited(reg, mark, "anonymous", attempt, 401, "auth.invalid",
                    value.size() > 7 ? value.substr(7) : "");
    }
  }
  {  // a revoked token: 401 auth.invalid
    const auto mark = candor::test::last_audit_id(reg.db);
    const Reply r = http(port, "POST", "/api/v1/records", bearer(reg.revoked_submitter), record);
    CHECK(r.status == 401);
    CHECK(error_code(r) == "auth.invalid");
    check_audited(reg, mark, "anonymous", attempt, 401, "auth.invalid", reg.revoked_submitter);
  }
  {  // another organisation's token: 403 auth.organisation
    const auto mark = candor::test::last_audit_id(reg.db);
    const Reply r = http(port, "POST", "/api/v1/records", bearer(reg.other_submitter), record);
    CHECK(r.status == 403);
    CHECK(error_code(r) == "auth.organisation");
    check_audited(reg, mark, "token:eastbridge-ci", attempt, 403, "auth.organisation",
                  reg.other_submitter);
  }
  {  // a regulator's token may not submit: 403 auth.role
    const auto mark = candor::test::last_audit_id(reg.db);
    const Reply r = http(port, "POST", "/api/v1/records", bearer(reg.regulator), record);
    CHECK(r.status == 403);
    CHECK(error_code(r) == "auth.role");
    check_audited(reg, mark, "token:inspector", attempt, 403, "auth.role", reg.regulator);
  }
  {  // a token revoked while the server runs stops working at the next request
    const fs::path file = reg.dir / "eastbridge-token";
    std::ofstream(file) << reg.other_submitter << '\n';
    REQUIRE(candor::test::run_candor(
                {"token", "revoke", "--db", reg.db.string(), "--token-file", file.string()})
                .exit_code == 0);
    const auto mark = candor::test::last_audit_id(reg.db);
    const Reply r = http(port, "POST", "/api/v1/records", bearer(reg.other_submitter),
                         example_record("eastbridge-council--free-school-meals-auto-award.yaml"));
    CHECK(r.status == 401);
    check_audited(reg, mark, "anonymous", attempt, 401, "auth.invalid", reg.other_submitter);
  }
  // Nothing was logged by any refusal.
  CHECK(candor::test::log_state(port) == before);
  // Accepted writes are not denials.
  const auto mark = candor::test::last_audit_id(reg.db);
  REQUIRE(http(port, "POST", "/api/v1/records", bearer(reg.submitter), record).status == 201);
  CHECK(denials(reg, mark).empty());
}

TEST_CASE("authorisation: review notes and the regulator's forms", "[authorisation]") {
  candor::test::ScratchRegister reg("auth-reviews");
  ServerProcess server(reg.serve_args());
  const auto port = server.port();
  REQUIRE(
      http(port, "POST", "/api/v1/records", bearer(reg.submitter), example_record(k_northshire)).status ==
      201);
  const auto before = candor::test::log_state(port);
  const std::string note = R"({"text": "We reviewed this version."})";

  {  // a submitter's and an admin's token on the review endpoint: 403 auth.role
    for (const auto& [token, label] : std::vector<std::pair<std::string, std::string>>{
             {reg.submitter, "ci"}, {reg.admin, "operator"}}) {
      const auto mark = candor::test::last_audit_id(reg.db);
      const Reply r = http(port, "POST", k_review_path, bearer(token, "application/json"), note);
      CHECK(r.status == 403);
      CHECK(error_code(r) == "auth.role");
      check_audited(reg, mark, "token:" + label, "POST " + k_review_path, 403, "auth.role", token);
    }
  }
  {  // no token on the review endpoint: 401
    const auto mark = candor::test::last_audit_id(reg.db);
    const Reply r = http(port, "POST", k_review_path, {{"Content-Type", "application/json"}}, note);
    CHECK(r.status == 401);
    check_audited(reg, mark, "anonymous", "POST " + k_review_path, 401, "auth.missing");
  }
  {  // a submitter's token on the regulator's pages: not signed in, and refused at sign-in
    // The regulator's pages go by session cookie: a bearer token is not a session.
    const Reply page = get(port, "/regulator", {{"Authorization", "Bearer " + reg.submitter}});
    CHECK(page.status == 303);
    CHECK(page.header("location") == "/regulator/sign-in");
    CHECK(get(port, "/regulator/oversight.csv", {{"Authorization", "Bearer " + reg.submitter}})
              .status != 200);
    const Reply form = get(port, "/regulator/sign-in");
    std::smatch m;
    REQUIRE(std::regex_search(form.body, m, std::regex(R"re(name="csrf" value="([^"]+)")re")));
    const auto mark = candor::test::last_audit_id(reg.db);
    const Reply r = http(port, "POST", "/regulator/sign-in",
                         {{"Cookie", form.cookie("candor_sign_in")},
                          {"Content-Type", "application/x-www-form-urlencoded"}},
                         "csrf=" + m[1].str() + "&token=" + reg.submitter);
    CHECK(r.status == 401);
    CHECK(r.cookie("candor_session").empty());
    check_audited(reg, mark, "token:ci", "POST /regulator/sign-in", 401, "auth.role",
                  reg.submitter);
  }
  {  // CSRF: sign-in without the form's cookie or with another secret: 403
    for (const auto& cookie : {std::string(), std::string("candor_sign_in=forged")}) {
      const auto mark = candor::test::last_audit_id(reg.db);
      std::map<std::string, std::string> headers = {
          {"Content-Type", "application/x-www-form-urlencoded"}};
      if (!cookie.empty()) headers["Cookie"] = cookie;
      const Reply r =
          http(port, "POST", "/regulator/sign-in", headers, "csrf=other&token=" + reg.regulator);
      CHECK(r.status == 403);
      CHECK(r.cookie("candor_session").empty());
      check_audited(reg, mark, "anonymous", "POST /regulator/sign-in", 403, "csrf", reg.regulator);
    }
  }
  {  // CSRF: a review form without or with a wrong secret: 403; with it: published
    const RegulatorSession session = sign_in(port, reg.regulator);
    const std::string fields =
        "organisation=northshire-police&record=footage-redaction&version=1&text=Reviewed.";
    const std::map<std::string, std::string> headers = {
        {"Cookie", session.cookie}, {"Content-Type", "application/x-www-form-urlencoded"}};
    for (const std::string& csrf :
         std::vector<std::string>{"", "&csrf=", "&csrf=forged", "&csrf=" + session.csrf + "x"}) {
      const auto mark = candor::test::last_audit_id(reg.db);
      const Reply r = http(port, "POST", "/regulator/reviews", headers, fields + csrf);
      INFO(csrf);
      CHECK(r.status == 403);
      check_audited(reg, mark, "session:inspector", "POST /regulator/reviews", 403, "csrf");
    }
    CHECK(candor::test::log_state(port) == before);
    // Without a session at all: 401.
    const auto mark = candor::test::last_audit_id(reg.db);
    const Reply anonymous = http(port, "POST", "/regulator/reviews",
                                 {{"Content-Type", "application/x-www-form-urlencoded"}},
                                 fields + "&csrf=" + session.csrf);
    CHECK(anonymous.status == 401);
    check_audited(reg, mark, "anonymous", "POST /regulator/reviews", 401, "auth.session");
    // The same form with its secret is published: the refusals were about the secret alone.
    const Reply ok =
        http(port, "POST", "/regulator/reviews", headers, fields + "&csrf=" + session.csrf);
    CHECK(ok.status == 303);
    CHECK(candor::test::log_state(port).size == before.size + 1);
  }
  {  // an admin's session may oversee but not publish a note: 403 auth.role
    const RegulatorSession session = sign_in(port, reg.admin);
    const auto mark = candor::test::last_audit_id(reg.db);
    const Reply r =
        http(port, "POST", "/regulator/reviews",
             {{"Cookie", session.cookie}, {"Content-Type", "application/x-www-form-urlencoded"}},
             "organisation=northshire-police&record=footage-redaction&version=1&"
             "text=x&csrf=" +
                 session.csrf);
    CHECK(r.status == 403);
    check_audited(reg, mark, "session:operator", "POST /regulator/reviews", 403, "auth.role");
  }
}

// What "replay" means here (docs/api.md): sending the same record again is idempotent (200, the
// existing version, nothing logged); sending an earlier version after a newer one is a revert,
// logged openly as a new version; and an old receipt proves only the version it was issued for.
TEST_CASE("authorisation: replayed submissions and receipts", "[authorisation]") {
  candor::test::ScratchRegister reg("auth-replay");
  ServerProcess server(reg.serve_args());
  const auto port = server.port();
  const std::string v1 = example_record(k_northshire);
  std::string v2 = v1;
  v2.replace(v2.find("phase: production"), 17, "phase: retired");

  const Reply first = http(port, "POST", "/api/v1/records", bearer(reg.submitter), v1);
  REQUIRE(first.status == 201);
  const std::string receipt_v1 = json::parse(first.body)["receipt"];

  // Replaying the identical request: no new entry, the same version.
  const auto after_first = candor::test::log_state(port);
  const Reply again = http(port, "POST", "/api/v1/records", bearer(reg.submitter), v1);
  CHECK(again.status == 200);
  const json again_body = json::parse(again.body);
  CHECK(again_body["duplicate"] == true);
  CHECK(again_body["version"] == 1);
  CHECK(candor::test::log_state(port) == after_first);

  // A replay with a token revoked since: refused like any other use of it.
  CHECK(http(port, "POST", "/api/v1/records", bearer(reg.revoked_submitter), v1).status == 401);

  const Reply second = http(port, "POST", "/api/v1/records", bearer(reg.submitter), v2);
  REQUIRE(second.status == 201);
  CHECK(json::parse(second.body)["version"] == 2);

  // The old receipt still proves version 1 was logged, but not that the current record is it.
  const fs::path receipt = reg.dir / "v1.tlog-proof";
  std::ofstream(receipt) << receipt_v1;
  const fs::path v1_file = reg.dir / "v1.yaml";
  const fs::path v2_file = reg.dir / "v2.yaml";
  std::ofstream(v1_file) << v1;
  std::ofstream(v2_file) << v2;
  const auto proves_v1 = candor::test::run_candor(
      {"verify", receipt.string(), "--vkey", reg.vkey.string(), "--record", v1_file.string()});
  INFO(candor::test::describe(proves_v1));
  CHECK(proves_v1.exit_code == 0);
  const auto claims_v2 = candor::test::run_candor(
      {"verify", receipt.string(), "--vkey", reg.vkey.string(), "--record", v2_file.string()});
  INFO(candor::test::describe(claims_v2));
  CHECK(claims_v2.exit_code == 1);
  CHECK_FALSE((claims_v2.out + claims_v2.err).empty());

  // Sending version 1 again after version 2: a revert, logged as version 3 for all to see.
  const Reply revert = http(port, "POST", "/api/v1/records", bearer(reg.submitter), v1);
  CHECK(revert.status == 201);
  CHECK(json::parse(revert.body)["version"] == 3);
}
