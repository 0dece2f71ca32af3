// candor register copy --from DB --to DB
//
// Refuses (exit 2) before writing anything when a URL is not one Candor accepts, the source holds
// no register, or the destination already holds a register or any data. Otherwise copies every
// row in one transaction on the destination, re-opens it, and proves the copy (store_copy.h):
// identical latest checkpoint, the root recomputed from the copied log entries, row counts per
// table. Exit status: 0 copied and proven, 1 copied but the proof found a difference (printed),
// 2 refused or failed (nothing committed).
#include "register_copy.h"

#include <iomanip>
#include <iostream>
#include <memory>
#include <string>

#include "candor/registry/open_store.h"
#include "candor/registry/store_copy.h"
#include "commands.h"
#include "store_cli_support.h"

namespace candor::cli {

namespace {

using registry::Store;
using registry::StoreTable;

constexpr const char* k_command = "candor register copy";

struct CopyCommandOptions {
  std::string from;
  std::string to;
};

// The source, if it can be opened and holds a register; otherwise says why and returns null.
std::unique_ptr<Store> open_source(const std::string& url, const std::string& shown) {
  try {
    registry::OpenStoreOptions options;
    options.create = false;  // a misspelt source must not become a new empty register
    auto store = registry::open_store(url, options);
    if (!store->log_settings()) {
      std::cerr << k_command << ": the source " << shown
                << " holds no register, so there is nothing to copy; check --from (it names the "
                   "database a register was initialised in with candor register init)\n";
      return nullptr;
    }
    return store;
  } catch (const std::exception& e) {
    std::cerr << k_command << ": cannot open the source " << shown << ": " << e.what() << '\n';
    return nullptr;
  }
}

// The destination, created and migrated like `register init` does, if it holds nothing yet.
std::unique_ptr<Store> open_destination(const std::string& url, const std::string& shown) {
  try {
    auto store = registry::open_store(url);
    if (auto settings = store->log_settings()) {
      std::cerr << k_command << ": the destination " << shown << " already holds the register "
                << settings->origin
                << "; copy into a new, empty database (a new file, or a PostgreSQL database made "
                   "with createdb)\n";
      return nullptr;
    }
    for (StoreTable t : registry::k_store_tables) {
      if (const std::uint64_t n = store->row_count(t); n != 0) {
        std::cerr << k_command << ": the destination " << shown << " already holds data (" << n
                  << " rows in " << registry::to_string(t)
                  << "); copy into a new, empty database (a new file, or a PostgreSQL database "
                     "made with createdb)\n";
        return nullptr;
      }
    }
    return store;
  } catch (const std::exception& e) {
    std::cerr << k_command << ": cannot open the destination " << shown << ": " << e.what() << '\n';
    return nullptr;
  }
}

void print_counts(const registry::CopyProof& proof) {
  std::cout << std::left << std::setw(18) << "table" << std::right << std::setw(12) << "source"
            << std::setw(14) << "destination" << '\n';
  for (const registry::TableRows& t : proof.tables) {
    std::cout << std::left << std::setw(18) << registry::to_string(t.table) << std::right
              << std::setw(12) << t.source << std::setw(14) << t.destination
              << (t.table == StoreTable::audit_log ? "  (+1: the register.copy event)" : "")
              << '\n';
  }
}

int run_copy(const CopyCommandOptions& options) {
  const std::string from_shown = registry::redact_database_url(options.from);
  const std::string to_shown = registry::redact_database_url(options.to);
  // Both URLs are checked before anything is opened, so a typo in --to creates nothing.
  for (const std::string* url : {&options.from, &options.to}) {
    try {
      registry::parse_database_url(*url);
    } catch (const std::exception& e) {
      std::cerr << k_command << ": " << e.what() << '\n';
      return k_usage;
    }
  }
  auto from = open_source(options.from, from_shown);
  if (!from) return k_usage;
  auto to = open_destination(options.to, to_shown);
  if (!to) return k_usage;

  std::vector<registry::TableRows> copied;
  try {
    std::cout << "copying the register " << from->log_settings()->origin << " from " << from_shown
              << " to " << to_shown << '\n';
    copied = registry::copy_register(*from, *to, {cli_actor(), from_shown});
  } catch (const std::exception& e) {
    std::cerr << k_command << ": the copy failed and no row was written to " << to_shown << ": "
              << e.what() << '\n';
    return k_usage;
  }

  try {
    // Prove what was committed, not what this connection remembers: open the destination anew.
    to.reset();
    registry::OpenStoreOptions reopen;
    reopen.create = false;
    auto copy = registry::open_store(options.to, reopen);
    const registry::CopyProof proof = registry::prove_copy(*from, *copy, copied);
    print_counts(proof);
    if (!proof.ok()) {
      std::cerr << k_command << ": the copy in " << to_shown << " differs from the source:\n";
      for (const std::string& d : proof.differences) std::cerr << "  " << d << '\n';
      return k_findings;
    }
    const auto checkpoint = copy->latest_checkpoint();
    std::cout << "proven: the latest checkpoint (size " << checkpoint->size << ", root "
              << registry::to_hex(checkpoint->root)
              << ") is identical, the root recomputed from the copied log entries matches it, and "
                 "every table has its rows\n";
    return k_clean;
  } catch (const std::exception& e) {
    std::cerr << k_command << ": the copy was committed to " << to_shown
              << ", but proving it failed: " << e.what() << '\n';
    return k_findings;
  }
}

}  // namespace

void add_register_copy_command(CLI::App& reg, int& exit_code) {
  auto options = std::make_shared<CopyCommandOptions>();
  CLI::App* cmd = reg.add_subcommand(
      "copy",
      "Copy a whole register into a new, empty database (e.g. SQLite to PostgreSQL) and prove "
      "the copy.\nExit status: 0 copied and proven, 1 copied but it differs (printed), 2 refused "
      "or failed, with no row written.");
  cmd->footer(
      "Every row of every table is copied exactly, in one transaction on the destination: "
      "records, versions, bodies, findings, reviews (erased notes stay erased), the log, its tree "
      "hashes and every checkpoint, tokens (hashes only) and the audit log with its ids. The "
      "copy's audit log gains one last event, register.copy, naming the source (without any "
      "password). Then the destination is re-opened and compared: the same latest checkpoint, "
      "its root recomputed from the copied log entries, the same rows per table (printed). "
      "Refused: a URL Candor does not accept, a source without a register, a destination that "
      "holds a register or any data. Stop servers writing to the source first.");
  cmd->add_option("--from", options->from,
                  "The register to copy: a database file, sqlite:FILE or "
                  "postgresql://USER@HOST[:PORT]/DBNAME")
      ->required();
  cmd->add_option("--to", options->to,
                  "Where to copy it: a new database file or sqlite:FILE, or "
                  "postgresql://USER@HOST[:PORT]/DBNAME (an existing, empty database)")
      ->required();
  cmd->callback([options, &exit_code] { exit_code = run_copy(*options); });
}

}  // namespace candor::cli
