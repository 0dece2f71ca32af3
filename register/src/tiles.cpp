#include "candor/registry/tiles.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <utility>

#include "decimal.h"

namespace candor::registry {

namespace {

std::string str(std::uint64_t n) {
  return std::to_string(n);
}

Problem tile_problem(std::string code, std::string message) {
  Problem p;
  p.code = std::move(code);
  p.message = std::move(message);
  return p;
}

template <class T>
Result<T> path_failure(std::string_view path, const std::string& why) {
  return Result<T>(Problems{tile_problem(
      "tile.path", "\"" + std::string(path.substr(0, 200)) + "\" is not a tile path: " + why)});
}

// Strict decimal (decimal.h), at most `max`.
std::optional<std::uint64_t> parse_plain_decimal(std::string_view s, std::uint64_t max) {
  const auto v = parse_strict_decimal(s);
  if (!v || *v > max) return std::nullopt;
  return v;
}

// Width of the rightmost (partial) tile at `level` of a tree of `size` leaves; 0 if none.
std::uint32_t partial_width(std::uint64_t size, unsigned level) {
  if (8 * level >= 64) return 0;
  return static_cast<std::uint32_t>((size >> (8 * level)) & 0xff);
}

// Number of full tiles at `level` of a tree of `size` leaves.
std::uint64_t full_tiles(std::uint64_t size, unsigned level) {
  if (8 * level + 8 >= 64) return 0;
  return size >> (8 * level + 8);
}

// Whether the stored hash `node` is complete in the tree of `size` leaves.
bool complete(const NodeId& node, std::uint64_t size) {
  return node.level < 64 && node.index < (size >> node.level);
}

// Root of 2^k consecutive hashes (a perfect subtree).
Hash perfect_root(std::span<const Hash> hashes) {
  if (hashes.size() == 1) return hashes.front();
  const std::size_t half = hashes.size() / 2;
  return node_hash(perfect_root(hashes.first(half)), perfect_root(hashes.subspan(half)));
}

// The hash of `node` computed from the hashes of the tile tile_for_node gives for it.
Hash node_from_tile(const NodeId& node, std::span<const Hash> tile_hashes) {
  const unsigned r = static_cast<unsigned>(node.level % kTileHeight);
  const std::uint64_t pos = (node.index << r) & 0xff;
  const std::uint64_t count = std::uint64_t{1} << r;
  if (pos + count > tile_hashes.size()) {
    throw std::logic_error("tile too narrow for node (tile arithmetic bug)");
  }
  return perfect_root(tile_hashes.subspan(pos, count));
}

// The complete subtrees whose hashes fold to the root of the tree of `size` leaves (largest
// first): the binary digits of size.
std::vector<NodeId> root_cover(std::uint64_t size) {
  std::vector<NodeId> out;
  std::uint64_t lo = 0;
  for (int level = 63; level >= 0; --level) {
    const std::uint64_t bit = std::uint64_t{1} << level;
    if ((size & bit) != 0) {
      out.push_back(NodeId{static_cast<std::uint64_t>(level), lo >> level});
      lo += bit;
    }
  }
  return out;
}

}  // namespace

// ---- TileId ------------------------------------------------------------------------------------

std::uint64_t TileId::first_leaf() const {
  const unsigned shift = 8 * (static_cast<unsigned>(level) + 1);
  if (shift >= 64) return index == 0 ? 0 : UINT64_MAX;
  if (index > (UINT64_MAX >> shift)) return UINT64_MAX;
  return index << shift;
}

std::uint64_t TileId::end_leaf() const {
  const unsigned shift = 8 * static_cast<unsigned>(level);
  const std::uint64_t first = first_leaf();
  if (shift >= 64 || width > (UINT64_MAX >> shift)) return UINT64_MAX;
  const std::uint64_t span = std::uint64_t{width} << shift;
  if (first > UINT64_MAX - span) return UINT64_MAX;
  return first + span;
}

std::string tile_path(const TileId& tile) {
  if (tile.width == 0 || tile.width > kTileWidth) {
    throw std::invalid_argument("tile width " + str(tile.width) + " is not 1..256");
  }
  if (tile.level > kMaxTileLevel || (tile.entries && tile.level != 0)) {
    throw std::invalid_argument("tile level " + str(tile.level) + " has no path");
  }
  std::string out = tile.entries ? "tile/entries/" : "tile/" + str(tile.level) + "/";
  // Groups of three digits, most significant first.
  std::vector<unsigned> groups;
  std::uint64_t n = tile.index;
  do {
    groups.push_back(static_cast<unsigned>(n % 1000));
    n /= 1000;
  } while (n != 0);
  for (std::size_t i = groups.size(); i-- > 0;) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%s%03u", i == 0 ? "" : "x", groups[i]);
    out += buf;
    if (i != 0) out += '/';
  }
  if (!tile.full()) out += ".p/" + str(tile.width);
  return out;
}

