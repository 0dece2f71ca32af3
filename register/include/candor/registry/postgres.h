// The Store on PostgreSQL, through Poco::Data::PostgreSQL, for registers that outgrow one machine:
// many stateless nodes over one database, any of which accepts submissions.
//
// Opening runs the numbered schema migrations (the same migrations as SQLite's, expressed for
// PostgreSQL: postgres_schema.cpp) in one transaction under an advisory lock, so nodes starting
// together migrate once; a database migrated by a newer Candor is refused.
//
// Writers: one WriteTransaction at a time in this process (a mutex), and between nodes the
// transaction takes pg_advisory_xact_lock(k_sequencer_lock) before it reads anything, so the
// log size, latest checkpoint and tree hashes it reads are those every other node has
// committed. Everything a transaction writes (versions, bodies, findings, log entries, tree
// hashes, the checkpoint, the audit) commits together or not at all: a node that crashes or
// loses its connection mid-batch leaves nothing, and releases the lock with its transaction.
// Two nodes can never store two different checkpoints of one size (the lock, and the
// checkpoints' primary key besides).
//
// Readers use a small pool of connections and see committed data only. Durability is the
// server's: a commit returns once PostgreSQL has flushed its WAL (synchronous_commit = on).
#pragma once

#include <memory>
#include <string>

#include "candor/registry/store.h"

namespace candor::registry {

struct PostgresOptions {
  // Migrate a database that holds no register yet. Off: such a database is refused.
  bool create = true;
  // Every session READ ONLY, no migration, begin_write throws (open_store.h).
  bool read_only = false;
};

// The latest PostgreSQL schema migration this build knows (equal to sqlite_schema_version()).
int postgres_schema_version();

// Opens the store in the database `url` names (postgresql://user@host:port/dbname, libpq's URI
// syntax). Throws StoreError naming the URL without its password, the server's message and what
// to do.
std::unique_ptr<Store> open_postgres_store(const std::string& url,
                                           const PostgresOptions& options = {});

// The advisory-lock key every node's write transaction takes ("candor-s" in ASCII).
inline constexpr long long k_sequencer_lock = 0x63616e646f722d73LL;

}  // namespace candor::registry
