// candor keygen --name ORIGIN [--out DIR]: makes a register's Ed25519 signing key.
//
// Writes DIR/<stem>.skey (the private key, mode 0600) and DIR/<stem>.vkey (the public verifier
// key) in the text formats of Go's golang.org/x/mod/sumdb/note. <stem> is the name with every
// character outside [A-Za-z0-9._-] replaced by '-' ("example.org/ai-register" gives
// "example.org-ai-register"). Existing files are never overwritten: losing a log's key is
// unrecoverable. The private key is never printed.
#include <filesystem>
#include <iostream>

#include "candor/registry/note.h"
#include "commands.h"
#include "store_cli_support.h"

namespace candor::cli {

namespace {

struct KeygenOptions {
  std::string name;
  std::string out = ".";
};

std::string file_stem(std::string_view name) {
  std::string stem;
  for (char c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    stem += keep ? c : '-';
  }
  return stem;
}

int run(const KeygenOptions& options) {
  namespace fs = std::filesystem;
  if (!registry::is_valid_key_name(options.name)) {
    std::cerr << "candor keygen: \"" << options.name
              << "\" cannot be a key name: it must be non-empty, without spaces or '+'\n";
    return k_usage;
  }
  std::error_code ec;
  fs::create_directories(options.out, ec);
  if (ec) {
    std::cerr << "candor keygen: cannot create " << options.out << ": " << ec.message() << '\n';
    return k_usage;
  }
  const fs::path skey = fs::path(options.out) / (file_stem(options.name) + ".skey");
  const fs::path vkey = fs::path(options.out) / (file_stem(options.name) + ".vkey");
  for (const fs::path& p : {skey, vkey}) {
    if (fs::exists(p, ec)) {
      std::cerr << "candor keygen: " << p.string()
                << " already exists; refusing to overwrite a key (move it away first)\n";
      return k_usage;
    }
  }

  const registry::NoteSigner signer = registry::NoteSigner::generate(options.name);
  std::string error;
  if (!write_new_file(skey, signer.to_string() + "\n", 0600, error)) {
    std::cerr << "candor keygen: cannot write " << skey.string() << ": " << error << '\n';
    return k_usage;
  }
  if (!write_new_file(vkey, signer.verifier().to_string() + "\n", 0644, error)) {
    std::cerr << "candor keygen: cannot write " << vkey.string() << ": " << error << '\n';
    return k_usage;
  }
  std::cout << "wrote " << skey.string() << " (private signing key: keep it secret)\n"
            << "wrote " << vkey.string() << " (public verifier key: publish it)\n"
            << "verifier key: " << signer.verifier().to_string() << '\n';
  return k_clean;
}

}  // namespace

void add_keygen_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<KeygenOptions>();
  CLI::App* cmd = app.add_subcommand(
      "keygen",
      "Make an Ed25519 key pair for signing a register's checkpoints: NAME.skey (private, mode "
      "0600) and NAME.vkey (public), in Go sumdb/note formats. Never overwrites a file.\n"
      "Exit status: 0 written, 2 usage or I/O error.");
  cmd->add_option("--name", options->name,
                  "Key name, conventionally the register's origin (e.g. example.org/ai-register)")
      ->required();
  cmd->add_option("--out", options->out, "Directory to write the key files into")
      ->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace candor::cli
