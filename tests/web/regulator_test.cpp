// The regulator's pages driven without a socket: sign-in with a token, the session cookie's
// flags, CSRF on every form, revocation ending sessions, the oversight page and its downloads.
#include <catch2/catch.hpp>

#include <regex>

#include "candor/registry/tokens.h"
#include "candor/web/app.h"
#include "candor/web/sessions.h"
#include "store_test_support.h"
#include "web_test_support.h"

using namespace candor::web;
using namespace candor::registry;
using namespace candor::registry::test;

namespace {

struct Register {
  TempDir dir;
  std::unique_ptr<Store> store = open_initialised(dir / "register.db");

  Register() {
    Intake intake(*store, test_signer(), fixed_clock_options());
    std::string yaml = small_record("north-agency", "r1");
    yaml.replace(yaml.find("Northern Growth Agency"), 22, "<script>North</script>");
    REQUIRE(intake.submit(prepare(yaml), {"north-agency", "test"}).get().ok());
  }
  std::string token(Role role, const std::string& label = "regulator-one") {
    return candor::web::test::mint_token(*store, "ai-regulator", "AI Regulator", role, label);
  }
  void revoke(const std::string& secret) { candor::web::test::revoke_token(*store, secret); }
  AppOptions options() {
    AppOptions o;
    o.store = store.get();
    return o;
  }
};

Request request(std::string method, std::string target, std::string cookie = "",
                std::string body = "", std::string address = "192.0.2.7:4000") {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  r.remote_address = std::move(address);
  if (!cookie.empty()) r.headers.set("Cookie", cookie);
  if (!r.body.empty()) r.headers.set("Content-Type", "application/x-www-form-urlencoded");
  return r;
}

std::vector<std::string> set_cookies(const Response& r) {
  std::vector<std::string> out;
  for (const auto& [name, value] : r.headers.entries()) {
    if (equals_ignore_case(name, "Set-Cookie")) out.push_back(value);
  }
  return out;
}

// "name=value" of the Set-Cookie for `name`, checking the flags every cookie here must carry.
std::string cookie_pair(const Response& r, const std::string& name) {
  for (const std::string& c : set_cookies(r)) {
    if (!c.starts_with(name + "=")) continue;
    CHECK(c.find("; HttpOnly") != std::string::npos);
    CHECK(c.find("; Secure") != std::string::npos);
    CHECK(c.find("; SameSite=Strict") != std::string::npos);
    // The session is site-wide (record pages offer regulators the review form); the sign-in
    // form's cookie stays with the form.
    CHECK(c.find(name == "candor_session" ? "; Path=/;" : "; Path=/regulator;") !=
          std::string::npos);
    return c.substr(0, c.find(';'));
  }
  FAIL("no Set-Cookie for " << name);
  return {};
}

std::string hidden_csrf(const std::string& html) {
  std::smatch m;
  REQUIRE(std::regex_search(html, m, std::regex(R"re(name="csrf" value="([A-Za-z0-9_-]{43})")re")));
  return m[1];
}

// Signs in through the form as a browser would; returns the session cookie pair.
std::string sign_in(App& app, const std::string& token) {
  const Response form = app.handle(request("GET", "/regulator/sign-in"));
  REQUIRE(form.status == 200);
  const std::string csrf = hidden_csrf(form.body);
  const std::string cookie = cookie_pair(form, "candor_sign_in");
  const Response r = app.handle(
      request("POST", "/regulator/sign-in", cookie, "csrf=" + csrf + "&token=" + token));
  REQUIRE(r.status == 303);
  CHECK(r.headers.get("Location") == "/regulator");
  return cookie_pair(r, "candor_session");
}

}  // namespace

TEST_CASE("regulator: pages need a session; sign-in sets a strict cookie", "[regulator]") {
  Register reg;
  App app(reg.options());
  const Response anonymous = app.handle(request("GET", "/regulator"));
  CHECK(anonymous.status == 303);
  CHECK(anonymous.headers.get("Location") == "/regulator/sign-in");
  CHECK(app.handle(request("GET", "/regulator/oversight.csv")).status == 401);

  const std::string session = sign_in(app, reg.token(Role::regulator));
  const Response page = app.handle(request("GET", "/regulator", session));
  REQUIRE(page.status == 200);
  CHECK(page.headers.get("Cache-Control") == "no-store");
  CHECK(page.body.find("Compliance across the register") != std::string::npos);
  CHECK(page.body.find("&lt;script&gt;North&lt;/script&gt;") != std::string::npos);
  CHECK(page.body.find("<script>North") == std::string::npos);
  CHECK(page.body.find("Signed in as regulator-one") != std::string::npos);

  const Response by_mission = app.handle(request("GET", "/regulator?by=mission", session));
  CHECK(by_mission.status == 200);
  CHECK(by_mission.body.find("Growth") != std::string::npos);
  CHECK(app.handle(request("GET", "/regulator?by=region", session)).status == 400);

  const Response csv = app.handle(request("GET", "/regulator/oversight.csv?by=mission", session));
  REQUIRE(csv.status == 200);
  CHECK(csv.body.starts_with("mission_area,label,records,"));
  CHECK(csv.headers.get("Content-Disposition") ==
        "attachment; filename=\"oversight-by-mission.csv\"");
  const Response json = app.handle(request("GET", "/regulator/oversight.json", session));
  CHECK(nlohmann::json::parse(json.body).at("total").at("records") == 1);
  const Response html = app.handle(request("GET", "/regulator/oversight.html", session));
  CHECK(html.body.starts_with("<!DOCTYPE html>"));

  // Signed in already: the form sends you on.
  CHECK(app.handle(request("GET", "/regulator/sign-in", session)).status == 303);
}

