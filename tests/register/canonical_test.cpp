// Canonical JSON (RFC 8785) of records and their body hash.
#include <catch2/catch.hpp>

#include <bit>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "candor/registry/canonical.h"
#include "candor/registry/document.h"

using namespace candor::registry;

namespace {

Document load(const std::string& yaml) {
  auto r = load_document(yaml, "t.yaml");
  std::string problems;
  for (const auto& p : r.problems()) problems += format_problem(p) + "\n";
  INFO(problems);
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::string canonical(const std::string& yaml) {
  auto r = canonical_json(load(yaml));
  REQUIRE(r.ok());
  return r.value();
}

std::string hash_hex(const std::string& yaml) {
  auto r = body_hash(load(yaml));
  REQUIRE(r.ok());
  return lowercase_hex(r.value());
}

// The IEEE-754 double with these bits, written so the YAML loader reads back exactly it.
std::string yaml_double(std::uint64_t bits) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, std::bit_cast<double>(bits),
                         std::chars_format::scientific, 17);
  return std::string(buf, r.ptr);
}

// The JSON value of a Document, built independently of canonical_json.
nlohmann::json to_json(const Node& n) {
  switch (n.kind()) {
    case NodeKind::null:
      return nullptr;
    case NodeKind::boolean:
      return n.as_bool();
    case NodeKind::integer:
      return n.as_int();
    case NodeKind::real:
      return n.as_real();
    case NodeKind::string:
      return n.text();
    case NodeKind::sequence: {
      auto a = nlohmann::json::array();
      for (const Node* item : n.items()) a.push_back(to_json(*item));
      return a;
    }
    case NodeKind::mapping: {
      auto o = nlohmann::json::object();
      for (const Entry& e : n.entries()) o[e.key] = to_json(*e.value);
      return o;
    }
  }
  return nullptr;
}

// One record written five ways, and its canonical form and SHA-256 computed independently with
// python3: json.dumps(v, sort_keys=True, separators=(',', ':'), ensure_ascii=False), hashlib.
const char* const kBlock = R"(schema: candor.record/v1
id: demo-tool
version: 3
organisation:
  id: example-council
  public_authority: true
owner:
  name: Data Team
  email: data@example.org
contact:
  name: Data Team
  email: data@example.org
score: 0.5
reviewed: 2026-09-14
retired: null
tags:
  - a
  - b c
note: "line one\nline \"two\""
)";

const char* const kFlow = R"(# flow style, keys reordered, other number spellings
{tags: [a, 'b c'], retired: ~, version: 0x3,   # hex
 note: "line one\nline \"two\"", score: 5e-1,
 contact: {email: data@example.org, name: Data Team},   # comment
 owner: {email: data@example.org, name: Data Team},
 reviewed: 2026-09-14, organisation: {public_authority: true, id: example-council},
 id: demo-tool, schema: candor.record/v1}
)";

const char* const kQuoted = R"("schema": 'candor.record/v1'
'id': "demo-tool"
version: 0o3
organisation:
  "id": "example-council"
  public_authority: True
owner: {"name": "Data Team", "email": 'data@example.org'}
contact:
  name: !!str Data Team
  email: "data@example.org"
score: !!float 0.50
reviewed: "2026-09-14"
retired: Null
tags: ["a", 'b c']
note: |-
  line one
  line "two"
)";

const char* const kAnchors = R"(schema: candor.record/v1
id: demo-tool
version: +3
organisation: {id: example-council, public_authority: true}
owner: &team
  name: Data Team
  email: data@example.org
contact: *team
score: .5
reviewed: 2026-09-14
retired:
tags: [a, b c]
note: "line one\nline \"two\""
)";

const char* const kExpected =
    R"({"contact":{"email":"data@example.org","name":"Data Team"},"id":"demo-tool",)"
    R"("note":"line one\nline \"two\"","organisation":{"id":"example-council",)"
    R"("public_authority":true},"owner":{"email":"data@example.org","name":"Data Team"},)"
    R"("retired":null,"reviewed":"2026-09-14","schema":"candor.record/v1","score":0.5,)"
    R"("tags":["a","b c"],"version":3})";
