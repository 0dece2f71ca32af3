// Regulators' review notes on the web, driven without a socket: the JSON API (token, role,
// version, body, text problems, receipt), the regulator's form (session, CSRF, role, errors with
// an error summary, 303 to the record), and the record pages that show the notes, escaped.
#include <catch2/catch.hpp>

#include <regex>

#include <nlohmann/json.hpp>

#include "candor/registry/receipt.h"
#include "candor/registry/tokens.h"
#include "candor/web/app.h"
#include "candor/web/url.h"
#include "store_test_support.h"
#include "web_test_support.h"

using namespace candor::web;
using namespace candor::registry;
using namespace candor::registry::test;
using Json = nlohmann::json;

namespace {

constexpr const char* k_org = "northern-growth-agency";
constexpr const char* k_record = "/records/northern-growth-agency/grant-summaries";
constexpr const char* k_reviews_api =
    "/api/v1/records/northern-growth-agency/grant-summaries/versions/1/reviews";

struct Register {
  TempDir dir;
  std::unique_ptr<Store> store = open_initialised(dir / "register.db");
  std::unique_ptr<Intake> intake =
      std::make_unique<Intake>(*store, test_signer(), fixed_clock_options());

  Register() {
    REQUIRE(intake->submit(prepare(small_record(k_org, "grant-summaries")), {k_org, "test"})
                .get()
                .ok());
    REQUIRE(intake
                ->submit(prepare(small_record(k_org, "grant-summaries", "write summaries")),
                         {k_org, "test"})
                .get()
                .ok());
  }
  std::string regulator(Role role = Role::regulator) {
    return candor::web::test::mint_token(*store, "ai-regulator", "AI <b>Regulator</b>", role,
                                         "reviewer");
  }
  AppOptions options() {
    AppOptions o;
    o.store = store.get();
    o.intake = intake.get();
    return o;
  }
};

Request request(std::string method, std::string target, std::string cookie = "",
                std::string body = "") {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  r.remote_address = "192.0.2.9:4000";
  if (!cookie.empty()) r.headers.set("Cookie", cookie);
  if (!r.body.empty()) r.headers.set("Content-Type", "application/x-www-form-urlencoded");
  return r;
}

Request api_post(const std::string& target, const std::string& body, const std::string& token,
                 const std::string& type = "application/json") {
  Request r;
  r.method = "POST";
  r.target = target;
  r.body = body;
  r.remote_address = "192.0.2.9:4000";
  r.headers.set("Content-Type", type);
  if (!token.empty()) r.headers.set("Authorization", "Bearer " + token);
  return r;
}

std::string set_cookie_pair(const Response& r, const std::string& name) {
  for (const auto& [header, value] : r.headers.entries()) {
    if (equals_ignore_case(header, "Set-Cookie") && value.starts_with(name + "=")) {
      return value.substr(0, value.find(';'));
    }
  }
  FAIL("no Set-Cookie for " << name);
  return {};
}

std::string hidden_csrf(const std::string& html) {
  std::smatch m;
  REQUIRE(std::regex_search(html, m, std::regex(R"re(name="csrf" value="([A-Za-z0-9_-]{43})")re")));
  return m[1];
}

std::string sign_in(App& app, const std::string& token) {
  const Response form = app.handle(request("GET", "/regulator/sign-in"));
  const std::string cookie = set_cookie_pair(form, "candor_sign_in");
  const Response r = app.handle(request("POST", "/regulator/sign-in", cookie,
                                        "csrf=" + hidden_csrf(form.body) + "&token=" + token));
  REQUIRE(r.status == 303);
  return set_cookie_pair(r, "candor_session");
}

std::string form_body(const std::string& csrf, const std::string& text,
                      const std::string& version = "1") {
  return "csrf=" + csrf + "&organisation=" + k_org + "&record=grant-summaries&version=" + version +
         "&text=" + percent_encode(text);
}

std::string code_of(const Response& r) {
  INFO(r.body);
  return Json::parse(r.body)["error"]["code"].get<std::string>();
}

}  // namespace

