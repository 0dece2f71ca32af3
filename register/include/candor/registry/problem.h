// A located problem in user input: the unit of every error report Candor gives.
//
// Everything a person wrote (a record, a rule pack, a waiver file) is checked in full and every
// problem found is returned, so one run shows all of them. A Problem says where (file, line and
// column, field path), what is wrong in plain words, and what to do about it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace candor::registry {

// A place in a text file. Lines and columns are 1-based; columns count Unicode code points, so
// they match what an editor shows. {0, 0} means the position is not known (e.g. file-level).
struct Position {
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  bool known() const { return line != 0; }
  friend bool operator==(const Position&, const Position&) = default;
};

struct Problem {
  std::string file;     // as the user named it; may be empty for in-memory input
  Position position;    // where the problem is, or the nearest present parent
  std::string path;     // field path in the record ("bias.testing[0].date"); empty = document
  std::string code;     // stable identifier of the problem class ("yaml.duplicate-key")
  std::string message;  // what is wrong, in plain words
  std::string hint;     // what to do; may be empty
};

using Problems = std::vector<Problem>;

// "file:line:col: error: message [path]" followed by "  hint: ..." when there is a hint:
// the shape compilers use, so editors and CI logs can jump to the place.
std::string format_problem(const Problem& p);

// A value, or the problems that prevented it. A Result may carry problems *and* a value when the
// problems did not stop the value from being built; ok() is true only with a value and no problems.
template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Problems problems) : problems_(std::move(problems)) {}  // NOLINT
  Result(T value, Problems problems) : value_(std::move(value)), problems_(std::move(problems)) {}

  bool ok() const { return value_.has_value() && problems_.empty(); }
  bool has_value() const { return value_.has_value(); }
  const T& value() const& { return value_.value(); }
  T& value() & { return value_.value(); }
  T&& value() && { return std::move(value_).value(); }
  const Problems& problems() const { return problems_; }
  Problems& problems() { return problems_; }

 private:
  std::optional<T> value_;
  Problems problems_;
};

}  // namespace candor::registry
