// Helpers for the web unit tests: requests without a socket, an App over a test store.
#pragma once

#include <string>

#include "candor/registry/store.h"
#include "candor/registry/tokens.h"
#include "candor/web/app.h"

namespace candor::web::test {

inline Request get(std::string target) {
  Request r;
  r.method = "GET";
  r.target = std::move(target);
  return r;
}

// An App reading `store`, without intake (read-only).
inline AppOptions read_only(registry::Store& store) {
  AppOptions options;
  options.store = &store;
  return options;
}

// A token made and stored as `candor token create` does (the organisation is added if missing);
// returns the secret.
inline std::string mint_token(registry::Store& store, const std::string& org,
                              const std::string& org_name, registry::Role role,
                              const std::string& label) {
  std::string secret = registry::generate_token();
  auto tx = store.begin_write();
  if (!tx->organisation(org)) tx->put_organisation("test", {org, org_name, ""});
  tx->put_token("test", registry::Token{registry::token_hash(secret), org, role, label, false});
  tx->commit();
  return secret;
}

inline void revoke_token(registry::Store& store, const std::string& secret) {
  auto tx = store.begin_write();
  tx->revoke_token("test", registry::token_hash(secret));
  tx->commit();
}

}  // namespace candor::web::test
