// FieldPath: a parsed, validated path into a record ("privacy.dpia.completed_on",
// "bias.testing[0].date", or "." for the current object itself).
//
// Rules name fields with these paths. They are parsed once when a pack loads, so a typo such as
// "bias..testing" is a load error with a position, never a silent "missing" at evaluation time.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/document.h"

namespace candor::rules {

struct PathStep {
  bool is_index = false;
  std::string key;        // when !is_index
  std::size_t index = 0;  // when is_index
};

struct FieldPath {
  std::string text;             // as written in the pack
  std::vector<PathStep> steps;  // empty for "." (the current object)

  bool is_self() const { return steps.empty(); }

  // Grammar: "." | key ( "[" digits "]" )* ( "." key ( "[" digits "]" )* )*
  // where key is [A-Za-z_][A-Za-z0-9_-]* (so a date such as 2025-01-01 is not a path).
  // Returns nullopt for anything else.
  static std::optional<FieldPath> parse(std::string_view text);
};

// The node at `path` below `from`, or nullptr when a step is missing (a key absent, an index out
// of range, or a step into a scalar). A present YAML null is returned as a node: callers decide.
const registry::Node* resolve(const registry::Node& from, const FieldPath& path);

// Where a path ends up, for reports: the deepest node that exists along `path` (the node itself
// when present, else its nearest present parent, else `from`), the path text of that node
// relative to `from`, and the position to report. For a mapping entry the position is that of
// its key ("contact:" rather than the first line inside it); for a list item it is the item's.
struct Located {
  const registry::Node* node = nullptr;
  std::string path;
  registry::Position position;
  bool exact = false;  // true when the whole path was present
};
Located locate(const registry::Node& from, const FieldPath& path);

// Joins a base path ("bias.testing[0]") and a relative one ("date") for messages and evidence.
std::string join_path(std::string_view base, const FieldPath& relative);

}  // namespace candor::rules
