// Moving a register between stores (`candor register copy --from DB --to DB`): every row of every
// table (store.h, StoreTable) copied exactly, from any backend to any other, and then proven.
//
// The copy is the same register, not a new one: the log, its checkpoints and signatures, the
// tokens (their hashes), the reviews (an erased note stays erased) and the audit log with its
// ids, times and actors are all as they were. The one row the copy adds is a last audit event,
// action "register.copy", saying where the register came from.
//
// Contract:
//   - `from` must hold a register (log settings) and `to` must be empty, every table of it
//     (std::logic_error otherwise: check first, and tell the user, with register_is_empty).
//   - The rows are read from one snapshot of `from` in batches and written in ONE write
//     transaction on `to`: either the whole register arrives or nothing does. Neither side is
//     held in memory whole.
//   - Writes to `from` during the copy are not in it; prove_copy then finds `from` has more rows
//     than were copied and says so. Stop the servers writing to `from` before copying.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/store.h"

namespace candor::registry {

// Whether every table of `store` is empty (a new database, or one that only has the schema).
bool register_is_empty(Store& store);

struct CopyOptions {
  std::string actor;   // who copies, for the register.copy audit event ("cli:alice")
  std::string source;  // the source's URL without any password, for that event
};

struct TableRows {
  StoreTable table = StoreTable::log_settings;
  std::uint64_t source = 0;       // rows in the source (copied, or counted there after the copy)
  std::uint64_t destination = 0;  // rows in the destination
};

// Copies every row of `from` into `to` and appends the register.copy audit event; returns the
// rows copied per table, in k_store_tables order (`destination` is left 0). Throws StoreError
// (nothing is committed then) and std::logic_error (see the contract above).
std::vector<TableRows> copy_register(Store& from, Store& to, const CopyOptions& options);

struct CopyProof {
  std::vector<TableRows> tables;         // source: rows now in `from`; destination: rows in `to`
  std::vector<std::string> differences;  // what does not match; empty when the copy is proven
  bool ok() const { return differences.empty(); }
};

// Proves `to` (re-opened after the copy) a copy of `from`, given what copy_register returned:
//   - the latest checkpoints are identical (size, root and signed note);
//   - the root recomputed from `to`'s own log entries (leaf hashes, RFC 6962 tree) equals the
//     checkpoint root, and so does the root from `to`'s stored tree hashes, and the store's own
//     start-up check (store_check.h) passes;
//   - each table holds as many rows in `to` as were copied (the audit log one more: the
//     register.copy event), and `from` still holds as many as were copied.
// Reads the log in batches; never throws for a difference, only for a store that cannot be read.
CopyProof prove_copy(Store& from, Store& to, const std::vector<TableRows>& copied);

}  // namespace candor::registry
