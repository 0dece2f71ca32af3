// Signed notes and Ed25519 note keys: the known-answer test, real-world notes, and hostile input.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "candor/registry/note.h"
#include "tlog_test_support.h"

using namespace candor::registry;
using candor::registry::test::read_file;
using candor::registry::test::tlog_vectors;

namespace {

constexpr std::string_view kRegisterName = "example.org/ai-register";

Ed25519Seed counting_seed() {
  Ed25519Seed seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(i);
  return seed;
}

std::string trim_newline(std::string s) {
  while (!s.empty() && (s.back() == '\n')) s.pop_back();
  return s;
}

NoteVerifier load_verifier(std::string_view file) {
  auto v = NoteVerifier::parse(trim_newline(read_file(tlog_vectors(file))));
  REQUIRE(v.ok());
  return v.value();
}

std::string text_of(const std::string& note) { return note.substr(0, note.rfind("\n\n") + 1); }

Problem first_problem(const auto& result) {
  REQUIRE_FALSE(result.ok());
  REQUIRE_FALSE(result.problems().empty());
  return result.problems().front();
}

}  // namespace

TEST_CASE("base64 is RFC 4648 and strict", "[tlog][note]") {
  const std::vector<std::uint8_t> bytes = {'f', 'o', 'o', 'b', 'a', 'r'};
  for (std::size_t n = 0; n <= bytes.size(); ++n) {
    const auto prefix = std::span<const std::uint8_t>(bytes).first(n);
    const auto round = base64_decode(base64_encode(prefix));
    REQUIRE(round);
    CHECK(std::vector<std::uint8_t>(prefix.begin(), prefix.end()) == *round);
  }
  CHECK(base64_encode(bytes) == "Zm9vYmFy");
  CHECK(base64_encode(std::span(bytes).first(4)) == "Zm9vYg==");
  CHECK(base64_encode(std::span(bytes).first(5)) == "Zm9vYmE=");
  for (const char* bad : {"Zm9vYg", "Zm9vYg=", "Zm9vYh==", "Zm9vYmF=", "Zm9v Yg==", "Zm9vYg==\n",
                          "Zm9vYg-_", "=Zm9", "Zm=v", "====", "Z==="}) {
    INFO(bad);
    CHECK_FALSE(base64_decode(bad));
  }
  CHECK(base64_decode("")->empty());
}

