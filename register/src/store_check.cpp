#include "candor/registry/store_check.h"

#include <chrono>
#include <exception>
#include <string>
#include <thread>
#include <utility>

#include "candor/registry/checkpoint.h"
#include "candor/registry/merkle.h"
#include "candor/registry/note.h"

namespace candor::registry {

namespace {

Problem store_problem(std::string code, std::string message) {
  Problem p;
  p.code = std::move(code);
  p.message = std::move(message);
  p.hint =
      "do not serve this database: restore it from a backup, then run candor verify --log "
      "against the restored register";
  return p;
}

Problems check_once(Store& store) {
  Problems out;
  try {
    const auto settings = store.log_settings();
    if (!settings) return out;
    const auto stored = store.latest_checkpoint();
    if (!stored) {
      out.push_back(store_problem("store.checkpoint-missing",
                                  "the register is initialised but holds no signed checkpoint"));
      return out;
    }
    auto key = NoteVerifier::parse(settings->verifier_key);
    if (!key.ok()) {
      out.push_back(store_problem("store.checkpoint-invalid",
                                  "the register's own verifier key does not parse"));
      return out;
    }
    const NoteVerifier keys[] = {key.value()};
    auto opened = open_checkpoint(stored->note, settings->origin, keys);
    if (!opened.ok()) {
      out.push_back(store_problem(
          "store.checkpoint-invalid",
          "the latest stored checkpoint (size " + std::to_string(stored->size) +
              ") does not open with the register's key: " + opened.problems().front().message));
      return out;
    }
    const Checkpoint& cp = opened.value();
    if (cp.size != stored->size || cp.root != stored->root) {
      out.push_back(store_problem("store.checkpoint-invalid",
                                  "the latest checkpoint's signed size and root differ from the "
                                  "size and root stored beside it"));
    }
    const std::uint64_t size = store.log_size();
    if (size != cp.size) {
      out.push_back(
          store_problem("store.log-size", "the log holds " + std::to_string(size) +
                                              " entries but its latest signed checkpoint covers " +
                                              std::to_string(cp.size)));
      return out;
    }
    if (size == 0) return out;
    const Hash root = tree_root(size, store.hash_reader());
    if (root != cp.root) {
      out.push_back(store_problem("store.root", "the stored tree hashes give the root " +
                                                    to_hex(root) + ", but the checkpoint of size " +
                                                    std::to_string(size) + " signs " +
                                                    to_hex(cp.root)));
    }
    const auto last = store.log_entries(size - 1, size);
    const NodeId leaf[] = {{0, size - 1}};
    if (last.size() != 1 || leaf_hash(last.front()) != store.hash_reader()(leaf).front()) {
      out.push_back(
          store_problem("store.last-entry", "the last log entry (" + std::to_string(size - 1) +
                                                ") does not hash to its stored leaf hash"));
    }
  } catch (const std::exception& e) {
    out.push_back(store_problem("store.unreadable",
                                std::string("the register could not be read: ") + e.what()));
  }
  return out;
}

}  // namespace

Problems check_store_against_checkpoint(Store& store) {
  // The reads are separate statements, and another process (a second server, `candor register
  // add`) may commit a batch between them: then the log size or the tree is newer than the
  // checkpoint just read. Damage persists; a race does not. So a problem counts only if it is
  // there three times running.
  Problems problems;
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    problems = check_once(store);
    if (problems.empty()) break;
  }
  return problems;
}

}  // namespace candor::registry