TEST_CASE("regulator: only regulator and admin tokens sign in, with one answer", "[regulator]") {
  Register reg;
  App app(reg.options());
  const Response form = app.handle(request("GET", "/regulator/sign-in"));
  const std::string csrf = hidden_csrf(form.body);
  const std::string cookie = cookie_pair(form, "candor_sign_in");
  const std::string revoked = reg.token(Role::regulator, "gone");
  reg.revoke(revoked);
  for (const std::string& token :
       {reg.token(Role::submitter), revoked, std::string("candor_") + std::string(43, 'A'),
        std::string("not a token")}) {
    INFO(token);
    const Response r = app.handle(
        request("POST", "/regulator/sign-in", cookie, "csrf=" + csrf + "&token=" + token));
    CHECK(r.status == 401);
    CHECK(r.body.find("That token does not give access") != std::string::npos);
    for (const std::string& c : set_cookies(r)) CHECK_FALSE(c.starts_with("candor_session="));
  }
  const Response empty =
      app.handle(request("POST", "/regulator/sign-in", cookie, "csrf=" + csrf + "&token="));
  CHECK(empty.status == 400);
  CHECK(empty.body.find("Enter your regulator token") != std::string::npos);
  // An admin may oversee too.
  CHECK_FALSE(sign_in(app, reg.token(Role::admin)).empty());
}

TEST_CASE("regulator: forms need their CSRF secret", "[regulator]") {
  Register reg;
  App app(reg.options());
  const std::string token = reg.token(Role::regulator);
  // Sign-in posted without the form's cookie (another site's form): refused, form shown again.
  const Response forged =
      app.handle(request("POST", "/regulator/sign-in", "", "csrf=abc&token=" + token));
  CHECK(forged.status == 403);
  for (const std::string& c : set_cookies(forged)) CHECK_FALSE(c.starts_with("candor_session="));
  const Response form = app.handle(request("GET", "/regulator/sign-in"));
  const std::string cookie = cookie_pair(form, "candor_sign_in");
  const Response mismatched = app.handle(request(
      "POST", "/regulator/sign-in", cookie, "csrf=" + std::string(43, 'x') + "&token=" + token));
  CHECK(mismatched.status == 403);

  const std::string session = sign_in(app, token);
  const std::string csrf = hidden_csrf(app.handle(request("GET", "/regulator", session)).body);
  CHECK(app.handle(request("POST", "/regulator/sign-out", session, "csrf=wrong")).status == 403);
  CHECK(app.handle(request("GET", "/regulator", session)).status == 200);  // still signed in
  const Response out = app.handle(request("POST", "/regulator/sign-out", session, "csrf=" + csrf));
  CHECK(out.status == 303);
  CHECK(cookie_pair(out, "candor_session") == "candor_session=");
  CHECK(app.handle(request("GET", "/regulator", session)).status == 303);
}

TEST_CASE("regulator: revoking the token ends its sessions at once", "[regulator]") {
  Register reg;
  App app(reg.options());
  const std::string token = reg.token(Role::regulator);
  const std::string session = sign_in(app, token);
  CHECK(app.handle(request("GET", "/regulator", session)).status == 200);
  reg.revoke(token);
  CHECK(app.handle(request("GET", "/regulator", session)).status == 303);
  CHECK(app.handle(request("GET", "/regulator/oversight.csv", session)).status == 401);
}

TEST_CASE("regulator: sign-in attempts are rate-limited per address", "[regulator]") {
  Register reg;
  App app(reg.options());
  int limited = 0;
  for (int i = 0; i < 12; ++i) {
    const Response r = app.handle(
        request("POST", "/regulator/sign-in", "", "csrf=x&token=y", "198.51.100.9:1234"));
    if (r.status == 429) {
      ++limited;
      CHECK(r.headers.has("Retry-After"));
    }
  }
  CHECK(limited == 2);
  // Another address is not affected.
  CHECK(app.handle(request("POST", "/regulator/sign-in", "", "csrf=x&token=y", "198.51.100.10:1"))
            .status == 403);
}

TEST_CASE("sessions: expire when idle or old, and stay bounded", "[regulator]") {
  auto now = std::chrono::steady_clock::time_point{};
  SessionLimits limits;
  limits.idle = std::chrono::seconds(60);
  limits.lifetime = std::chrono::seconds(300);
  limits.max_sessions = 2;
  SessionStore sessions(limits, [&] { return now; });
  Token t{};
  t.label = "r";
  const Session a = sessions.create(t);
  CHECK(a.id.size() == 43);
  CHECK(a.csrf != a.id);
  now += std::chrono::seconds(59);
  CHECK(sessions.find(a.id));  // restarts the idle timer
  now += std::chrono::seconds(59);
  CHECK(sessions.find(a.id));
  now += std::chrono::seconds(60);
  CHECK_FALSE(sessions.find(a.id));  // idle for 60 s

  const Session b = sessions.create(t);
  for (int i = 0; i < 6; ++i) {
    now += std::chrono::seconds(50);
    if (i < 5) CHECK(sessions.find(b.id));
  }
  CHECK_FALSE(sessions.find(b.id));  // 300 s after sign-in, however active

  const Session c = sessions.create(t);
  now += std::chrono::seconds(1);
  const Session d = sessions.create(t);
  now += std::chrono::seconds(1);
  const Session e = sessions.create(t);
  CHECK(sessions.size() == 2);
  CHECK_FALSE(sessions.find(c.id));  // the oldest made room
  CHECK(sessions.find(d.id));
  CHECK(sessions.find(e.id));
  CHECK(secrets_equal("abc", "abc"));
  CHECK_FALSE(secrets_equal("abc", "abd"));
  CHECK_FALSE(secrets_equal("", ""));
}