Result<TileId> parse_tile_path(std::string_view path) {
  if (path.size() > 200) return path_failure<TileId>(path, "too long");
  std::vector<std::string_view> parts;
  for (std::string_view rest = path;;) {
    const std::size_t slash = rest.find('/');
    parts.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (parts.size() < 3 || parts[0] != "tile") {
    return path_failure<TileId>(path, "it must start with tile/<level>/ or tile/entries/");
  }
  TileId tile;
  if (parts[1] == "entries") {
    tile.entries = true;
  } else {
    auto level = parse_plain_decimal(parts[1], kMaxTileLevel);
    if (!level) return path_failure<TileId>(path, "the level must be a decimal 0..63");
    tile.level = static_cast<std::uint8_t>(*level);
  }
  std::vector<std::string_view> groups(parts.begin() + 2, parts.end());
  // A partial tile ends in "<ddd>.p/<W>".
  if (groups.size() >= 2 && groups[groups.size() - 2].ends_with(".p")) {
    auto width = parse_plain_decimal(groups.back(), kTileWidth - 1);
    if (!width || *width == 0) {
      return path_failure<TileId>(path, "a partial tile's width must be a decimal 1..255");
    }
    tile.width = static_cast<std::uint32_t>(*width);
    groups.pop_back();
    groups.back().remove_suffix(2);
  }
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    std::string_view g = groups[i];
    const bool last = i + 1 == groups.size();
    if (!last) {
      if (!g.starts_with('x')) {
        return path_failure<TileId>(path, "all index groups but the last start with 'x'");
      }
      g.remove_prefix(1);
    }
    if (g.size() != 3 ||
        !std::all_of(g.begin(), g.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return path_failure<TileId>(path, "index groups are three decimal digits");
    }
    std::uint64_t d = 0;
    for (char c : g) d = d * 10 + static_cast<std::uint64_t>(c - '0');
    if (n > (UINT64_MAX - d) / 1000) return path_failure<TileId>(path, "the index is too large");
    n = n * 1000 + d;
  }
  tile.index = n;
  if (tile_path(tile) != path) {
    return path_failure<TileId>(path, "it is not written in its one canonical form");
  }
  return tile;
}

// ---- Which tiles a tree has
// ----------------------------------------------------------------------

std::vector<TileId> tiles_for_tree(std::uint64_t size) {
  std::vector<TileId> out;
  for (unsigned level = 0; level < 8 && (size >> (8 * level)) != 0; ++level) {
    const std::uint64_t full = full_tiles(size, level);
    for (std::uint64_t n = 0; n < full; ++n)
      out.push_back(hash_tile(static_cast<std::uint8_t>(level), n));
    if (const std::uint32_t w = partial_width(size, level); w != 0) {
      out.push_back(hash_tile(static_cast<std::uint8_t>(level), full, w));
    }
  }
  return out;
}

std::vector<TileId> entry_bundles_for_tree(std::uint64_t size) {
  std::vector<TileId> out;
  const std::uint64_t full = full_tiles(size, 0);
  out.reserve(full + 1);
  for (std::uint64_t n = 0; n < full; ++n) out.push_back(entry_bundle(n));
  if (const std::uint32_t w = partial_width(size, 0); w != 0) out.push_back(entry_bundle(full, w));
  return out;
}

TileId tile_for_node(const NodeId& node, std::uint64_t size) {
  if (!complete(node, size)) {
    throw std::out_of_range("node at level " + str(node.level) + " index " + str(node.index) +
                            " is not complete in a tree of size " + str(size));
  }
  const unsigned level = static_cast<unsigned>(node.level / kTileHeight);
  const unsigned r = static_cast<unsigned>(node.level % kTileHeight);
  // Complete, so index << r < size >> (8·level): no overflow.
  const std::uint64_t n = (node.index << r) >> 8;
  if (n < full_tiles(size, level)) return hash_tile(static_cast<std::uint8_t>(level), n);
  return hash_tile(static_cast<std::uint8_t>(level), n, partial_width(size, level));
}

// ---- Producing tiles
// -----------------------------------------------------------------------------

std::vector<NodeId> tile_nodes(const TileId& tile) {
  if (tile.entries) throw std::invalid_argument("an entry bundle holds no hashes");
  if (tile.width == 0 || tile.width > kTileWidth || tile.level >= 8) {
    throw std::invalid_argument("no such hash tile: " + str(tile.level) + "/" + str(tile.index));
  }
  if (tile.index > (UINT64_MAX >> 8)) throw std::invalid_argument("tile index too large");
  std::vector<NodeId> out;
  out.reserve(tile.width);
  const std::uint64_t level = std::uint64_t{kTileHeight} * tile.level;
  for (std::uint32_t i = 0; i < tile.width; ++i)
    out.push_back(NodeId{level, (tile.index << 8) + i});
  return out;
}

std::string read_tile(const TileId& tile, const HashReader& read) {
  const std::vector<NodeId> nodes = tile_nodes(tile);
  const std::vector<Hash> hashes = read(nodes);
  if (hashes.size() != nodes.size()) {
    throw std::runtime_error("HashReader returned " + str(hashes.size()) + " hashes for " +
                             str(nodes.size()) + " nodes");
  }
  std::string out;
  out.reserve(hashes.size() * kHashSize);
  for (const Hash& h : hashes) out.append(reinterpret_cast<const char*>(h.data()), h.size());
  return out;
}

std::string format_entry_bundle(std::span<const std::string> entries) {
  if (entries.empty() || entries.size() > kTileWidth) {
    throw std::invalid_argument("an entry bundle holds 1 to 256 entries, not " +
                                str(entries.size()));
  }
  std::size_t total = 0;
  for (const std::string& e : entries) {
    if (e.size() > kMaxBundleEntryBytes) {
      throw std::invalid_argument("entry of " + str(e.size()) +
                                  " bytes does not fit a bundle's 16-bit length prefix");
    }
    total += 2 + e.size();
  }
  std::string out;
  out.reserve(total);
  for (const std::string& e : entries) {
    out.push_back(static_cast<char>(e.size() >> 8));
    out.push_back(static_cast<char>(e.size() & 0xff));
    out += e;
  }
  return out;
}

void write_tiles(std::uint64_t size, const HashReader& hashes, const EntryReader& entries,
                 const TileWriter& write) {
  for (const TileId& tile : tiles_for_tree(size)) write(tile, read_tile(tile, hashes));
  for (const TileId& bundle : entry_bundles_for_tree(size)) {
    const std::uint64_t begin = bundle.first_leaf();
    const std::vector<std::string> list = entries(begin, begin + bundle.width);
    if (list.size() != bundle.width) {
      throw std::runtime_error("EntryReader returned " + str(list.size()) + " entries for " +
                               str(bundle.width));
    }
    write(bundle, format_entry_bundle(list));
  }
}

// ---- Consuming tiles
// -----------------------------------------------------------------------------

Result<std::vector<Hash>> parse_tile(const TileId& tile, std::string_view data) {
  using R = Result<std::vector<Hash>>;
  if (tile.entries || tile.width == 0 || tile.width > kTileWidth) {
    return R(Problems{tile_problem("tile.malformed", "not a hash tile")});
  }
  const std::size_t want = std::size_t{tile.width} * kHashSize;
  if (data.size() != want) {
    return R(Problems{tile_problem("tile.malformed", tile_path(tile) + " has " + str(data.size()) +
                                                         " bytes; a tile of " + str(tile.width) +
                                                         " hashes has " + str(want))});
  }
  std::vector<Hash> out(tile.width);
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::memcpy(out[i].data(), data.data() + i * kHashSize, kHashSize);
  }
  return out;
}

