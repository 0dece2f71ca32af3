// Document: a YAML file loaded into an immutable tree that remembers where every node came from.
//
// yaml-cpp's own Node API loses what Candor needs to give good errors and to be safe on hostile
// input, so the loader drives yaml-cpp's event parser and builds this tree itself. Loading never
// throws on bad input; it reports located Problems (codes in parentheses) for:
//   - files over `max_bytes` (yaml.too-large), empty files (yaml.empty);
//   - invalid UTF-8 (yaml.invalid-utf8), NUL bytes (yaml.nul-byte), a byte-order mark anywhere but
//     the start (yaml.bom);
//   - syntax errors (yaml.syntax), more than one document (yaml.multi-document);
//   - duplicate keys (yaml.duplicate-key), keys that are not scalars (yaml.complex-key);
//   - more than `max_nodes` values (yaml.too-many-nodes),
//     nesting deeper than `max_depth` (yaml.too-deep), alias expansion beyond
//     `max_alias_nodes` (yaml.alias-limit), aliases that refer to their own ancestor
//     (yaml.alias-cycle), merge keys `<<` (yaml.merge-key), and tags other than YAML's core
//     ones such as `!!python/object` (yaml.tag).
// Deep or alias-bomb documents are rejected while parsing, so memory stays bounded by the input
// size. Aliases share their anchor's node: nothing is copied.
//
// Scalars are resolved with the YAML 1.2 core schema: `yes`, `no`, `on`, `off` stay strings
// (schema validation then explains that a boolean must be `true` or `false`). Dates stay strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/problem.h"

namespace candor::registry {

enum class NodeKind { null, boolean, integer, real, string, sequence, mapping };

// Plain name of a kind for messages: "a mapping", "a list", "text", "a whole number"...
std::string_view describe(NodeKind kind);

class Node;

struct Entry {  // one key/value pair of a mapping, in source order
  std::string key;
  Position key_position;
  const Node* value;
};

class Node {
 public:
  NodeKind kind() const { return kind_; }
  Position position() const { return position_; }
  bool is_null() const { return kind_ == NodeKind::null; }
  bool is_scalar() const { return kind_ != NodeKind::sequence && kind_ != NodeKind::mapping; }
  bool is_sequence() const { return kind_ == NodeKind::sequence; }
  bool is_mapping() const { return kind_ == NodeKind::mapping; }

  // Scalars: the text as written (after unquoting) and whether it was unquoted.
  const std::string& text() const { return text_; }
  bool plain() const { return plain_; }
  bool as_bool() const { return bool_value_; }
  std::int64_t as_int() const { return int_value_; }
  double as_real() const { return real_value_; }

  // Sequences.
  const std::vector<const Node*>& items() const { return items_; }
  // Mappings.
  const std::vector<Entry>& entries() const { return entries_; }
  const Entry* entry(std::string_view key) const;  // nullptr when absent
  const Node* get(std::string_view key) const;     // nullptr when absent or not a mapping

  std::size_t size() const { return is_mapping() ? entries_.size() : items_.size(); }

 private:
  friend class DocumentBuilder;
  NodeKind kind_ = NodeKind::null;
  Position position_;
  bool plain_ = true;
  bool bool_value_ = false;
  std::int64_t int_value_ = 0;
  double real_value_ = 0;
  std::string text_;
  std::vector<const Node*> items_;
  std::vector<Entry> entries_;
};

struct LoadOptions {
  std::size_t max_bytes = std::size_t{1024} * 1024;  // larger inputs are refused before parsing
  unsigned max_depth = 64;                           // mappings and lists nested deeper are refused
  std::size_t max_alias_nodes = 10000;  // nodes that aliases may add when expanded, in total
  std::size_t max_nodes = 100000;       // values in the document (a full record has ~300)
};

class Document {
 public:
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  const Node& root() const;
  const std::string& file() const;  // the name given at load
  std::size_t node_count() const;   // distinct nodes (aliases are not copies)

  // Finds a node by field path: "organisation.id", "bias.testing[0].date". nullptr if absent.
  const Node* find(std::string_view path) const;

 private:
  friend class DocumentBuilder;
  struct Impl;
  explicit Document(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parses `text`; `file` is used in problems only.
Result<Document> load_document(std::string_view text, std::string file,
                               const LoadOptions& options = {});
// Reads and parses a file; a file over max_bytes is refused without being read.
Result<Document> load_document_file(const std::filesystem::path& path,
                                    const LoadOptions& options = {});

}  // namespace candor::registry
