// C2SP tlog-tiles: path encoding (the spec's examples), which tiles a tree has (the spec's 70,000
// leaf example), tile and bundle contents and parsing, and reading a tree back through its tiles.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

#include "candor/registry/merkle.h"
#include "candor/registry/tiles.h"

using namespace candor::registry;

namespace {

// The files of a tree in the tlog-tiles layout, path → bytes, and a fetcher over them.
struct TileFiles {
  std::map<std::string, std::string> files;
  std::map<std::string, int> fetches;

  TileFetcher fetcher() {
    return [this](const TileId& tile) {
      const std::string path = tile_path(tile);
      ++fetches[path];
      auto found = files.find(path);
      if (found == files.end()) throw std::runtime_error("no file " + path);
      return found->second;
    };
  }
};

std::string entry_text(std::uint64_t i) {
  return "entry-" + std::to_string(i);
}

TileFiles publish(const MerkleTree& tree, std::uint64_t size) {
  TileFiles out;
  write_tiles(
      size, tree.reader(),
      [](std::uint64_t begin, std::uint64_t end) {
        std::vector<std::string> list;
        for (std::uint64_t i = begin; i < end; ++i) list.push_back(entry_text(i));
        return list;
      },
      [&](const TileId& tile, std::string_view bytes) {
        REQUIRE(out.files.emplace(tile_path(tile), std::string(bytes)).second);
      });
  return out;
}

MerkleTree tree_of(std::uint64_t size) {
  MerkleTree tree;
  for (std::uint64_t i = 0; i < size; ++i) tree.append_entry(entry_text(i));
  return tree;
}

std::vector<std::string> paths(const std::vector<TileId>& tiles) {
  std::vector<std::string> out;
  for (const TileId& t : tiles) out.push_back(tile_path(t));
  return out;
}

}  // namespace

TEST_CASE("tile paths encode N in groups of three digits, as in the spec", "[tlog][tiles]") {
  CHECK(tile_path(hash_tile(0, 1234067)) == "tile/0/x001/x234/067");
  CHECK(tile_path(hash_tile(0, 1234067, 5)) == "tile/0/x001/x234/067.p/5");
  CHECK(tile_path(entry_bundle(1234067)) == "tile/entries/x001/x234/067");
  CHECK(tile_path(entry_bundle(1234067, 255)) == "tile/entries/x001/x234/067.p/255");
  CHECK(tile_path(hash_tile(0, 0)) == "tile/0/000");
  CHECK(tile_path(hash_tile(1, 7, 17)) == "tile/1/007.p/17");
  CHECK(tile_path(hash_tile(2, 999)) == "tile/2/999");
  CHECK(tile_path(hash_tile(2, 1000)) == "tile/2/x001/000");
  CHECK(tile_path(hash_tile(3, 123456789)) == "tile/3/x123/x456/789");  // Go's example
  CHECK(tile_path(hash_tile(63, 0, 1)) == "tile/63/000.p/1");
  CHECK(tile_path(entry_bundle(UINT64_MAX)) == "tile/entries/x018/x446/x744/x073/x709/x551/615");

  CHECK_THROWS_AS(tile_path(hash_tile(0, 0, 0)), std::invalid_argument);
  CHECK_THROWS_AS(tile_path(hash_tile(0, 0, 257)), std::invalid_argument);
  CHECK_THROWS_AS(tile_path(hash_tile(64, 0)), std::invalid_argument);
  CHECK_THROWS_AS(tile_path(TileId{true, 1, 0, 256}), std::invalid_argument);
}

