// The YAML Document loader: positions, scalar resolution, and every located problem class.
#include <catch2/catch.hpp>

#include <string>

#include "candor/registry/document.h"

using namespace candor::registry;

namespace {

Result<Document> load(const std::string& text, LoadOptions options = {}) {
  return load_document(text, "t.yaml", options);
}

// The single problem a load must report, checked field by field.
void expect_problem(const Result<Document>& r, const std::string& code, std::uint32_t line,
                    std::uint32_t column, const std::string& path = "") {
  INFO("problems: " << r.problems().size());
  for (const auto& p : r.problems()) INFO(format_problem(p));
  REQUIRE(r.problems().size() == 1);
  const Problem& p = r.problems().front();
  CHECK(p.code == code);
  CHECK(p.file == "t.yaml");
  CHECK(p.position.line == line);
  CHECK(p.position.column == column);
  CHECK(p.path == path);
  CHECK_FALSE(p.message.empty());
  CHECK_FALSE(p.hint.empty());
}

std::string nested_sequences(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

}  // namespace

TEST_CASE("a record loads with the position of every node") {
  auto r = load("schema: candor.record/v1\norganisation:\n  id: northshire-police\n"
                "tags: [a, b]\n");
  REQUIRE(r.ok());
  const Document& doc = r.value();
  CHECK(doc.root().is_mapping());
  const Node* id = doc.find("organisation.id");
  REQUIRE(id != nullptr);
  CHECK(id->text() == "northshire-police");
  CHECK(id->position() == Position{3, 7});
  const Node* b = doc.find("tags[1]");
  REQUIRE(b != nullptr);
  CHECK(b->position() == Position{4, 11});
  CHECK(doc.root().entry("organisation")->key_position == Position{2, 1});
  CHECK(doc.find("tags[2]") == nullptr);
  CHECK(doc.find("organisation.name") == nullptr);
  CHECK(doc.find("tags.x") == nullptr);
}

TEST_CASE("columns count Unicode code points, not bytes") {
  auto r = load("name: \"Caf\xC3\xA9 \xE2\x80\x94 d\xC3\xA9j\xC3\xA0\"\nx: [\xC3\xA9t\xC3\xA9, y]\n");
  REQUIRE(r.ok());
  CHECK(r.value().find("x[1]")->position() == Position{2, 10});
}

TEST_CASE("scalars resolve with the YAML 1.2 core schema") {
  auto r = load(
      "t: true\nf: False\nn: null\ne:\ntilde: ~\ni: -42\nhex: 0x1F\noct: 0o17\nr: 2.5e3\n"
      "inf: -.inf\ns: yes\nq: \"true\"\ndate: 2026-02-02\nbig: 123456789012345678901234\n"
      "tagged: !!str 12\nblock: |\n  text\n");
  REQUIRE(r.ok());
  const Document& d = r.value();
  CHECK(d.find("t")->kind() == NodeKind::boolean);
  CHECK(d.find("t")->as_bool());
  CHECK_FALSE(d.find("f")->as_bool());
  CHECK(d.find("n")->is_null());
  CHECK(d.find("e")->is_null());
  CHECK(d.find("tilde")->is_null());
  CHECK(d.find("i")->as_int() == -42);
  CHECK(d.find("hex")->as_int() == 31);
  CHECK(d.find("oct")->as_int() == 15);
  CHECK(d.find("r")->kind() == NodeKind::real);
  CHECK(d.find("r")->as_real() == 2500.0);
  CHECK(d.find("inf")->as_real() < 0);
  CHECK(d.find("s")->kind() == NodeKind::string);  // YAML 1.1's yes is text in 1.2
  CHECK(d.find("s")->plain());
  CHECK(d.find("q")->kind() == NodeKind::string);
  CHECK_FALSE(d.find("q")->plain());
  CHECK(d.find("date")->kind() == NodeKind::string);
  CHECK(d.find("big")->kind() == NodeKind::real);
  CHECK(d.find("tagged")->kind() == NodeKind::string);
  CHECK(d.find("block")->text() == "text\n");
}

TEST_CASE("aliases share their anchor's node") {
  auto r = load("a: &x {k: v}\nb: *x\n");
  REQUIRE(r.ok());
  CHECK(r.value().find("a") == r.value().find("b"));
  CHECK(r.value().find("b.k")->text() == "v");
}

TEST_CASE("a byte-order mark at the start is accepted") {
  auto r = load("\xEF\xBB\xBFid: x\nname: y\n");
  REQUIRE(r.ok());
  CHECK(r.value().find("name")->position() == Position{2, 7});
}

TEST_CASE("duplicate keys are reported at the second key, with the first's line") {
  auto r = load("id: a\norganisation:\n  id: b\n  name: c\n  id: d\n");
  expect_problem(r, "yaml.duplicate-key", 5, 3, "organisation.id");
  CHECK(r.problems()[0].message.find("line 3") != std::string::npos);
  REQUIRE(r.has_value());  // the rest of the document is still there for further checks
  CHECK(r.value().find("organisation.id")->text() == "b");
}

TEST_CASE("duplicate keys are found in large mappings too") {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "k" + std::to_string(i) + ": v\n";
  text += "k17: again\n";
  expect_problem(load(text), "yaml.duplicate-key", 201, 1, "k17");
}

TEST_CASE("every duplicate key is reported in one run") {
  auto r = load("a: 1\na: 2\nb: 1\nb: 2\n");
  REQUIRE(r.problems().size() == 2);
  CHECK(r.problems()[0].position.line == 2);
  CHECK(r.problems()[1].position.line == 4);
}

TEST_CASE("syntax errors carry yaml-cpp's position, in code points") {
  // An unclosed bracket is reported where it was opened, not where the parser gave up.
  expect_problem(load("a: [1, 2\nb: 3\n"), "yaml.syntax", 1, 4);
  expect_problem(load("a: [1, [2, 3]\nb: {c: 4\n"), "yaml.syntax", 2, 4);
  expect_problem(load("a: b\n c: d\n  - e\n"), "yaml.syntax", 2, 3);
  expect_problem(load("k:\n\t- x\n"), "yaml.syntax", 2, 2);
  // The same error after two two-byte characters is at the same column.
  expect_problem(load("ab: a: b\n"), "yaml.syntax", 1, 6);
  expect_problem(load("\xC3\xA9\xC3\xA9: a: b\n"), "yaml.syntax", 1, 6);
}

TEST_CASE("inputs over the size limit are refused before parsing") {
  LoadOptions small;
  small.max_bytes = 10;
  auto r = load("id: a-longer-value\n", small);
  REQUIRE(r.problems().size() == 1);
  CHECK(r.problems()[0].code == "yaml.too-large");
  CHECK_FALSE(r.has_value());
  CHECK(r.problems()[0].message.find("10 bytes") != std::string::npos);
}

TEST_CASE("nesting deeper than the limit is refused where it starts") {
  LoadOptions shallow;
  shallow.max_depth = 3;
  expect_problem(load("a:\n  b:\n    c:\n      d: 1\n", shallow), "yaml.too-deep", 4, 7, "a.b.c");
  auto deep = load(nested_sequences(10000));
  REQUIRE(deep.problems().size() == 1);
  CHECK(deep.problems()[0].code == "yaml.too-deep");
  CHECK(deep.problems()[0].position == Position{1, 65});
  CHECK(load(nested_sequences(64)).ok());
}

TEST_CASE("aliases cannot smuggle in extra depth") {
  LoadOptions shallow;
  shallow.max_depth = 3;
  auto r = load("a: &x [[1]]\nb: [[*x]]\n", shallow);
  REQUIRE(r.problems().size() == 1);
  CHECK(r.problems()[0].code == "yaml.too-deep");
  CHECK(r.problems()[0].position == Position{2, 6});
}

TEST_CASE("a billion-laughs document fails at the alias that crosses the limit") {
  std::string text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    const char prev = static_cast<char>(c - 1);
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) text += std::string(i ? "," : "") + "*" + prev;
    text += "]\n";
  }
  auto r = load(text);
  REQUIRE(r.problems().size() == 1);
  CHECK(r.problems()[0].code == "yaml.alias-limit");
  CHECK_FALSE(r.has_value());
  // 10 (a) + 9*10 (b) per c-list: the 10,000-node budget runs out inside line 5 (list e).
  CHECK(r.problems()[0].position.line == 5);
}

