// The transparency log over HTTP, so that anyone can audit the register with existing tools:
//   GET /checkpoint                      the latest signed checkpoint (c2sp.org/tlog-checkpoint)
//   GET /tile/{L}/{N}[.p/{W}]            hash tiles              (c2sp.org/tlog-tiles)
//   GET /tile/entries/{N}[.p/{W}]        entry bundles
//   GET /api/v1/log                      origin, verifier key, size, root, checkpoint (JSON)
//   GET /api/v1/log/proof/inclusion?index=&size=
//   GET /api/v1/log/proof/consistency?old=&new=
//
// Everything is read from the store's committed data and bounded by the latest checkpoint, so a
// client never sees a tile or proof for a tree the log has not signed. Tiles are immutable (a
// partial tile of width W is the same bytes forever), so they are cached for a year; the
// checkpoint changes with every batch and must be revalidated.
#include <optional>
#include <string>
#include <vector>

#include "candor/registry/merkle.h"
#include "candor/registry/note.h"
#include "candor/registry/store.h"
#include "candor/registry/tiles.h"
#include "candor/web/app.h"
#include "candor/web/caching.h"
#include "route_support.h"

namespace candor::web {

namespace {

constexpr std::string_view k_octets = "application/octet-stream";
// c2sp.org/tlog-checkpoint does not name a media type; the note is UTF-8 text.
constexpr std::string_view k_checkpoint_type = "text/plain; charset=utf-8";

registry::StoredCheckpoint latest(registry::Store& store) {
  auto checkpoint = store.latest_checkpoint();
  if (!checkpoint) {
    throw HttpError(503, "log.uninitialised", "This register has no signed log yet.");
  }
  return *checkpoint;
}

std::string b64(const registry::Hash& hash) {
  return registry::base64_encode(hash);
}

// A query parameter that must be a plain decimal number (no sign, no spaces).
std::uint64_t number_param(const Request& request, std::string_view name) {
  const auto text = request.query(name);
  if (!text || text->empty()) {
    throw HttpError(400, "log.parameter",
                    "Add the query parameter '" + std::string{name} + "' (a whole number).");
  }
  const auto value = parse_count(*text);
  if (!value) {
    throw HttpError(400, "log.parameter",
                    "The query parameter '" + std::string{name} +
                        "' must be a whole number from 0 to 18446744073709551615.");
  }
  return *value;
}

Response checkpoint(const App& app, const Request& request) {
  const registry::StoredCheckpoint cp = latest(require_store(app));
  return cacheable(request, Response::text(cp.note, k_checkpoint_type),
                   k_revalidate_cache_control);
}

Response tile(const App& app, const Request& request) {
  const std::string path = "tile/" + request.param("path");
  const auto id = registry::parse_tile_path(path);
  if (!id.ok()) {
    throw HttpError(404, "log.tile", "There is no tile at this address: " + id.problems()[0].message);
  }
  const registry::TileId& t = id.value();
  registry::Store& store = require_store(app);
  const std::uint64_t size = latest(store).size;
  if (t.end_leaf() > size) {
    // Not signed yet (or never will be at this width): clients fall back to what the current
    // checkpoint lists.
    throw HttpError(404, "log.tile",
                    "This tile is beyond the latest checkpoint (" + std::to_string(size) +
                        " entries). Fetch /checkpoint and request the tiles it covers.");
  }
  std::string bytes;
  if (t.entries) {
    const std::vector<std::string> entries = store.log_entries(t.first_leaf(), t.end_leaf());
    bytes = registry::format_entry_bundle(entries);
  } else {
    bytes = registry::read_tile(t, store.hash_reader());
  }
  return cacheable(request, Response::text(std::move(bytes), k_octets), k_immutable_cache_control);
}

Response log_info(const App& app, const Request&) {
  registry::Store& store = require_store(app);
  const registry::StoredCheckpoint cp = latest(store);
  const auto settings = store.log_settings();
  nlohmann::json body = {
      {"origin", settings ? settings->origin : ""},
      {"verifier_key", settings ? settings->verifier_key : ""},
      {"size", cp.size},
      {"root_hash", b64(cp.root)},
      {"checkpoint", cp.note},
      {"checkpoint_url", "/checkpoint"},
      {"tiles_url", "/tile/"},
  };
  Response response = Response::json(body);
  response.headers.set("Cache-Control", std::string{k_revalidate_cache_control});
  return response;
}

nlohmann::json hashes_json(const std::vector<registry::Hash>& hashes) {
  nlohmann::json out = nlohmann::json::array();
  for (const registry::Hash& h : hashes) out.push_back(b64(h));
  return out;
}

Response inclusion(const App& app, const Request& request) {
  registry::Store& store = require_store(app);
  const std::uint64_t index = number_param(request, "index");
  const std::uint64_t size = number_param(request, "size");
  const std::uint64_t signed_size = latest(store).size;
  if (size > signed_size) {
    throw HttpError(400, "log.size",
                    "size " + std::to_string(size) + " is beyond the latest checkpoint (" +
                        std::to_string(signed_size) + " entries).");
  }
  if (index >= size) {
    throw HttpError(400, "log.index",
                    "index must be less than size: a tree of " + std::to_string(size) +
                        " entries has indices 0 to " + std::to_string(size == 0 ? 0 : size - 1) +
                        (size == 0 ? " (none)." : "."));
  }
  const registry::HashReader read = store.hash_reader();
  const std::vector<std::string> entry = store.log_entries(index, index + 1);
  nlohmann::json body = {
      {"index", index},
      {"size", size},
      {"leaf_hash", b64(registry::leaf_hash(entry.at(0)))},
      {"root_hash", b64(registry::tree_root(size, read))},
      {"proof", hashes_json(registry::inclusion_proof(index, size, read))},
  };
  return cacheable(request, Response::json(body), k_immutable_cache_control);
}

Response consistency(const App& app, const Request& request) {
  registry::Store& store = require_store(app);
  const std::uint64_t old_size = number_param(request, "old");
  const std::uint64_t new_size = number_param(request, "new");
  const std::uint64_t signed_size = latest(store).size;
  if (new_size > signed_size) {
    throw HttpError(400, "log.size",
                    "new " + std::to_string(new_size) + " is beyond the latest checkpoint (" +
                        std::to_string(signed_size) + " entries).");
  }
  if (old_size == 0 || old_size > new_size) {
    throw HttpError(400, "log.size",
                    "old must be at least 1 and at most new (every tree extends the empty one, "
                    "so there is nothing to prove from size 0).");
  }
  const registry::HashReader read = store.hash_reader();
  nlohmann::json body = {
      {"old", old_size},
      {"new", new_size},
      {"old_root_hash", b64(registry::tree_root(old_size, read))},
      {"new_root_hash", b64(registry::tree_root(new_size, read))},
      {"proof", hashes_json(registry::consistency_proof(old_size, new_size, read))},
  };
  return cacheable(request, Response::json(body), k_immutable_cache_control);
}

}  // namespace

void add_log_routes(App& app) {
  Router& r = app.router();
  r.add("GET", "/checkpoint", [&app](const Request& q) { return checkpoint(app, q); });
  r.add("GET", "/tile/{path...}", [&app](const Request& q) { return tile(app, q); });
  r.add("GET", "/api/v1/log", app.cached([&app](const Request& q) { return log_info(app, q); }));
  r.add("GET", "/api/v1/log/proof/inclusion",
        app.cached([&app](const Request& q) { return inclusion(app, q); }));
  r.add("GET", "/api/v1/log/proof/consistency",
        app.cached([&app](const Request& q) { return consistency(app, q); }));
}

}  // namespace candor::web
