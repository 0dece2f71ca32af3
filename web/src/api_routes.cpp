// The read-only JSON API and the bulk exports (web/openapi.yaml describes every route):
//   GET /api/v1/records                                   current records, filtered and paged
//   GET /api/v1/records/{organisation}/{id}               a record: current version and history
//   GET /api/v1/records/{organisation}/{id}/versions      its versions, oldest first
//   GET /api/v1/records/{organisation}/{id}/versions/{n}  one version with the record as filed
//   GET /api/v1/records/{organisation}/{id}/versions/{n}/findings   its compliance findings
//   GET /api/v1/records/{organisation}/{id}/reviews       regulators' review notes, oldest first
//   GET /api/v1/organisations                             organisations with records
//   GET /api/v1/organisations/{organisation}              one, with its records
//   GET /api/v1/statistics                                counts by facet and recommendation
//   GET /export/records.csv, /export/records.jsonl        every current record, one per line
//
// Versions never change once logged, so their responses are cached for a year with an ETag;
// everything that moves as the register grows is sent with "no-cache" (revalidate).
#include <optional>
#include <string>
#include <vector>

#include "candor/registry/merkle.h"
#include "candor/registry/store.h"
#include "candor/rules/oversight.h"
#include "candor/web/app.h"
#include "candor/web/caching.h"
#include "candor/web/url.h"
#include "record_view.h"
#include "register_statistics.h"
#include "route_support.h"

