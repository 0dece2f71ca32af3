#include "candor/web/static_files.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include <openssl/evp.h>

#include "candor/web/url.h"

namespace candor::web {

namespace fs = std::filesystem;

namespace {

// A strong validator from the bytes: the first 128 bits of their SHA-256, in hex.
std::string etag_of(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string tag = "\"";
  for (unsigned int i = 0; i < 16 && i < length; ++i) {
    tag.push_back(k_hex[digest[i] >> 4]);
    tag.push_back(k_hex[digest[i] & 0x0f]);
  }
  tag.push_back('"');
  return tag;
}

bool is_inside(const fs::path& root, const fs::path& path) {
  auto r = root.begin();
  auto p = path.begin();
  for (; r != root.end(); ++r, ++p) {
    if (p == path.end() || *r != *p) return false;
  }
  return true;
}

HttpError not_found() {
  return HttpError(404, "not_found", "There is no file at this address.");
}

}  // namespace

std::optional<std::string> safe_static_path(std::string_view raw) {
  if (raw.empty() || raw.find('\\') != std::string_view::npos) return std::nullopt;
  auto decoded = percent_decode(raw);
  if (!decoded || decoded->empty()) return std::nullopt;
  const std::string& path = *decoded;
  const bool bad_char = std::any_of(path.begin(), path.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == 0x7f || ch == '\\' || ch == '%' || ch == ':';
  });
  if (bad_char || path.front() == '/') return std::nullopt;
  std::string_view rest = path;
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty() || segment.front() == '.') return std::nullopt;  // "", ".", "..", ".git"
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return decoded;
}

std::optional<std::string_view> static_content_type(std::string_view file_name) {
  static constexpr std::pair<std::string_view, std::string_view> k_types[] = {
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  const std::size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view ext = file_name.substr(dot);
  for (const auto& [known, type] : k_types) {
    if (equals_ignore_case(ext, known)) return type;
  }
  return std::nullopt;
}

StaticFiles::StaticFiles(fs::path root) : root_(std::move(root)) {}

std::optional<StaticFiles::Cached> StaticFiles::load(const std::string& relative) const {
  std::error_code ec;
  const fs::path root = fs::canonical(root_, ec);
  if (ec) return std::nullopt;
  const fs::path file = fs::canonical(root / relative, ec);
  if (ec || !is_inside(root, file) || !fs::is_regular_file(file, ec)) return std::nullopt;
  const auto size = fs::file_size(file, ec);
  if (ec || size > k_max_static_file_bytes) return std::nullopt;
  const auto modified = fs::last_write_time(file, ec);
  if (ec) return std::nullopt;
  {
    const std::lock_guard lock(mutex_);
    auto it = cache_.find(relative);
    if (it != cache_.end() && it->second.size == size && it->second.modified == modified) {
      return it->second;
    }
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  Cached entry{modified, size, std::make_shared<const std::string>(bytes.str()), ""};
  entry.etag = etag_of(*entry.bytes);
  const std::lock_guard lock(mutex_);
  cache_[relative] = entry;
  return entry;
}

Response StaticFiles::serve(const Request& request, std::string_view raw) const {
  const auto relative = safe_static_path(raw);
  if (!relative) throw not_found();
  const auto type = static_content_type(*relative);
  if (!type) throw not_found();
  const auto file = load(*relative);
  if (!file) throw not_found();

  Response response;
  response.headers.set("ETag", file->etag);
  response.headers.set("Cache-Control", std::string{k_static_cache_control});
  if (const auto inm = request.headers.get("If-None-Match");
      inm && etag_matches(*inm, file->etag)) {
    response.status = 304;
    // What a 200 would have carried (RFC 9110 §8.6), so the connection can be kept alive.
    response.headers.set("Content-Length", std::to_string(file->bytes->size()));
    return response;
  }
  response.headers.set("Content-Type", std::string{*type});
  response.body = *file->bytes;
  return response;
}

}  // namespace candor::web