TEST_CASE("key names follow the signed-note rules", "[tlog][note]") {
  CHECK(is_valid_key_name("example.org/ai-register"));
  CHECK(is_valid_key_name("sum.golang.org"));
  CHECK(is_valid_key_name("caf\xC3\xA9.example"));
  CHECK_FALSE(is_valid_key_name(""));
  CHECK_FALSE(is_valid_key_name("a b"));
  CHECK_FALSE(is_valid_key_name("a+b"));
  CHECK_FALSE(is_valid_key_name("a\tb"));
  CHECK_FALSE(is_valid_key_name("a\xC2\xA0" "b"));     // U+00A0 no-break space
  CHECK_FALSE(is_valid_key_name("a\xE3\x80\x80" "b"));  // U+3000 ideographic space
  CHECK_FALSE(is_valid_key_name("a\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(is_valid_key_name("a\xED\xA0\x80"));      // surrogate
}

TEST_CASE("known answer: the seed 00..1f key reproduces the example checkpoint byte for byte",
          "[tlog][note][kat]") {
  const std::string expected_note = read_file(tlog_vectors("example-register-checkpoint-1000.note"));
  const std::string expected_vkey = trim_newline(read_file(tlog_vectors("example-register.vkey")));

  const NoteSigner signer = NoteSigner::from_seed(std::string(kRegisterName), counting_seed());
  CHECK(signer.name() == kRegisterName);
  CHECK(signer.key_id() == 0x03dcf8b2);
  CHECK(signer.verifier().to_string() == expected_vkey);
  CHECK(sign_note(text_of(expected_note), signer) == expected_note);

  // The signer key text round-trips and signs identically.
  const std::string skey = signer.to_string();
  CHECK(skey.starts_with("PRIVATE+KEY+example.org/ai-register+03dcf8b2+A"));
  auto reparsed = NoteSigner::parse(skey);
  REQUIRE(reparsed.ok());
  CHECK(sign_note(text_of(expected_note), reparsed.value()) == expected_note);

  const NoteVerifier verifier = load_verifier("example-register.vkey");
  auto opened = open_note(expected_note, std::span(&verifier, 1));
  REQUIRE(opened.ok());
  CHECK(opened.value().text == text_of(expected_note));
  CHECK(opened.value().verified.size() == 1);
}

TEST_CASE("real-world notes verify with their published keys", "[tlog][note]") {
  SECTION("the C2SP signed-note example") {
    const NoteVerifier key = load_verifier("real-world/c2sp-signed-note-example.vkey");
    CHECK(key.name() == "example.com/foo");
    CHECK(key.key_id() == 0x530d903a);
    auto opened = open_note(read_file(tlog_vectors("real-world/c2sp-signed-note-example.note")),
                            std::span(&key, 1));
    REQUIRE(opened.ok());
    CHECK(opened.value().text == "This is an example message.\n");
  }
  SECTION("a sum.golang.org checkpoint") {
    const NoteVerifier key = load_verifier("real-world/sum.golang.org.vkey");
    CHECK(key.key_id() == 0x033de0ae);
    CHECK(key.to_string() == trim_newline(read_file(tlog_vectors("real-world/sum.golang.org.vkey"))));
    auto opened = open_note(
        read_file(tlog_vectors("real-world/sum.golang.org-checkpoint-65664258.note")),
        std::span(&key, 1));
    REQUIRE(opened.ok());
    CHECK(opened.value().text.starts_with("go.sum database tree\n65664258\n"));
  }
}

TEST_CASE("tampered or untrusted notes are refused with a reason", "[tlog][note]") {
  const std::string note = read_file(tlog_vectors("example-register-checkpoint-1000.note"));
  const NoteVerifier key = load_verifier("example-register.vkey");
  const auto trusted = std::span(&key, 1);
  const auto open = [&](const std::string& n) { return open_note(n, trusted); };

  SECTION("changed text") {
    std::string bad = note;
    bad.replace(bad.find("1000"), 4, "1001");
    const Problem p = first_problem(open(bad));
    CHECK(p.code == "note.bad-signature");
    CHECK(p.message.find("example.org/ai-register+03dcf8b2") != std::string::npos);
    CHECK(p.position.line == 5);
  }
  SECTION("changed signature") {
    std::string bad = note;
    const std::size_t at = bad.rfind(' ') + 10;
    bad[at] = bad[at] == 'A' ? 'B' : 'A';
    CHECK(first_problem(open(bad)).code == "note.bad-signature");
  }
  SECTION("signed by someone else") {
    const NoteVerifier other = load_verifier("real-world/sum.golang.org.vkey");
    const Problem p = first_problem(open_note(note, std::span(&other, 1)));
    CHECK(p.code == "note.unverified");
    CHECK(p.message.find("example.org/ai-register+03dcf8b2") != std::string::npos);
  }
  SECTION("same name, other key: ignored, not failed") {
    const NoteSigner impostor = NoteSigner::from_seed(std::string(kRegisterName), Ed25519Seed{9});
    auto opened = open_note(note, std::span(&impostor.verifier(), 1));
    CHECK(first_problem(opened).code == "note.unverified");
  }
  SECTION("no blank line") {
    std::string bad = note;
    bad.erase(bad.find("\n\n"), 1);
    CHECK(first_problem(open(bad)).code == "note.malformed");
  }
  SECTION("hyphen instead of em dash") {
    std::string bad = note;
    bad.replace(bad.find("\xE2\x80\x94"), 3, "-");
    CHECK(first_problem(open(bad)).code == "note.malformed");
  }
  SECTION("missing final newline") {
    CHECK(first_problem(open(note.substr(0, note.size() - 1))).code == "note.malformed");
  }
  SECTION("CRLF line endings") {
    std::string bad;
    for (char c : note) bad += c == '\n' ? std::string("\r\n") : std::string(1, c);
    const Problem p = first_problem(open(bad));
    CHECK(p.code == "note.encoding");
    CHECK(p.message.find("U+000d") != std::string::npos);
    CHECK(p.position.line == 1);
  }
  SECTION("invalid UTF-8") {
    std::string bad = note;
    bad[3] = '\xFF';
    CHECK(first_problem(open(bad)).code == "note.encoding");
  }
  SECTION("truncated signature") {
    std::string bad = note;
    bad.replace(bad.rfind(' ') + 1, std::string::npos, "AAAAAA==\n");
    CHECK(first_problem(open(bad)).code == "note.malformed");
  }
  SECTION("every truncation and every single-byte change fails without throwing") {
    for (std::size_t n = 0; n < note.size(); ++n) CHECK_FALSE(open(note.substr(0, n)).ok());
    std::size_t verified = 0;
    for (std::size_t i = 0; i < note.size(); ++i) {
      for (std::uint8_t x : {0x01, 0x20, 0x80, 0xFF}) {
        std::string bad = note;
        bad[i] = static_cast<char>(static_cast<std::uint8_t>(bad[i]) ^ x);
        if (open(bad).ok()) ++verified;
      }
    }
    CHECK(verified == 0);
  }
}

TEST_CASE("signatures by unknown keys are kept aside, duplicates dropped", "[tlog][note]") {
  const NoteSigner log = NoteSigner::from_seed("log.example/a", Ed25519Seed{1});
  const NoteSigner witness = NoteSigner::from_seed("witness.example", Ed25519Seed{2});
  const std::string text = "hello\n\nworld\n";  // empty lines inside the text are allowed
  const Note note{text, {log.sign(text), witness.sign(text), log.sign(text)}};
  const std::string signed_note = format_note(note);

  auto parsed = parse_note(signed_note);
  REQUIRE(parsed.ok());
  CHECK(parsed.value() == note);

  auto only_log = open_note(signed_note, std::span(&log.verifier(), 1));
  REQUIRE(only_log.ok());
  CHECK(only_log.value().text == text);
  CHECK(only_log.value().verified.size() == 1);
  CHECK(only_log.value().unverified.size() == 1);
  CHECK(only_log.value().unverified[0].name == "witness.example");

  const std::vector<NoteVerifier> both = {log.verifier(), witness.verifier()};
  auto all = open_note(signed_note, both);
  REQUIRE(all.ok());
  CHECK(all.value().verified.size() == 2);
  CHECK(all.value().unverified.empty());

  const std::vector<NoteVerifier> twice = {log.verifier(), log.verifier()};
  CHECK_THROWS_AS(open_note(signed_note, twice), std::invalid_argument);
}

TEST_CASE("notes have limits", "[tlog][note]") {
  const NoteSigner log = NoteSigner::from_seed("log.example/a", Ed25519Seed{1});
  const NoteSigner stranger = NoteSigner::from_seed("stranger.example", Ed25519Seed{3});
  const std::string text = "limits\n";
  const auto note_with = [&](std::size_t unknown) {
    Note n{text, {log.sign(text)}};
    for (std::size_t i = 0; i < unknown; ++i) {
      NoteSignature s = stranger.sign(text);
      s.key_id = static_cast<std::uint32_t>(i);  // distinct lines, so none is a duplicate
      n.signatures.push_back(s);
    }
    return format_note(n);
  };
  const auto trusted = std::span(&log.verifier(), 1);
  CHECK(open_note(note_with(15), trusted).ok());
  CHECK(open_note(note_with(kMaxNoteSignatures - 1), trusted).ok());
  const auto too_many = open_note(note_with(kMaxNoteSignatures), trusted);
  CHECK(first_problem(too_many).code == "note.too-many-signatures");
  CHECK(first_problem(too_many).position.line == 3 + kMaxNoteSignatures);

  const std::string huge(kMaxNoteBytes + 1, 'x');
  CHECK(first_problem(parse_note(huge)).code == "note.too-large");
}

TEST_CASE("note keys parse strictly and never echo secrets", "[tlog][note]") {
  const NoteSigner signer = NoteSigner::from_seed(std::string(kRegisterName), counting_seed());
  const std::string vkey = signer.verifier().to_string();
  const std::string skey = signer.to_string();
  // Key material is base64 and may contain '+': it starts after the ID, 8 hex digits after the name.
  const std::string vkey_material = vkey.substr(kRegisterName.size() + 1 + 8 + 1);
  const std::string secret_part = skey.substr(std::string_view("PRIVATE+KEY+").size() +
                                              kRegisterName.size() + 1 + 8 + 1);
  REQUIRE(vkey.ends_with("+03dcf8b2+" + vkey_material));
  REQUIRE(skey.ends_with("+03dcf8b2+" + secret_part));

  const auto vkey_problem = [](const std::string& text) {
    auto r = NoteVerifier::parse(text);
    REQUIRE_FALSE(r.ok());
    return r.problems().front().code;
  };
  CHECK(vkey_problem("example.org/ai-register+03dcf8b3+" + vkey_material) ==
        "key.id-mismatch");
  CHECK(vkey_problem("example.org/ai-register+03DCF8B2+" + vkey_material) ==
        "key.malformed");
  CHECK(vkey_problem("example.org/ai-register+03dcf8b2") == "key.malformed");
  CHECK(vkey_problem("bad name+03dcf8b2+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4") == "key.name");
  CHECK(vkey_problem("example.org/ai-register+03dcf8b2+AgOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4") ==
        "key.algorithm");
  CHECK(vkey_problem("example.org/ai-register+03dcf8b2+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVQ==") ==
        "key.malformed");
  CHECK(vkey_problem("") == "key.malformed");

  for (const std::string& bad : {"PRIVATE+KEY+" + std::string(kRegisterName) + "+03dcf8b3+" + secret_part,
                                 "PRIVATE+KEX+" + std::string(kRegisterName) + "+03dcf8b2+" + secret_part,
                                 "PRIVATE+KEY+" + std::string(kRegisterName) + "+03dcf8b2+" +
                                     secret_part.substr(0, 20)}) {
    auto r = NoteSigner::parse(bad);
    REQUIRE_FALSE(r.ok());
    for (const Problem& p : r.problems()) CHECK(p.message.find(secret_part) == std::string::npos);
  }
  // A verifier key is not a signer key, and the other way round.
  CHECK_FALSE(NoteSigner::parse(vkey).ok());
  CHECK_FALSE(NoteVerifier::parse(skey).ok());
}

TEST_CASE("generated keys are fresh and work", "[tlog][note]") {
  const NoteSigner a = NoteSigner::generate("candor.example/log");
  const NoteSigner b = NoteSigner::generate("candor.example/log");
  CHECK(a.to_string() != b.to_string());
  const std::string note = sign_note("checkpoint\n", a);
  CHECK(open_note(note, std::span(&a.verifier(), 1)).ok());
  CHECK_FALSE(open_note(note, std::span(&b.verifier(), 1)).ok());
  auto reparsed = NoteSigner::parse(a.to_string());
  REQUIRE(reparsed.ok());
  CHECK(reparsed.value().verifier().to_string() == a.verifier().to_string());
}

TEST_CASE("signing refuses texts that are not note texts", "[tlog][note]") {
  const NoteSigner log = NoteSigner::from_seed("log.example/a", Ed25519Seed{1});
  CHECK_THROWS_AS(log.sign("no newline"), std::invalid_argument);
  CHECK_THROWS_AS(log.sign(""), std::invalid_argument);
  CHECK_THROWS_AS(log.sign("tab\there\n"), std::invalid_argument);
  CHECK_THROWS_AS(log.sign("bad \xFF utf8\n"), std::invalid_argument);
  CHECK_THROWS_AS(NoteSigner::from_seed("has space", Ed25519Seed{}), std::invalid_argument);
  CHECK_THROWS_AS(format_note(Note{"text\n", {}}), std::invalid_argument);
  CHECK_NOTHROW(log.sign("caf\xC3\xA9 \xE2\x80\x94 ok\n"));
}