namespace candor::web {

namespace {

using nlohmann::json;

constexpr std::size_t k_default_page = 50;
constexpr std::size_t k_max_page = 200;

std::uint64_t count_param(const Request& request, std::string_view name, std::uint64_t fallback,
                          std::uint64_t max) {
  const auto text = request.query(name);
  if (!text) return fallback;
  const auto value = parse_count(*text);
  if (!value || *value > max) {
    throw HttpError(400, "api.parameter",
                    "The query parameter '" + std::string{name} + "' must be a whole number from 0 to " +
                        std::to_string(max) + ".");
  }
  return *value;
}

std::optional<registry::Compliance> parse_compliance(std::string_view text) {
  for (const auto c : {registry::Compliance::not_assessed, registry::Compliance::failing,
                       registry::Compliance::warnings, registry::Compliance::passing}) {
    if (registry::to_string(c) == text) return c;
  }
  return std::nullopt;
}

// The filters of /api/v1/records and the exports, from the query string. Unknown values simply
// match nothing (as a search would); malformed numbers and statuses are the caller's mistake.
registry::RecordFilter filter_from(const Request& request) {
  registry::RecordFilter f;
  f.organisation = request.query("organisation");
  f.organisation_type = request.query("organisation_type");
  f.mission_area = request.query("mission_area");
  f.phase = request.query("phase");
  f.tool_type = request.query("tool_type");
  if (const auto level = request.query("impact_level")) {
    const auto value = parse_count(*level);
    if (!value || *value > 5) {
      throw HttpError(400, "api.parameter", "impact_level must be a whole number from 0 to 5.");
    }
    f.impact_level = static_cast<int>(*value);
  }
  if (const auto status = request.query("compliance")) {
    f.compliance = parse_compliance(*status);
    if (!f.compliance) {
      throw HttpError(400, "api.parameter",
                      "compliance must be one of: not-assessed, failing, warnings, passing.");
    }
  }
  return f;
}

json record_summary(const registry::CurrentRecord& r) {
  json facets = {{"organisation_type", r.facets.organisation_type},
                 {"mission_area", r.facets.mission_area},
                 {"phase", r.facets.phase},
                 {"tool_type", r.facets.tool_type},
                 {"impact_level", r.facets.impact_level ? json(*r.facets.impact_level) : json()}};
  return {{"organisation", r.organisation},
          {"organisation_name", r.organisation_name},
          {"id", r.record_id},
          {"title", r.title},
          {"version", r.version},
          {"leaf_index", r.leaf_index},
          {"compliance", std::string{registry::to_string(r.compliance)}},
          {"updated_at", r.updated_at},
          {"facets", facets},
          {"url", record_url(r.organisation, r.record_id)},
          {"api_url", "/api/v1" + record_url(r.organisation, r.record_id)}};
}

// Public facts of a version. The submitter's name stays in the audit log: it can name a person.
json version_summary(const registry::RecordVersion& v) {
  const std::string base = "/api/v1" + record_url(v.organisation, v.record_id) + "/versions/" +
                           std::to_string(v.version);
  return {{"version", v.version},
          {"leaf_index", v.leaf_index},
          {"action", std::string{registry::to_string(v.action)}},
          {"accepted_at", v.accepted_at},
          {"body_hash", registry::to_hex(v.body_hash)},
          {"source_hash", registry::to_hex(v.source_hash)},
          {"api_url", base},
          {"findings_url", base + "/findings"}};
}

json findings_json(const std::optional<registry::Findings>& findings) {
  if (!findings) return {{"evaluated", false}, {"compliance", "not-assessed"}};
  return {{"evaluated", findings->evaluated},
          {"compliance", std::string{registry::to_string(registry::compliance_of(*findings))}},
          {"counts",
           {{"error", findings->counts.error},
            {"warning", findings->counts.warning},
            {"info", findings->counts.info}}},
          {"findings", json::parse(findings->json, nullptr, false)}};
}

Response revalidated(const Request& request, const json& body) {
  return cacheable(request, Response::json(body), k_revalidate_cache_control);
}

std::vector<registry::RecordVersion> versions_or_404(registry::Store& store, const Request& request) {
  auto versions = store.versions(request.param("organisation"), request.param("id"));
  if (versions.empty()) {
    throw HttpError(404, "record.not_found",
                    "There is no record '" + request.param("id") + "' for organisation '" +
                        request.param("organisation") + "'. Search the register at /search.");
  }
  return versions;
}

const registry::RecordVersion& version_or_404(const std::vector<registry::RecordVersion>& versions,
                                              const Request& request) {
  const auto n = parse_count(request.param("n"));
  if (!n || *n == 0 || *n > versions.size()) {
    throw HttpError(404, "version.not_found",
                    "This record has versions 1 to " + std::to_string(versions.size()) + ".");
  }
  return versions[*n - 1];  // numbered 1, 2, 3... in log order (intake.h)
}

Response list_records(const App& app, const Request& request) {
  registry::Store& store = require_store(app);
  registry::RecordFilter filter = filter_from(request);
  filter.limit = count_param(request, "limit", k_default_page, k_max_page);
  filter.offset = count_param(request, "offset", 0, UINT32_MAX);
  // One more than asked tells whether there is a next page without counting everything.
  const std::size_t asked = filter.limit;
  filter.limit = asked + 1;
  auto records = store.current_records(filter);
  const bool more = records.size() > asked;
  if (more) records.pop_back();
  json items = json::array();
  for (const auto& r : records) items.push_back(record_summary(r));
  json body = {{"records", items}, {"limit", asked}, {"offset", filter.offset}};
  if (more) body["next_offset"] = filter.offset + asked;
  return revalidated(request, body);
}

Response get_record(const App& app, const Request& request) {
  registry::Store& store = require_store(app);
  const auto versions = versions_or_404(store, request);
  const auto current = store.current_record(request.param("organisation"), request.param("id"));
  if (!current) throw HttpError(404, "record.not_found", "This record is not in the register.");
  const registry::RecordVersion& latest = versions.back();
  json history = json::array();
  for (const auto& v : versions) history.push_back(version_summary(v));
  json body = record_summary(*current);
  body["record"] = json::parse(store.body(latest.body_hash).value_or("null"));
  body["findings"] = findings_json(store.findings(latest.organisation, latest.record_id, latest.version));
  body["versions"] = history;
  return revalidated(request, body);
}

Response list_versions(const App& app, const Request& request) {
  registry::Store& store = require_store(app);
  json items = json::array();
  for (const auto& v : versions_or_404(store, request)) items.push_back(version_summary(v));
  return revalidated(request, {{"versions", items}});
}

Response get_version(const App& app, const Request& request) {
  registry::Store& store = require_store(app);
  const auto versions = versions_or_404(store, request);
  const registry::RecordVersion& v = version_or_404(versions, request);
  json body = version_summary(v);
  body["organisation"] = v.organisation;
  body["id"] = v.record_id;
  body["record"] = json::parse(store.body(v.body_hash).value_or("null"));
  return cacheable(request, Response::json(body), k_immutable_cache_control);
}

Response get_findings(const App& app, const Request& request) {
  registry::Store& store = require_store(app);
  const auto versions = versions_or_404(store, request);
  const registry::RecordVersion& v = version_or_404(versions, request);
  json body = findings_json(store.findings(v.organisation, v.record_id, v.version));
  body["organisation"] = v.organisation;
  body["id"] = v.record_id;
  body["version"] = v.version;
  return cacheable(request, Response::json(body), k_immutable_cache_control);
}

// A review note as the public sees it. The reviewer's label (who at the regulator wrote it) stays
// in the audit log, like a submitter's name.
Response list_reviews(const App& app, const Request& request) {
  registry::Store& store = require_store(app);
  const auto versions = versions_or_404(store, request);
  json items = json::array();
  for (const registry::Review& r :
       store.reviews(request.param("organisation"), request.param("id"))) {
    const auto reviewer = store.organisation(r.reviewer);
    items.push_back({{"leaf_index", r.leaf_index},
                     {"version", r.version},
                     {"reviewed_leaf_index", r.reviewed_leaf},
                     {"reviewer", r.reviewer},
                     {"reviewer_name", reviewer ? reviewer->name : r.reviewer},
                     {"accepted_at", r.accepted_at},
                     {"note_hash", registry::to_hex(r.note_hash)},
                     {"text", r.note ? json(*r.note) : json()}});
  }
  return revalidated(request, {{"organisation", versions.front().organisation},
                               {"id", versions.front().record_id},
                               {"reviews", items}});
}

json organisation_json(const registry::Organisation& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"type", o.type},
          {"url", "/organisations/" + percent_encode(o.id)},
          {"api_url", "/api/v1/organisations/" + percent_encode(o.id)}};
}