Result<std::vector<std::string>> parse_entry_bundle(const TileId& bundle, std::string_view data) {
  using R = Result<std::vector<std::string>>;
  if (!bundle.entries || bundle.width == 0 || bundle.width > kTileWidth) {
    return R(Problems{tile_problem("tile.malformed", "not an entry bundle")});
  }
  const std::string where = tile_path(bundle);
  std::vector<std::string> out;
  out.reserve(bundle.width);
  std::size_t at = 0;
  while (at < data.size()) {
    if (out.size() == bundle.width) {
      return R(Problems{tile_problem("tile.malformed", where + " has " + str(data.size() - at) +
                                                           " bytes after its " + str(bundle.width) +
                                                           " entries")});
    }
    if (data.size() - at < 2) {
      return R(Problems{tile_problem(
          "tile.malformed", where + " ends inside the length of entry " + str(out.size()))});
    }
    const std::size_t length = static_cast<std::size_t>(static_cast<unsigned char>(data[at])) << 8 |
                               static_cast<unsigned char>(data[at + 1]);
    at += 2;
    if (data.size() - at < length) {
      return R(
          Problems{tile_problem("tile.malformed", where + " ends inside entry " + str(out.size()) +
                                                      " (" + str(length) + " bytes announced)")});
    }
    out.emplace_back(data.substr(at, length));
    at += length;
  }
  if (out.size() != bundle.width) {
    return R(Problems{tile_problem("tile.malformed", where + " has " + str(out.size()) +
                                                         " entries, not " + str(bundle.width))});
  }
  return out;
}

