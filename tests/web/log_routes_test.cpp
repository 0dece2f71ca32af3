// The log over HTTP, answered by App::handle from a real SQLite register: every byte served must
// verify against the signed checkpoint with the project's own verifiers (the Go interop test and
// the `candor verify --log http://` integration test check the same with independent code).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "candor/registry/checkpoint.h"
#include "candor/registry/merkle.h"
#include "candor/registry/note.h"
#include "candor/registry/tiles.h"
#include "candor/web/app.h"
#include "store_test_support.h"
#include "web_test_support.h"

using namespace candor::registry;
using namespace candor::registry::test;
using candor::web::App;
using candor::web::AppOptions;
using candor::web::Request;
using candor::web::Response;
using candor::web::test::get;
using candor::web::test::read_only;

namespace {

Hash from_b64(const nlohmann::json& value) {
  const auto bytes = base64_decode(value.get<std::string>());
  REQUIRE(bytes);
  const auto hash = hash_from_bytes(*bytes);
  REQUIRE(hash);
  return *hash;
}

std::vector<Hash> proof_of(const nlohmann::json& body) {
  std::vector<Hash> out;
  for (const auto& h : body.at("proof")) out.push_back(from_b64(h));
  return out;
}

// A register with `n` versions (records r0..r{n-1} of one organisation).
struct Register {
  TempDir dir;
  std::unique_ptr<Store> store = open_initialised(dir / "register.db");
  explicit Register(int n) {
    Intake intake(*store, test_signer(), fixed_clock_options());
    std::vector<std::future<Result<Acceptance>>> pending;
    for (int i = 0; i < n; ++i) {
      pending.push_back(intake.submit(prepare(small_record("north-agency", "r" + std::to_string(i))),
                                      {"north-agency", "test"}));
    }
    for (auto& p : pending) REQUIRE(p.get().ok());
  }
};

Checkpoint verified_checkpoint(const std::string& note) {
  const auto opened = open_checkpoint(note, k_origin, test_verifiers());
  REQUIRE(opened.ok());
  return opened.value();
}

}  // namespace

TEST_CASE("log routes: the checkpoint is the signed latest one, revalidated", "[log-routes]") {
  Register reg(3);
  App app(read_only(*reg.store));
  const Response r = app.handle(get("/checkpoint"));
  CHECK(r.status == 200);
  CHECK(r.headers.get("Content-Type") == "text/plain; charset=utf-8");
  CHECK(r.headers.get("Cache-Control") == "no-cache");
  CHECK(r.body == reg.store->latest_checkpoint()->note);
  CHECK(verified_checkpoint(r.body).size == 3);

  Request again = get("/checkpoint");
  again.headers.set("If-None-Match", std::string{*r.headers.get("ETag")});
  const Response not_modified = app.handle(again);
  CHECK(not_modified.status == 304);
  CHECK(not_modified.body.empty());
}

TEST_CASE("log routes: tiles and bundles rebuild the signed root", "[log-routes]") {
  // 300 entries: one full level-0 tile, a partial one of width 44, a partial level-1 tile.
  Register reg(300);
  App app(read_only(*reg.store));
  const Checkpoint cp = verified_checkpoint(app.handle(get("/checkpoint")).body);
  REQUIRE(cp.size == 300);

  std::size_t fetched = 0;
  TileHashReader tiles(cp.size, cp.root, [&](const TileId& tile) {
    const Response r = app.handle(get("/" + tile_path(tile)));
    INFO(tile_path(tile));
    REQUIRE(r.status == 200);
    CHECK(r.headers.get("Content-Type") == "application/octet-stream");
    CHECK(r.headers.get("Cache-Control") == "public, max-age=31536000, immutable");
    ++fetched;
    return r.body;
  });
  // Every leaf's inclusion proof, computed from served tiles only, checks against the root.
  for (std::uint64_t i : {0u, 1u, 255u, 256u, 299u}) {
    const auto entries = reg.store->log_entries(i, i + 1);
    const auto proof = inclusion_proof(i, cp.size, tiles.reader());
    CHECK(verify_inclusion(i, cp.size, leaf_hash(entries[0]), proof, cp.root).ok());
  }
  CHECK(fetched > 0);

  // Entry bundles hold exactly the logged entries.
  for (const TileId& bundle : entry_bundles_for_tree(cp.size)) {
    const Response r = app.handle(get("/" + tile_path(bundle)));
    REQUIRE(r.status == 200);
    const auto parsed = parse_entry_bundle(bundle, r.body);
    REQUIRE(parsed.ok());
    CHECK(parsed.value() == reg.store->log_entries(bundle.first_leaf(), bundle.end_leaf()));
  }
}

