// candor register init|add|copy: a local register in one database, without a server.
//
//   candor register init --db FILE --key FILE.skey
//       creates the database, records the log's origin and public key (and where the private
//       key lives), and signs the checkpoint of the empty log.
//   candor register add PATH... --db FILE (--org ID | --any-org) [--receipts DIR] [--key FILE.skey]
//       submits records through the same intake path as the server: validate, canonicalise,
//       evaluate the shipped rule pack (the version's findings and compliance), dedupe, store,
//       append, sign, commit. Each accepted version's receipt is written as
//       FILE.tlog-proof beside the record, or as DIR/<file name>.tlog-proof. --org refuses
//       records of any other organisation, as a submitter's token would; --any-org is for the
//       operator loading records of many organisations at once (an import, a demo, a benchmark).
//   candor register copy --from DB --to DB
//       copies a whole register into a new, empty database and proves the copy (register_copy.h).
//
// Exit status: 0 every record accepted (or unchanged), 1 some record rejected, 2 usage, key,
// database or I/O error.
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <optional>
#include <span>

#include "candor/registry/intake.h"
#include "candor/registry/open_store.h"
#include "candor/rules/intake_findings.h"
#include "candor/rules/shipped_packs.h"
#include "commands.h"
#include "input_files.h"
#include "progress.h"
#include "register_copy.h"
#include "store_cli_support.h"