TEST_CASE("tile paths parse back strictly, one path per tile", "[tlog][tiles]") {
  for (const TileId& t :
       {hash_tile(0, 1234067), hash_tile(0, 1234067, 5), entry_bundle(0, 1), entry_bundle(1000000),
        hash_tile(7, 0, 1), hash_tile(63, 42, 255), entry_bundle(UINT64_MAX, 3)}) {
    auto parsed = parse_tile_path(tile_path(t));
    REQUIRE(parsed.ok());
    CHECK(parsed.value() == t);
  }
  for (const char* bad : {"",
                          "tile",
                          "tile/0",
                          "tile/0/",
                          "/tile/0/000",
                          "tile/0/000/",
                          "tiles/0/000",
                          "tile/00/000",
                          "tile/64/000",
                          "tile/-1/000",
                          "tile/+1/000",
                          "tile/x/000",
                          "tile/0/1234",
                          "tile/0/12",
                          "tile/0/x1/234",
                          "tile/0/001/234",
                          "tile/0/x000/001",
                          "tile/0/000.p/0",
                          "tile/0/000.p/256",
                          "tile/0/000.p/07",
                          "tile/0/000.p/",
                          "tile/0/000.p",
                          "tile/0/000.q/5",
                          "tile/0/000.p/5/1",
                          "tile/entries/000.p",
                          "tile/entries/x00a/000",
                          "tile/8/0/000",
                          "tile/data/000",
                          "tile/0/x999/x999/x999/x999/x999/x999/x999/999",
                          "tile/entries/x018/x446/x744/x073/x709/x551/616"}) {
    INFO(bad);
    auto parsed = parse_tile_path(bad);
    CHECK_FALSE(parsed.ok());
    if (!parsed.ok()) CHECK(parsed.problems().front().code == "tile.path");
  }
}

TEST_CASE("a tree of 70,000 leaves has the tiles the spec lists", "[tlog][tiles]") {
  const std::vector<TileId> tiles = tiles_for_tree(70000);
  std::map<std::pair<int, bool>, int> count;  // (level, full) → number
  for (const TileId& t : tiles) ++count[{t.level, t.full()}];
  CHECK(count[{0, true}] == 273);
  CHECK(count[{0, false}] == 1);
  CHECK(count[{1, true}] == 1);
  CHECK(count[{1, false}] == 1);
  CHECK(count[{2, false}] == 1);
  CHECK(tiles.size() == 277);
  CHECK(tiles[273] == hash_tile(0, 273, 112));
  CHECK(tiles[274] == hash_tile(1, 0));
  CHECK(tiles[275] == hash_tile(1, 1, 17));
  CHECK(tiles[276] == hash_tile(2, 0, 1));

  const std::vector<TileId> bundles = entry_bundles_for_tree(70000);
  REQUIRE(bundles.size() == 274);
  CHECK(bundles.back() == entry_bundle(273, 112));

  // "a tree of size 256 will be represented by a full level 0 tile and a partial level 1 tile of
  // width 1"
  CHECK(paths(tiles_for_tree(256)) == std::vector<std::string>{"tile/0/000", "tile/1/000.p/1"});
  CHECK(paths(tiles_for_tree(1)) == std::vector<std::string>{"tile/0/000.p/1"});
  CHECK(paths(tiles_for_tree(300)) ==
        std::vector<std::string>{"tile/0/000", "tile/0/001.p/44", "tile/1/000.p/1"});
  CHECK(tiles_for_tree(65536).size() == 256 + 1 + 1);  // 256 full, one full level 1, 2/000.p/1
  CHECK(tiles_for_tree(65536).back() == hash_tile(2, 0, 1));
  CHECK(tiles_for_tree(0).empty());
  CHECK(entry_bundles_for_tree(0).empty());
  CHECK(paths(entry_bundles_for_tree(512)) ==
        std::vector<std::string>{"tile/entries/000", "tile/entries/001"});

  // The largest tree's top tile is at level 7 (tree level 56), partial, 255 wide.
  CHECK(tile_for_node(NodeId{56, 254}, UINT64_MAX) == hash_tile(7, 0, 255));
}

