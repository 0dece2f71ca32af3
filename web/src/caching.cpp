#include "candor/web/caching.h"

#include <array>
#include <stdexcept>

#include <openssl/evp.h>

namespace candor::web {

std::string strong_etag(std::string_view bytes) {
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

Response cacheable(const Request& request, Response response, std::string_view cache_control) {
  const std::string etag = strong_etag(response.body);
  response.headers.set("ETag", etag);
  response.headers.set("Cache-Control", std::string{cache_control});
  if (const auto inm = request.headers.get("If-None-Match"); inm && etag_matches(*inm, etag)) {
    response.status = 304;
    response.headers.set("Content-Length", std::to_string(response.body.size()));
    response.body.clear();
  }
  return response;
}

}  // namespace candor::web
