// Checkpoints: strict parsing of the C2SP tlog-checkpoint body, formatting, signing and opening.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "candor/registry/checkpoint.h"
#include "tlog_test_support.h"

using namespace candor::registry;
using candor::registry::test::read_file;
using candor::registry::test::tlog_vectors;

namespace {

const std::string kRoot = "hEU7UV2yIeAVJB+Rd41UGpHidHKjy71JIrAjsYBFY1k=";

std::string body(std::string_view size, std::string_view root = kRoot) {
  return "example.org/ai-register\n" + std::string(size) + "\n" + std::string(root) + "\n";
}

NoteVerifier load_verifier(std::string_view file) {
  std::string text = read_file(tlog_vectors(file));
  while (!text.empty() && text.back() == '\n') text.pop_back();
  auto v = NoteVerifier::parse(text);
  REQUIRE(v.ok());
  return v.value();
}

}  // namespace

TEST_CASE("a checkpoint body parses and formats back to the same bytes", "[tlog][checkpoint]") {
  const std::string text = body("1000");
  auto parsed = parse_checkpoint(text);
  REQUIRE(parsed.ok());
  const Checkpoint& c = parsed.value();
  CHECK(c.origin == "example.org/ai-register");
  CHECK(c.size == 1000);
  CHECK(to_hex(c.root) == "84453b515db221e015241f91778d541a91e27472a3cbbd4922b023b180456359");
  CHECK(c.extensions.empty());
  CHECK(format_checkpoint(c) == text);

  const std::string with_extensions = text + "ext one\n\xE2\x80\x94 two\n";
  auto extended = parse_checkpoint(with_extensions);
  REQUIRE(extended.ok());
  CHECK(extended.value().extensions == std::vector<std::string>{"ext one", "\xE2\x80\x94 two"});
  CHECK(format_checkpoint(extended.value()) == with_extensions);

  // The origin is opaque: spaces and '+' are allowed (the spec only recommends against them).
  auto odd_origin = parse_checkpoint("go.sum database tree\n0\n" + kRoot + "\n");
  REQUIRE(odd_origin.ok());
  CHECK(odd_origin.value().size == 0);
}

TEST_CASE("checkpoint sizes are strict decimals", "[tlog][checkpoint]") {
  CHECK(parse_checkpoint(body("0")).ok());
  CHECK(parse_checkpoint(body("18446744073709551615")).value().size == UINT64_MAX);
  for (const char* bad : {"", "00", "01000", "+5", "-1", " 5", "5 ", "1e3", "0x10", "1_000",
                          "18446744073709551616", "99999999999999999999", "١٢"}) {
    INFO("size \"" << bad << "\"");
    auto r = parse_checkpoint(body(bad));
    REQUIRE_FALSE(r.ok());
    CHECK(r.problems().front().code == "checkpoint.malformed");
    if (*bad != '\0') CHECK(r.problems().front().position.line == 2);
  }
}

TEST_CASE("malformed checkpoint bodies are refused with the line at fault", "[tlog][checkpoint]") {
  struct Case {
    std::string text;
    std::uint32_t line;
  };
  const std::vector<Case> cases = {
      {body("5", kRoot.substr(0, 43)), 3},                      // unpadded
      {body("5", "AAAA"), 3},                                   // 3 bytes
      {body("5", "hEU7UV2yIeAVJB+Rd41UGpHidHKjy71JIrAjsYBFY1l="), 3},  // non-canonical
      {body("5", kRoot + " "), 3},
      {body("5") + "\n", 4},                                    // empty extension line
      {body("5") + "ext\n\nmore\n", 5},
      {"\n5\n" + kRoot + "\n", 1},                              // empty origin
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto r = parse_checkpoint(c.text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.problems().front().code == "checkpoint.malformed");
    CHECK(r.problems().front().position.line == c.line);
  }
  for (const std::string& bad : {std::string("example.org/ai-register\n5\n"),
                                 std::string("example.org/ai-register\n5\n") + kRoot,
                                 std::string(""),
                                 "example.org/ai-register\r\n5\r\n" + kRoot + "\r\n",
                                 "example.org/\xFF\n5\n" + kRoot + "\n"}) {
    INFO(bad);
    CHECK_FALSE(parse_checkpoint(bad).ok());
  }
}

