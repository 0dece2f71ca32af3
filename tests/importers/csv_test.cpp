// The RFC 4180 reader: quoting, line endings, the BOM, and every kind of malformed input located
// by row and line, without a crash and without stopping at the first bad row.
#include <catch2/catch.hpp>

#include "candor/importers/csv.h"

using candor::importers::CsvLimits;
using candor::importers::read_csv;

namespace {

bool has_code(const candor::registry::Problems& problems, const std::string& code) {
  for (const auto& p : problems) {
    if (p.code == code) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("csv: quoted fields keep commas, line breaks and doubled quotes exactly") {
  const auto t = read_csv("a,b,c\n1,\"x, \"\"y\"\"\nz\",3\n", "t.csv");
  REQUIRE(t.problems.empty());
  REQUIRE(t.rows.size() == 1);
  CHECK(t.header == std::vector<std::string>{"a", "b", "c"});
  CHECK(t.rows[0].fields == std::vector<std::string>{"1", "x, \"y\"\nz", "3"});
  CHECK(t.rows[0].problems.empty());
  CHECK(t.rows[0].number == 1);
  CHECK(t.rows[0].line == 2);
}

TEST_CASE("csv: a BOM is skipped, CRLF and LF both end rows, and rows count their lines") {
  const auto t = read_csv(
      "\xEF\xBB\xBF"
      "a,b\r\n1,\"two\r\nlines\"\r\n3,4",
      "t.csv");
  REQUIRE(t.problems.empty());
  CHECK(t.header[0] == "a");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].fields[1] == "two\r\nlines");
  CHECK(t.rows[1].line == 4);
  CHECK(t.rows[1].number == 2);
  CHECK(t.rows[1].fields == std::vector<std::string>{"3", "4"});
}

TEST_CASE("csv: empty fields, a trailing empty field and blank lines") {
  const auto t = read_csv("a,b,c\n,,\n\n1,2,\n", "t.csv");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].fields == std::vector<std::string>{"", "", ""});
  CHECK(t.rows[1].fields == std::vector<std::string>{"1", "2", ""});
  CHECK(t.rows[1].line == 4);
  CHECK(t.rows[1].problems.empty());
}

TEST_CASE("csv: a wrong number of fields is reported with the row and line, and reading goes on") {
  const auto t = read_csv("a,b\n1,2\n1,2,3\n4\n5,6\n", "t.csv");
  REQUIRE(t.rows.size() == 4);
  CHECK(t.rows[0].problems.empty());
  REQUIRE(t.rows[1].problems.size() == 1);
  CHECK(t.rows[1].problems[0].code == "csv.column-count");
  CHECK(t.rows[1].problems[0].position.line == 3);
  CHECK(t.rows[1].problems[0].message.find("row 2 (line 3)") == 0);
  CHECK(t.rows[1].problems[0].message.find("has 3 fields, the header has 2") != std::string::npos);
  CHECK(has_code(t.rows[2].problems, "csv.column-count"));
  CHECK(t.rows[3].problems.empty());
}

TEST_CASE("csv: an unbalanced quote is reported where the field starts") {
  const auto t = read_csv("a,b\n1,2\n3,\"never closed\n4,5\n", "t.csv");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].problems.empty());
  REQUIRE(has_code(t.rows[1].problems, "csv.unbalanced-quote"));
  const auto& p = t.rows[1].problems.front();
  CHECK(p.position.line == 3);
  CHECK(p.position.column == 3);
  CHECK(p.message.find("row 2 (line 3)") == 0);
}

TEST_CASE("csv: stray quotes and text after a closing quote are malformed") {
  const auto t = read_csv("a,b\nab\"c,2\n\"x\"y,2\nok,2\n", "t.csv");
  REQUIRE(t.rows.size() == 3);
  CHECK(has_code(t.rows[0].problems, "csv.stray-quote"));
  CHECK(has_code(t.rows[1].problems, "csv.text-after-quote"));
  CHECK(t.rows[2].problems.empty());
}

TEST_CASE("csv: invalid UTF-8 and NUL bytes are located by row, line, column and field") {
  const std::string text = std::string("a,b\nok,fine\n1,bad \xC3\x28 byte\n2,nul ") + '\0' + "x\n";
  const auto t = read_csv(text, "t.csv");
  REQUIRE(t.rows.size() == 3);
  CHECK(t.rows[0].problems.empty());
  REQUIRE(t.rows[1].problems.size() == 1);
  const auto& p = t.rows[1].problems[0];
  CHECK(p.code == "csv.invalid-utf8");
  CHECK(p.path == "b");
  CHECK(p.position.line == 3);
  CHECK(p.position.column == 3);
  CHECK(p.message.find("row 2 (line 3)") == 0);
  CHECK(has_code(t.rows[2].problems, "csv.nul-byte"));
  // Overlong forms and surrogates are invalid too.
  CHECK(has_code(read_csv("a\n\xC0\xAF\n", "t.csv").rows[0].problems, "csv.invalid-utf8"));
  CHECK(has_code(read_csv("a\n\xED\xA0\x80\n", "t.csv").rows[0].problems, "csv.invalid-utf8"));
  CHECK(read_csv("a\n\xE2\x80\x94 \xF0\x9F\x98\x80\n", "t.csv").rows[0].problems.empty());
}

TEST_CASE("csv: limits guard against huge input") {
  CsvLimits limits;
  limits.max_bytes = 10;
  CHECK(has_code(read_csv("a,b\n1,2\n3,4\n", "t.csv", limits).problems, "csv.too-large"));
  limits = {};
  limits.max_field_bytes = 4;
  const auto big = read_csv("a\n12345678\n", "t.csv", limits);
  REQUIRE(big.rows.size() == 1);
  CHECK(has_code(big.rows[0].problems, "csv.field-too-large"));
  limits = {};
  limits.max_rows = 2;
  const auto many = read_csv("a\n1\n2\n3\n4\n", "t.csv", limits);
  CHECK(many.rows.size() == 2);
  CHECK(has_code(many.problems, "csv.too-many-rows"));
  limits = {};
  limits.max_columns = 3;
  CHECK(has_code(read_csv("a\n1,2,3,4,5\n", "t.csv", limits).rows[0].problems, "csv.column-count"));
}

TEST_CASE("csv: header problems and empty input") {
  CHECK(has_code(read_csv("", "t.csv").problems, "csv.empty"));
  CHECK(has_code(read_csv("a,a\n1,2\n", "t.csv").problems, "csv.duplicate-column"));
  CHECK(has_code(read_csv("a,,c\n1,2,3\n", "t.csv").problems, "csv.empty-column"));
}

TEST_CASE("csv: arbitrary bytes never crash the reader") {
  std::string text = "a,b,c\n";
  unsigned state = 12345;
  for (int i = 0; i < 20000; ++i) {
    state = state * 1103515245u + 12345u;
    static const char k_alphabet[] = {'"', ',', '\n', '\r', 'x', '\xC3', '\xA9', '\0', '\xFF', ' '};
    text.push_back(k_alphabet[(state >> 16) % sizeof k_alphabet]);
  }
  const auto t = read_csv(text, "t.csv");
  for (const auto& row : t.rows) CHECK(row.number > 0);
}
