// Helpers for the web unit tests: requests without a socket, an App over a test store.
#pragma once

#include <string>

#include "candor/registry/store.h"
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

}  // namespace candor::web::test
