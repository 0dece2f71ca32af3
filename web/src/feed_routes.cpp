// Atom 1.0 feeds (RFC 4287) of new and changed record versions, newest first: the whole
// register at /feed.atom and one organisation's records at /organisations/{organisation}/feed.atom.
#include <string>

#include "candor/registry/store.h"
#include "candor/web/app.h"
#include "candor/web/html.h"
#include "record_view.h"
#include "route_support.h"

namespace candor::web {

namespace {

using nlohmann::json;
using registry::Store;

constexpr std::size_t k_feed_entries = 50;
constexpr std::string_view k_atom_content_type = "application/atom+xml; charset=utf-8";

// Text for XML content and attributes: characters XML 1.0 forbids (C0 controls other than tab,
// newline and carriage return) are dropped, then & < > " ' become entities.
std::string xml_text(std::string_view text) {
  std::string kept;
  kept.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    kept += c;
  }
  return escape_html(kept);
}

// The absolute base of links: entry ids and links must be absolute IRIs. The Host header is the
// client's, so only a plausible host[:port] is used; anything else falls back to localhost.
std::string base_url(const Request& request) {
  std::string host{request.headers.get("Host").value_or("localhost")};
  const bool plausible = !host.empty() && host.size() <= 255 &&
                         host.find_first_not_of(
                             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "0123456789.-:[]") == std::string::npos;
  if (!plausible) host = "localhost";
  const auto proto = request.headers.get("X-Forwarded-Proto");
  return (proto && *proto == "https" ? "https://" : "http://") + host;
}

std::string text_field(const json& body, const char* section, const char* key) {
  if (!body.is_object() || !body.contains(section) || !body[section].is_object()) return {};
  const json& object = body[section];
  return object.contains(key) && object[key].is_string() ? object[key].get<std::string>()
                                                         : std::string{};
}

Response feed(const App& app, const Request& request, const std::optional<std::string>& org) {
  Store* store = &require_store(app);
  std::string feed_title = "Candor AI register: new and updated records";
  std::string self = "/feed.atom";
  if (org) {
    const auto organisation = store->organisation(*org);
    if (!organisation) {
      throw HttpError(404, "not_found", "There is no organisation with that name in the register.");
    }
    feed_title = organisation->name + ": new and updated AI records";
    self = organisation_url(*org) + "/feed.atom";
  }
  const auto versions = store->recent_versions(
      org ? std::optional<std::string_view>{*org} : std::nullopt, k_feed_entries);
  const std::string base = base_url(request);

  std::string xml =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  xml += "  <title>" + xml_text(feed_title) + "</title>\n";
  xml += "  <id>" + xml_text(base + self) + "</id>\n";
  xml += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" + xml_text(base + self) +
         "\"/>\n";
  xml += "  <link rel=\"alternate\" type=\"text/html\" href=\"" +
         xml_text(base + (org ? organisation_url(*org) : std::string{"/"})) + "\"/>\n";
  // The feed changes when a version is logged, so its newest entry dates it. An empty feed
  // still needs a date: the epoch says "nothing yet".
  xml += "  <updated>" +
         xml_text(versions.empty() ? std::string{"1970-01-01T00:00:00Z"}
                                   : versions.front().accepted_at) +
         "</updated>\n";
  xml += "  <author><name>Candor AI register</name></author>\n";
  xml += "  <generator version=\"" + xml_text(candor_version()) + "\">Candor</generator>\n";
  for (const auto& version : versions) {
    json body = nullptr;
    if (auto text = store->body(version.body_hash)) body = json::parse(*text, nullptr, false);
    std::string title = text_field(body, "tool", "name");
    if (title.empty()) title = version.record_id;
    std::string organisation_name = text_field(body, "organisation", "name");
    if (organisation_name.empty()) organisation_name = version.organisation;
    const std::string url =
        base + version_url(version.organisation, version.record_id, version.version);
    std::string summary = text_field(body, "tool", "description_public");
    if (summary.empty()) summary = "The content of this version is not published.";

    xml += "  <entry>\n";
    xml += "    <title>" +
           xml_text(title + " (" + organisation_name + "): " +
                    (version.version == 1 ? std::string{"published"}
                                          : "version " + std::to_string(version.version))) +
           "</title>\n";
    xml += "    <id>" + xml_text(url) + "</id>\n";
    xml += "    <link rel=\"alternate\" type=\"text/html\" href=\"" + xml_text(url) + "\"/>\n";
    if (version.version > 1) {
      xml += "    <link rel=\"related\" type=\"text/html\" title=\"What changed\" href=\"" +
             xml_text(base + diff_url(version.organisation, version.record_id, version.version - 1,
                                      version.version)) +
             "\"/>\n";
    }
    xml += "    <updated>" + xml_text(version.accepted_at) + "</updated>\n";
    xml += "    <author><name>" + xml_text(organisation_name) + "</name></author>\n";
    xml += "    <summary type=\"text\">" + xml_text(summary) + "</summary>\n";
    xml += "  </entry>\n";
  }
  xml += "</feed>\n";
  return Response::text(std::move(xml), k_atom_content_type);
}

}  // namespace

void add_feed_routes(App& app) {
  app.router().add("GET", "/feed.atom",
                   [&app](const Request& request) { return feed(app, request, std::nullopt); });
  app.router().add("GET", "/organisations/{organisation}/feed.atom",
                   [&app](const Request& r) { return feed(app, r, r.param("organisation")); });
}

}  // namespace candor::web
