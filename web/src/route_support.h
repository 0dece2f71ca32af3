// Small helpers the route groups share. Private to web/src.
#pragma once

#include "candor/registry/store.h"
#include "candor/web/app.h"

namespace candor::web {

// The App's store, or a 503 for the person asking (a server started without a register).
inline registry::Store& require_store(const App& app) {
  registry::Store* store = app.store();
  if (!store) {
    throw HttpError(503, "unavailable",
                    "The register is not available right now. Try again later.");
  }
  return *store;
}

}  // namespace candor::web