Hash full_tile_hash(std::span<const Hash> hashes) {
  if (hashes.size() != kTileWidth) {
    throw std::invalid_argument("a full tile has 256 hashes, not " + str(hashes.size()));
  }
  return perfect_root(hashes);
}

// ---- TileHashReader
// ------------------------------------------------------------------------------

TileHashReader::TileHashReader(std::uint64_t size, const Hash& root, TileFetcher fetch)
    : size_(size), root_(root), fetch_(std::move(fetch)) {
  if (!fetch_) throw std::invalid_argument("TileHashReader needs a fetcher");
}

HashReader TileHashReader::reader() {
  return [this](std::span<const NodeId> nodes) { return read(nodes); };
}

std::vector<Hash> TileHashReader::read(std::span<const NodeId> nodes) {
  // Check every request first, so a bad request fetches nothing.
  for (const NodeId& node : nodes) (void)tile_for_node(node, size_);
  std::vector<Hash> out;
  out.reserve(nodes.size());
  for (const NodeId& node : nodes) {
    out.push_back(node_from_tile(node, authenticated(tile_for_node(node, size_))));
  }
  return out;
}

// Not yet authenticated: callers check the tile, then keep it (or throw and forget it).
std::vector<Hash> TileHashReader::fetch_tile(const TileId& tile) {
  const std::string data = fetch_(tile);
  ++fetched_;
  auto parsed = parse_tile(tile, data);
  if (!parsed.ok()) throw TileError(parsed.problems().front().message);
  return std::move(parsed).value();
}

void TileHashReader::authenticate_right_edge() {
  if (right_edge_checked_) return;
  std::map<TileId, std::vector<Hash>> edge;
  for (unsigned level = 0; level < 8; ++level) {
    const std::uint32_t w = partial_width(size_, level);
    if (w == 0) continue;
    const TileId tile = hash_tile(static_cast<std::uint8_t>(level), full_tiles(size_, level), w);
    edge.emplace(tile, fetch_tile(tile));
  }
  // The root is the fold of the tree's cover, whose nodes all lie in those partial tiles.
  const std::vector<NodeId> cover = root_cover(size_);
  Hash root = empty_tree_root();
  for (std::size_t i = cover.size(); i-- > 0;) {
    const Hash h = node_from_tile(cover[i], edge.at(tile_for_node(cover[i], size_)));
    root = i + 1 == cover.size() ? h : node_hash(h, root);
  }
  if (root != root_) {
    throw TileError("the rightmost tiles of the tree of size " + str(size_) +
                    " do not fold to its signed root " + to_hex(root_) + " (they give " +
                    to_hex(root) + ")");
  }
  tiles_.merge(edge);
  right_edge_checked_ = true;
}

const std::vector<Hash>& TileHashReader::authenticated(const TileId& tile) {
  authenticate_right_edge();
  if (auto found = tiles_.find(tile); found != tiles_.end()) return found->second;
  if (!tile.full()) {
    // Only the right edge has partial tiles, and it is in tiles_ now.
    throw std::logic_error("partial tile " + tile_path(tile) + " is not on the right edge");
  }
  // A full tile's hash is the entry for it in its parent, which is authenticated first.
  const NodeId up{std::uint64_t{kTileHeight} * (tile.level + 1u), tile.index};
  const std::vector<Hash>& parent = authenticated(tile_for_node(up, size_));
  const Hash expected = parent.at(tile.index & 0xff);
  std::vector<Hash> hashes = fetch_tile(tile);
  if (full_tile_hash(hashes) != expected) {
    throw TileError(tile_path(tile) +
                    " does not match the hash its parent tile gives for it: "
                    "the tiles are not those of the signed tree");
  }
  return tiles_.emplace(tile, std::move(hashes)).first->second;
}

}  // namespace candor::registry
