// Error responses, the same shape everywhere.
//
// Under /api/ (Request::is_api) the body is JSON:
//   {"error": {"status": 404, "code": "not_found", "message": "No page at /api/v1/nothing."}}
// Elsewhere it is an HTML page (templates/error.mustache in the layout) saying, in plain
// English, what went wrong and what to do next. Messages must be safe to show to anyone: never
// an exception's text, a path on the server, or a token.
#pragma once

#include "candor/web/http.h"
#include "candor/web/templates.h"

namespace candor::web {

// Never throws: if the error page itself cannot be rendered, a minimal built-in page is used.
// Copies the error's extra headers (e.g. Allow) and marks the response Cache-Control: no-store.
Response error_response(const Request& request, const HttpError& error, const Templates& templates);

}  // namespace candor::web
