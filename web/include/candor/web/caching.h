// HTTP caching for things that never change once published (record versions, tiles, static
// files): a strong ETag from the bytes, Cache-Control, and 304 for a matching If-None-Match.
//
//   Response r = Response::text(tile_bytes, "application/octet-stream");
//   return cacheable(request, std::move(r), k_immutable_cache_control);
#pragma once

#include <string>
#include <string_view>

#include "candor/web/http.h"

namespace candor::web {

// For content addressed by its URL: a year, and no revalidation (RFC 8246).
inline constexpr std::string_view k_immutable_cache_control = "public, max-age=31536000, immutable";
// For what changes as the log grows (the checkpoint, listings): caches must ask again.
inline constexpr std::string_view k_revalidate_cache_control = "no-cache";

// (etag_matches, for If-None-Match, is in http.h.)

// A strong validator: the first 128 bits of the bytes' SHA-256, hex, in quotes.
std::string strong_etag(std::string_view bytes);

// Sets ETag (from the body) and Cache-Control on a 200 response; if the request's
// If-None-Match matches, turns it into a 304 without a body but with the Content-Length a 200
// would have had (RFC 9110 §8.6), so the connection stays usable.
Response cacheable(const Request& request, Response response, std::string_view cache_control);

}  // namespace candor::web
