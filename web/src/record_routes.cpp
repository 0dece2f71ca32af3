// The record pages of the public register: a record's current version, each older version
// (immutable, cached), the receipt and canonical JSON of a version, and the differences between
// two versions. Views are built from the stored canonical JSON (record_view.h); YAML is never
// parsed here.
#include <string>

#include "candor/registry/merkle.h"
#include "candor/registry/store.h"
#include "candor/web/app.h"
#include "candor/web/record_diff.h"
#include "candor/web/url.h"
#include "record_view.h"
#include "route_support.h"

namespace candor::web {

namespace {

using nlohmann::json;
using registry::RecordVersion;
using registry::Store;

// A version number as typed in an address or a form: 1 to 10^9, digits only.
std::optional<std::uint64_t> parse_version(std::string_view text) {
  const auto value = text.size() > 10 ? std::nullopt : parse_count(text);
  if (!value || *value == 0) return std::nullopt;
  return value;
}

// The helpful 404 for a record that does not exist (status 404, a page, not the generic one).
Response record_not_found(const App& app, Store& store, const std::string& organisation,
                          const std::string& record_id) {
  json view = {{"title", "Record not found"},
               {"nav_search", true},
               {"record_id", record_id},
               {"organisation_id", organisation}};
  if (auto org = store.organisation(organisation)) {
    view["organisation_name"] = org->name;
    view["organisation_url"] = organisation_url(organisation);
  }
  return app.page("record_not_found", view, 404);
}

json parse_body(Store& store, const RecordVersion& version) {
  const auto text = store.body(version.body_hash);
  if (!text) return nullptr;  // erased lawfully: the log keeps the hash, the page says so
  json body = json::parse(*text, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    throw std::runtime_error("stored canonical body is not a JSON object");
  }
  return body;
}

std::string title_of(const json& body, const RecordVersion& version) {
  if (body.is_object()) {
    const auto tool = body.find("tool");
    if (tool != body.end() && tool->is_object() && tool->contains("name") &&
        (*tool)["name"].is_string()) {
      return (*tool)["name"].get<std::string>();
    }
  }
  return version.record_id;
}

// The "Verify this record" section: leaf, body hash, checkpoint, receipt and the steps.
json verify_view(Store& store, const RecordVersion& version,
                 const std::optional<registry::StoredCheckpoint>& checkpoint) {
  json view = {
      {"leaf_index", version.leaf_index},
      {"body_hash", registry::to_hex(version.body_hash)},
      {"receipt_url",
       version_url(version.organisation, version.record_id, version.version) + "/receipt"},
      {"record_file_url",
       version_url(version.organisation, version.record_id, version.version) + "/record.json"}};
  if (auto settings = store.log_settings()) view["verifier_key"] = settings->verifier_key;
  if (checkpoint) {
    if (auto receipt = make_receipt(store, version.leaf_index, *checkpoint)) {
      view["checkpoint"] = checkpoint->note;
      view["checkpoint_size"] = checkpoint->size;
      view["receipt"] = *receipt;
    }
  }
  view["has_receipt"] = view.contains("receipt");
  return view;
}

// Everything the record template shows about one version.
json version_view(Store& store, const RecordVersion& version,
                  const std::optional<registry::StoredCheckpoint>& checkpoint) {
  const json body = parse_body(store, version);
  const std::string title = title_of(body, version);
  json view = {{"nav_search", true},
               {"record_title", title},
               {"organisation_id", version.organisation},
               {"record_id", version.record_id},
               {"organisation_url", organisation_url(version.organisation)},
               {"current_url", record_url(version.organisation, version.record_id)},
               {"version", version.version},
               {"published", human_date(version.accepted_at)},
               {"has_body", body.is_object()}};
  if (body.is_object()) {
    std::string organisation_name = version.organisation;
    if (body.contains("organisation") && body["organisation"].is_object() &&
        body["organisation"].contains("name") && body["organisation"]["name"].is_string()) {
      organisation_name = body["organisation"]["name"].get<std::string>();
    }
    view["organisation_name"] = organisation_name;
    view["summary"] = summary_view(body);
    view["facts"] = key_facts_view(body, version);
    view["sections"] = detail_view(body);
  } else {
    view["organisation_name"] = version.organisation;
  }
  view["title"] = title + " – " + view["organisation_name"].get<std::string>();
  view["findings"] =
      findings_view(store.findings(version.organisation, version.record_id, version.version));
  view["verify"] = verify_view(store, version, checkpoint);
  if (version.version > 1) {
    view["previous_diff_url"] =
        diff_url(version.organisation, version.record_id, version.version - 1, version.version);
  }
  return view;
}

// The "Regulator reviews" section: the notes on the record (or on one version of it), oldest
// first, each with the version it is about, who wrote it, when, and its log entry.
json reviews_view(Store& store, const std::vector<registry::Review>& reviews,
                  std::optional<std::uint64_t> only_version) {
  json rows = json::array();
  for (const registry::Review& r : reviews) {
    if (only_version && r.version != *only_version) continue;
    const auto reviewer = store.organisation(r.reviewer);
    rows.push_back({{"version", r.version},
                    {"version_url", version_url(r.organisation, r.record_id, r.version)},
                    {"reviewer_name", reviewer ? reviewer->name : r.reviewer},
                    {"date", human_date(r.accepted_at)},
                    {"leaf_index", r.leaf_index},
                    {"has_text", r.note.has_value()},
                    {"text", r.note.value_or("")}});
  }
  return rows;
}

// Adds the reviews, and for a signed-in regulator the link to write one, to a page's view.
void add_reviews(const App& app, const Request& request, Store& store, const RecordVersion& shown,
                 json& view, bool all_versions) {
  const json rows =
      reviews_view(store, store.reviews(shown.organisation, shown.record_id),
                   all_versions ? std::nullopt : std::optional<std::uint64_t>(shown.version));
  view["reviews"] = rows;
  view["has_reviews"] = !rows.empty();
  view["review_count"] = rows.size();
  view["one_review"] = rows.size() == 1;
  if (app.has_regulator_session(request)) {
    view["add_review_url"] =
        "/regulator/reviews/new?organisation=" + percent_encode(shown.organisation) +
        "&record=" + percent_encode(shown.record_id) + "&version=" + std::to_string(shown.version);
  }
}

json history_view(const std::vector<RecordVersion>& versions) {
  json rows = json::array();
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    json row = {{"version", it->version},
                {"date", human_date(it->accepted_at)},
                {"action", action_label(it->action)},
                {"url", version_url(it->organisation, it->record_id, it->version)}};
    if (it->version > 1) {
      row["diff_url"] = diff_url(it->organisation, it->record_id, it->version - 1, it->version);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

Response current_page(const App& app, const Request& request) {
  Store& store = require_store(app);
  const std::string organisation = request.param("organisation");
  const std::string record_id = request.param("id");
  const auto versions = store.versions(organisation, record_id);
  if (versions.empty()) return record_not_found(app, store, organisation, record_id);
  const RecordVersion& latest = versions.back();
  json view = version_view(store, latest, store.latest_checkpoint());
  view["is_current"] = true;
  view["history"] = history_view(versions);
  view["version_count"] = versions.size();
  view["has_history"] = versions.size() > 1;
  add_reviews(app, request, store, latest, view, true);
  Response page = app.page("record", view);
  // A regulator's page carries a link the public's does not: keep it out of shared caches.
  if (view.contains("add_review_url")) page.headers.set("Cache-Control", "private, no-store");
  return page;
}

const RecordVersion* find_version(const std::vector<RecordVersion>& versions, std::uint64_t n) {
  for (const RecordVersion& v : versions) {
    if (v.version == n) return &v;
  }
  return nullptr;
}

// The version named by the address, or a 404 page.
struct VersionLookup {
  std::vector<RecordVersion> versions;
  const RecordVersion* version = nullptr;
};

VersionLookup lookup_version(Store& store, const Request& request) {
  VersionLookup out;
  const auto n = parse_version(request.param("n"));
  out.versions = store.versions(request.param("organisation"), request.param("id"));
  if (n) out.version = find_version(out.versions, *n);
  return out;
}

HttpError no_such_version() {
  return HttpError(404, "not_found",
                   "There is no such version of this record. Check the version number, or go to "
                   "the record's page to see all its versions.");
}

// A version never changes, and neither do its findings, the receipt against the first checkpoint
// that covers it, or the version that replaced it. What can still change is whether it has been
// replaced (the tag names the replacing version, or "latest") and the regulators' review notes on
// it (the tag names the last note's log entry). It also names the software version, so a new
// release's pages are fetched again.
std::string version_etag(const RecordVersion& version,
                         const std::optional<registry::StoredCheckpoint>& covering,
                         const RecordVersion* replaced_by, const json& reviews) {
  const std::string last_review =
      reviews.empty() ? std::string{"none"}
                      : std::to_string(reviews.back()["leaf_index"].get<std::uint64_t>());
  return "\"v" + std::to_string(version.version) + "-" + "n" + last_review + "-" +
         registry::to_hex(version.body_hash).substr(0, 16) + "-c" +
         (covering ? std::to_string(covering->size) : std::string{"none"}) + "-" +
         (replaced_by ? "r" + std::to_string(replaced_by->version) : std::string{"latest"}) + "-" +
         std::string{candor_version()} + "\"";
}

// Sets ETag and caching; a 304 if the client has this version already.
std::optional<Response> not_modified(const Request& request, Response& response,
                                     const std::string& etag, bool immutable) {
  response.headers.set("ETag", etag);
  response.headers.set("Cache-Control",
                       immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (const auto inm = request.headers.get("If-None-Match"); inm && etag_matches(*inm, etag)) {
    Response unchanged;
    unchanged.status = 304;
    unchanged.headers = response.headers;
    unchanged.headers.remove("Content-Type");
    unchanged.headers.remove("Content-Length");
    return unchanged;
  }
  return std::nullopt;
}

Response version_page(const App& app, const Request& request) {
  Store& store = require_store(app);
  const VersionLookup found = lookup_version(store, request);
  if (found.versions.empty()) {
    return record_not_found(app, store, request.param("organisation"), request.param("id"));
  }
  if (!found.version) throw no_such_version();
  const RecordVersion& version = *found.version;
  const RecordVersion* replaced_by = find_version(found.versions, version.version + 1);
  const auto covering = store.checkpoint_covering(version.leaf_index);
  json reviews_only;
  add_reviews(app, request, store, version, reviews_only, false);
  const bool regulator = reviews_only.contains("add_review_url");
  const std::string etag = version_etag(version, covering, replaced_by, reviews_only["reviews"]);
  // A regulator may add a note to any version at any time, so no version page is immutable: it
  // is revalidated (a 304 while nothing changed).
  constexpr bool immutable = false;
  Response headers_only;
  if (!regulator) {
    if (auto unchanged = not_modified(request, headers_only, etag, immutable)) return *unchanged;
  }

  json view = version_view(store, version, covering);
  view.update(reviews_only);
  view["is_current"] = false;
  if (replaced_by) {
    view["replaced"] = {{"version", replaced_by->version},
                        {"date", human_date(replaced_by->accepted_at)},
                        {"diff_url", diff_url(version.organisation, version.record_id,
                                              version.version, replaced_by->version)}};
  }
  view["title"] = (replaced_by ? "Older version " : "Version ") + std::to_string(version.version) +
                  ": " + view["title"].get<std::string>();
  Response response = app.page("record", view);
  if (regulator) {
    response.headers.set("Cache-Control", "private, no-store");
  } else {
    not_modified(request, response, etag, immutable);
  }
  return response;
}

Response receipt_file(const App& app, const Request& request) {
  Store& store = require_store(app);
  const VersionLookup found = lookup_version(store, request);
  if (!found.version) throw no_such_version();
  const auto covering = store.checkpoint_covering(found.version->leaf_index);
  if (!covering) {
    throw HttpError(404, "not_found",
                    "This version is not covered by a signed checkpoint yet. Try again soon.");
  }
  auto receipt = make_receipt(store, found.version->leaf_index, *covering);
  Response response = Response::text(*receipt, "text/plain; charset=utf-8");
  response.headers.set("Content-Disposition", "attachment; filename=\"" + found.version->record_id +
                                                  "-v" + std::to_string(found.version->version) +
                                                  ".tlog-proof\"");
  // The first covering checkpoint never changes, so neither does the receipt against it.
  const std::string etag = "\"receipt-" + std::to_string(found.version->leaf_index) + "-c" +
                           std::to_string(covering->size) + "\"";
  if (auto unchanged = not_modified(request, response, etag, true)) {
    return *unchanged;
  }
  return response;
}

// The version's canonical JSON: exactly the bytes whose SHA-256 the log entry names, and what
// the page shows. `candor verify --record` accepts it like the YAML file (JSON is YAML), and,
// unlike the submitted YAML, it carries no comments the organisation may not have meant to
// publish.
Response canonical_file(const App& app, const Request& request) {
  Store& store = require_store(app);
  const VersionLookup found = lookup_version(store, request);
  if (!found.version) throw no_such_version();
  const auto body = store.body(found.version->body_hash);
  if (!body) {
    throw HttpError(404, "not_found", "The content of this version is no longer published.");
  }
  Response response = Response::text(*body, "application/json");
  response.headers.set("Content-Disposition", "attachment; filename=\"" + found.version->record_id +
                                                  "-v" + std::to_string(found.version->version) +
                                                  ".json\"");
  if (auto unchanged = not_modified(
          request, response, "\"body-" + registry::to_hex(found.version->body_hash) + "\"", true)) {
    return *unchanged;
  }
  return response;
}

// ---- Differences between versions ----

json version_options(const std::vector<RecordVersion>& versions, std::uint64_t selected) {
  json options = json::array();
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    options.push_back({{"value", it->version},
                       {"label", "Version " + std::to_string(it->version) + " (" +
                                     human_date(it->accepted_at) + ")"},
                       {"selected", it->version == selected}});
  }
  return options;
}

json changes_view(const std::vector<FieldChange>& changes) {
  json sections = json::array();
  std::string current;
  for (const FieldChange& change : changes) {
    const std::string section{section_of(change.path)};
    if (sections.empty() || section != current) {
      current = section;
      sections.push_back({{"heading", section_label(section)},
                          {"id", "changes-" + section},
                          {"rows", json::array()}});
    }
    sections.back()["rows"].push_back(
        {{"label", field_label(change.path)},
         {"path", change.path},
         {"kind", std::string{to_string(change.kind)}},
         {"kind_label", change.kind == FieldChangeKind::added     ? "Added"
                        : change.kind == FieldChangeKind::removed ? "Removed"
                                                                  : "Changed"},
         {"tag_class", change.kind == FieldChangeKind::added     ? "govuk-tag--green"
                       : change.kind == FieldChangeKind::removed ? "govuk-tag--red"
                                                                 : "govuk-tag--blue"},
         {"before", change.before},
         {"after", change.after},
         {"has_before", change.kind != FieldChangeKind::added},
         {"has_after", change.kind != FieldChangeKind::removed}});
  }
  return sections;
}

Response diff_page(const App& app, const Request& request) {
  Store& store = require_store(app);
  const std::string organisation = request.param("organisation");
  const std::string record_id = request.param("id");
  const auto versions = store.versions(organisation, record_id);
  if (versions.empty()) return record_not_found(app, store, organisation, record_id);
  const RecordVersion& latest = versions.back();
  const json latest_body = parse_body(store, latest);
  const std::string title = title_of(latest_body, latest);

  json view = {{"nav_search", true},
               {"record_title", title},
               {"record_url", record_url(organisation, record_id)},
               {"action", record_url(organisation, record_id) + "/diff"},
               {"single_version", versions.size() == 1}};
  std::uint64_t to = latest.version;
  std::uint64_t from = to > 1 ? to - 1 : 1;
  json errors = json::array();
  const auto read = [&](const char* name, std::uint64_t& into, const char* id) {
    const auto text = request.query(name);
    if (!text || text->empty()) return;
    const auto n = parse_version(*text);
    if (!n || !find_version(versions, *n)) {
      errors.push_back({{"field", id},
                        {"text", std::string{"Choose a version between 1 and "} +
                                     std::to_string(latest.version)}});
      view[std::string{id} + "_error"] = errors.back()["text"];
      return;
    }
    into = *n;
  };
  read("from", from, "from");
  read("to", to, "to");
  if (errors.empty() && from == to && versions.size() > 1) {
    errors.push_back({{"field", "to"}, {"text", "Choose two different versions to compare"}});
    view["to_error"] = errors.back()["text"];
  }
  view["from_options"] = version_options(versions, from);
  view["to_options"] = version_options(versions, to);
  if (!errors.empty()) {
    view["title"] = "Error: Compare versions – " + title;
    view["errors"] = errors;
    view["has_errors"] = true;
    return app.page("record_diff", view, 400);
  }
  view["title"] = "Compare versions – " + title;
  if (versions.size() > 1) {
    const RecordVersion& a = *find_version(versions, from);
    const RecordVersion& b = *find_version(versions, to);
    const json before = parse_body(store, a);
    const json after = parse_body(store, b);
    view["from"] = {{"version", a.version},
                    {"date", human_date(a.accepted_at)},
                    {"url", version_url(organisation, record_id, a.version)}};
    view["to"] = {{"version", b.version},
                  {"date", human_date(b.accepted_at)},
                  {"url", version_url(organisation, record_id, b.version)}};
    if (before.is_null() || after.is_null()) {
      view["erased"] = true;
    } else {
      const auto changes = diff_records(before, after);
      view["sections"] = changes_view(changes);
      view["change_count"] = changes.size();
      view["one_change"] = changes.size() == 1;
      view["no_changes"] = changes.empty();
    }
  }
  return app.page("record_diff", view);
}

}  // namespace

void add_record_routes(App& app) {
  app.router().add("GET", "/records/{organisation}/{id}",
                   app.cached([&app](const Request& request) { return current_page(app, request); }));
  app.router().add("GET", "/records/{organisation}/{id}/versions/{n}",
                   app.cached([&app](const Request& request) { return version_page(app, request); }));
  app.router().add("GET", "/records/{organisation}/{id}/versions/{n}/receipt",
                   app.cached([&app](const Request& request) { return receipt_file(app, request); }));
  app.router().add("GET", "/records/{organisation}/{id}/versions/{n}/record.json",
                   app.cached([&app](const Request& request) { return canonical_file(app, request); }));
  app.router().add("GET", "/records/{organisation}/{id}/diff",
                   app.cached([&app](const Request& request) { return diff_page(app, request); }));
}

}  // namespace candor::web