Response list_organisations(const App& app, const Request& request) {
  json items = json::array();
  for (const auto& o : require_store(app).organisations()) items.push_back(organisation_json(o));
  return revalidated(request, {{"organisations", items}});
}

Response get_organisation(const App& app, const Request& request) {
  registry::Store& store = require_store(app);
  const auto organisation = store.organisation(request.param("organisation"));
  if (!organisation) {
    throw HttpError(404, "organisation.not_found",
                    "There is no organisation '" + request.param("organisation") +
                        "' in the register. The list is at /api/v1/organisations.");
  }
  registry::RecordFilter filter;
  filter.organisation = organisation->id;
  json records = json::array();
  json counts = {{"not-assessed", 0}, {"failing", 0}, {"warnings", 0}, {"passing", 0}};
  store.for_each_current_record(filter, [&](const registry::CurrentRecord& r) {
    records.push_back(record_summary(r));
    json& count = counts[std::string{registry::to_string(r.compliance)}];
    count = count.get<int>() + 1;
  });
  json body = organisation_json(*organisation);
  body["records"] = records;
  body["compliance"] = counts;
  return revalidated(request, body);
}

Response export_csv(const App& app, const Request& request) {
  registry::Store& store = require_store(app);
  std::string out =
      "organisation,organisation_name,id,title,version,leaf_index,organisation_type,mission_area,"
      "phase,tool_type,impact_level,compliance,updated_at,url\r\n";
  store.for_each_current_record(filter_from(request), [&](const registry::CurrentRecord& r) {
    const std::string fields[] = {
        r.organisation,
        r.organisation_name,
        r.record_id,
        r.title,
        std::to_string(r.version),
        std::to_string(r.leaf_index),
        r.facets.organisation_type,
        r.facets.mission_area,
        r.facets.phase,
        r.facets.tool_type,
        r.facets.impact_level ? std::to_string(*r.facets.impact_level) : "",
        std::string{registry::to_string(r.compliance)},
        r.updated_at,
        record_url(r.organisation, r.record_id)};
    for (std::size_t i = 0; i < std::size(fields); ++i) {
      if (i) out += ',';
      out += rules::csv_cell(fields[i]);  // RFC 4180, formulas neutralised
    }
    out += "\r\n";
  });
  Response response = Response::text(std::move(out), "text/csv; charset=utf-8");
  response.headers.set("Content-Disposition", "attachment; filename=\"records.csv\"");
  return cacheable(request, std::move(response), k_revalidate_cache_control);
}