TEST_CASE("log routes: tiles beyond the checkpoint or with bad paths are 404", "[log-routes]") {
  Register reg(3);
  App app(read_only(*reg.store));
  CHECK(app.handle(get("/tile/0/000.p/3")).status == 200);
  CHECK(app.handle(get("/tile/entries/000.p/3")).status == 200);
  CHECK(app.handle(get("/tile/0/000.p/2")).status == 200);  // an older checkpoint's tile
  for (const char* path : {"/tile/0/000.p/4", "/tile/0/000", "/tile/entries/000", "/tile/1/000.p/1",
                           "/tile/0/001.p/1", "/tile/0/0000.p/3", "/tile/0/000.p/03",
                           "/tile/../checkpoint", "/tile/0/x000/000.p/1", "/tile/"}) {
    INFO(path);
    const Response r = app.handle(get(path));
    CHECK(r.status == 404);
  }
}

TEST_CASE("log routes: inclusion and consistency proofs verify", "[log-routes]") {
  Register reg(20);
  App app(read_only(*reg.store));
  const Checkpoint cp = verified_checkpoint(reg.store->latest_checkpoint()->note);

  const Response inc = app.handle(get("/api/v1/log/proof/inclusion?index=7&size=20"));
  REQUIRE(inc.status == 200);
  const auto body = nlohmann::json::parse(inc.body);
  CHECK(body.at("index") == 7);
  CHECK(from_b64(body.at("root_hash")) == cp.root);
  const auto entry = reg.store->log_entries(7, 8);
  CHECK(from_b64(body.at("leaf_hash")) == leaf_hash(entry[0]));
  CHECK(verify_inclusion(7, 20, leaf_hash(entry[0]), proof_of(body), cp.root).ok());

  const Response con = app.handle(get("/api/v1/log/proof/consistency?old=5&new=20"));
  REQUIRE(con.status == 200);
  const auto c = nlohmann::json::parse(con.body);
  const Hash old_root = from_b64(c.at("old_root_hash"));
  CHECK(from_b64(c.at("new_root_hash")) == cp.root);
  CHECK(verify_consistency(5, 20, proof_of(c), old_root, cp.root).ok());
  // The old root is the root the log had at size 5: the checkpoint stored for that size.
  if (const auto at5 = reg.store->checkpoint(5)) CHECK(at5->root == old_root);
}

TEST_CASE("log routes: bad proof parameters are JSON 400s that say what to do", "[log-routes]") {
  Register reg(4);
  App app(read_only(*reg.store));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/api/v1/log/proof/inclusion?size=4", "log.parameter"},
      {"/api/v1/log/proof/inclusion?index=x&size=4", "log.parameter"},
      {"/api/v1/log/proof/inclusion?index=-1&size=4", "log.parameter"},
      {"/api/v1/log/proof/inclusion?index=1&size=99999999999999999999999", "log.parameter"},
      {"/api/v1/log/proof/inclusion?index=4&size=4", "log.index"},
      {"/api/v1/log/proof/inclusion?index=0&size=5", "log.size"},
      {"/api/v1/log/proof/consistency?old=0&new=4", "log.size"},
      {"/api/v1/log/proof/consistency?old=3&new=2", "log.size"},
      {"/api/v1/log/proof/consistency?old=1&new=5", "log.size"},
  };
  for (const auto& [target, code] : cases) {
    INFO(target);
    const Response r = app.handle(get(target));
    CHECK(r.status == 400);
    CHECK(r.headers.get("Content-Type").value_or("").starts_with("application/json"));
    const auto body = nlohmann::json::parse(r.body);
    CHECK(body.at("error").at("code") == code);
    CHECK_FALSE(body.at("error").at("message").get<std::string>().empty());
  }
}

TEST_CASE("log routes: log info names the origin and key; no store is a 503", "[log-routes]") {
  Register reg(2);
  App app(read_only(*reg.store));
  const auto info = nlohmann::json::parse(app.handle(get("/api/v1/log")).body);
  CHECK(info.at("origin") == k_origin);
  CHECK(info.at("verifier_key") == test_signer().verifier().to_string());
  CHECK(info.at("size") == 2);
  CHECK(info.at("checkpoint") == reg.store->latest_checkpoint()->note);

  App bare(AppOptions{});  // no store
  CHECK(bare.handle(get("/checkpoint")).status == 503);
  CHECK(bare.handle(get("/api/v1/log")).status == 503);
  CHECK(bare.handle(get("/tile/0/000.p/1")).status == 503);
}