TEST_CASE("an alias inside its own anchor is a cycle") {
  auto r = load("a: &x [1, *x]\n");
  REQUIRE(r.problems().size() == 1);
  // yaml-cpp itself refuses to resolve a not-yet-finished anchor in some versions; either way
  // the document is refused with a located problem.
  CHECK((r.problems()[0].code == "yaml.alias-cycle" || r.problems()[0].code == "yaml.syntax"));
  CHECK(r.problems()[0].position.line == 1);
}

TEST_CASE("merge keys and foreign tags are refused") {
  expect_problem(load("base: &b {x: 1}\nrec:\n  <<: *b\n  y: 2\n"), "yaml.merge-key", 3, 3,
                 "rec.<<");
  expect_problem(load("a: !!python/object:os.system ls\n"), "yaml.tag", 1, 4, "a");
  expect_problem(load("a: !custom x\n"), "yaml.tag", 1, 4, "a");
  expect_problem(load("a: !!int twelve\n"), "yaml.tag", 1, 4, "a");
  expect_problem(load("a: !!set {x}\n"), "yaml.tag", 1, 4, "a");
}

TEST_CASE("keys must be plain scalars") {
  expect_problem(load("? [a, b]\n: c\n"), "yaml.complex-key", 1, 3);
  const auto anchored = load("&k a: 1\n");
  REQUIRE(anchored.problems().size() == 1);
  CHECK(anchored.problems()[0].code == "yaml.complex-key");
  CHECK(anchored.problems()[0].position.line == 1);
}