TEST_CASE("format_checkpoint refuses checkpoints with no text form", "[tlog][checkpoint]") {
  Checkpoint c{"example.org/log", 1, leaf_hash("x"), {}};
  CHECK_NOTHROW(format_checkpoint(c));
  c.origin = "";
  CHECK_THROWS_AS(format_checkpoint(c), std::invalid_argument);
  c.origin = "two\nlines";
  CHECK_THROWS_AS(format_checkpoint(c), std::invalid_argument);
  c.origin = "tab\there";
  CHECK_THROWS_AS(format_checkpoint(c), std::invalid_argument);
  c.origin = "example.org/log";
  c.extensions = {""};
  CHECK_THROWS_AS(format_checkpoint(c), std::invalid_argument);
}

TEST_CASE("the known-answer checkpoint opens with the register key", "[tlog][checkpoint][kat]") {
  const std::string note = read_file(tlog_vectors("example-register-checkpoint-1000.note"));
  const NoteVerifier key = load_verifier("example-register.vkey");
  auto opened = open_checkpoint(note, "example.org/ai-register", std::span(&key, 1));
  REQUIRE(opened.ok());
  CHECK(opened.value().size == 1000);

  Ed25519Seed seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(i);
  const NoteSigner signer = NoteSigner::from_seed("example.org/ai-register", seed);
  CHECK(sign_checkpoint(opened.value(), signer) == note);

  // End to end: the example root is the tree of the 1000 entries "leaf-0" … "leaf-999".
  MerkleTree tree;
  for (int i = 0; i < 1000; ++i) tree.append_entry("leaf-" + std::to_string(i));
  CHECK(tree.root() == opened.value().root);
  CHECK(sign_checkpoint(Checkpoint{"example.org/ai-register", tree.size(), tree.root(), {}},
                        signer) == note);

  auto wrong_origin = open_checkpoint(note, "example.org/other", std::span(&key, 1));
  REQUIRE_FALSE(wrong_origin.ok());
  CHECK(wrong_origin.problems().front().code == "checkpoint.origin");
}

TEST_CASE("a sum.golang.org checkpoint opens although its key name differs from its origin",
          "[tlog][checkpoint]") {
  const NoteVerifier key = load_verifier("real-world/sum.golang.org.vkey");
  auto opened =
      open_checkpoint(read_file(tlog_vectors("real-world/sum.golang.org-checkpoint-65664258.note")),
                      "go.sum database tree", std::span(&key, 1));
  REQUIRE(opened.ok());
  CHECK(opened.value().origin == "go.sum database tree");
  CHECK(opened.value().size == 65664258);
  CHECK(base64_encode(opened.value().root) == "WVVNVD2qx+fTq31zkj6UAqxT5X6HvGphGM+o8Thnbsg=");
}

TEST_CASE("a signed checkpoint binds a tree: tampering fails, proofs check against it",
          "[tlog][checkpoint]") {
  MerkleTree tree;
  for (int i = 0; i < 1000; ++i) tree.append_entry("statement " + std::to_string(i));
  const NoteSigner log = NoteSigner::from_seed("candor.example/register", Ed25519Seed{42});
  const std::string note =
      sign_checkpoint(Checkpoint{"candor.example/register", tree.size(), tree.root(), {}}, log);
  const auto keys = std::span(&log.verifier(), 1);

  auto opened = open_checkpoint(note, "candor.example/register", keys);
  REQUIRE(opened.ok());
  const Checkpoint& c = opened.value();
  CHECK(verify_inclusion(123, c.size, leaf_hash("statement 123"), tree.inclusion_proof(123, c.size),
                         c.root)
            .ok());

  std::string grown = note;
  grown.replace(grown.find("\n1000\n"), 6, "\n1001\n");
  auto tampered = open_checkpoint(grown, "candor.example/register", keys);
  REQUIRE_FALSE(tampered.ok());
  CHECK(tampered.problems().front().code == "note.bad-signature");

  // A note that verifies but whose text is no checkpoint.
  const std::string not_a_checkpoint = sign_note("hello\n", log);
  auto refused = open_checkpoint(not_a_checkpoint, "candor.example/register", keys);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.problems().front().code == "checkpoint.malformed");
}
