#include "candor/web/security_headers.h"

#include <string>

namespace candor::web {

void apply_security_headers(Headers& headers) {
  headers.set("Content-Security-Policy", std::string{k_content_security_policy});
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "no-referrer");
  headers.set("X-Frame-Options", "DENY");
}

}  // namespace candor::web