TEST_CASE("the leaves a tile spans", "[tlog][tiles]") {
  CHECK(hash_tile(0, 3).first_leaf() == 768);
  CHECK(hash_tile(0, 3).end_leaf() == 1024);
  CHECK(hash_tile(0, 3, 10).end_leaf() == 778);
  CHECK(hash_tile(1, 2).first_leaf() == 2 * 65536);
  CHECK(hash_tile(1, 2, 3).end_leaf() == 2 * 65536 + 3 * 256);
  CHECK(hash_tile(7, 0, 255).end_leaf() == std::uint64_t{255} << 56);
  CHECK(hash_tile(7, 0).end_leaf() == UINT64_MAX);  // 2^64 saturates
  CHECK(hash_tile(7, 1).first_leaf() == UINT64_MAX);
  CHECK(hash_tile(63, 0, 1).end_leaf() == UINT64_MAX);
  CHECK(entry_bundle(5, 7).first_leaf() == 1280);
}

TEST_CASE("tile_for_node finds the full tile, or the level's partial tile", "[tlog][tiles]") {
  CHECK(tile_for_node(NodeId{0, 0}, 300) == hash_tile(0, 0));
  CHECK(tile_for_node(NodeId{0, 299}, 300) == hash_tile(0, 1, 44));
  CHECK(tile_for_node(NodeId{3, 36}, 300) == hash_tile(0, 1, 44));  // leaves 288..295
  CHECK(tile_for_node(NodeId{8, 0}, 300) == hash_tile(1, 0, 1));
  CHECK(tile_for_node(NodeId{8, 255}, 65536) == hash_tile(1, 0));
  CHECK(tile_for_node(NodeId{16, 0}, 65536) == hash_tile(2, 0, 1));
  CHECK(tile_for_node(NodeId{9, 1}, 70000) == hash_tile(1, 0));
  CHECK(tile_for_node(NodeId{63, 0}, UINT64_MAX) == hash_tile(7, 0, 255));
  CHECK_THROWS_AS(tile_for_node(NodeId{0, 300}, 300), std::out_of_range);
  CHECK_THROWS_AS(tile_for_node(NodeId{3, 37}, 300), std::out_of_range);  // 296..303 incomplete
  CHECK_THROWS_AS(tile_for_node(NodeId{64, 0}, UINT64_MAX), std::out_of_range);
}

TEST_CASE("tiles hold the stored hashes of their level; full tiles hash into the level above",
          "[tlog][tiles]") {
  const MerkleTree tree = tree_of(70000);
  TileFiles files = publish(tree, 70000);
  CHECK(files.files.size() == 277 + 274);

  // Level 0: leaf hashes.
  auto tile0 = parse_tile(hash_tile(0, 273, 112), files.files.at("tile/0/273.p/112"));
  REQUIRE(tile0.ok());
  for (std::uint32_t i = 0; i < 112; ++i)
    CHECK(tile0.value()[i] == leaf_hash(entry_text(273 * 256 + i)));

  // Level 1: hash i is the root of level-0 tile i, and the stored hash at tree level 8.
  auto tile1 = parse_tile(hash_tile(1, 0), files.files.at("tile/1/000"));
  REQUIRE(tile1.ok());
  for (std::uint32_t i = 0; i < 256; i += 51) {
    auto below = parse_tile(hash_tile(0, i), files.files.at(tile_path(hash_tile(0, i))));
    REQUIRE(below.ok());
    CHECK(full_tile_hash(below.value()) == tile1.value()[i]);
    CHECK(tree.stored_hash(NodeId{8, i}) == tile1.value()[i]);
  }
  // Partial tiles are never hashed into the level above: 2/000.p/1 holds only the full 1/000.
  auto tile2 = parse_tile(hash_tile(2, 0, 1), files.files.at("tile/2/000.p/1"));
  REQUIRE(tile2.ok());
  CHECK(tile2.value().front() == full_tile_hash(tile1.value()));

  CHECK(read_tile(hash_tile(1, 1, 17), tree.reader()) == files.files.at("tile/1/001.p/17"));
  CHECK(read_tile(hash_tile(1, 1, 17), tree.reader()).size() == 17 * 32);
  CHECK_THROWS_AS(read_tile(entry_bundle(0), tree.reader()), std::invalid_argument);
  CHECK_THROWS_AS(full_tile_hash(tile0.value()), std::invalid_argument);
}

