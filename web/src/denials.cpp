#include "denials.h"

#include "candor/registry/store.h"
#include "candor/web/rate_limit.h"

namespace candor::web {

void audit_denial(App& app, const Request& request, const std::string& actor, int status,
                  const std::string& reason) {
  if (registry::Store* store = app.store()) {
    store->record_denial(actor, {request.method + " " + std::string{request.path()}, status, reason,
                                 client_host(request.remote_address)});
  }
}

HttpError denied(App& app, const Request& request, const std::string& actor, HttpError error) {
  audit_denial(app, request, actor, error.status(), error.code());
  return error;
}

}  // namespace candor::web
