// C2SP tlog-tiles (c2sp.org/tlog-tiles): the log served as static files, so any web server, CDN or
// object store can publish a copy and any client can compute every root and proof from it.
//
//   <prefix>/checkpoint                      the signed checkpoint (checkpoint.h)
//   <prefix>/tile/<L>/<N>[.p/<W>]            hash tiles
//   <prefix>/tile/entries/<N>[.p/<W>]        entry bundles
//
// A hash tile at level L holds the stored hashes (merkle.h NodeId) at tree level 8·L with indices
// 256·N … 256·N+W-1, 32 bytes each, concatenated: a full tile has W = 256 (8,192 bytes); the
// rightmost tile of each level of a tree of size s is partial, W = floor(s / 256^L) mod 256, and
// is absent when that is 0. A hash at level L ≥ 1 is thus the root of a full tile one level down.
// The entry bundle N holds entries 256·N … 256·N+W-1, each prefixed with its length as a
// big-endian uint16 (so entries are at most 65,535 bytes), and has the width of level-0 tile N.
// N is written in groups of three decimal digits, all but the last prefixed with "x":
// 1234067 → "x001/x234/067"; L and W are plain decimals (no leading zeros).
//
// Everything here is pure (no I/O): callers pass a HashReader to produce tiles and a TileFetcher
// to consume them. Parsing of untrusted bytes never throws; it returns a Result whose Problem is
// coded "tile.malformed" or "tile.path".
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/merkle.h"
#include "candor/registry/problem.h"

namespace candor::registry {

inline constexpr unsigned kTileHeight = 8;
inline constexpr std::uint32_t kTileWidth = 256;  // hashes (or entries) in a full tile
inline constexpr std::size_t kFullTileBytes = std::size_t{kTileWidth} * kHashSize;
inline constexpr std::size_t kMaxBundleEntryBytes = 65535;
inline constexpr std::size_t kMaxBundleBytes = std::size_t{kTileWidth} * (2 + kMaxBundleEntryBytes);
// A path may name levels 0..63 (the spec's bound); a tree with 64-bit sizes has levels 0..7 only.
inline constexpr unsigned kMaxTileLevel = 63;

// A hash tile or an entry bundle.
struct TileId {
  bool entries = false;              // an entry bundle (tile/entries/...), not hashes
  std::uint8_t level = 0;            // L, for hash tiles (0..63); always 0 for entry bundles
  std::uint64_t index = 0;           // N
  std::uint32_t width = kTileWidth;  // W, 1..256; 256 is a full tile

