// Does a register's store still support its latest signed checkpoint? What `candor serve` asks
// before it serves anything: a database damaged on disk (a bad page, a restore of the wrong
// file, a hand edit) must not be published under a checkpoint it no longer matches.
//
// The check is cheap enough for every start, whatever the register's size: it reads the latest
// checkpoint and opens it with the register's own key, checks that the log holds exactly that many
// entries, recomputes the checkpoint's root from the stored tree hashes (one per bit of the size),
// and rehashes the last entry against its stored leaf hash. It does not reread every entry: that
// is `candor verify --log`, which an operator runs after a problem found here.
#pragma once

#include "candor/registry/problem.h"
#include "candor/registry/store.h"

namespace candor::registry {

// Every problem found; empty when the store supports its latest checkpoint, or when the register
// has not been initialised (nothing is signed yet). Never throws for a store's read errors: they
// are problems too. Safe while another process writes the register: a check that fails is
// repeated (three tries, 100 ms apart), since a batch committed between two reads looks like a
// mismatch once but damage does not go away. Codes: store.checkpoint-missing, store.checkpoint-invalid, store.log-size,
// store.root, store.last-entry, store.unreadable.
Problems check_store_against_checkpoint(Store& store);

}  // namespace candor::registry
