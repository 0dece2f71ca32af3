// The regulator's pages: sign in with a regulator (or admin) token, then the oversight of the
// whole register (rules/oversight.h) by organisation or mission area, with downloads.
//   GET  /regulator/sign-in          the form (sets a double-submit CSRF cookie)
//   POST /regulator/sign-in          token → session cookie, 303 to /regulator
//   POST /regulator/sign-out         ends the session (CSRF-checked)
//   GET  /regulator?by=organisation|mission
//   GET  /regulator/oversight.csv|json|html?by=...   downloads of the same report
//   GET  /regulator/reviews/new?organisation=&record=&version=   the form for a review note
//   POST /regulator/reviews          publishes it through intake (CSRF-checked), 303 to the record
// Pages need a live session whose token is still valid (re-checked on every request, so a
// revoked token ends its sessions); without one, pages redirect to the sign-in form and
// downloads and the review form's POST answer 401. Sign-in attempts are rate-limited per client
// address. Only a regulator's token (not an admin's) may publish review notes: a note speaks for
// the regulator. The session cookie is scoped to the whole site, so that record pages can offer
// a signed-in regulator the link to the form.
#include <memory>
#include <string>

#include "candor/registry/intake.h"
#include "candor/registry/store.h"
#include "candor/registry/tokens.h"
#include "candor/rules/date.h"
#include "candor/rules/oversight.h"
#include "candor/rules/report.h"
#include "candor/web/app.h"
#include "candor/web/oversight_source.h"
#include "candor/web/rate_limit.h"
#include "candor/web/sessions.h"
#include "candor/web/url.h"
#include "denials.h"
#include "record_view.h"
#include "route_support.h"

