#include "candor/registry/store_copy.h"

#include <algorithm>
#include <optional>

#include "candor/registry/merkle.h"
#include "candor/registry/store_check.h"

namespace candor::registry {

namespace {

// Rows handed to the destination per import_rows call: large enough that PostgreSQL's multi-row
// INSERTs pay few round trips, small enough to keep memory flat.
constexpr std::size_t k_import_batch = 500;
// Log entries read per call when recomputing the root.
constexpr std::size_t k_entry_batch = 1000;

std::size_t position(StoreTable table) {
  const auto* it = std::find(std::begin(k_store_tables), std::end(k_store_tables), table);
  return static_cast<std::size_t>(it - std::begin(k_store_tables));
}

// The RFC 6962 root of leaves given one at a time, in O(log n) memory: a stack of the complete
// subtrees so far, one per bit of the count, merged as they fill and folded right to left at the
// end (merkle.h tree_root would want every leaf hash at once).
class StreamingRoot {
 public:
  void add(const Hash& leaf) {
    Hash hash = leaf;
    std::uint64_t level = 0;
    while (!subtrees_.empty() && subtrees_.back().first == level) {
      hash = node_hash(subtrees_.back().second, hash);
      subtrees_.pop_back();
      ++level;
    }
    subtrees_.emplace_back(level, hash);
  }
  Hash root() const {
    if (subtrees_.empty()) return empty_tree_root();
    Hash hash = subtrees_.back().second;
    for (auto it = subtrees_.rbegin() + 1; it != subtrees_.rend(); ++it) {
      hash = node_hash(it->second, hash);
    }
    return hash;
  }

 private:
  std::vector<std::pair<std::uint64_t, Hash>> subtrees_;  // (level, hash), largest first
};

Hash root_from_entries(Store& store, std::uint64_t size) {
  StreamingRoot root;
  for (std::uint64_t begin = 0; begin < size; begin += k_entry_batch) {
    const std::uint64_t end = std::min<std::uint64_t>(size, begin + k_entry_batch);
    for (const std::string& entry : store.log_entries(begin, end)) root.add(leaf_hash(entry));
  }
  return root.root();
}

std::string describe(const std::optional<StoredCheckpoint>& c) {
  if (!c) return "none";
  return "size " + std::to_string(c->size) + ", root " + to_hex(c->root);
}

}  // namespace

bool register_is_empty(Store& store) {
  return std::all_of(std::begin(k_store_tables), std::end(k_store_tables),
                     [&](StoreTable t) { return store.row_count(t) == 0; });
}

std::vector<TableRows> copy_register(Store& from, Store& to, const CopyOptions& options) {
  if (!from.log_settings()) throw std::logic_error("copy: the source holds no register");
  std::vector<TableRows> copied;
  for (StoreTable t : k_store_tables) copied.push_back({t, 0, 0});

  auto tx = to.begin_write();
  std::optional<StoreTable> pending_table;
  std::vector<StoreRow> pending;
  const auto flush = [&] {
    if (pending_table && !pending.empty()) tx->import_rows(*pending_table, pending);
    pending.clear();
  };
  // import_rows checks that `to` is empty at its first call, which always comes: the source has
  // its log settings row (checked above).
  from.export_rows([&](StoreTable table, const StoreRow& row) {
    if (pending_table != table) {
      flush();
      pending_table = table;
    }
    pending.push_back(row);
    copied[position(table)].source += 1;
    if (pending.size() >= k_import_batch) flush();
  });
  flush();
  std::uint64_t total = 0;
  for (const TableRows& t : copied) total += t.source;
  tx->record_copy(options.actor, options.source, total);
  tx->commit();
  return copied;
}

CopyProof prove_copy(Store& from, Store& to, const std::vector<TableRows>& copied) {
  CopyProof proof;
  for (const TableRows& c : copied) {
    TableRows row{c.table, from.row_count(c.table), to.row_count(c.table)};
    // The destination's audit log ends with the register.copy event.
    const std::uint64_t expected = c.source + (c.table == StoreTable::audit_log ? 1 : 0);
    const std::string name(to_string(c.table));
    if (row.destination != expected) {
      proof.differences.push_back(name + ": " + std::to_string(c.source) + " rows copied, " +
                                  std::to_string(row.destination) + " in the destination" +
                                  (c.table == StoreTable::audit_log ? " (expected one more)" : ""));
    }
    if (row.source != c.source) {
      proof.differences.push_back(name + ": the source now has " + std::to_string(row.source) +
                                  " rows, " + std::to_string(c.source) +
                                  " were copied (it was written during the copy: stop its writers "
                                  "and copy again into an empty database)");
    }
    proof.tables.push_back(row);
  }

  const auto source_checkpoint = from.latest_checkpoint();
  const auto checkpoint = to.latest_checkpoint();
  if (!checkpoint || !source_checkpoint || !(*checkpoint == *source_checkpoint)) {
    proof.differences.push_back("latest checkpoint: source " + describe(source_checkpoint) +
                                ", destination " + describe(checkpoint) +
                                (checkpoint && source_checkpoint &&
                                         checkpoint->size == source_checkpoint->size &&
                                         checkpoint->root == source_checkpoint->root
                                     ? " (the signed notes differ)"
                                     : ""));
  }
  if (checkpoint) {
    const std::uint64_t size = to.log_size();
    if (size != checkpoint->size) {
      proof.differences.push_back("the destination's log has " + std::to_string(size) +
                                  " entries, its checkpoint " + std::to_string(checkpoint->size));
    } else {
      const Hash from_entries = root_from_entries(to, size);
      if (from_entries != checkpoint->root) {
        proof.differences.push_back("the root of the destination's log entries is " +
                                    to_hex(from_entries) + ", its checkpoint's " +
                                    to_hex(checkpoint->root));
      }
      try {
        const Hash from_tree = tree_root(size, to.hash_reader());
        if (from_tree != checkpoint->root) {
          proof.differences.push_back("the root of the destination's stored tree hashes is " +
                                      to_hex(from_tree) + ", its checkpoint's " +
                                      to_hex(checkpoint->root));
        }
      } catch (const StoreError& e) {
        proof.differences.push_back(std::string("the destination's tree hashes: ") + e.what());
      }
    }
  }
  for (const Problem& p : check_store_against_checkpoint(to)) {
    proof.differences.push_back("store check: " + p.message);
  }
  return proof;
}

}  // namespace candor::registry
