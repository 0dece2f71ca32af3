// A small HTTP/1.1 client for the integration tests (Poco's), talking only to 127.0.0.1.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace candor::test {

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; the last of repeated fields
  std::vector<std::string> set_cookies;        // every Set-Cookie field, in order
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  // "name=value" of the Set-Cookie for `name`, or "" if none.
  std::string cookie(const std::string& name) const;
};

// One request on a fresh connection to 127.0.0.1:port (30 s timeout); HEAD reads no body.
// Throws (Poco's exceptions, or std::runtime_error for a body shorter than its Content-Length)
// when the connection fails or closes before the whole answer arrived.
Reply http(std::uint16_t port, const std::string& method, const std::string& target,
           const std::map<std::string, std::string>& headers = {}, const std::string& body = "");

inline Reply get(std::uint16_t port, const std::string& target,
                 const std::map<std::string, std::string>& headers = {}) {
  return http(port, "GET", target, headers);
}

}  // namespace candor::test