  bool full() const { return width == kTileWidth; }
  // Entries [first_leaf, end_leaf) of the log that the tile spans; for a level-L tile the end
  // saturates at 2^64-1 where 256^(L+1)·(N+1) would not fit.
  std::uint64_t first_leaf() const;
  std::uint64_t end_leaf() const;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
  friend auto operator<=>(const TileId&, const TileId&) = default;
};

// Shorthands.
inline TileId hash_tile(std::uint8_t level, std::uint64_t index, std::uint32_t width = kTileWidth) {
  return TileId{false, level, index, width};
}
inline TileId entry_bundle(std::uint64_t index, std::uint32_t width = kTileWidth) {
  return TileId{true, 0, index, width};
}

// "tile/0/x001/x234/067.p/5", "tile/entries/000": relative to the log's prefix, no leading '/'.
// Throws std::invalid_argument for a TileId that has no path (width 0 or > 256, level > 63,
// a bundle with a level).
std::string tile_path(const TileId& tile);

// Strict inverse of tile_path: accepts exactly the paths tile_path writes (no leading zeros
// beyond the 3-digit groups, no "x000" leading group, no ".p/256"), so each tile has one path.
Result<TileId> parse_tile_path(std::string_view path);

// ---- Which tiles a tree has ------------------------------------------------------------------

// Every hash tile of the tree of `size` leaves (full and partial), level 0 first, by index.
std::vector<TileId> tiles_for_tree(std::uint64_t size);
// Every entry bundle of the tree of `size` leaves, by index.
std::vector<TileId> entry_bundles_for_tree(std::uint64_t size);

// The tile of the tree of `size` leaves that holds (or, for nodes above a tile's bottom row,
// lets one compute) the stored hash `node`: level node.level / 8, the full tile if the tree has
// it, else the level's partial tile. std::out_of_range if the node is not complete in the tree.
TileId tile_for_node(const NodeId& node, std::uint64_t size);

// ---- Producing tiles -------------------------------------------------------------------------

// The stored hashes a hash tile lists, in order.
std::vector<NodeId> tile_nodes(const TileId& tile);

// The bytes of a hash tile, read through `read` in one call.
std::string read_tile(const TileId& tile, const HashReader& read);

// Concatenates entries into a bundle. std::invalid_argument for more than 256 entries, none, or
// an entry longer than 65,535 bytes.
std::string format_entry_bundle(std::span<const std::string> entries);

// Entries [begin, end) of the log, in order.
using EntryReader = std::function<std::vector<std::string>(std::uint64_t begin, std::uint64_t end)>;
// Receives one tile or bundle and its bytes (the path is tile_path(tile)).
using TileWriter = std::function<void(const TileId& tile, std::string_view bytes)>;

// Produces every hash tile (tiles_for_tree order), then every entry bundle, of the tree of
// `size` leaves: one HashReader call per tile, one EntryReader call per bundle. The checkpoint
// is the caller's to write, after these. std::invalid_argument if an entry does not fit a bundle.
void write_tiles(std::uint64_t size, const HashReader& hashes, const EntryReader& entries,
                 const TileWriter& write);

// ---- Consuming tiles (untrusted bytes) --------------------------------------------------------

// The W hashes of a hash tile; the data must be exactly W·32 bytes.
Result<std::vector<Hash>> parse_tile(const TileId& tile, std::string_view data);

// The W entries of a bundle; every byte must belong to exactly W length-prefixed entries.
Result<std::vector<std::string>> parse_entry_bundle(const TileId& bundle, std::string_view data);

// The hash a full tile contributes to the level above: the Merkle root of its 256 hashes.
// std::invalid_argument unless exactly 256 hashes.
Hash full_tile_hash(std::span<const Hash> hashes);

// ---- Reading the tree through tiles ----------------------------------------------------------

// What goes wrong with served tiles: a malformed tile, or tiles that do not match the signed root.
class TileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Returns the bytes served for a tile. Throws (anything) if it cannot; the exception propagates
// out of TileHashReader::read unchanged.
using TileFetcher = std::function<std::string(const TileId& tile)>;

// A HashReader over the tiles of a tree whose size and root come from a verified checkpoint,
// as Go's tlog.TileHashReader: every hash it returns is authenticated against that root. The
// first read fetches the rightmost tile of every level and checks that they fold to the root;
// a full tile is then accepted only if its hash is the entry for it in its (authenticated)
// parent tile. Tiles are fetched at most once and kept for the reader's life.
//
// read() throws std::out_of_range for a node that is not complete in the tree, TileError for a
// tile that is malformed or does not match the root, and whatever the fetcher throws.
class TileHashReader {
 public:
  TileHashReader(std::uint64_t size, const Hash& root, TileFetcher fetch);

  std::uint64_t size() const { return size_; }
  std::vector<Hash> read(std::span<const NodeId> nodes);
  // A HashReader calling read(); valid while this object lives.
  HashReader reader();
  std::size_t tiles_fetched() const { return fetched_; }

 private:
  const std::vector<Hash>& authenticated(const TileId& tile);
  std::vector<Hash> fetch_tile(const TileId& tile);
  void authenticate_right_edge();

  std::uint64_t size_;
  Hash root_;
  TileFetcher fetch_;
  bool right_edge_checked_ = false;
  std::size_t fetched_ = 0;
  std::map<TileId, std::vector<Hash>> tiles_;  // authenticated tiles
};

}  // namespace candor::registry
