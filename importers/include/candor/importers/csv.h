// A strict RFC 4180 CSV reader for registers published as spreadsheets (the US inventory, the
// Dutch register's export).
//
// Contract:
//   - Fields are separated by commas; records end with CRLF or LF (a lone CR also ends a record).
//     A field that starts with a double quote is quoted: it may hold commas, line breaks and
//     doubled quotes (""), which stand for one quote. Text is returned exactly as written, line
//     breaks inside quoted fields included.
//   - A UTF-8 byte-order mark at the very start is skipped. The first record is the header.
//   - Malformed input never throws and never stops the read: each bad row is returned with its
//     problems (codes csv.*: unbalanced-quote, stray-quote, text-after-quote, column-count,
//     invalid-utf8, nul-byte, field-too-large), located by row and line, and the reader goes on
//     with the next row where it can. File-level problems (csv.too-large, csv.empty,
//     csv.too-many-rows, csv.duplicate-column, csv.empty-column) are in CsvTable::problems.
//   - Rows are numbered from 1 after the header (row 1 is the first data row); `line` is the
//     1-based physical line the row starts on, so a row with quoted line breaks spans several.
//   - Limits guard against huge or hostile input: the whole text, each field, the number of
//     columns and the number of rows are bounded (CsvLimits).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/problem.h"

namespace candor::importers {

struct CsvLimits {
  std::size_t max_bytes = 512u * 1024 * 1024;  // the real US inventory is about 9 MB
  std::size_t max_field_bytes = 1024 * 1024;
  std::size_t max_columns = 1000;
  std::size_t max_rows = 1000000;
};

struct CsvRow {
  std::size_t number = 0;  // 1-based data row number (the header is not counted)
  std::uint32_t line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
  registry::Problems problems;  // non-empty: the row is malformed and must not be used
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;     // every data row read, malformed ones included
  registry::Problems problems;  // problems with the file as a whole
};

// Reads `text`; `file` names it in problems.
CsvTable read_csv(std::string_view text, const std::string& file, const CsvLimits& limits = {});

// True if `text` is valid UTF-8 (RFC 3629: no overlongs, surrogates or code points above
// U+10FFFF); otherwise `bad_offset` is the byte offset of the first bad sequence.
bool valid_utf8(std::string_view text, std::size_t& bad_offset);

}  // namespace candor::importers