const char* const kExpectedHash =
    "a8c4dac4a071cdea18f605d43e60f006015ac4c0fca841991d8fe6ff71e2b280";

}  // namespace

TEST_CASE("canonical: the same record however its YAML is written gives the same bytes") {
  const std::string block = canonical(kBlock);
  CHECK(block == kExpected);
  CHECK(canonical(kFlow) == block);
  CHECK(canonical(kQuoted) == block);
  CHECK(canonical(kAnchors) == block);
}

TEST_CASE("canonical: body hash is SHA-256 of the canonical bytes (known answer)") {
  CHECK(hash_hex(kBlock) == kExpectedHash);
  CHECK(hash_hex(kFlow) == kExpectedHash);
  CHECK(hash_hex(kQuoted) == kExpectedHash);
  CHECK(hash_hex(kAnchors) == kExpectedHash);
}

TEST_CASE("canonical: a one-character change gives a different hash") {
  std::string changed = kBlock;
  const auto at = changed.find("Data Team");
  REQUIRE(at != std::string::npos);
  changed[at + 5] = 't';  // "Data team"
  CHECK(hash_hex(changed) != kExpectedHash);
  CHECK(hash_hex(std::string(kBlock) + "extra: 0\n") != kExpectedHash);
  // A quoted number is text, not the number.
  std::string quoted = kBlock;
  quoted.replace(quoted.find("version: 3"), 10, "version: '3'");
  CHECK(hash_hex(quoted) != kExpectedHash);
}

TEST_CASE("canonical: lowercase_hex") {
  const std::vector<std::uint8_t> bytes{0x00, 0x0f, 0xa0, 0xff};
  CHECK(lowercase_hex(bytes) == "000fa0ff");
  CHECK(lowercase_hex({}) == "");
}

TEST_CASE("canonical: RFC 8785 §3.2.2 example") {
  // The RFC's input, written as YAML (JSON is YAML flow style).
  const std::string yaml =
      R"({"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],)"
      "\n"
      R"( "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",)"
      "\n"
      R"( "literals": [null, true, false]})";
  CHECK(canonical(yaml) ==
        R"({"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],)"
        "\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

TEST_CASE("canonical: keys sort by UTF-16 code units (RFC 8785 §3.2.3)") {
  const std::string yaml = R"("\u20ac": Euro Sign
"\r": Carriage Return
"\ufb33": Hebrew Letter Dalet With Dagesh
"1": One
"\U0001F600": "Emoji: Grinning Face"
"\u0080": Control
"\u00f6": Latin Small Letter O With Diaeresis
)";
  CHECK(canonical(yaml) ==
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
        "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
        "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
        "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}");
  // U+1F600 (D83D DE00) sorts before U+FB01 although its code point, and UTF-8, are larger.
  CHECK(canonical("\"\\ufb01\": 1\n\"\\U0001F600\": 2\nb: 3\n") ==
        "{\"b\":3,\"\xF0\x9F\x98\x80\":2,\"\xEF\xAC\x81\":1}");
  // Sorting is by code units, not by length first; nested mappings are sorted too.
  CHECK(canonical("b: {z: 1, a: 2}\naa: 0\na: [{y: 1, x: 2}]\n") ==
        R"({"a":[{"x":2,"y":1}],"aa":0,"b":{"a":2,"z":1}})");
}

TEST_CASE("canonical: strings use the minimal escapes and literal UTF-8") {
  CHECK(canonical(R"(s: "\" \\ \b \f \n \r \t / \x01 \x1F \x7F")") ==
        R"({"s":"\" \\ \b \f \n \r \t / \u0001 \u001f )"
        "\x7F\"}");
  CHECK(canonical("s: \"caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80 \\u2028\"") ==
        "{\"s\":\"caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80 \xE2\x80\xA8\"}");
  CHECK(canonical("\"k\\ty\": v") == R"({"k\ty":"v"})");
}

TEST_CASE("canonical: numbers are written as ECMAScript writes a double (RFC 8785 Appendix B)") {
  struct Case {
    std::uint64_t bits;
    const char* json;
  };
  const Case cases[] = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
  };
  for (const Case& c : cases) {
    const std::string yaml = "v: " + yaml_double(c.bits);
    INFO(yaml);
    CHECK(canonical(yaml) == std::string("{\"v\":") + c.json + "}");
  }
}