namespace candor::web {

namespace {

using nlohmann::json;

constexpr std::string_view k_session_cookie = "candor_session";
constexpr std::string_view k_sign_in_cookie = "candor_sign_in";
constexpr std::string_view k_cookie_path = "/regulator";  // the sign-in form's cookie
constexpr std::string_view k_session_cookie_path = "/";
constexpr std::chrono::seconds k_sign_in_form_life{std::chrono::minutes(30)};

struct RegulatorContext {
  App* app = nullptr;
  SessionStore sessions;
  RateLimiter sign_in_attempts{RateLimit{0.2, 10}};  // 10 at once, then one per 5 s
};

bool may_oversee(registry::Role role) {
  return role == registry::Role::regulator || role == registry::Role::admin;
}

// The signed-in session, if the cookie names a live one whose token is still good.
std::optional<Session> current_session(RegulatorContext& ctx, const Request& request) {
  const auto id = request_cookie(request, k_session_cookie);
  if (!id) return std::nullopt;
  auto session = ctx.sessions.find(*id);
  if (!session) return std::nullopt;
  const auto token = require_store(*ctx.app).token(session->token_hash);
  if (!token || token->revoked || !may_oversee(token->role)) {
    ctx.sessions.destroy(*id);
    return std::nullopt;
  }
  return session;
}

Response sign_in_form(RegulatorContext& ctx, const std::string& error, int status) {
  const std::string csrf = random_secret();
  Response r = ctx.app->page("regulator_sign_in",
                             {{"title", error.empty() ? "Sign in to the regulator's view"
                                                      : "Error: Sign in to the regulator's view"},
                              {"nav_regulator", true},
                              {"csrf", csrf},
                              {"error", error.empty() ? json(false) : json(error)}},
                             status);
  r.headers.add("Set-Cookie", cookie_header(k_sign_in_cookie, csrf, k_cookie_path, k_sign_in_form_life));
  r.headers.set("Cache-Control", "no-store");
  return r;
}

Response show_sign_in(RegulatorContext& ctx, const Request& request) {
  if (current_session(ctx, request)) return Response::redirect("/regulator");
  return sign_in_form(ctx, "", 200);
}

Response sign_in(RegulatorContext& ctx, const Request& request) {
  if (auto wait = ctx.sign_in_attempts.take(client_host(request.remote_address))) {
    Headers headers;
    headers.set("Retry-After", std::to_string(wait->count()));
    throw HttpError(429, "rate_limited",
                    "Too many sign-in attempts from this address. Wait a minute, then try again.",
                    headers);
  }
  const auto fields = form_fields(request.body);
  const auto field = [&](std::string_view name) {
    auto it = fields.find(name);
    return it == fields.end() ? std::string{} : it->second;
  };
  const auto cookie = request_cookie(request, k_sign_in_cookie);
  if (!cookie || !secrets_equal(*cookie, field("csrf"))) {
    // A stale form, or a form another site submitted: show a fresh one rather than sign in.
    audit_denial(*ctx.app, request, "anonymous", 403, "csrf");
    return sign_in_form(ctx, "The sign-in form had expired. Enter your token again.", 403);
  }
  std::string presented = field("token");
  while (!presented.empty() && (presented.back() == ' ' || presented.back() == '\n' ||
                                presented.back() == '\r' || presented.back() == '\t')) {
    presented.pop_back();
  }
  if (presented.empty()) return sign_in_form(ctx, "Enter your regulator token", 400);
  const auto token = registry::authenticate(require_store(*ctx.app), presented);
  if (!token || !may_oversee(token->role)) {
    // One answer for unknown, revoked and non-regulator tokens: a prober learns nothing. The
    // audit log, which only the operator reads, says which it was.
    if (token) {
      audit_denial(*ctx.app, request, "token:" + token->label, 401, "auth.role");
    } else {
      audit_denial(*ctx.app, request, "anonymous", 401, "auth.invalid");
    }
    return sign_in_form(ctx, "That token does not give access to the regulator's view", 401);
  }
  const Session session = ctx.sessions.create(*token);
  Response r = Response::redirect("/regulator");
  r.headers.add(
      "Set-Cookie",
      cookie_header(k_session_cookie, session.id, k_session_cookie_path,
                    std::chrono::duration_cast<std::chrono::seconds>(std::chrono::hours(8))));
  r.headers.add("Set-Cookie", cookie_header(k_sign_in_cookie, "", k_cookie_path, std::chrono::seconds(0)));
  r.headers.set("Cache-Control", "no-store");
  return r;
}

Response sign_out(RegulatorContext& ctx, const Request& request) {
  const auto session = current_session(ctx, request);
  const auto fields = form_fields(request.body);
  const auto csrf = fields.find("csrf");
  if (session && (csrf == fields.end() || !secrets_equal(csrf->second, session->csrf))) {
    throw denied(
        *ctx.app, request, "session:" + session->label,
        HttpError(403, "csrf", "The form had expired. Go back, reload the page and try again."));
  }
  if (session) ctx.sessions.destroy(session->id);
  Response r = Response::redirect("/");
  r.headers.add("Set-Cookie", cookie_header(k_session_cookie, "", k_session_cookie_path,
                                            std::chrono::seconds(0)));
  return r;
}

rules::GroupBy group_by(const Request& request) {
  const auto by = request.query("by");
  if (!by) return rules::GroupBy::organisation;
  const auto parsed = rules::parse_group_by(*by);
  if (!parsed) throw HttpError(400, "regulator.by", "Group by organisation or by mission.");
  return *parsed;
}

rules::Oversight oversight(RegulatorContext& ctx, rules::GroupBy by) {
  return rules::build_oversight(registered_records(require_store(*ctx.app)), by,
                                rules::Date::today_utc(), shipped_recommendations());
}

Response overview(RegulatorContext& ctx, const Request& request) {
  const auto session = current_session(ctx, request);
  if (!session) return Response::redirect("/regulator/sign-in");
  const rules::GroupBy by = group_by(request);
  const rules::Oversight o = oversight(ctx, by);
  json view = rules::oversight_json(o);
  const auto with_recs = [by](const rules::GroupOversight& g) {
    json row = {{"key", g.key},         {"label", g.label},     {"records", g.records},
                {"failing", g.failing}, {"warnings", g.warnings}, {"passing", g.passing},
                {"not_assessed", g.not_assessed}, {"lapses", g.records_with_lapses}};
    json recs = json::array();
    for (std::size_t r = 1; r <= 6; ++r) recs.push_back(g.failures_by_recommendation[r]);
    row["by_recommendation"] = recs;
    if (by == rules::GroupBy::organisation && !g.key.empty()) {
      row["link"] = "/organisations/" + percent_encode(g.key);
    }
    return row;
  };
  json groups = json::array();
  for (const auto& g : o.groups) groups.push_back(with_recs(g));
  json lapses = json::array();
  for (const auto& r : o.records) {
    for (const auto& l : r.lapses) {
      lapses.push_back({{"organisation", r.organisation_name.empty() ? r.organisation : r.organisation_name},
                        {"title", r.title.empty() ? r.record_id : r.title},
                        {"url", record_url(r.organisation, r.record_id)},
                        {"description", l.description}});
    }
  }
  const json recommendations =
      json::array({"Transparency", "Public-benefit governance", "Regulation and accountability",
                   "Bias and reliability", "Privacy", "Security"});
  const std::string by_text{rules::to_string(by)};
  Response page = ctx.app->page(
      "regulator",
      {{"title", "Compliance across the register"},
       {"nav_regulator", true},
       {"as_of", view["as_of"]},
       {"by_organisation", by == rules::GroupBy::organisation},
       {"by", by_text},
       {"groups", groups},
       {"total", with_recs(o.total)},
       {"recommendations", recommendations},
       {"lapses", lapses},
       {"has_lapses", !lapses.empty()},
       {"lapse_count", lapses.size()},
       {"signed_in_as", session->label},
       {"csrf", session->csrf}});
  page.headers.set("Cache-Control", "no-store");
  return page;
}

Response download(RegulatorContext& ctx, const Request& request, std::string_view format) {
  if (!current_session(ctx, request)) {
    throw HttpError(401, "auth.session", "Sign in at /regulator/sign-in to download reports.");
  }
  const rules::GroupBy by = group_by(request);
  const rules::Oversight o = oversight(ctx, by);
  Response r;
  const std::string name = "oversight-by-" + std::string{rules::to_string(by)} + "." + std::string{format};
  if (format == "csv") {
    r = Response::text(rules::oversight_csv(o), "text/csv; charset=utf-8");
  } else if (format == "json") {
    r = Response::json(rules::oversight_json(o));
  } else {
    r = Response::html(rules::oversight_html(o));
  }
  r.headers.set("Content-Disposition", "attachment; filename=\"" + name + "\"");
  r.headers.set("Cache-Control", "no-store");
  return r;
}

// ---- Review notes ----

std::string form_field(const std::map<std::string, std::string, std::less<>>& fields,
                       std::string_view name) {
  auto it = fields.find(name);
  return it == fields.end() ? std::string{} : it->second;
}

// The record version a review form is about, from its fields; 404 if there is no such version.
struct ReviewTarget {
  registry::RecordVersion version;
  registry::CurrentRecord current;
};

ReviewTarget review_target(registry::Store& store, const std::string& organisation,
                           const std::string& record_id, const std::string& version_text) {
  const auto n = version_text.size() > 10 ? std::nullopt : parse_count(version_text);
  const auto current = store.current_record(organisation, record_id);
  if (n && current) {
    for (const registry::RecordVersion& v : store.versions(organisation, record_id)) {
      if (v.version == *n) return {v, *current};
    }
  }
  throw HttpError(404, "not_found",
                  "There is no such version of this record. Go to the record's page and choose "
                  "a version to review.");
}

// The signed-in regulator who may publish notes; 403 for an admin's session.
const Session& require_reviewer(const Session& session) {
  if (session.role != registry::Role::regulator) {
    throw HttpError(403, "auth.role", "Only a regulator's token may publish review notes.");
  }
  return session;
}

Response review_form(RegulatorContext& ctx, const Session& session, const ReviewTarget& target,
                     const std::string& text, const std::string& error, int status) {
  registry::Store& store = require_store(*ctx.app);
  const auto reviewer = store.organisation(session.organisation);
  const std::string title =
      target.current.title.empty() ? target.current.record_id : target.current.title;
  Response page = ctx.app->page(
      "regulator_review",
      {{"title", (error.empty() ? "" : "Error: ") + std::string("Add a review note – ") + title},
       {"nav_regulator", true},
       {"csrf", session.csrf},
       {"organisation_id", target.version.organisation},
       {"organisation_name", target.current.organisation_name},
       {"record_id", target.version.record_id},
       {"record_title", title},
       {"record_url", record_url(target.version.organisation, target.version.record_id)},
       {"version", target.version.version},
       {"reviewer_name", reviewer ? reviewer->name : session.organisation},
       {"text", text},
       {"has_error", !error.empty()},
       {"error", error}},
      status);
  page.headers.set("Cache-Control", "no-store");
  return page;
}

Response new_review(RegulatorContext& ctx, const Request& request) {
  const auto session = current_session(ctx, request);
  if (!session) return Response::redirect("/regulator/sign-in");
  require_reviewer(*session);
  const ReviewTarget target =
      review_target(require_store(*ctx.app), request.query("organisation").value_or(""),
                    request.query("record").value_or(""), request.query("version").value_or(""));
  return review_form(ctx, *session, target, "", "", 200);
}

Response publish_review(RegulatorContext& ctx, const Request& request) {
  const auto session = current_session(ctx, request);
  if (!session) {
    throw denied(
        *ctx.app, request, "anonymous",
        HttpError(401, "auth.session", "Sign in at /regulator/sign-in to publish review notes."));
  }
  const auto fields = form_fields(request.body);
  if (!secrets_equal(form_field(fields, "csrf"), session->csrf)) {
    throw denied(
        *ctx.app, request, "session:" + session->label,
        HttpError(403, "csrf", "The form had expired. Go back, reload the page and try again."));
  }
  if (session->role != registry::Role::regulator) {
    throw denied(*ctx.app, request, "session:" + session->label,
                 HttpError(403, "auth.role", "Only a regulator's token may publish review notes."));
  }
  registry::Intake* intake = ctx.app->intake();
  if (intake == nullptr) {
    throw HttpError(503, "register.read_only",
                    "This server does not accept review notes: it runs without the register's "
                    "signing key.");
  }
  const ReviewTarget target =
      review_target(require_store(*ctx.app), form_field(fields, "organisation"),
                    form_field(fields, "record"), form_field(fields, "version"));
  const std::string text = form_field(fields, "text");
  auto result = intake
                    ->submit_review({target.version.organisation, target.version.record_id,
                                     target.version.version, text},
                                    {session->organisation, "session:" + session->label})
                    .get();
  if (!result.ok()) {
    return review_form(ctx, *session, target, text, result.problems().front().message, 400);
  }
  Response r = Response::redirect(
      record_url(target.version.organisation, target.version.record_id) + "#reviews");
  r.headers.set("Cache-Control", "no-store");
  return r;
}

}  // namespace

void add_regulator_routes(App& app) {
  auto ctx = std::make_shared<RegulatorContext>();
  ctx->app = &app;
  Router& r = app.router();
  r.add("GET", "/regulator", [ctx](const Request& q) { return overview(*ctx, q); });
  r.add("GET", "/regulator/sign-in", [ctx](const Request& q) { return show_sign_in(*ctx, q); });
  r.add("POST", "/regulator/sign-in", [ctx](const Request& q) { return sign_in(*ctx, q); });
  r.add("POST", "/regulator/sign-out", [ctx](const Request& q) { return sign_out(*ctx, q); });
  r.add("GET", "/regulator/reviews/new", [ctx](const Request& q) { return new_review(*ctx, q); });
  r.add("POST", "/regulator/reviews", [ctx](const Request& q) { return publish_review(*ctx, q); });
  app.set_regulator_session_check(
      [ctx](const Request& q) { return current_session(*ctx, q).has_value(); });
  for (const char* format : {"csv", "json", "html"}) {
    r.add("GET", std::string("/regulator/oversight.") + format,
          [ctx, format](const Request& q) { return download(*ctx, q, format); });
  }
}

}  // namespace candor::web