TEST_CASE("reviews api: a regulator's note is logged and listed, others are refused",
          "[reviews][api]") {
  Register reg;
  App app(reg.options());
  const std::string regulator = reg.regulator();
  const std::string submitter =
      candor::web::test::mint_token(*reg.store, k_org, "Northern", Role::submitter, "s");
  const std::string admin =
      candor::web::test::mint_token(*reg.store, "operator", "Operator", Role::admin, "a");
  const std::string note = R"({"text": "Checked.\nBias testing <script>alert(1)</script> ok"})";

  CHECK(app.handle(api_post(k_reviews_api, note, "")).status == 401);
  CHECK(code_of(app.handle(api_post(k_reviews_api, note, "candor_nonsense"))) == "auth.invalid");
  CHECK(code_of(app.handle(api_post(k_reviews_api, note, submitter))) == "auth.role");
  CHECK(app.handle(api_post(k_reviews_api, note, admin)).status == 403);
  CHECK(code_of(app.handle(
            api_post("/api/v1/records/northern-growth-agency/grant-summaries/versions/3/reviews",
                     note, regulator))) == "version.not_found");
  CHECK(code_of(
            app.handle(api_post("/api/v1/records/northern-growth-agency/nothing/versions/1/reviews",
                                note, regulator))) == "record.not_found");
  CHECK(app.handle(api_post(k_reviews_api, note, regulator, "text/plain")).status == 415);
  CHECK(code_of(app.handle(api_post(k_reviews_api, "{\"note\": 1}", regulator))) == "review.body");
  const Response empty = app.handle(api_post(k_reviews_api, R"({"text": "  "})", regulator));
  CHECK(empty.status == 422);
  CHECK(Json::parse(empty.body)["error"]["problems"][0]["code"] == "review.text-empty");
  CHECK(Json::parse(empty.body)["error"]["problems"][0]["path"] == "text");
  CHECK(reg.store->log_size() == 2);

  const Response r = app.handle(api_post(k_reviews_api, note, regulator));
  INFO(r.body);
  REQUIRE(r.status == 201);
  const Json body = Json::parse(r.body);
  CHECK(body["leaf_index"] == 2);
  CHECK(body["reviewed_leaf_index"] == 0);
  CHECK(body["version"] == 1);
  CHECK(body["reviewer"] == "ai-regulator");
  CHECK(body["text"] == "Checked.\nBias testing <script>alert(1)</script> ok");
  CHECK(r.headers.get("Location") == std::string(k_record) + "#reviews");
  const auto keys = test_verifiers();
  auto verified = verify_receipt(body["receipt"].get<std::string>(), k_origin, keys);
  REQUIRE(verified.ok());
  REQUIRE(verified.value().review.has_value());
  CHECK(to_hex(verified.value().review->note_hash) == body["note_hash"]);

  const Response list = app.handle(
      candor::web::test::get("/api/v1/records/northern-growth-agency/grant-summaries/reviews"));
  REQUIRE(list.status == 200);
  const Json reviews = Json::parse(list.body)["reviews"];
  REQUIRE(reviews.size() == 1);
  CHECK(reviews[0]["leaf_index"] == 2);
  CHECK(reviews[0]["reviewer_name"] == "AI <b>Regulator</b>");
  CHECK(reviews[0]["text"] == body["text"]);
  CHECK(app.handle(candor::web::test::get("/api/v1/records/northern-growth-agency/nothing/reviews"))
            .status == 404);
}

TEST_CASE("reviews pages: notes are shown escaped, with line breaks, only where they belong",
          "[reviews][pages]") {
  Register reg;
  App app(reg.options());
  const Response before = app.handle(candor::web::test::get(k_record));
  REQUIRE(before.status == 200);
  CHECK(before.body.find("Regulator reviews") == std::string::npos);
  CHECK(before.body.find("Add a review note") == std::string::npos);

  const std::string regulator = reg.regulator();
  REQUIRE(
      app.handle(api_post(k_reviews_api,
                          R"({"text": "First line\nSecond <script>alert(1)</script>"})", regulator))
          .status == 201);
  const Response page = app.handle(candor::web::test::get(k_record));
  REQUIRE(page.status == 200);
  CHECK(page.body.find("id=\"reviews\"") != std::string::npos);
  CHECK(page.body.find("AI &lt;b&gt;Regulator&lt;/b&gt;") != std::string::npos);
  CHECK(page.body.find("<script>alert(1)") == std::string::npos);
  CHECK(page.body.find("First line\nSecond &lt;script&gt;alert(1)&lt;/script&gt;") !=
        std::string::npos);
  CHECK(page.body.find("candor-note") != std::string::npos);
  CHECK(page.body.find("Log entry number 2") != std::string::npos);
  CHECK(page.body.find("/records/northern-growth-agency/grant-summaries/versions/1\">version 1") !=
        std::string::npos);
  CHECK(page.body.find("Add a review note") == std::string::npos);  // no session

  // Version 1's page shows its note; version 2's has none. Neither is cached as immutable now.
  const Response v1 = app.handle(candor::web::test::get(std::string(k_record) + "/versions/1"));
  CHECK(v1.body.find("id=\"reviews\"") != std::string::npos);
  CHECK(v1.headers.get("Cache-Control") == "no-cache");
  const Response v2 = app.handle(candor::web::test::get(std::string(k_record) + "/versions/2"));
  CHECK(v2.body.find("id=\"reviews\"") == std::string::npos);
  // A new note changes the version page's tag, so a cached copy is not reused.
  Request again = candor::web::test::get(std::string(k_record) + "/versions/1");
  again.headers.set("If-None-Match", std::string(*v1.headers.get("ETag")));
  CHECK(app.handle(again).status == 304);
  REQUIRE(app.handle(api_post(k_reviews_api, R"({"text": "Another"})", regulator)).status == 201);
  CHECK(app.handle(again).status == 200);
}

