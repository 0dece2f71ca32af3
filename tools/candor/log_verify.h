// candor verify --log DIR|URL --vkey FILE [--state FILE] [--origin ORIGIN]
//
// Audits a whole log (register/include/candor/registry/log_audit.h): the checkpoint's signature,
// every entry rehashed from the entry bundles, every hash tile and the root recomputed from them,
// each entry a Candor leaf statement of this log with unbroken version chains, and — with
// --state — consistency with the checkpoint seen last time. The state file holds that signed
// checkpoint, verbatim; it is replaced (atomically) only after a successful audit, so a refused
// log never overwrites the evidence. A missing state file means a first audit.
//
// Exit status: 0 verified, 1 the log failed (fork, rollback, altered or missing data, bad
// signature), 2 usage or I/O (unreachable log, unreadable state file).
#pragma once

#include <string>
#include <vector>

#include "candor/registry/note.h"

namespace candor::cli {

struct LogVerifyOptions {
  std::string location;  // directory or http(s):// URL prefix
  std::string state;     // optional state file
  std::string origin;    // the log's origin
};

int run_log_verify(const LogVerifyOptions& options,
                   const std::vector<registry::NoteVerifier>& keys);

}  // namespace candor::cli
