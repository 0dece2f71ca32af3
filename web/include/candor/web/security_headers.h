// The security headers every response carries, errors and 304s included.
//
// The policy allows nothing inline: no <script> or style="" in templates, no event handler
// attributes. Pages work without JavaScript; any progressive enhancement is a file under
// /static/. frame-ancestors 'none' (and X-Frame-Options for old browsers) stops clickjacking;
// form-action 'self' keeps forms posting only to us; base-uri 'none' stops <base> hijacking of
// relative links; no-referrer keeps search terms in our URLs from leaking to other sites.
#pragma once

#include <string_view>

#include "candor/web/http.h"

namespace candor::web {

inline constexpr std::string_view k_content_security_policy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// Sets (replacing any a handler set) Content-Security-Policy, X-Content-Type-Options: nosniff,
// Referrer-Policy: no-referrer and X-Frame-Options: DENY.
void apply_security_headers(Headers& headers);

}  // namespace candor::web
