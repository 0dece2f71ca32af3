#include "candor/web/sessions.h"

#include <openssl/crypto.h>

#include <stdexcept>

#include "candor/registry/tokens.h"
#include "candor/web/url.h"

namespace candor::web {

std::string random_secret() {
  // A token's secret part is exactly this: 32 bytes of RAND_bytes, base64url.
  return registry::generate_token().substr(registry::kTokenPrefix.size());
}

bool secrets_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

SessionStore::SessionStore(SessionLimits limits, Clock clock)
    : limits_(limits), clock_(clock ? std::move(clock) : [] { return std::chrono::steady_clock::now(); }) {}

bool SessionStore::expired(const Entry& e, std::chrono::steady_clock::time_point now) const {
  return now - e.seen >= limits_.idle || now - e.created >= limits_.lifetime;
}

Session SessionStore::create(const registry::Token& token) {
  Session s{random_secret(), random_secret(), token.hash, token.organisation, token.role,
            token.label};
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [&](const auto& kv) { return expired(kv.second, now); });
  while (sessions_.size() >= limits_.max_sessions && !sessions_.empty()) {
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
      if (it->second.created < oldest->second.created) oldest = it;
    }
    sessions_.erase(oldest);
  }
  sessions_.emplace(s.id, Entry{s, now, now});
  return s;
}

std::optional<Session> SessionStore::find(std::string_view id) {
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  if (expired(it->second, now)) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.seen = now;
  return it->second.session;
}

void SessionStore::destroy(std::string_view id) {
  std::lock_guard lock(mutex_);
  if (auto it = sessions_.find(id); it != sessions_.end()) sessions_.erase(it);
}

std::size_t SessionStore::size() {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::optional<std::string> request_cookie(const Request& request, std::string_view name) {
  for (const auto& [field, value] : request.headers.entries()) {
    if (!equals_ignore_case(field, "Cookie")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest.remove_prefix(semi == std::string_view::npos ? rest.size() : semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const std::size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        return std::string(pair.substr(eq + 1));
      }
    }
  }
  return std::nullopt;
}

std::string cookie_header(std::string_view name, std::string_view value, std::string_view path,
                          std::chrono::seconds max_age) {
  return std::string(name) + "=" + std::string(value) + "; Path=" + std::string(path) +
         "; Max-Age=" + std::to_string(max_age.count()) + "; HttpOnly; Secure; SameSite=Strict";
}

std::map<std::string, std::string, std::less<>> form_fields(std::string_view body) {
  std::map<std::string, std::string, std::less<>> out;
  for (auto& [name, value] : parse_query(body)) out.emplace(std::move(name), std::move(value));
  return out;
}

}  // namespace candor::web
