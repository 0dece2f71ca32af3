// candor log export DIR --db FILE
//
// Writes the register's log in the C2SP tlog-tiles layout, so that any static file server or CDN
// can serve it and `candor verify --log`, Go's sumdb/tlog or any tlog-tiles client can check it:
//
//   DIR/checkpoint                  the latest signed checkpoint
//   DIR/tile/<L>/<N>[.p/<W>]        every hash tile of that tree, full and partial
//   DIR/tile/entries/<N>[.p/<W>]    every entry bundle (the leaf statements)
//
// Files are written whole (temporary file, then rename), so a server reading DIR meanwhile never
// serves half a file, and the checkpoint last, after the tiles are on disk, so it never names a
// tree DIR does not hold. Exporting again into the same DIR adds the new tiles and replaces the
// checkpoint; files already identical are left alone, and nothing is deleted, so the partial
// tiles of earlier exports stay for clients holding an earlier checkpoint (the spec lets a log
// serve them until the full tile exists). DIR is refused if it holds another log, or a checkpoint
// this register never signed or larger than its own: exporting must never fork or roll back a
// published copy.
//
// Exit status: 0 exported, 2 usage, database or I/O error.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <system_error>

#include "candor/registry/checkpoint.h"
#include "candor/registry/note.h"
#include "candor/registry/open_store.h"
#include "candor/registry/store.h"
#include "candor/registry/tiles.h"
#include "commands.h"
#include "store_cli_support.h"

namespace candor::cli {

namespace {

namespace fs = std::filesystem;

struct ExportOptions {
  std::string dir;
  std::string db;
};

struct ExportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

bool same_contents(const fs::path& file, std::string_view bytes) {
  std::error_code ec;
  if (fs::file_size(file, ec) != bytes.size() || ec) return false;
  std::ifstream in(file, std::ios::binary);
  std::string have(bytes.size(), '\0');
  return in.read(have.data(), static_cast<std::streamsize>(have.size())) && have == bytes;
}

// Writes `bytes` to DIR/path through a temporary file and a rename (no fsync: see sync_dir).
// Returns false if the file already held exactly these bytes.
bool put_file(const fs::path& dir, const std::string& path, std::string_view bytes) {
  const fs::path file = dir / path;
  if (same_contents(file, bytes)) return false;
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) throw ExportError("cannot create " + file.parent_path().string() + ": " + ec.message());
  fs::path temp = file;
  temp += ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      fs::remove(temp, ec);
      throw ExportError("cannot write " + temp.string());
    }
  }
  fs::rename(temp, file, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw ExportError("cannot rename " + temp.string() + " to " + file.string() + ": " +
                      ec.message());
  }
  return true;
}

// Flushes everything written under DIR to disk (one syncfs instead of an fsync per tile).
void sync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    throw ExportError("cannot open " + dir.string() + ": " +
                      std::error_code(errno, std::generic_category()).message());
  }
  const int rc = ::syncfs(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) {
    throw ExportError("cannot sync " + dir.string() + ": " +
                      std::error_code(err, std::generic_category()).message());
  }
}

// Refuses a DIR that holds something else than an earlier state of this register's log.
void check_existing_copy(const fs::path& dir, const registry::LogSettings& settings,
                         const registry::StoredCheckpoint& latest, registry::Store& store) {
  const fs::path file = dir / "checkpoint";
  std::error_code ec;
  if (!fs::exists(file, ec)) return;
  std::string error;
  auto text = read_text_file(file, registry::kMaxNoteBytes, error);
  if (!text) throw ExportError("cannot read " + file.string() + ": " + error);
  auto note = registry::parse_note(*text);
  auto existing = note.ok() ? registry::parse_checkpoint(note.value().text)
                            : registry::Result<registry::Checkpoint>(note.problems());
  if (!existing.ok()) {
    throw ExportError(file.string() + " is not a checkpoint; refusing to write into " +
                      dir.string());
  }
  const registry::Checkpoint& cp = existing.value();
  if (cp.origin != settings.origin) {
    throw ExportError(dir.string() + " holds the log " + cp.origin + ", not " + settings.origin);
  }
  if (cp.size > latest.size) {
    throw ExportError(dir.string() + " holds a checkpoint of size " + std::to_string(cp.size) +
                      ", larger than this register's " + std::to_string(latest.size) +
                      ": exporting would roll the published log back");
  }
  auto ours = store.checkpoint(cp.size);
  if (!ours || ours->root != cp.root) {
    throw ExportError(dir.string() + "/checkpoint (size " + std::to_string(cp.size) +
                      ") was not signed from this register's tree: exporting would publish a fork");
  }
}