TEST_CASE("text faults are located: invalid UTF-8, NUL bytes, a BOM in the middle") {
  expect_problem(load("id: ok\nname: caf\xC3\n"), "yaml.invalid-utf8", 2, 10);
  expect_problem(load("id: \xC0\xAF\n"), "yaml.invalid-utf8", 1, 5);          // overlong '/'
  expect_problem(load("id: \xED\xA0\x80\n"), "yaml.invalid-utf8", 1, 5);      // surrogate
  expect_problem(load("id: \xF4\x90\x80\x80\n"), "yaml.invalid-utf8", 1, 5);  // > U+10FFFF
  expect_problem(load(std::string("id: a\0b\n", 8)), "yaml.nul-byte", 1, 6);
  expect_problem(load("id: \xC3\xA9\xEF\xBB\xBFx\n"), "yaml.bom", 1, 6);
}

TEST_CASE("empty inputs are refused") {
  for (const char* text : {"", "\n\n", "# only a comment\n", "\xEF\xBB\xBF", "---\n", "null\n"}) {
    INFO("input: " << text);
    auto r = load(text);
    REQUIRE(r.problems().size() == 1);
    CHECK(r.problems()[0].code == "yaml.empty");
  }
}

TEST_CASE("a second document is refused where it starts") {
  expect_problem(load("id: a\n---\nid: b\n"), "yaml.multi-document", 2, 1);
  CHECK(load("---\nid: a\n...\n").ok());
}

TEST_CASE("files: missing, directories and oversize are reported without reading") {
  auto missing = load_document_file("/nonexistent/record.yaml");
  REQUIRE(missing.problems().size() == 1);
  CHECK(missing.problems()[0].code == "io.not-found");
  CHECK(missing.problems()[0].file == "/nonexistent/record.yaml");
  auto dir = load_document_file("/");
  REQUIRE(dir.problems().size() == 1);
  CHECK(dir.problems()[0].code == "io.is-directory");
}

TEST_CASE("documents with more values than the limit are refused") {
  LoadOptions few;
  few.max_nodes = 5;
  expect_problem(load("a: [1, 2, 3, 4, 5]\n", few), "yaml.too-many-nodes", 1, 14, "a[3]");
  CHECK(load("a: [1, 2, 3]\n", few).ok());
}

TEST_CASE("flow nesting is bounded before yaml-cpp tokenises it") {
  // The 65th level is the 64th bracket under the record's mapping.
  auto closed = load("a: " + std::string(200000, '[') + std::string(200000, ']'));
  expect_problem(closed, "yaml.too-deep", 1, 67, closed.problems().at(0).path);
  auto open = load("a: " + std::string(200000, '['));
  expect_problem(open, "yaml.too-deep", 1, 67, open.problems().at(0).path);
  // Brackets inside quoted text, comments and block scalars are not nesting.
  const std::string many(100, '[');
  CHECK(load("a: \"" + many + "\"\nb: '" + many + "'\n# " + many + "\nc: |\n  " + many + "\n").ok());
}

TEST_CASE("lone carriage returns are reported once, at the first") {
  expect_problem(load("id: a\rname: b\rx: c\r"), "yaml.line-endings", 1, 6);
  CHECK(load("id: a\r\nname: b\r\n").ok());
}

TEST_CASE("a problem on a complex key names the mapping that holds it") {
  auto r = load("a:\n  b: 1\n  [x, y]: 2\n");
  REQUIRE(r.problems().size() == 1);
  CHECK(r.problems()[0].code == "yaml.complex-key");
  CHECK(r.problems()[0].path == "a");
}
