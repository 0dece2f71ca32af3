// The embedded Store: one SQLite database file, through Poco::Data::SQLite.
//
// Opening runs the numbered schema migrations that the file has not had yet (all of them in one
// transaction, each recorded in `schema_migrations`), and refuses a file migrated by a newer
// Candor.
// The database is in WAL mode, so readers never block the writer. Durability: with the default
// synchronous=FULL, SQLite fsyncs the WAL at every commit, so a committed transaction survives a
// process crash *and* a power loss; that is what lets the register acknowledge a submission as
// soon as its transaction commits. Group commit (intake.h) amortises that fsync over a batch.
// synchronous=NORMAL (Durability::normal) is still crash-safe for the process but may lose the
// last commits on power loss: only for scratch registers and benchmarks of other costs.
//
// Writers: one WriteTransaction at a time in this process (a mutex), and `BEGIN IMMEDIATE`
// against other processes (waiting up to busy_timeout_ms). Readers use a small pool of
// read-only connections, one per concurrent reader.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "candor/registry/store.h"

namespace candor::registry {

enum class Durability { full, normal };

struct SqliteOptions {
  bool create = true;  // create the file if it does not exist
  Durability durability = Durability::full;
  int busy_timeout_ms = 30000;  // how long to wait for another process's lock
  // Past this size the WAL is started over, waiting briefly for the reads in flight to finish
  // (sqlite_store.cpp, Checkpointer); without it a WAL read and written without pause never
  // stops growing. 0: never (SQLite's own behaviour).
  std::int64_t wal_restart_bytes = std::int64_t{64} * 1024 * 1024;
  // Page cache of each reading connection. In WAL mode a read that begins after any write
  // empties its connection's cache, so under a steady stream of submissions the cache only ever
  // serves one query: it is sized for that, and the pages it drops are still in the OS's cache.
  // A bigger cache is memory allocated and freed at every read (SQLite's default is 2000 KiB).
  // At least 64: smaller values are taken as 64.
  int reader_cache_kib = 512;
  // Readers only: no migration, no writer connection, begin_write throws (open_store.h). The
  // file must still be writable by the process for SQLite's WAL shared memory; the point is
  // that this process never writes the register.
  bool read_only = false;
};

// The latest schema migration this build knows.
int sqlite_schema_version();

// Opens (and if needed creates and migrates) the store. Throws StoreError on failure.
std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& path,
                                         const SqliteOptions& options = {});

}  // namespace candor::registry
