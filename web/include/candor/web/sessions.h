// Signed-in sessions for the regulator pages, and the cookie and CSRF helpers they need.
//
// A regulator signs in once with a token (registry/tokens.h); the browser then holds only a
// random session id in a cookie that is HttpOnly (no script can read it), Secure and
// SameSite=Strict (never sent on a request another site starts), scoped to /regulator. Every
// form that changes something carries the session's CSRF secret in a hidden field, checked in
// constant time; the sign-in form, which has no session yet, uses a double-submit cookie.
//
// Sessions live in memory: a restart signs everyone out, which is the safe failure. They end
// after `idle` without a request or `lifetime` after sign-in, whichever comes first; the table is
// bounded (the oldest session is dropped first). Handlers re-check the token on every request,
// so revoking it ends its sessions at once. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "candor/registry/store.h"
#include "candor/web/http.h"

namespace candor::web {

struct Session {
  std::string id;    // the cookie value: 32 random bytes, base64url
  std::string csrf;  // the forms' hidden field: 32 other random bytes
  registry::Hash token_hash{};
  std::string organisation;
  registry::Role role = registry::Role::regulator;
  std::string label;
};

struct SessionLimits {
  std::chrono::seconds idle{std::chrono::minutes(30)};
  std::chrono::seconds lifetime{std::chrono::hours(8)};
  std::size_t max_sessions = 10000;
};

class SessionStore {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  explicit SessionStore(SessionLimits limits = {}, Clock clock = {});

  Session create(const registry::Token& token);
  // The live session with this id (its idle timer restarted), or nullopt.
  std::optional<Session> find(std::string_view id);
  void destroy(std::string_view id);
  std::size_t size();

 private:
  struct Entry {
    Session session;
    std::chrono::steady_clock::time_point created;
    std::chrono::steady_clock::time_point seen;
  };
  bool expired(const Entry& e, std::chrono::steady_clock::time_point now) const;

  SessionLimits limits_;
  Clock clock_;
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> sessions_;
};

// 32 bytes from OpenSSL's RAND_bytes, base64url without padding (43 characters).
std::string random_secret();

// Constant-time comparison of two secrets (different lengths are simply unequal).
bool secrets_equal(std::string_view a, std::string_view b);

// The value of cookie `name` in the request's Cookie header(s), or nullopt.
std::optional<std::string> request_cookie(const Request& request, std::string_view name);

// A Set-Cookie value: HttpOnly, Secure, SameSite=Strict, for `path`; Max-Age=0 deletes it.
std::string cookie_header(std::string_view name, std::string_view value, std::string_view path,
                          std::chrono::seconds max_age);

// The fields of an application/x-www-form-urlencoded body (first value of each name wins).
std::map<std::string, std::string, std::less<>> form_fields(std::string_view body);

}  // namespace candor::web
