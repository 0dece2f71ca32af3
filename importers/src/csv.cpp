#include "candor/importers/csv.h"

#include <set>

namespace candor::importers {

namespace {

using registry::Position;
using registry::Problem;

std::uint32_t clamp32(std::size_t n) {
  return n > 0xffffffffu ? 0xffffffffu : static_cast<std::uint32_t>(n);
}

// Code points between two byte offsets (continuation bytes are not counted).
std::size_t code_points(std::string_view text, std::size_t from, std::size_t to) {
  std::size_t n = 0;
  for (std::size_t i = from; i < to && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

class Reader {
 public:
  Reader(std::string_view text, const std::string& file, const CsvLimits& limits)
      : text_(text), file_(file), limits_(limits) {}

  CsvTable read() {
    CsvTable table;
    if (text_.size() > limits_.max_bytes) {
      table.problems.push_back({file_,
                                {},
                                "",
                                "csv.too-large",
                                "the file has " + std::to_string(text_.size()) +
                                    " bytes, more than the limit of " +
                                    std::to_string(limits_.max_bytes),
                                "split the file, or raise the limit if the file is genuine"});
      return table;
    }
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = line_start_ = 3;
    bool have_header = false;
    std::size_t number = 0;
    while (pos_ < text_.size()) {
      // An empty line between records holds no data: skip it.
      if (text_[pos_] == '\n' || text_[pos_] == '\r') {
        skip_line_end();
        continue;
      }
      CsvRow row;
      row.line = clamp32(line_);
      std::vector<std::size_t> columns;  // 1-based code-point column of each field
      read_record(row, columns);
      if (!have_header) {
        have_header = true;
        check_header(row, table);
        continue;
      }
      row.number = ++number;
      if (number > limits_.max_rows) {
        table.problems.push_back({file_,
                                  {row.line, 1},
                                  "",
                                  "csv.too-many-rows",
                                  "the file has more than " + std::to_string(limits_.max_rows) +
                                      " rows; reading stopped at line " + std::to_string(row.line),
                                  "split the file into parts and import each"});
        break;
      }
      check_row(row, columns, table.header);
      table.rows.push_back(std::move(row));
    }
    if (!have_header) {
      table.problems.push_back({file_,
                                {},
                                "",
                                "csv.empty",
                                "the file holds no header row",
                                "export the register with its header row of column names"});
    }
    return table;
  }

 private:
  std::string where(const CsvRow& row) const {
    return "row " + std::to_string(row.number) + " (line " + std::to_string(row.line) + ")";
  }

  void skip_line_end() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
    line_start_ = pos_;
  }

  std::uint32_t column_here() const { return clamp32(code_points(text_, line_start_, pos_) + 1); }

  void append(std::string& field, char c, bool& too_large) {
    if (field.size() < limits_.max_field_bytes) {
      field.push_back(c);
    } else {
      too_large = true;
    }
  }

  // Reads one record, up to and including its line ending.
  void read_record(CsvRow& row, std::vector<std::size_t>& columns) {
    for (;;) {
      std::string field;
      bool too_large = false;
      const std::size_t field_line = line_;
      const std::uint32_t field_column = column_here();
      columns.push_back(field_column);
      if (row.fields.size() >= limits_.max_columns) {
        row.problems.push_back(
            {file_,
             {clamp32(field_line), field_column},
             "",
             "csv.column-count",
             "the row has more than " + std::to_string(limits_.max_columns) + " columns",
             "check the file is a register export"});
        // Skip the rest of the line.
        while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
        if (pos_ < text_.size()) skip_line_end();
        return;
      }
      if (pos_ < text_.size() && text_[pos_] == '"') {
        ++pos_;
        bool closed = false;
        while (pos_ < text_.size()) {
          const char c = text_[pos_];
          if (c == '"') {
            if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
              append(field, '"', too_large);
              pos_ += 2;
              continue;
            }
            ++pos_;
            closed = true;
            break;
          }
          append(field, c, too_large);
          ++pos_;
          if (c == '\n' || (c == '\r' && (pos_ >= text_.size() || text_[pos_] != '\n'))) {
            ++line_;
            line_start_ = pos_;
          }
        }
        if (!closed) {
          row.problems.push_back(
              {file_,
               {clamp32(field_line), field_column},
               "",
               "csv.unbalanced-quote",
               "the quoted field that starts here is never closed: everything to the end of the "
               "file (line " +
                   std::to_string(line_) + ") was read into it",
               "close the field with a double quote, and write a quote inside a field as \"\""});
        } else if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
                   text_[pos_] != '\r') {
          row.problems.push_back({file_,
                                  {clamp32(line_), column_here()},
                                  "",
                                  "csv.text-after-quote",
                                  "text follows the closing quote of a quoted field",
                                  "quote the whole field, and write a quote inside it as \"\""});
          while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
                 text_[pos_] != '\r') {
            append(field, text_[pos_], too_large);
            ++pos_;
          }
        }
      } else {
        bool stray = false;
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
               text_[pos_] != '\r') {
          if (text_[pos_] == '"' && !stray) {
            stray = true;
            row.problems.push_back(
                {file_,
                 {clamp32(line_), column_here()},
                 "",
                 "csv.stray-quote",
                 "a double quote inside a field that is not quoted",
                 "quote the whole field (\"...\") and double the quotes inside it"});
          }
          append(field, text_[pos_], too_large);
          ++pos_;
        }
      }
      if (too_large) {
        row.problems.push_back(
            {file_,
             {clamp32(field_line), field_column},
             "",
             "csv.field-too-large",
             "a field is larger than " + std::to_string(limits_.max_field_bytes) + " bytes",
             "check the field's quotes; a field this large is not a register entry"});
      }
      row.fields.push_back(std::move(field));
      if (pos_ >= text_.size()) return;
      if (text_[pos_] == ',') {
        ++pos_;
        if (pos_ >= text_.size()) {  // a trailing comma at the end of the file: one empty field
          row.fields.emplace_back();
          columns.push_back(column_here());
          return;
        }
        continue;
      }
      skip_line_end();
      return;
    }
  }

  void check_header(CsvRow& row, CsvTable& table) {
    for (auto& p : row.problems) table.problems.push_back(std::move(p));
    std::set<std::string> seen;
    for (std::size_t i = 0; i < row.fields.size(); ++i) {
      std::string& name = row.fields[i];
      std::size_t bad = 0;
      if (!valid_utf8(name, bad)) {
        table.problems.push_back(
            {file_,
             {row.line, 1},
             "",
             "csv.invalid-utf8",
             "column " + std::to_string(i + 1) + " of the header is not valid UTF-8",
             "save the file as UTF-8"});
        name.clear();
      }
      if (name.empty()) {
        table.problems.push_back({file_,
                                  {row.line, 1},
                                  "",
                                  "csv.empty-column",
                                  "column " + std::to_string(i + 1) + " of the header has no name",
                                  "give every column a name"});
      } else if (!seen.insert(name).second) {
        table.problems.push_back({file_,
                                  {row.line, 1},
                                  name,
                                  "csv.duplicate-column",
                                  "the column '" + name + "' appears twice in the header",
                                  "give every column a different name"});
      }
    }
    table.header = std::move(row.fields);
  }

  void check_row(CsvRow& row, const std::vector<std::size_t>& columns,
                 const std::vector<std::string>& header) {
    for (auto& p : row.problems) p.message = where(row) + ": " + p.message;
    if (row.fields.size() != header.size()) {
      row.problems.push_back(
          {file_,
           {row.line, 1},
           "",
           "csv.column-count",
           where(row) + ": has " + std::to_string(row.fields.size()) + " fields, the header has " +
               std::to_string(header.size()),
           "check for a missing or extra comma, or a field with a comma or line break that is "
           "not quoted"});
    }
    for (std::size_t i = 0; i < row.fields.size(); ++i) {
      const std::string& f = row.fields[i];
      const std::string column = i < header.size() ? header[i] : "column " + std::to_string(i + 1);
      const Position at{row.line, clamp32(i < columns.size() ? columns[i] : 1)};
      std::size_t bad = 0;
      if (!valid_utf8(f, bad)) {
        row.problems.push_back({file_, at, column, "csv.invalid-utf8",
                                where(row) + ": the field '" + column +
                                    "' is not valid UTF-8 (byte " + std::to_string(bad + 1) +
                                    " of the field)",
                                "save the file as UTF-8 (the US inventory is UTF-8 with a BOM)"});
      } else if (f.find('\0') != std::string::npos) {
        row.problems.push_back({file_, at, column, "csv.nul-byte",
                                where(row) + ": the field '" + column + "' holds a NUL byte",
                                "remove the NUL byte; text never contains one"});
      }
    }
  }

  std::string_view text_;
  const std::string& file_;
  const CsvLimits& limits_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
};

}  // namespace

bool valid_utf8(std::string_view s, std::size_t& bad_offset) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      bad_offset = i;
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) {
        bad_offset = i;
        return false;
      }
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) {
        bad_offset = i;
        return false;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      bad_offset = i;
      return false;
    }
    i += n + 1;
  }
  return true;
}

CsvTable read_csv(std::string_view text, const std::string& file, const CsvLimits& limits) {
  return Reader(text, file, limits).read();
}

}  // namespace candor::importers