int run_export(const ExportOptions& options) {
  std::unique_ptr<registry::Store> store = open_register(options.db, "candor log export");
  if (!store) return k_usage;
  try {
    auto settings = store->log_settings();
    auto latest = store->latest_checkpoint();
    if (!settings || !latest) {
      std::cerr << "candor log export: " << registry::redact_database_url(options.db)
                << " is not an initialised register; run candor register init first\n";
      return k_usage;
    }
    const fs::path dir = options.dir;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) {
      std::cerr << "candor log export: cannot create the directory " << options.dir << '\n';
      return k_usage;
    }
    check_existing_copy(dir, *settings, *latest, *store);

    // The store's own tree must support its checkpoint before anything is published.
    const registry::HashReader hashes = store->hash_reader();
    if (registry::tree_root(latest->size, hashes) != latest->root) {
      std::cerr << "candor log export: " << registry::redact_database_url(options.db)
                << " is corrupt: its tree does not give the root of its latest checkpoint\n";
      return k_usage;
    }

    std::uint64_t tiles = 0;
    std::uint64_t bundles = 0;
    std::uint64_t written = 0;
    registry::write_tiles(
        latest->size, hashes,
        [&](std::uint64_t begin, std::uint64_t end) { return store->log_entries(begin, end); },
        [&](const registry::TileId& tile, std::string_view bytes) {
          ++(tile.entries ? bundles : tiles);
          if (put_file(dir, registry::tile_path(tile), bytes)) ++written;
        });
    sync_dir(dir);
    std::string error;
    const fs::path checkpoint = dir / "checkpoint";
    if (!same_contents(checkpoint, latest->note)) {
      if (!replace_file(checkpoint, latest->note, error)) {
        throw ExportError("cannot write " + checkpoint.string() + ": " + error);
      }
      ++written;
    }
    std::cout << "exported the log " << settings->origin << " (" << latest->size
              << (latest->size == 1 ? " entry" : " entries") << ", root "
              << registry::to_hex(latest->root) << ") to " << options.dir << ": " << tiles
              << (tiles == 1 ? " hash tile, " : " hash tiles, ") << bundles
              << (bundles == 1 ? " entry bundle" : " entry bundles") << " and the checkpoint; "
              << written << " files written, " << (tiles + bundles + 1 - written) << " unchanged\n";
    return k_clean;
  } catch (const std::exception& e) {
    std::cerr << "candor log export: " << e.what() << '\n';
    return k_usage;
  }
}

}  // namespace

void add_log_command(CLI::App& app, int& exit_code) {
  CLI::App* log = app.add_subcommand("log", "Publish the register's transparency log");
  log->require_subcommand(1);
  auto options = std::make_shared<ExportOptions>();
  CLI::App* exp = log->add_subcommand(
      "export",
      "Write the log as static files (c2sp.org/tlog-tiles: checkpoint, hash tiles, entry "
      "bundles) into DIR, for any web server or CDN to serve.\n"
      "Exit status: 0 exported, 2 usage, database or I/O error.");
  exp->add_option("dir", options->dir, "Directory to write (created if needed)")->required();
  exp->add_option("--db", options->db,
                  "Register: a database file, sqlite:FILE or postgresql://USER@HOST[:PORT]/DBNAME "
                  "(from candor register init)")
      ->required();
  exp->callback([options, &exit_code] { exit_code = run_export(*options); });
}

}  // namespace candor::cli
