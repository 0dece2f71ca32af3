// POST /api/v1/records driven without a socket: a real SQLite register and intake in a temporary
// directory, tokens stored as the CLI stores them, Requests in, Responses out.
#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "candor/registry/receipt.h"
#include "candor/registry/tokens.h"
#include "candor/web/app.h"
#include "store_test_support.h"
#include "web_test_support.h"

using namespace candor::web;
using namespace candor::registry;
using namespace candor::registry::test;
using Json = nlohmann::json;

namespace {

constexpr const char* k_org = "northern-growth-agency";

// A register with intake, and a way to mint tokens the way `candor token create` does.
struct Register {
  TempDir dir;
  std::unique_ptr<Store> store = open_initialised(dir / "register.db");
  std::unique_ptr<Intake> intake =
      std::make_unique<Intake>(*store, test_signer(), fixed_clock_options());

  std::string token(const std::string& org, Role role, const std::string& label) {
    return candor::web::test::mint_token(*store, org, org, role, label);
  }
  void revoke(const std::string& secret) { candor::web::test::revoke_token(*store, secret); }
  AppOptions options() {
    AppOptions o;
    o.store = store.get();
    o.intake = intake.get();
    return o;
  }
};

Request post(const std::string& body, const std::string& token = "",
             const std::string& address = "192.0.2.1:50000") {
  Request r;
  r.method = "POST";
  r.target = "/api/v1/records";
  r.body = body;
  r.remote_address = address;
  r.headers.set("Content-Type", "application/yaml");
  if (!token.empty()) r.headers.set("Authorization", "Bearer " + token);
  return r;
}

Json error_of(const Response& r) {
  INFO(r.body);
  const Json body = Json::parse(r.body);
  REQUIRE(body.contains("error"));
  return body["error"];
}

std::size_t line_of(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  REQUIRE(at != std::string::npos);
  return static_cast<std::size_t>(std::count(text.begin(), text.begin() + at, '\n')) + 1;
}

}  // namespace

TEST_CASE("api write: without a signing key the endpoint answers 503", "[api-write]") {
  Register reg;
  AppOptions options;
  options.store = reg.store.get();  // no intake: no signing key
  App app(options);
  const Response r = app.handle(post(small_record(k_org, "summaries")));
  CHECK(r.status == 503);
  CHECK(error_of(r)["code"] == "register.read_only");
  CHECK(reg.store->log_size() == 0);
}

TEST_CASE("api write: 401 without a token, with an unknown one and with a revoked one",
          "[api-write]") {
  Register reg;
  App app(reg.options());
  const std::string record = small_record(k_org, "summaries");

  const Response missing = app.handle(post(record));
  CHECK(missing.status == 401);
  CHECK(missing.headers.get("WWW-Authenticate") == R"(Bearer realm="candor")");
  CHECK(error_of(missing)["code"] == "auth.missing");

  for (const std::string& bad : {generate_token(), std::string("not-a-token"),
                                 std::string("candor_") + std::string(43, '!')}) {
    const Response r = app.handle(post(record, bad));
    CHECK(r.status == 401);
    CHECK(r.headers.get("WWW-Authenticate") == R"(Bearer realm="candor", error="invalid_token")");
    CHECK(error_of(r)["code"] == "auth.invalid");
    CHECK(r.body.find(bad) == std::string::npos);  // the token is never echoed
  }
  Request basic = post(record);
  basic.headers.set("Authorization", "Basic dXNlcjpwYXNz");
  CHECK(app.handle(basic).status == 401);

  const std::string token = reg.token(k_org, Role::submitter, "ci");
  reg.revoke(token);
  const Response revoked = app.handle(post(record, token));
  CHECK(revoked.status == 401);
  CHECK(error_of(revoked)["code"] == "auth.invalid");
  CHECK(reg.store->log_size() == 0);
}

TEST_CASE("api write: 403 for another organisation's record and for a regulator", "[api-write]") {
  Register reg;
  App app(reg.options());
  const std::string other = reg.token("eastbridge-council", Role::submitter, "eastbridge-ci");
  const Response r = app.handle(post(small_record(k_org, "summaries"), other));
  CHECK(r.status == 403);
  CHECK(error_of(r)["code"] == "auth.organisation");

  const std::string regulator = reg.token(k_org, Role::regulator, "regulator");
  const Response role = app.handle(post(small_record(k_org, "summaries"), regulator));
  CHECK(role.status == 403);
  CHECK(error_of(role)["code"] == "auth.role");
  CHECK(reg.store->log_size() == 0);

  // An admin token may submit for any organisation.
  const std::string admin = reg.token("register-operator", Role::admin, "operator");
  CHECK(app.handle(post(small_record(k_org, "summaries"), admin)).status == 201);
  CHECK(reg.store->log_size() == 1);
}