TEST_CASE("a tree of 70,000 leaves is recomputed from its tiles alone", "[tlog][tiles]") {
  const MerkleTree tree = tree_of(70000);
  TileFiles files = publish(tree, 70000);

  TileHashReader tiles(70000, tree.root(), files.fetcher());
  CHECK(tree_root(70000, tiles.reader()) == tree.root());

  // Every leaf hash, from the level-0 tiles, equals the hash of the entry in its bundle.
  for (const TileId& bundle : entry_bundles_for_tree(70000)) {
    auto entries = parse_entry_bundle(bundle, files.files.at(tile_path(bundle)));
    REQUIRE(entries.ok());
    for (std::uint32_t i = 0; i < bundle.width; ++i) {
      REQUIRE(entries.value()[i] == entry_text(bundle.first_leaf() + i));
    }
  }

  // Proofs from tiles equal proofs from the tree, and verify against the tree's roots.
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    const std::uint64_t index = rng() % 70000;
    const auto proof = inclusion_proof(index, 70000, tiles.reader());
    CHECK(proof == tree.inclusion_proof(index, 70000));
    CHECK(verify_inclusion(index, 70000, leaf_hash(entry_text(index)), proof, tree.root()).ok());
    const std::uint64_t old_size = 1 + rng() % 70000;
    const auto consistency = consistency_proof(old_size, 70000, tiles.reader());
    CHECK(consistency == tree.consistency_proof(old_size, 70000));
    CHECK(verify_consistency(old_size, 70000, consistency, tree.root(old_size), tree.root()).ok());
  }
  // Each tile is fetched at most once.
  for (const auto& [path, n] : files.fetches) {
    INFO(path);
    CHECK(n == 1);
  }
  CHECK(tiles.tiles_fetched() == files.fetches.size());
  CHECK_THROWS_AS(tiles.read(std::vector<NodeId>{NodeId{0, 70000}}), std::out_of_range);
  CHECK_THROWS_AS(tiles.read(std::vector<NodeId>{NodeId{17, 0}}), std::out_of_range);
}

TEST_CASE("every small tree is recomputed from its tiles", "[tlog][tiles]") {
  const MerkleTree tree = tree_of(600);
  for (std::uint64_t size : {1, 2, 3, 255, 256, 257, 300, 511, 512, 513, 600}) {
    INFO("size " << size);
    TileFiles files = publish(tree, size);
    TileHashReader tiles(size, tree.root(size), files.fetcher());
    CHECK(tree_root(size, tiles.reader()) == tree.root(size));
    for (std::uint64_t index = 0; index < size; index += 37) {
      CHECK(inclusion_proof(index, size, tiles.reader()) == tree.inclusion_proof(index, size));
    }
  }
}

TEST_CASE("tiles that do not match the signed root are refused", "[tlog][tiles]") {
  const MerkleTree tree = tree_of(70000);
  const TileFiles good = publish(tree, 70000);
  const std::vector<NodeId> leaf5{NodeId{0, 5}};
  const std::vector<NodeId> last_leaf{NodeId{0, 69999}};

  SECTION("a wrong root") {
    TileFiles files = good;
    TileHashReader tiles(70000, tree.root(69999), files.fetcher());
    CHECK_THROWS_AS(tiles.read(last_leaf), TileError);
  }
  SECTION("an altered full tile") {
    TileFiles files = good;
    files.files.at("tile/0/000")[5 * 32] ^= 1;
    TileHashReader tiles(70000, tree.root(), files.fetcher());
    CHECK(tiles.read(last_leaf).front() == leaf_hash(entry_text(69999)));  // other tiles fine
    CHECK_THROWS_AS(tiles.read(leaf5), TileError);
    CHECK_THROWS_AS(tiles.read(leaf5), TileError);  // and never cached
  }
  SECTION("an altered partial tile") {
    TileFiles files = good;
    files.files.at("tile/1/001.p/17")[0] ^= 1;
    TileHashReader tiles(70000, tree.root(), files.fetcher());
    CHECK_THROWS_AS(tiles.read(leaf5), TileError);
  }
  SECTION("a tile of the wrong length") {
    TileFiles files = good;
    files.files.at("tile/0/000").pop_back();
    TileHashReader tiles(70000, tree.root(), files.fetcher());
    CHECK_THROWS_AS(tiles.read(leaf5), TileError);
  }
  SECTION("a missing tile: the fetcher's exception passes through") {
    TileFiles files = good;
    files.files.erase("tile/0/000");
    TileHashReader tiles(70000, tree.root(), files.fetcher());
    CHECK_THROWS_WITH(tiles.read(leaf5), "no file tile/0/000");
  }
  SECTION("the empty tree needs no tile") {
    TileFiles files;
    TileHashReader tiles(0, empty_tree_root(), files.fetcher());
    CHECK(tiles.read(std::vector<NodeId>{}).empty());
    CHECK(files.fetches.empty());
  }
}