TEST_CASE("canonical: number spellings") {
  struct Case {
    const char* yaml;
    const char* json;
  };
  const Case cases[] = {
      {"0", "0"},
      {"-0", "0"},
      {"-0.0", "0"},
      {"1e21", "1e+21"},
      {"1e20", "100000000000000000000"},
      {"1e-7", "1e-7"},
      {"0.000001", "0.000001"},
      {"123456789012345680000", "123456789012345680000"},
      {"1.5e300", "1.5e+300"},
      {"100.0", "100"},
      {"0.1", "0.1"},
      {"!!float 3", "3"},
      {"0x1F", "31"},
      {"0o37", "31"},
      {"+31", "31"},
      {"31.0", "31"},
      {"-12.5e-1", "-1.25"},
      // int64 integers: exact up to 2^53, beyond that the nearest double, as JSON readers see it.
      {"9007199254740992", "9007199254740992"},
      {"-9007199254740992", "-9007199254740992"},
      {"9007199254740993", "9007199254740992"},
      {"9223372036854775807", "9223372036854776000"},
      {"-9223372036854775808", "-9223372036854776000"},
      {"0x7FFFFFFFFFFFFFFF", "9223372036854776000"},
      // Not numbers in the YAML 1.2 core schema: text.
      {"1_000", "\"1_000\""},
      {"'31'", "\"31\""},
      {"!!str 31", "\"31\""},
      {"2026-09-14", "\"2026-09-14\""},
      {"yes", "\"yes\""},
  };
  for (const Case& c : cases) {
    INFO(c.yaml);
    CHECK(canonical(std::string("v: ") + c.yaml) == std::string("{\"v\":") + c.json + "}");
  }
}

TEST_CASE("canonical: NaN and infinities are refused with a located problem") {
  const Document doc = load("a:\n  b: [1, .inf]\nc: -.Inf\nd: .nan\ne: 1\n");
  const auto r = canonical_json(doc);
  CHECK_FALSE(r.has_value());
  REQUIRE(r.problems().size() == 3);
  const Problem& p = r.problems()[0];
  CHECK(p.code == "canonical.number");
  CHECK(p.file == "t.yaml");
  CHECK(p.position == Position{2, 10});
  CHECK(p.path == "a.b[1]");
  CHECK_FALSE(p.message.empty());
  CHECK_FALSE(p.hint.empty());
  CHECK(r.problems()[1].path == "c");
  CHECK(r.problems()[1].position == Position{3, 4});
  CHECK(r.problems()[2].path == "d");

  const auto h = body_hash(doc);
  CHECK_FALSE(h.has_value());
  CHECK(h.problems().size() == 3);

  const auto from_node = canonical_json(*doc.find("a"));
  REQUIRE(from_node.problems().size() == 1);
  CHECK(from_node.problems()[0].file.empty());
  CHECK(from_node.problems()[0].path == "b[1]");
}

TEST_CASE("canonical: a node on its own, and scalars at the root") {
  const Document doc = load("a: {z: [1, 2.5, null, false], y: x}\n");
  CHECK(canonical_json(*doc.find("a")).value() == R"({"y":"x","z":[1,2.5,null,false]})");
  CHECK(canonical("just text") == R"("just text")");
  CHECK(canonical("[]") == "[]");
  CHECK(canonical("{}") == "{}");
  CHECK(canonical("- ~\n- true\n") == "[null,true]");
}

TEST_CASE("canonical: the example record parses back to the Document's value") {
  auto loaded = load_document_file(CANDOR_TEST_DATA "/example-record.yaml");
  REQUIRE(loaded.ok());
  const Document& doc = loaded.value();
  const auto json = canonical_json(doc);
  REQUIRE(json.ok());
  CHECK(nlohmann::json::parse(json.value()) == to_json(doc.root()));
  // Canonical JSON is also YAML; loading it again gives the same bytes.
  CHECK(canonical(json.value()) == json.value());
  const auto hash = body_hash(doc);
  REQUIRE(hash.ok());
  CHECK(lowercase_hex(hash.value()).size() == 64);
}