TEST_CASE("api write: 422 lists every located problem", "[api-write]") {
  Register reg;
  App app(reg.options());
  const std::string token = reg.token(k_org, Role::submitter, "ci");
  std::string record = small_record(k_org, "summaries");
  record.replace(record.find("phase: pilot"), 12, "phase: live");
  record.replace(record.find("mission_area:"), 13, "mision_area:");

  const Response r = app.handle(post(record, token));
  REQUIRE(r.status == 422);
  CHECK(r.headers.get("Cache-Control") == "no-store");
  const Json error = error_of(r);
  CHECK(error["code"] == "record.invalid");
  REQUIRE(error["problems"].is_array());
  REQUIRE(error["problems"].size() >= 2);
  bool phase = false, typo = false;
  for (const Json& p : error["problems"]) {
    INFO(p.dump());
    CHECK(p["line"].get<int>() > 0);
    CHECK(p["column"].get<int>() > 0);
    CHECK(!p["code"].get<std::string>().empty());
    CHECK(!p["message"].get<std::string>().empty());
    CHECK(p.contains("hint"));
    if (p["path"] == "phase") {
      phase = true;
      CHECK(p["line"] == line_of(record, "phase: live"));
      CHECK(p["code"] == "schema.enum");
    }
    if (p["line"] == line_of(record, "mision_area:")) typo = true;
  }
  CHECK(phase);
  CHECK(typo);
  CHECK(reg.store->log_size() == 0);

  const Response yaml = app.handle(post("id: [unclosed\n", token));
  REQUIRE(yaml.status == 422);
  CHECK(error_of(yaml)["problems"][0]["line"].get<int>() >= 1);
}

TEST_CASE("api write: 415 for a body that is not YAML, 405 for other methods", "[api-write]") {
  Register reg;
  App app(reg.options());
  const std::string token = reg.token(k_org, Role::submitter, "ci");
  Request json = post("{}", token);
  json.headers.set("Content-Type", "application/json");
  const Response r = app.handle(json);
  CHECK(r.status == 415);
  CHECK(error_of(r)["code"] == "unsupported_media_type");
  Request put = post("", token);
  put.method = "PUT";
  const Response wrong = app.handle(put);
  CHECK(wrong.status == 405);
  CHECK(wrong.headers.get("Allow").value_or("").find("POST") != std::string_view::npos);
  CHECK(reg.store->log_size() == 0);
}

