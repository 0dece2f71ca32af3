// candor token create|revoke: bearer tokens for the server's write API, managed locally on the
// register database (the operator runs these on the server's machine).
//
//   candor token create --db FILE --org ID --role submitter|regulator|admin [--label TEXT]
//                       [--org-name NAME [--org-type TYPE]]
//       makes a random token (registry/tokens.h), stores only its SHA-256 with the organisation,
//       role and label, and prints the token, alone, on standard output: the only time it is
//       ever shown. Everything else goes to standard error. The organisation must already be in
//       the register (a record of it was added) unless --org-name is given, which adds it; so a
//       typo in --org cannot silently mint a token for an organisation nobody will submit for.
//   candor token revoke --db FILE (--token-file FILE | --hash HEX)
//       marks the token revoked (the server refuses it from the next request on). --hash takes
//       the SHA-256 in hex, as the audit log and `token create`'s note show its first 16 digits:
//       give all 64.
//
// Exit status: 0 done; 1 no such token (revoke); 2 usage, database or I/O error.
#include <iostream>
#include <memory>
#include <optional>

#include "candor/registry/leaf.h"
#include "candor/registry/open_store.h"
#include "candor/registry/tokens.h"
#include "commands.h"
#include "store_cli_support.h"
#include "token_file.h"

namespace candor::cli {

namespace {

struct CreateOptions {
  std::string db;
  std::string org;
  std::string role;
  std::string label;
  std::string org_name;
  std::string org_type;
};

struct RevokeOptions {
  std::string db;
  std::string token_file;
  std::string hash;
};

int run_create(const CreateOptions& options) {
  constexpr const char* command = "candor token create";
  const auto role = registry::parse_role(options.role);
  if (!role) {
    std::cerr << command << ": --role must be submitter, regulator or admin\n";
    return k_usage;
  }
  if (!registry::is_slug(options.org)) {
    std::cerr << command << ": --org must be an organisation id (a slug such as "
              << "eastbridge-council)\n";
    return k_usage;
  }
  auto store = open_register(options.db, command);
  if (!store) return k_usage;
  try {
    const auto known = store->organisation(options.org);
    if (!known && options.org_name.empty()) {
      std::cerr << command << ": the organisation " << options.org
                << " is not in the register; check the id, or add it with --org-name NAME\n";
      return k_usage;
    }
    const std::string token = registry::generate_token();
    registry::Token stored;
    stored.hash = registry::token_hash(token);
    stored.organisation = options.org;
    stored.role = *role;
    stored.label = options.label.empty() ? options.org + "-" + options.role : options.label;
    auto tx = store->begin_write();
    if (!known) {
      tx->put_organisation(cli_actor(), {options.org, options.org_name, options.org_type});
    }
    tx->put_token(cli_actor(), stored);
    tx->commit();
    std::cout << token << '\n' << std::flush;
    std::cerr << "token for " << options.org << " (" << options.role << ", label \"" << stored.label
              << "\", hash " << registry::to_hex(stored.hash).substr(0, 16)
              << "...) stored; it is shown only now: keep it in a file only you can read\n";
    return k_clean;
  } catch (const std::exception& e) {
    std::cerr << command << ": " << e.what() << '\n';
    return k_usage;
  }
}

int run_revoke(const RevokeOptions& options) {
  constexpr const char* command = "candor token revoke";
  if (options.token_file.empty() == options.hash.empty()) {
    std::cerr << command << ": give exactly one of --token-file and --hash\n";
    return k_usage;
  }
  registry::Hash hash{};
  if (!options.hash.empty()) {
    const auto parsed = registry::hash_from_hex(options.hash);
    if (!parsed) {
      std::cerr << command << ": --hash must be the 64 hex digits of the token's SHA-256\n";
      return k_usage;
    }
    hash = *parsed;
  } else {
    std::string error;
    const auto token = read_token_file(options.token_file, error);
    if (!token) {
      std::cerr << command << ": " << error << '\n';
      return k_usage;
    }
    hash = registry::token_hash(*token);
  }
  auto store = open_register(options.db, command);
  if (!store) return k_usage;
  try {
    const auto token = store->token(hash);
    if (!token) {
      std::cerr << command << ": no such token in " << registry::redact_database_url(options.db)
                << '\n';
      return k_findings;
    }
    if (token->revoked) {
      std::cout << "token " << token->label << " of " << token->organisation
                << " was already revoked\n";
      return k_clean;
    }
    auto tx = store->begin_write();
    tx->revoke_token(cli_actor(), hash);
    tx->commit();
    std::cout << "revoked token " << token->label << " of " << token->organisation << '\n';
    return k_clean;
  } catch (const std::exception& e) {
    std::cerr << command << ": " << e.what() << '\n';
    return k_usage;
  }
}

}  // namespace

void add_token_command(CLI::App& app, int& exit_code) {
  CLI::App* token = app.add_subcommand(
      "token",
      "Bearer tokens for the server's write API (stored only as SHA-256): create, revoke.");
  token->require_subcommand(1);

  auto create = std::make_shared<CreateOptions>();
  CLI::App* create_cmd = token->add_subcommand(
      "create",
      "Make a token for an organisation and role; print it (only it) on standard output, once.\n"
      "Exit status: 0 done, 2 usage or database error.");
  create_cmd
      ->add_option("--db", create->db,
                   "Register: a database file, sqlite:FILE or postgresql://USER@HOST[:PORT]/DBNAME "
                   "(from candor register init)")
      ->required();
  create_cmd->add_option("--org", create->org, "Organisation id the token submits for")->required();
  create_cmd->add_option("--role", create->role, "submitter, regulator or admin")->required();
  create_cmd->add_option("--label", create->label,
                         "Who it is for, shown in the audit log (default: ORG-ROLE)");
  create_cmd->add_option("--org-name", create->org_name,
                         "Add the organisation with this name if the register lacks it");
  create_cmd->add_option(
      "--org-type", create->org_type,
      "The organisation's type, with --org-name (the schema's organisation.type)");
  create_cmd->callback([create, &exit_code] { exit_code = run_create(*create); });

  auto revoke = std::make_shared<RevokeOptions>();
  CLI::App* revoke_cmd = token->add_subcommand(
      "revoke",
      "Revoke a token, given in a file or by its SHA-256.\nExit status: 0 revoked (or already), "
      "1 no such token, 2 usage or database error.");
  revoke_cmd
      ->add_option("--db", revoke->db,
                   "Register: a database file, sqlite:FILE or postgresql://USER@HOST[:PORT]/DBNAME")
      ->required();
  revoke_cmd->add_option("--token-file", revoke->token_file, "File holding the token");
  revoke_cmd->add_option("--hash", revoke->hash, "The token's SHA-256, 64 hex digits");
  revoke_cmd->callback([revoke, &exit_code] { exit_code = run_revoke(*revoke); });
}

}  // namespace candor::cli