// One JSON object per line: the summary and the record as filed (its current version).
Response export_jsonl(const App& app, const Request& request) {
  registry::Store& store = require_store(app);
  std::string out;
  store.for_each_current_record(filter_from(request), [&](const registry::CurrentRecord& r) {
    json line = record_summary(r);
    const auto versions = store.versions(r.organisation, r.record_id);
    if (!versions.empty()) {
      line["record"] = json::parse(store.body(versions.back().body_hash).value_or("null"));
    }
    out += line.dump();
    out += '\n';
  });
  Response response = Response::text(std::move(out), "application/x-ndjson");
  response.headers.set("Content-Disposition", "attachment; filename=\"records.jsonl\"");
  return cacheable(request, std::move(response), k_revalidate_cache_control);
}

// The statistics page's figures as data (register_statistics.h).
Response get_statistics(const App& app, const Request& request) {
  const RegisterStatistics stats = register_statistics(require_store(app));
  json facets = json::object();
  for (const auto& f : stats.by_facet) {
    json values = json::array();
    for (const auto& v : f.values) {
      values.push_back({{"value", v.value},
                        {"label", f.facet == registry::Facet::organisation
                                      ? v.label
                                      : facet_value_label(f.facet, v.value)},
                        {"count", v.count}});
    }
    facets[std::string{registry::to_string(f.facet)}] = values;
  }
  json failing = json::array();
  for (const auto& [recommendation, count] : stats.failing_by_recommendation) {
    failing.push_back({{"recommendation", recommendation}, {"records", count}});
  }
  return revalidated(request, {{"total", stats.total},
                               {"facets", facets},
                               {"assessed", stats.assessed},
                               {"failing_by_recommendation", failing}});
}

}  // namespace

void add_api_routes(App& app) {
  Router& r = app.router();
  const auto bind = [&app](Response (*handler)(const App&, const Request&)) {
    return [&app, handler](const Request& request) { return handler(app, request); };
  };
  // Reads answer from the response cache; exports are too large to keep.
  const auto cached = [&app, &bind](Response (*handler)(const App&, const Request&)) {
    return app.cached(bind(handler));
  };
  r.add("GET", "/api/v1/records", cached(list_records));
  r.add("GET", "/api/v1/records/{organisation}/{id}", cached(get_record));
  r.add("GET", "/api/v1/records/{organisation}/{id}/versions", cached(list_versions));
  r.add("GET", "/api/v1/records/{organisation}/{id}/versions/{n}", cached(get_version));
  r.add("GET", "/api/v1/records/{organisation}/{id}/versions/{n}/findings", cached(get_findings));
  r.add("GET", "/api/v1/records/{organisation}/{id}/reviews", cached(list_reviews));
  r.add("GET", "/api/v1/organisations", cached(list_organisations));
  r.add("GET", "/api/v1/organisations/{organisation}", cached(get_organisation));
  r.add("GET", "/api/v1/statistics", cached(get_statistics));
  r.add("GET", "/export/records.csv", bind(export_csv));
  r.add("GET", "/export/records.jsonl", bind(export_jsonl));
}

}  // namespace candor::web
