// Static files under one root directory (web/static): stylesheets, images, fonts, scripts.
//
// Safety: safe_static_path() is the only way a request path becomes a file name. It refuses
// anything that could leave the root or reach what should not be served: "..", ".", empty
// segments, hidden files (a segment starting with '.'), backslashes, NUL and other control
// characters, a '%' left after decoding (double encoding), and malformed escapes — whether
// written plainly or percent-encoded ("%2e%2e", "%5c", "%00"). Then the file's canonical path
// must still be inside the root's (so a symbolic link cannot lead out) and be a regular file.
// Every refusal is a plain 404: the response does not tell a prober which rule caught it.
//
// Caching: each response has a strong ETag (a hash of the bytes) and Cache-Control; a matching
// If-None-Match gets 304 with no body (and the Content-Length a 200 would have had, which lets
// the server keep the connection alive). Files are cached in memory and re-read when their size
// or modification time changes, so edits show up without a restart.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "candor/web/http.h"

namespace candor::web {

// The decoded, vetted relative path ("govuk/govuk-frontend.min.css"), or nullopt to refuse.
// `raw` is the part of the URL path after /static/, still percent-encoded.
std::optional<std::string> safe_static_path(std::string_view raw);

// The Content-Type for a file name, by extension; nullopt for types we do not serve (an
// unknown file is not served at all rather than guessed at).
std::optional<std::string_view> static_content_type(std::string_view file_name);

inline constexpr std::string_view k_static_cache_control = "public, max-age=3600";
inline constexpr std::uintmax_t k_max_static_file_bytes = std::uintmax_t{16} * 1024 * 1024;

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);

  // The response for GET /static/{raw...}; throws HttpError 404 when refused or missing.
  Response serve(const Request& request, std::string_view raw) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  struct Cached {
    std::filesystem::file_time_type modified;
    std::uintmax_t size = 0;
    std::shared_ptr<const std::string> bytes;
    std::string etag;
  };
  std::optional<Cached> load(const std::string& relative) const;

  std::filesystem::path root_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, Cached> cache_;
};

}  // namespace candor::web
