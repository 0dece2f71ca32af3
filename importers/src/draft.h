// A record being imported: a JSON tree in the record's shape, where each value came from, and the
// comments to write. emit() writes it as YAML through yaml-cpp's emitter, never by pasting text:
// every string that is not plainly safe is double-quoted and escaped, so any value read from a
// source (quotes, colons, '#', line breaks, control characters, 'yes', '123') reads back as the
// same string.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace candor::importers {

using Json = nlohmann::ordered_json;

class Draft {
 public:
  explicit Draft(std::string extension_key);

  // Sets the Candor field at `path` ("privacy.dpia.url"), remembering the source field it came
  // from: if the schema refuses the value, move_to_extensions() keeps it there instead.
  void set(std::string_view path, Json value, std::string source_field = {});
  // Keeps a source value under extensions.<key>.<field>, verbatim (the first one kept wins).
  void keep(const std::string& field, Json value);
  const Json* get(std::string_view path) const;
  void remove(std::string_view path);
  // Moves the value at `path` to extensions under its source field (or under the path itself
  // when it has none). False if there was nothing there.
  bool move_to_extensions(std::string_view path);
  // Whether `path` was set from a source field (rather than made by the importer).
  bool from_source(std::string_view path) const { return origin_.count(std::string(path)) != 0; }

  // Comment lines written before a top-level key; and at the top of the file.
  void comment(const std::string& top_level_key, std::string text);
  void header(std::string text) { header_.push_back(std::move(text)); }

  const Json& root() const { return root_; }
  Json& extensions();
  const std::string& extension_key() const { return key_; }

 private:
  friend std::string emit(const Draft& draft);
  std::string key_;
  Json root_ = Json::object();
  std::map<std::string, std::string> origin_;
  std::map<std::string, std::vector<std::string>> comments_;
  std::vector<std::string> header_;
};

// The record as YAML: the header comments, then the top-level fields in the schema's order, each
// preceded by its comments; nested fields in the schema's order too, extensions in source order.
std::string emit(const Draft& draft);

// A string yaml-cpp may write without quotes, and that reads back as the same string.
bool plain_safe(std::string_view s);

}  // namespace candor::importers