namespace candor::cli {

namespace {

namespace fs = std::filesystem;
using registry::Findings;
using registry::PreparedRecord;

constexpr std::size_t k_max_key_bytes = 4096;

struct InitOptions {
  std::string db;
  std::string key;
};

struct AddOptions {
  std::vector<std::string> paths;
  std::string db;
  std::string org;
  bool any_org = false;
  std::string receipts;
  std::string key;
  std::size_t max_bytes = registry::LoadOptions{}.max_bytes;
};

std::optional<registry::NoteSigner> load_signer(const std::string& path) {
  std::string error;
  auto text = read_text_file(path, k_max_key_bytes, error);
  if (!text) {
    std::cerr << "candor register: cannot read the key " << path << ": " << error << '\n';
    return std::nullopt;
  }
  auto signer = registry::NoteSigner::parse(first_line(*text));
  if (!signer.ok()) {
    // The problem never quotes the key text (it is a secret).
    std::cerr << "candor register: " << path
              << " is not a signing key: " << signer.problems().front().message << '\n';
    return std::nullopt;
  }
  return std::move(signer.value());
}

// The rules engine at intake (rules/intake_findings.h): the shipped default pack, as of today
// (UTC), so each stored version carries its compliance as the server would judge it.
Findings evaluate_findings(const PreparedRecord& record, std::span<const rules::Pack> packs) {
  return rules::evaluate_for_intake(record.file, record.document, packs, rules::Date::today_utc())
      .findings;
}

int run_init(const InitOptions& options) {
  auto signer = load_signer(options.key);
  if (!signer) return k_usage;
  try {
    const std::string shown = registry::redact_database_url(options.db);
    auto store = registry::open_store(options.db);
    if (auto settings = store->log_settings()) {
      if (settings->verifier_key == signer->verifier().to_string()) {
        std::cout << shown << " is already the register " << settings->origin << '\n';
        return k_clean;
      }
      std::cerr << "candor register init: " << shown << " is already the register "
                << settings->origin << " with another key (" << settings->verifier_key << ")\n";
      return k_usage;
    }
    std::error_code ec;
    const fs::path key_path = fs::absolute(options.key, ec);
    registry::init_register(*store, *signer, key_path.string(), cli_actor());
    std::cout << "initialised register " << signer->name() << " in " << shown << '\n'
              << "verifier key: " << signer->verifier().to_string() << '\n';
    return k_clean;
  } catch (const std::exception& e) {
    std::cerr << "candor register init: " << e.what() << '\n';
    return k_usage;
  }
}

fs::path receipt_path(const std::string& file, const std::string& receipts_dir) {
  if (receipts_dir.empty()) return fs::path(file + ".tlog-proof");
  return fs::path(receipts_dir) / (fs::path(file).filename().string() + ".tlog-proof");
}

int run_add(const AddOptions& options) {
  if (options.org.empty() != options.any_org) {
    std::cerr << "candor register add: give --org ID (the organisation the records belong to), "
                 "or --any-org to accept each record for its own organisation\n";
    return k_usage;
  }
  InputFiles inputs = expand_inputs(options.paths);
  for (const auto& p : inputs.problems) std::cerr << registry::format_problem(p) << '\n';
  if (!inputs.problems.empty()) return k_usage;  // add nothing rather than part of a mistake
  if (!options.receipts.empty()) {
    std::error_code ec;
    fs::create_directories(options.receipts, ec);
    if (ec) {
      std::cerr << "candor register add: cannot create " << options.receipts << ": " << ec.message()
                << '\n';
      return k_usage;
    }
    std::map<std::string, std::string> seen;
    for (const auto& file : inputs.files) {
      const std::string name = fs::path(file).filename().string();
      if (auto [it, fresh] = seen.emplace(name, file); !fresh) {
        std::cerr << "candor register add: " << it->second << " and " << file
                  << " would both write " << name << ".tlog-proof into " << options.receipts
                  << "; add them in separate runs\n";
        return k_usage;
      }
    }
  }

  std::unique_ptr<registry::Store> store = open_register(options.db, "candor register add");
  if (!store) return k_usage;
  std::optional<registry::LogSettings> settings;
  try {
    settings = store->log_settings();
  } catch (const std::exception& e) {
    std::cerr << "candor register add: " << e.what() << '\n';
    return k_usage;
  }
  auto signer = load_signer(options.key.empty() ? settings->signer_key_path : options.key);
  if (!signer) return k_usage;
  auto pack = rules::load_shipped_pack(rules::kDefaultPack);
  if (!pack.ok()) {
    for (const auto& p : pack.problems()) std::cerr << registry::format_problem(p) << '\n';
    return k_usage;
  }
  std::vector<rules::Pack> packs;
  packs.push_back(std::move(pack).value());

  // Prepare everything first (problems are reported like `candor validate`), then submit all
  // accepted records at once: the sequencer commits them in one transaction.
  registry::LoadOptions load;
  load.max_bytes = options.max_bytes;
  std::size_t rejected = 0, added = 0, unchanged = 0;
  std::uint64_t entries = 0;
  std::vector<std::pair<std::string, std::future<registry::Result<registry::Acceptance>>>> queued;
  try {
    registry::Intake intake(*store, std::move(*signer));
    const std::string actor = cli_actor();
    Progress progress("checking records");  // on a terminal only
    std::size_t done = 0;
    for (const auto& file : inputs.files) {
      progress.update(++done, inputs.files.size());
      std::string error;
      auto text = read_text_file(file, options.max_bytes, error);
      if (!text) {
        // Too large or unreadable: the loader says which, in its own words, without reading it.
        auto refused = registry::load_document_file(file, load);
        registry::Problems problems = std::move(refused.problems());
        if (problems.empty()) {
          problems.push_back(
              {file, {}, "", "io.unreadable", "the file cannot be read: " + error, ""});
        }
        for (const auto& p : problems) std::cout << registry::format_problem(p) << '\n';
        ++rejected;
        continue;
      }
      auto prepared = registry::prepare_record(std::move(*text), file, load);
      if (!prepared.ok()) {
        for (const auto& p : prepared.problems()) std::cout << registry::format_problem(p) << '\n';
        ++rejected;
        continue;
      }
      Findings findings = evaluate_findings(prepared.value(), packs);
      registry::Submitter submitter{
          options.any_org ? prepared.value().organisation.id : options.org, actor};
      queued.emplace_back(file, intake.submit(std::move(prepared.value()), std::move(submitter),
                                              std::move(findings)));
    }
    progress.finish();
    for (auto& [file, future] : queued) {
      auto result = future.get();
      if (!result.ok()) {
        for (const auto& p : result.problems()) std::cout << registry::format_problem(p) << '\n';
        ++rejected;
        continue;
      }
      const registry::Acceptance& a = result.value();
      const fs::path receipt = receipt_path(file, options.receipts);
      std::string error;
      if (!replace_file(receipt, a.receipt, error)) {
        std::cerr << "candor register add: " << file << " was logged, but its receipt "
                  << receipt.string() << " cannot be written: " << error << '\n';
        return k_usage;
      }
      (a.duplicate ? unchanged : added) += 1;
      std::cout << file << ": " << (a.duplicate ? "unchanged, already " : "added as ")
                << a.version.organisation << '/' << a.version.record_id << " version "
                << a.version.version << " (log entry " << a.version.leaf_index << "); receipt "
                << receipt.string() << '\n';
    }
    entries = store->log_size();
  } catch (const std::exception& e) {
    std::cerr << "candor register add: " << e.what() << '\n';
    return k_usage;
  }
  const std::size_t files = inputs.files.size();
  std::cout << files << (files == 1 ? " file: " : " files: ") << added << " added, " << unchanged
            << " unchanged, " << rejected << " rejected; the log has " << entries
            << (entries == 1 ? " entry\n" : " entries\n");
  return rejected == 0 ? k_clean : k_findings;
}

}  // namespace

void add_register_command(CLI::App& app, int& exit_code) {
  CLI::App* reg = app.add_subcommand(
      "register", "Run a local register (one database) without a server: init, add, copy.");
  reg->require_subcommand(1);

  auto init = std::make_shared<InitOptions>();
  CLI::App* init_cmd = reg->add_subcommand(
      "init",
      "Create a register database signed by a key from `candor keygen`, and sign its empty "
      "checkpoint.\nExit status: 0 done (or already initialised with this key), 2 error.");
  init_cmd
      ->add_option("--db", init->db,
                   "The new register: a database file, sqlite:FILE, or "
                   "postgresql://USER@HOST[:PORT]/DBNAME (an existing, empty database)")
      ->required();
  init_cmd->add_option("--key", init->key, "Private signing key (.skey)")->required();
  init_cmd->callback([init, &exit_code] { exit_code = run_init(*init); });

  auto add = std::make_shared<AddOptions>();
  CLI::App* add_cmd = reg->add_subcommand(
      "add",
      "Validate records and add each changed one as a new logged, signed version; write a "
      "receipt (FILE.tlog-proof) for each.\nExit status: 0 all accepted or unchanged, 1 some "
      "record rejected, 2 usage, key, database or I/O error.");
  add_cmd->add_option("paths", add->paths, "Record files, or directories searched for *.yaml/*.yml")
      ->required();
  add_cmd
      ->add_option("--db", add->db,
                   "Register: a database file, sqlite:FILE or postgresql://USER@HOST[:PORT]/DBNAME "
                   "(from candor register init)")
      ->required();
  CLI::Option* org =
      add_cmd->add_option("--org", add->org, "Organisation id the records are submitted for");
  CLI::Option* any_org = add_cmd->add_flag(
      "--any-org", add->any_org,
      "Accept each record for its own organisation (an operator loading many organisations)");
  org->excludes(any_org);
  add_cmd->add_option("--receipts", add->receipts,
                      "Write receipts into this directory instead of beside the records");
  add_cmd->add_option("--key", add->key,
                      "Private signing key (default: the one given to register init)");
  add_cmd->add_option("--max-bytes", add->max_bytes, "Refuse record files larger than this")
      ->capture_default_str();
  add_cmd->callback([add, &exit_code] { exit_code = run_add(*add); });

  add_register_copy_command(*reg, exit_code);
}

}  // namespace candor::cli
