// Opening a register's Store from a database URL: the one place that knows which backends exist.
//
// Accepted forms:
//   sqlite:FILE                     the embedded SQLite store in FILE (sqlite.h)
//   FILE                            a bare path (no "scheme:" prefix) also means SQLite
//   postgresql://USER@HOST[:PORT]/DBNAME[?PARAMS]
//   postgres://...                  PostgreSQL (postgres.h), libpq's URI syntax: a password may be
//                                   given in the URL or, better, in ~/.pgpass or PGPASSWORD
// Anything else that starts with a scheme ("mysql://...", "http:...") is refused with a
// StoreError that names the URL and these forms; a file whose name contains a colon is reached
// as sqlite:FILE or ./FILE.
//
// Errors (a bad URL, a server that cannot be reached, a database without a register) are
// StoreErrors whose message names the URL without its password and says what to do.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "candor/registry/store.h"

namespace candor::registry {

enum class StoreBackend { sqlite, postgresql };

struct DatabaseUrl {
  StoreBackend backend = StoreBackend::sqlite;
  std::string target;   // SQLite: the file path; PostgreSQL: the URL as given
  std::string display;  // for messages and logs: the URL without any password
};

// Parses `url` into a backend and its target; StoreError for a form not listed above.
DatabaseUrl parse_database_url(std::string_view url);

// `url` with any password removed (user:secret@ becomes user@, password=... is dropped), for
// messages and logs. A string that is not a URL is returned unchanged.
std::string redact_database_url(std::string_view url);

struct OpenStoreOptions {
  // Create the register if there is none: for SQLite, the file; for PostgreSQL, the schema in
  // the (existing, empty) database. Off for commands that only use an existing register, so a
  // misspelt path or database name is an error rather than a new empty register.
  bool create = true;
  // Open for reading only (candor serve --read-only): no migration (a register at an older
  // schema is refused until a writable node or command has migrated it), begin_write throws
  // StoreError, record_denial does nothing, and on PostgreSQL every session is READ ONLY, so the
  // database user may be one granted SELECT alone. Implies create = false.
  bool read_only = false;
};

// Opens (and, if needed, migrates) the store `url` names. Throws StoreError.
std::unique_ptr<Store> open_store(std::string_view url, const OpenStoreOptions& options = {});

}  // namespace candor::registry
