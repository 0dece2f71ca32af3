// Refused writes go into the register's audit log, so that token guessing, revoked credentials
// still in use, cross-organisation submissions and forged forms can be seen afterwards
// (docs/api.md, "Audit of refused writes"). Private to web/src.
//
// Only refusals of who is asking are audited (401, 403): not rate-limited requests (429, which
// come before the token is read and would let a flood fill the audit log) and not invalid
// records (422, the submitter's own mistakes, counted in /metrics).
#pragma once

#include <string>

#include "candor/web/app.h"

namespace candor::web {

// Records `error` (a 401 or 403) as refused to `actor` for `request`, and returns it to throw.
// `actor` names a known token by its label ("token:ci", "session:inspector"), never the token;
// an unknown caller is "anonymous". A store failure propagates (a 500): an audit that cannot
// be written must not pass silently.
HttpError denied(App& app, const Request& request, const std::string& actor, HttpError error);

// The same for a refusal answered with a page rather than thrown (the sign-in form): `status`
// and `reason` as the HttpError's status and code would be.
void audit_denial(App& app, const Request& request, const std::string& actor, int status,
                  const std::string& reason);

}  // namespace candor::web