TEST_CASE("api write: 201 with findings and a verifying receipt, then 200 for a resubmission",
          "[api-write]") {
  Register reg;
  App app(reg.options());
  const std::string token = reg.token(k_org, Role::submitter, "grants-ci");
  const std::string record = small_record(k_org, "summaries");

  const Response r = app.handle(post(record, token));
  INFO(r.body);
  REQUIRE(r.status == 201);
  CHECK(r.headers.get("Content-Type") == "application/json");
  CHECK(r.headers.get("Location") == "/records/northern-growth-agency/summaries");
  const Json body = Json::parse(r.body);
  CHECK(body["organisation"] == k_org);
  CHECK(body["record_id"] == "summaries");
  CHECK(body["version"] == 1);
  CHECK(body["leaf_index"] == 0);
  CHECK(body["duplicate"] == false);
  // The rules ran: the findings array of the JSON report, SCHEMA first, then the pack's rules.
  REQUIRE(body["findings"].is_array());
  REQUIRE(body["findings"].size() > 1);
  CHECK(body["findings"][0]["rule_id"] == "SCHEMA");
  CHECK(body["findings"][0]["outcome"] == "pass");
  std::size_t errors = 0;
  for (const Json& f : body["findings"]) {
    if (f["outcome"] == "fail" && f["severity"] == "error") ++errors;
  }
  CHECK(body["counts"]["error"] == errors);
  CHECK(body["compliance"] != "not-assessed");
  if (errors > 0) CHECK(body["compliance"] == "failing");

  // The stored version carries the same findings.
  const auto stored = reg.store->findings(k_org, "summaries", 1);
  REQUIRE(stored);
  CHECK(stored->evaluated);
  CHECK(Json::parse(stored->json) == body["findings"]);

  // The receipt verifies offline against the log's key and is the checkpoint returned.
  const auto verified =
      verify_receipt(body["receipt"].get<std::string>(), k_origin, test_verifiers());
  REQUIRE(verified.ok());
  CHECK(verified.value().index == 0);
  CHECK(verified.value().leaf.organisation == k_org);
  CHECK(verified.value().leaf.record_id == "summaries");
  CHECK(body["receipt"].get<std::string>().find(body["checkpoint"].get<std::string>()) !=
        std::string::npos);

  // The audit log names the token by its label, never the token.
  bool audited = false;
  for (const AuditEvent& e : reg.store->audit_events(0, 1000)) {
    CHECK(e.detail.find(token) == std::string::npos);
    if (e.action == "version.add") {
      CHECK(e.actor == "token:grants-ci");
      audited = true;
    }
  }
  CHECK(audited);

  // Identical again: the existing version, no new leaf.
  const Response again = app.handle(post(record, token));
  REQUIRE(again.status == 200);
  const Json same = Json::parse(again.body);
  CHECK(same["duplicate"] == true);
  CHECK(same["version"] == 1);
  CHECK(same["leaf_index"] == 0);
  CHECK(same["findings"] == body["findings"]);
  CHECK(reg.store->log_size() == 1);
  CHECK(verify_receipt(same["receipt"].get<std::string>(), k_origin, test_verifiers()).ok());

  // A change is a new version.
  const Response changed =
      app.handle(post(small_record(k_org, "summaries", "summarise long letters"), token));
  REQUIRE(changed.status == 201);
  CHECK(Json::parse(changed.body)["version"] == 2);
  CHECK(reg.store->log_size() == 2);

  const std::string metrics = app.handle([] {
                                   Request m;
                                   m.target = "/metrics";
                                   return m;
                                 }())
                                  .body;
  CHECK(metrics.find("candor_submissions_total{outcome=\"accepted\"} 2") != std::string::npos);
  CHECK(metrics.find("candor_submissions_total{outcome=\"duplicate\"} 1") != std::string::npos);
}

TEST_CASE("api write: 429 with Retry-After past the per-token and per-address limits",
          "[api-write]") {
  Register reg;
  SECTION("per token") {
    AppOptions options = reg.options();
    options.write_limit_per_token = RateLimit{0.001, 2};
    App app(options);
    const std::string token = reg.token(k_org, Role::submitter, "ci");
    const std::string record = small_record(k_org, "summaries");
    // Different addresses: only the token's bucket is shared.
    CHECK(app.handle(post(record, token, "192.0.2.1:1")).status == 201);
    CHECK(app.handle(post(record, token, "192.0.2.2:1")).status == 200);
    const Response limited = app.handle(post(record, token, "192.0.2.3:1"));
    CHECK(limited.status == 429);
    CHECK(error_of(limited)["code"] == "rate_limited");
    REQUIRE(limited.headers.get("Retry-After"));
    CHECK(std::stoi(std::string{*limited.headers.get("Retry-After")}) >= 1);
    // Another token is not limited by this one.
    const std::string other = reg.token(k_org, Role::submitter, "other");
    CHECK(app.handle(post(record, other, "192.0.2.4:1")).status == 200);
  }
  SECTION("per address, before the token is even looked at") {
    AppOptions options = reg.options();
    options.write_limit_per_address = RateLimit{0.001, 1};
    App app(options);
    CHECK(app.handle(post("x", "", "192.0.2.9:1")).status == 401);
    const Response limited = app.handle(post("x", "", "192.0.2.9:2"));  // same host, other port
    CHECK(limited.status == 429);
    CHECK(limited.headers.get("Retry-After"));
    CHECK(app.handle(post("x", "", "[2001:db8::1]:3")).status == 401);
  }
}

TEST_CASE("rate limiter: a bucket refills at its rate", "[api-write]") {
  auto now = std::chrono::steady_clock::time_point{};
  RateLimiter limiter(RateLimit{0.5, 2}, [&now] { return now; });
  CHECK(!limiter.take("a"));
  CHECK(!limiter.take("a"));
  const auto wait = limiter.take("a");
  REQUIRE(wait);
  CHECK(*wait == std::chrono::seconds(2));
  CHECK(!limiter.take("b"));
  now += std::chrono::seconds(2);
  CHECK(!limiter.take("a"));
  CHECK(limiter.take("a"));
  CHECK(client_host("127.0.0.1:8080") == "127.0.0.1");
  CHECK(client_host("[::1]:8080") == "::1");
  CHECK(client_host("::1") == "::1");
}