TEST_CASE("entry bundles are big-endian uint16 length-prefixed entries", "[tlog][tiles]") {
  const std::vector<std::string> entries = {"", "a", std::string(300, 'x'),
                                            std::string(65535, 'y')};
  const std::string bundle = format_entry_bundle(entries);
  CHECK(bundle.size() == 2 + 0 + 2 + 1 + 2 + 300 + 2 + 65535);
  CHECK(bundle.substr(0, 5) == std::string("\x00\x00\x00\x01"
                                           "a",
                                           5));
  CHECK(bundle.substr(5, 2) == std::string("\x01\x2c", 2));  // 300
  CHECK(bundle.substr(5 + 2 + 300, 2) == std::string("\xff\xff", 2));

  auto parsed = parse_entry_bundle(entry_bundle(0, 4), bundle);
  REQUIRE(parsed.ok());
  CHECK(parsed.value() == entries);

  CHECK_THROWS_AS(format_entry_bundle(std::vector<std::string>{std::string(65536, 'z')}),
                  std::invalid_argument);
  CHECK_THROWS_AS(format_entry_bundle(std::vector<std::string>{}), std::invalid_argument);
  CHECK_THROWS_AS(format_entry_bundle(std::vector<std::string>(257, "e")), std::invalid_argument);
  CHECK_NOTHROW(format_entry_bundle(std::vector<std::string>(256, "e")));

  auto refused = [](const TileId& id, std::string_view data) {
    auto r = parse_entry_bundle(id, data);
    return !r.ok() && r.problems().front().code == "tile.malformed";
  };
  CHECK(refused(entry_bundle(0, 5), bundle));                               // too few entries
  CHECK(refused(entry_bundle(0, 3), bundle));                               // bytes after the 3rd
  CHECK(refused(entry_bundle(0, 4), bundle.substr(0, bundle.size() - 1)));  // truncated entry
  CHECK(refused(entry_bundle(0, 1), std::string("\x00", 1)));               // truncated length
  CHECK(refused(entry_bundle(0, 1), ""));
  CHECK(refused(hash_tile(0, 0, 4), bundle));  // not a bundle
  CHECK(parse_entry_bundle(entry_bundle(0, 1), std::string("\x00\x00", 2)).ok());
}

TEST_CASE("hash tiles must be exactly W hashes", "[tlog][tiles]") {
  const std::string two(64, '\x07');
  auto parsed = parse_tile(hash_tile(0, 0, 2), two);
  REQUIRE(parsed.ok());
  CHECK(parsed.value().size() == 2);
  CHECK(parsed.value()[1][31] == 7);
  CHECK_FALSE(parse_tile(hash_tile(0, 0, 3), two).ok());
  CHECK_FALSE(parse_tile(hash_tile(0, 0, 1), two).ok());
  CHECK_FALSE(parse_tile(hash_tile(0, 0), two).ok());
  CHECK_FALSE(parse_tile(entry_bundle(0, 2), two).ok());
  CHECK(parse_tile(hash_tile(0, 0, 1), two.substr(0, 31)).problems().front().code ==
        "tile.malformed");
}
