// The write API: POST /api/v1/records and POST .../versions/{n}/reviews (docs/api.md).
//
//   rate limit (client address) → bearer token (hash lookup, constant-time check, not revoked)
//   → rate limit (token) → role (submitter or admin) → load, validate, canonicalise (422 with
//   every located problem) → organisation (a submitter only for its own; 403) → rules (the
//   same evaluation as `candor register add`) → intake (logged, signed, committed) → 201 with
//   the receipt, or 200 for a record identical to its latest version (nothing new logged).
//
// A review note (regulator's token only) goes: rate limits and token as above → role regulator
// (403) → the version exists (404) → JSON body {"text": ...} (415, 400) → intake (422 with the
// located problems of the text) → 201 with the leaf index and the receipt.
//
// Tokens never reach a log, a metric label or a message; the audit log names a token by its
// label ("token:<label>"), through the Submitter given to intake.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "candor/registry/intake.h"
#include "candor/registry/store.h"
#include "candor/registry/tokens.h"
#include "candor/rules/intake_findings.h"
#include "candor/rules/shipped_packs.h"
#include "candor/web/app.h"
#include "denials.h"
#include "route_support.h"

namespace candor::web {

namespace {

using Json = nlohmann::json;

// How submitted YAML is named in problems: there is no file on the server.
constexpr const char* k_submitted_file = "submission.yaml";

Headers challenge(bool invalid) {
  Headers h;
  h.set("WWW-Authenticate",
        invalid ? R"(Bearer realm="candor", error="invalid_token")" : R"(Bearer realm="candor")");
  return h;
}

Headers retry_after(std::chrono::seconds wait) {
  Headers h;
  h.set("Retry-After", std::to_string(wait.count()));
  return h;
}

// The credentials of "Authorization: Bearer <token>" (scheme case-insensitive, RFC 9110 §11.1),
// or nullopt when there is no such header.
std::optional<std::string> bearer_token(const Request& request) {
  const auto value = request.headers.get("Authorization");
  if (!value) return std::nullopt;
  std::string_view v = *value;
  constexpr std::string_view scheme = "bearer ";
  if (v.size() < scheme.size() || !equals_ignore_case(v.substr(0, scheme.size()), scheme)) {
    return std::string{};  // present but not a bearer token: treated as an invalid one
  }
  v.remove_prefix(scheme.size());
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return std::string{v};
}

Json problem_json(const registry::Problem& p) {
  return Json{{"line", p.position.line}, {"column", p.position.column}, {"path", p.path},
              {"code", p.code},          {"message", p.message},        {"hint", p.hint}};
}

// 422: the same error shape as every other API error, plus the problems, each located.
Response unprocessable(const registry::Problems& problems) {
  Json list = Json::array();
  for (const auto& p : problems) list.push_back(problem_json(p));
  const std::size_t n = problems.size();
  Response response = Response::json(
      {{"error",
        {{"status", 422},
         {"code", "record.invalid"},
         {"message", "The record has " + std::to_string(n) + (n == 1 ? " problem" : " problems") +
                         "; correct " + (n == 1 ? "it" : "them") + " and submit it again."},
         {"problems", std::move(list)}}}},
      422);
  response.headers.set("Cache-Control", "no-store");
  return response;
}

bool acceptable_content_type(const Request& request) {
  const auto type = request.headers.get("Content-Type");
  if (!type) return true;
  std::string_view t = *type;
  t = t.substr(0, t.find(';'));
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  for (std::string_view ok : {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
                              "text/plain", "application/octet-stream"}) {
    if (equals_ignore_case(t, ok)) return true;
  }
  return false;
}

struct WriteContext {
  App* app = nullptr;
  std::shared_ptr<const std::vector<rules::Pack>> packs;
  std::unique_ptr<RateLimiter> per_token;
  std::unique_ptr<RateLimiter> per_address;
};

// The shipped default pack; a server that cannot load its own rules must not start.
std::shared_ptr<const std::vector<rules::Pack>> default_packs() {
  auto pack = rules::load_shipped_pack(rules::kDefaultPack);
  if (!pack.ok()) throw std::runtime_error("the shipped rule pack does not load");
  auto packs = std::make_shared<std::vector<rules::Pack>>();
  packs->push_back(std::move(pack).value());
  return packs;
}

// The token of a write request, after the address and token rate limits; 401/429 otherwise.
registry::Token authenticated(WriteContext& ctx, const Request& request, registry::Store& store) {
  App& app = *ctx.app;
  if (auto wait = ctx.per_address->take(client_host(request.remote_address))) {
    app.metrics().count_submission("rate_limited");
    throw HttpError(429, "rate_limited",
                    "Too many submissions from this address. Wait, then try again.",
                    retry_after(*wait));
  }
  const auto presented = bearer_token(request);
  if (!presented) {
    app.metrics().count_submission("unauthorised");
    throw denied(app, request, "anonymous",
                 HttpError(401, "auth.missing",
                           "Submitting needs a token: send it as \"Authorization: Bearer TOKEN\".",
                           challenge(false)));
  }
  const std::optional<registry::Token> token = registry::authenticate(store, *presented);
  if (!token) {
    app.metrics().count_submission("unauthorised");
    // "anonymous": an unknown or revoked token names nobody (its label would be a guess).
    throw denied(
        app, request, "anonymous",
        HttpError(401, "auth.invalid",
                  "The token is not valid: it is unknown or has been revoked. Ask the register's "
                  "operator for a new one.",
                  challenge(true)));
  }
  if (auto wait = ctx.per_token->take(registry::to_hex(token->hash))) {
    app.metrics().count_submission("rate_limited");
    throw HttpError(429, "rate_limited",
                    "Too many submissions with this token. Wait, then try again.",
                    retry_after(*wait));
  }
  return *token;
}

// Waits for the sequencer's answer. A store that cannot write (disk full, a file-size limit, an
// I/O error) rolls the batch back: nothing was logged, and the client may try again later, so
// that is a 503 rather than the generic 500.
template <class Future>
auto committed(App& app, Future&& future) {
  try {
    return future.get();
  } catch (const registry::StoreError& e) {
    app.metrics().count_submission("unavailable");
    if (app.options().log) app.options().log->event("store_error", {{"error", e.what()}});
    throw HttpError(503, "register.unavailable",
                    "The register could not store this submission, so nothing was logged. Try "
                    "again later; if it keeps happening, tell the register's operator.");
  }
}

// Writes need the store and the signing key; a server started without the key only reads.
void require_intake(App& app) {
  if (app.store() == nullptr || app.intake() == nullptr) {
    throw HttpError(503, "register.read_only",
                    "This server does not accept submissions: it runs without the register's "
                    "signing key.");
  }
}

Response submit_record(WriteContext& ctx, const Request& request) {
  App& app = *ctx.app;
  require_intake(app);
  registry::Store* store = app.store();
  registry::Intake* intake = app.intake();

  const std::optional<registry::Token> token = authenticated(ctx, request, *store);
  if (token->role != registry::Role::submitter && token->role != registry::Role::admin) {
    app.metrics().count_submission("forbidden");
    throw denied(app, request, "token:" + token->label,
                 HttpError(403, "auth.role", "This token may not submit records."));
  }
  if (!acceptable_content_type(request)) {
    app.metrics().count_submission("rejected");
    throw HttpError(415, "unsupported_media_type",
                    "Send the record as YAML (Content-Type: application/yaml).");
  }

  auto prepared = registry::prepare_record(request.body, k_submitted_file);
  if (!prepared.ok()) {
    app.metrics().count_submission("rejected");
    return unprocessable(prepared.problems());
  }
  registry::PreparedRecord& record = prepared.value();
  if (token->role != registry::Role::admin && record.organisation.id != token->organisation) {
    app.metrics().count_submission("forbidden");
    throw denied(
        app, request, "token:" + token->label,
        HttpError(403, "auth.organisation",
                  "This token submits records of " + token->organisation +
                      " only; this record's organisation.id is " + record.organisation.id + "."));
  }

  const auto evaluation = rules::evaluate_for_intake(k_submitted_file, record.document, *ctx.packs,
                                                     rules::Date::today_utc());
  const registry::Findings findings = evaluation.findings;
  const registry::Submitter submitter{record.organisation.id, "token:" + token->label};
  auto result = committed(app, intake->submit(std::move(record), submitter, findings));
  if (!result.ok()) {
    app.metrics().count_submission("rejected");
    return unprocessable(result.problems());
  }
  const registry::Acceptance& a = result.value();
  app.metrics().count_submission(a.duplicate ? "duplicate" : "accepted");

  const registry::RecordVersion& v = a.version;
  Json body = {
      {"organisation", v.organisation},
      {"record_id", v.record_id},
      {"version", v.version},
      {"leaf_index", v.leaf_index},
      {"accepted_at", v.accepted_at},
      {"duplicate", a.duplicate},
      {"findings", Json::parse(findings.json)},
      {"counts",
       {{"error", findings.counts.error},
        {"warning", findings.counts.warning},
        {"info", findings.counts.info}}},
      {"compliance", std::string{registry::to_string(registry::compliance_of(findings))}},
      {"receipt", a.receipt},
      {"checkpoint", a.checkpoint.note},
  };
  if (a.duplicate) {
    // The stored version's own findings: the identical record was judged when it was accepted.
    if (auto stored = store->findings(v.organisation, v.record_id, v.version)) {
      body["findings"] = Json::parse(stored->json);
      body["counts"] = {{"error", stored->counts.error},
                        {"warning", stored->counts.warning},
                        {"info", stored->counts.info}};
      body["compliance"] = std::string{registry::to_string(registry::compliance_of(*stored))};
    }
  }
  Response response = Response::json(body, a.duplicate ? 200 : 201);
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("Location", "/records/" + v.organisation + "/" + v.record_id);
  return response;
}

bool json_content_type(const Request& request) {
  const auto type = request.headers.get("Content-Type");
  if (!type) return false;
  std::string_view t = *type;
  t = t.substr(0, t.find(';'));
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return equals_ignore_case(t, "application/json");
}

Response submit_review(WriteContext& ctx, const Request& request) {
  App& app = *ctx.app;
  require_intake(app);
  registry::Store* store = app.store();
  registry::Intake* intake = app.intake();
  const registry::Token token = authenticated(ctx, request, *store);
  if (token.role != registry::Role::regulator) {
    app.metrics().count_submission("forbidden");
    throw denied(app, request, "token:" + token.label,
                 HttpError(403, "auth.role", "Only a regulator's token may add review notes."));
  }
  const std::string organisation = request.param("organisation");
  const std::string record_id = request.param("id");
  const auto versions = store->versions(organisation, record_id);
  if (versions.empty()) {
    throw HttpError(
        404, "record.not_found",
        "There is no record '" + record_id + "' for organisation '" + organisation + "'.");
  }
  const auto n = request.param("n").size() > 10 ? std::nullopt : parse_count(request.param("n"));
  if (!n || *n == 0 || *n > versions.size()) {
    throw HttpError(404, "version.not_found",
                    "This record has versions 1 to " + std::to_string(versions.size()) + ".");
  }
  if (!json_content_type(request)) {
    app.metrics().count_submission("rejected");
    throw HttpError(415, "unsupported_media_type",
                    "Send the note as JSON (Content-Type: application/json): {\"text\": \"...\"}.");
  }
  const Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("text") ||
      !body["text"].is_string()) {
    app.metrics().count_submission("rejected");
    throw HttpError(
        400, "review.body",
        "The body must be a JSON object with the note as a string: {\"text\": \"...\"}.");
  }
  registry::ReviewNote note{organisation, record_id, *n, body["text"].get<std::string>()};
  auto result = committed(
      app, intake->submit_review(std::move(note), {token.organisation, "token:" + token.label}));
  if (!result.ok()) {
    app.metrics().count_submission("rejected");
    const registry::Problems& problems = result.problems();
    Json list = Json::array();
    for (const auto& p : problems) list.push_back(problem_json(p));
    Response response = Response::json({{"error",
                                         {{"status", 422},
                                          {"code", "review.invalid"},
                                          {"message", problems.front().message},
                                          {"problems", std::move(list)}}}},
                                       422);
    response.headers.set("Cache-Control", "no-store");
    return response;
  }
  app.metrics().count_submission("accepted");
  const registry::ReviewAcceptance& a = result.value();
  const registry::Review& r = a.review;
  Response response = Response::json({{"organisation", r.organisation},
                                      {"record_id", r.record_id},
                                      {"version", r.version},
                                      {"reviewed_leaf_index", r.reviewed_leaf},
                                      {"leaf_index", r.leaf_index},
                                      {"reviewer", r.reviewer},
                                      {"accepted_at", r.accepted_at},
                                      {"note_hash", registry::to_hex(r.note_hash)},
                                      {"text", r.note.value_or("")},
                                      {"receipt", a.receipt},
                                      {"checkpoint", a.checkpoint.note}},
                                     201);
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("Location", "/records/" + r.organisation + "/" + r.record_id + "#reviews");
  return response;
}

}  // namespace

void add_api_write_routes(App& app) {
  auto ctx = std::make_shared<WriteContext>();
  ctx->app = &app;
  const AppOptions& options = app.options();
  if (app.intake() != nullptr) ctx->packs = options.packs ? options.packs : default_packs();
  ctx->per_token = std::make_unique<RateLimiter>(options.write_limit_per_token);
  ctx->per_address = std::make_unique<RateLimiter>(options.write_limit_per_address);
  app.router().add("POST", "/api/v1/records",
                   [ctx](const Request& request) { return submit_record(*ctx, request); });
  app.router().add("POST", "/api/v1/records/{organisation}/{id}/versions/{n}/reviews",
                   [ctx](const Request& request) { return submit_review(*ctx, request); });
}

}  // namespace candor::web