TEST_CASE("reviews form: session, CSRF and role are checked, errors are explained",
          "[reviews][regulator]") {
  Register reg;
  App app(reg.options());
  const std::string new_form =
      "/regulator/reviews/new?organisation=northern-growth-agency&record=grant-summaries&version=1";

  // Without a session: the form sends to sign-in, the POST is refused.
  const Response anonymous = app.handle(request("GET", new_form));
  CHECK(anonymous.status == 303);
  CHECK(anonymous.headers.get("Location") == "/regulator/sign-in");
  CHECK(app.handle(request("POST", "/regulator/reviews", "", form_body("x", "Hello"))).status ==
        401);

  const std::string session = sign_in(app, reg.regulator());
  // The record page offers the form to a signed-in regulator, and keeps that out of caches.
  const Response record = app.handle(request("GET", k_record, session));
  CHECK(record.body.find("Add a review note") != std::string::npos);
  CHECK(record.body.find("/regulator/reviews/new?organisation=northern-growth-agency&amp;record="
                         "grant-summaries&amp;version=2") != std::string::npos);
  CHECK(record.headers.get("Cache-Control") == "private, no-store");

  const Response form = app.handle(request("GET", new_form, session));
  REQUIRE(form.status == 200);
  CHECK(form.body.find("Add a review note to Grant application summaries, version 1") !=
        std::string::npos);
  const std::string csrf = hidden_csrf(form.body);
  CHECK(app.handle(request("GET",
                           "/regulator/reviews/new?organisation=northern-growth-agency&record="
                           "grant-summaries&version=9",
                           session))
            .status == 404);

  // A wrong CSRF secret publishes nothing.
  CHECK(app.handle(request("POST", "/regulator/reviews", session,
                           form_body(std::string(43, 'x'), "Hello")))
            .status == 403);
  CHECK(reg.store->log_size() == 2);

  // An empty note re-renders the form with an error summary linking to the field.
  const Response error =
      app.handle(request("POST", "/regulator/reviews", session, form_body(csrf, " \r\n ")));
  CHECK(error.status == 400);
  CHECK(error.body.find("govuk-error-summary") != std::string::npos);
  CHECK(error.body.find("<a href=\"#text\">Enter the text of the review note</a>") !=
        std::string::npos);
  CHECK(error.body.find("govuk-textarea--error") != std::string::npos);
  CHECK(error.body.find("<title>Error:") != std::string::npos);

  // Success: 303 to the record page, which shows the note, CR LF kept as a line break.
  const Response ok = app.handle(request("POST", "/regulator/reviews", session,
                                         form_body(csrf, "Looks right.\r\n<script>x</script>")));
  REQUIRE(ok.status == 303);
  CHECK(ok.headers.get("Location") == std::string(k_record) + "#reviews");
  const Response shown = app.handle(candor::web::test::get(k_record));
  CHECK(shown.body.find("Looks right.\n&lt;script&gt;x&lt;/script&gt;") != std::string::npos);
  const auto reviews = reg.store->reviews(k_org, "grant-summaries");
  REQUIRE(reviews.size() == 1);
  CHECK(reviews[0].reviewer == "ai-regulator");
  CHECK(reviews[0].reviewer_label == "session:reviewer");

  // An admin may oversee, but not publish notes in a regulator's name.
  App other(reg.options());
  const std::string admin_session = sign_in(
      other, candor::web::test::mint_token(*reg.store, "operator", "Operator", Role::admin, "a"));
  CHECK(other.handle(request("GET", new_form, admin_session)).status == 403);
}
