#include "candor/registry/document.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <array>
#include <charconv>
#include <cmath>
#include <deque>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>
#include <unordered_map>
#include <unordered_set>

#include "field_path.h"
#include "flow_scan.h"
#include "utf8.h"

namespace candor::registry {

std::string_view describe(NodeKind kind) {
  switch (kind) {
    case NodeKind::null: return "empty (null)";
    case NodeKind::boolean: return "true/false";
    case NodeKind::integer: return "a whole number";
    case NodeKind::real: return "a number";
    case NodeKind::string: return "text";
    case NodeKind::sequence: return "a list";
    case NodeKind::mapping: return "a mapping of fields";
  }
  return "a value";
}

const Entry* Node::entry(std::string_view key) const {
  for (const Entry& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

const Node* Node::get(std::string_view key) const {
  const Entry* e = entry(key);
  return e ? e->value : nullptr;
}

struct Document::Impl {
  std::string file;
  std::deque<Node> nodes;  // deque: growing it never moves a node, so pointers stay valid
  const Node* root = nullptr;
};

Document::Document(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

const Node& Document::root() const { return *impl_->root; }
const std::string& Document::file() const { return impl_->file; }
std::size_t Document::node_count() const { return impl_->nodes.size(); }

const Node* Document::find(std::string_view path) const {
  const Node* node = impl_->root;
  for (const PathStep& step : parse_field_path(path)) {
    if (node == nullptr) return nullptr;
    if (step.is_index) {
      if (!node->is_sequence() || step.index >= node->items().size()) return nullptr;
      node = node->items()[step.index];
    } else {
      node = node->get(step.key);
    }
  }
  return node;
}

namespace {


const std::string k_yaml_tag = "tag:yaml.org,2002:";

// Thrown by the builder to stop the parser at once when going on would cost unbounded time or
// memory (too deep, alias bomb, complex keys). The problem is recorded before throwing.
struct Abort {};

bool is_null_text(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

}  // namespace

// Builds a Document from yaml-cpp parser events. One instance per document.
class DocumentBuilder final : public YAML::EventHandler {
 public:
  DocumentBuilder(Document::Impl& doc, const LineIndex& lines, const LoadOptions& options,
                  std::size_t offset_lines, Problems& problems)
      : doc_(doc), lines_(lines), options_(options), offset_lines_(offset_lines),
        problems_(problems) {}

  static std::unique_ptr<Document::Impl> new_impl() { return std::make_unique<Document::Impl>(); }
  static Document make(std::unique_ptr<Document::Impl> impl) { return Document(std::move(impl)); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (taking_key()) {
      report(mark, "", "yaml.complex-key", "a key is empty",
             "give every field a name before its colon");
      frame().key_bad = true;
      frame().want_key = false;
      return;
    }
    Node& n = new_node(NodeKind::null, mark);
    finish(n, anchor, 1, 0);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (taking_key()) {
      abort_at(mark, "yaml.complex-key", "an alias (*name) is used as a key",
               "write keys as plain text");
    }
    if (anchor == 0 || anchor > anchors_.size() || anchors_[anchor - 1].node == nullptr) {
      abort_at(mark, "yaml.syntax", "an alias refers to an anchor that is not defined",
               "define the anchor (&name) before using it");
    }
    const AnchorInfo& target = anchors_[anchor - 1];
    if (target.open) {
      abort_at(mark, "yaml.alias-cycle", "an alias refers to a mapping or list that contains it",
               "remove the alias: a record cannot contain itself");
    }
    alias_nodes_ += target.expanded;
    if (alias_nodes_ > options_.max_alias_nodes) {
      abort_at(mark, "yaml.alias-limit",
               "aliases expand to more than " + std::to_string(options_.max_alias_nodes) +
                   " nodes (a 'billion laughs' document?)",
               "write the values out instead of repeating large anchors");
    }
    if (stack_.size() + target.height > options_.max_depth) {
      abort_at(mark, "yaml.too-deep", too_deep_message(), too_deep_hint());
    }
    attach(target.node, target.expanded, target.height);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (taking_key()) {
      if (anchor != 0) {
        // Keys are not kept as nodes, so an alias of it would later read as "not defined":
        // say what is really wrong, where it is.
        report(mark, current_path(), "yaml.complex-key", "an anchor (&name) is put on a key",
               "write keys as plain text; put anchors on values");
      }
      take_key(mark, value, tag);
      return;
    }
    Node& n = new_node(NodeKind::string, mark);
    n.text_ = value;
    n.plain_ = tag == "?";
    resolve_scalar(n, tag, mark);
    finish(n, anchor, 1, 0);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open_container(NodeKind::sequence, mark, tag, anchor);
  }
  void OnSequenceEnd() override { close_container(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open_container(NodeKind::mapping, mark, tag, anchor);
  }
  void OnMapEnd() override { close_container(); }

 private:
  struct Frame {
    Frame(Node* n, YAML::anchor_t a) : node(n), anchor(a) {}
    Node* node;
    YAML::anchor_t anchor;
    std::size_t expanded = 1;  // nodes in this subtree once aliases are expanded
    std::size_t height = 1;    // levels of containers in this subtree, aliases expanded
    bool want_key = true;
    bool key_bad = false;
    std::string key;
    Position key_position;
    std::unordered_map<std::string, Position> seen;  // used once the mapping grows large
  };
  struct AnchorInfo {
    const Node* node = nullptr;
    bool open = false;
    std::size_t expanded = 0;
    std::size_t height = 0;
  };

  Frame& frame() { return stack_.back(); }
  bool taking_key() const {
    return !stack_.empty() && stack_.back().node->is_mapping() && stack_.back().want_key;
  }

  Position position(const YAML::Mark& mark) const {
    if (mark.is_null()) return {};
    return lines_.at_line_column(static_cast<std::size_t>(mark.line) + offset_lines_,
                                 static_cast<std::size_t>(mark.column));
  }

  std::string current_path() const {
    // The path of the node about to be attached: walk the open frames.
    std::string path;
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      const Frame& f = stack_[i];
      if (f.node->is_mapping()) {
        // A mapping still waiting for its next key has no current key: its stale one would
        // name the previous field.
        if (!f.want_key) append_key(path, f.key);
      } else {
        path += '[' + std::to_string(f.node->items().size()) + ']';
      }
    }
    return path;
  }

  void report(const YAML::Mark& mark, std::string path, std::string code, std::string message,
              std::string hint) {
    problems_.push_back(
        {doc_.file, position(mark), std::move(path), std::move(code), std::move(message),
         std::move(hint)});
  }

  [[noreturn]] void abort_at(const YAML::Mark& mark, std::string code, std::string message,
                             std::string hint) {
    report(mark, current_path(), std::move(code), std::move(message), std::move(hint));
    throw Abort{};
  }

  std::string too_deep_message() const {
    return "fields are nested more than " + std::to_string(options_.max_depth) + " levels deep";
  }
  static std::string too_deep_hint() { return "records are at most a few levels deep; flatten it"; }

  Node& new_node(NodeKind kind, const YAML::Mark& mark) {
    // Memory per value is far above a byte of input: cap the count, not only the file size.
    if (doc_.nodes.size() >= options_.max_nodes) {
      abort_at(mark, "yaml.too-many-nodes",
               "the file holds more than " + std::to_string(options_.max_nodes) + " values",
               "a record holds a few hundred values; remove bulk data");
    }
    Node& n = doc_.nodes.emplace_back();
    n.kind_ = kind;
    n.position_ = position(mark);
    return n;
  }

  void take_key(const YAML::Mark& mark, const std::string& key, const std::string& tag) {
    Frame& f = frame();
    f.want_key = false;
    f.key_bad = false;
    f.key = key;
    f.key_position = position(mark);
    if (key == "<<" && tag == "?") {
      report(mark, current_path(), "yaml.merge-key", "merge keys (<<) are not supported",
             "write the fields out in full so the record says exactly what it means");
      f.key_bad = true;
      return;
    }
    if (tag != "?" && tag != "!" && tag != k_yaml_tag + "str") {
      report(mark, current_path(), "yaml.tag", "the key has the tag " + shown_tag(tag),
             "remove the tag: keys are plain text");
    }
    Position first;
    if (f.node->entries_.size() < 16) {
      if (const Entry* e = f.node->entry(key)) first = e->key_position;
    } else {
      if (f.seen.empty()) {
        for (const Entry& e : f.node->entries_) f.seen.emplace(e.key, e.key_position);
      }
      if (auto it = f.seen.find(key); it != f.seen.end()) first = it->second;
    }
    if (first.known()) {
      report(mark, current_path(), "yaml.duplicate-key",
             "duplicate key '" + key + "' (first defined on line " + std::to_string(first.line) +
                 ")",
             "remove one of the two: YAML keeps only one value per key");
      f.key_bad = true;
    }
  }

  void resolve_scalar(Node& n, const std::string& tag, const YAML::Mark& mark) {
    if (tag == "!") return;  // quoted or block scalar: always text
    if (tag == "?") {
      resolve_plain(n);
      return;
    }
    const std::string type =
        tag.rfind(k_yaml_tag, 0) == 0 ? tag.substr(k_yaml_tag.size()) : std::string();
    if (type == "str" || type == "int" || type == "float" || type == "bool" || type == "null") {
      if (type == "str") return;
      resolve_plain(n);
      const bool fits = (type == "int" && n.kind_ == NodeKind::integer) ||
                        (type == "float" && (n.kind_ == NodeKind::real ||
                                             n.kind_ == NodeKind::integer)) ||
                        (type == "bool" && n.kind_ == NodeKind::boolean) ||
                        (type == "null" && n.kind_ == NodeKind::null);
      if (fits) {
        if (type == "float" && n.kind_ == NodeKind::integer) {
          n.kind_ = NodeKind::real;
          n.real_value_ = static_cast<double>(n.int_value_);
        }
        return;
      }
      report(mark, current_path(), "yaml.tag",
             "'" + n.text_ + "' is not a valid !!" + type + " value",
             "remove the tag or correct the value");
      n.kind_ = NodeKind::string;
      return;
    }
    report(mark, current_path(), "yaml.tag", "tags such as " + shown_tag(tag) + " are not allowed",
           "remove the tag: records hold plain data only");
  }

  static std::string shown_tag(const std::string& tag) {
    return tag.rfind(k_yaml_tag, 0) == 0 ? "!!" + tag.substr(k_yaml_tag.size()) : tag;
  }

  static void resolve_plain(Node& n) {
    const std::string& s = n.text_;
    if (is_null_text(s)) {
      n.kind_ = NodeKind::null;
      return;
    }
    if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" ||
        s == "FALSE") {
      n.kind_ = NodeKind::boolean;
      n.bool_value_ = s[0] == 't' || s[0] == 'T';
      return;
    }
    if (resolve_int(n)) return;
    resolve_float(n);
  }

  // YAML 1.2 core schema integers: [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+.
  static bool resolve_int(Node& n) {
    std::string_view s = n.text_;
    int base = 10;
    bool negative = false;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
      base = s[1] == 'o' ? 8 : 16;
      s.remove_prefix(2);
    } else if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
      negative = s[0] == '-';
      s.remove_prefix(1);
    }
    if (s.empty()) return false;
    std::uint64_t magnitude = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude, base);
    if (end != s.data() + s.size()) return false;
    if (ec == std::errc::result_out_of_range ||
        magnitude > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      if (base != 10) return false;
      n.kind_ = NodeKind::real;  // too large for an integer: keep it as a number
      n.real_value_ = std::strtod(n.text_.c_str(), nullptr);
      return true;
    }
    n.kind_ = NodeKind::integer;
    n.int_value_ = negative ? -static_cast<std::int64_t>(magnitude)
                            : static_cast<std::int64_t>(magnitude);
    return true;
  }

  // YAML 1.2 core schema floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, .inf, .nan.
  static void resolve_float(Node& n) {
    std::string_view s = n.text_;
    std::string_view body = s;
    if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
    if (body == ".inf" || body == ".Inf" || body == ".INF") {
      n.kind_ = NodeKind::real;
      n.real_value_ = s[0] == '-' ? -INFINITY : INFINITY;
      return;
    }
    if (s == ".nan" || s == ".NaN" || s == ".NAN") {
      n.kind_ = NodeKind::real;
      n.real_value_ = NAN;
      return;
    }
    std::size_t i = 0;
    std::size_t digits = 0;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++digits;
    if (i < body.size() && body[i] == '.') {
      ++i;
      while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++digits;
    }
    if (digits == 0) return;
    if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
      ++i;
      if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
      const std::size_t exp_start = i;
      while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i;
      if (i == exp_start) return;
    }
    if (i != body.size()) return;
    n.kind_ = NodeKind::real;
    n.real_value_ = std::strtod(n.text_.c_str(), nullptr);
  }

  void open_container(NodeKind kind, const YAML::Mark& mark, const std::string& tag,
                      YAML::anchor_t anchor) {
    // Depth first: on text cut short at a too-deep bracket, yaml-cpp may see what looks like
    // a complex key, and the depth is the real problem.
    if (stack_.size() + 1 > options_.max_depth) {
      abort_at(mark, "yaml.too-deep", too_deep_message(), too_deep_hint());
    }
    if (taking_key()) {
      abort_at(mark, "yaml.complex-key", "a key is a mapping or a list",
               "write keys as plain text");
    }
    const std::string expected = k_yaml_tag + (kind == NodeKind::mapping ? "map" : "seq");
    if (tag != "?" && tag != "!" && tag != "" && tag != expected) {
      report(mark, current_path(), "yaml.tag",
             "tags such as " + shown_tag(tag) + " are not allowed",
             "remove the tag: records hold plain data only");
    }
    Node& n = new_node(kind, mark);
    if (anchor != 0) {
      if (anchors_.size() < anchor) anchors_.resize(anchor);
      anchors_[anchor - 1] = {&n, true, 0, 0};
    }
    stack_.emplace_back(&n, anchor);
  }

  void close_container() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    finish(*f.node, f.anchor, f.expanded, f.height);
  }

  // A node is complete: remember it if anchored, then hang it on its parent.
  void finish(Node& n, YAML::anchor_t anchor, std::size_t expanded, std::size_t height) {
    if (anchor != 0) {
      if (anchors_.size() < anchor) anchors_.resize(anchor);
      anchors_[anchor - 1] = {&n, false, expanded, height};
    }
    attach(&n, expanded, height);
  }

  void attach(const Node* n, std::size_t expanded, std::size_t height) {
    if (stack_.empty()) {
      if (doc_.root == nullptr) doc_.root = n;
      return;
    }
    Frame& f = frame();
    f.expanded += expanded;
    f.height = std::max(f.height, height + 1);
    if (f.node->is_sequence()) {
      f.node->items_.push_back(n);
      return;
    }
    if (!f.key_bad) {
      f.node->entries_.push_back(Entry{f.key, f.key_position, n});
      if (!f.seen.empty()) f.seen.emplace(f.key, f.key_position);
    }
    f.want_key = true;
    f.key_bad = false;
  }

  Document::Impl& doc_;
  const LineIndex& lines_;
  const LoadOptions& options_;
  std::size_t offset_lines_;
  Problems& problems_;
  std::vector<Frame> stack_;
  std::vector<AnchorInfo> anchors_;
  std::size_t alias_nodes_ = 0;
};

namespace {

Problem file_problem(const std::string& file, std::string code, std::string message,
                     std::string hint, Position pos = {}) {
  return Problem{file, pos, "", std::move(code), std::move(message), std::move(hint)};
}

std::string size_text(std::size_t bytes) {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
    return std::to_string(bytes / (1024 * 1024)) + " MiB";
  }
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

Problem too_large(const std::string& file, std::size_t size, std::size_t limit) {
  return file_problem(file, "yaml.too-large",
                      "the file is " + std::to_string(size) + " bytes, over the limit of " +
                          size_text(limit),
                      "a record is a few kilobytes; split it or remove embedded data");
}

// yaml-cpp's messages name its parser's state; say what the author can see instead, and point
// at the bracket that was never closed rather than where the parser gave up.
Problem syntax_problem(const std::string& file, const YAML::Exception& e, std::string_view body,
                       const LineIndex& lines, const LoadOptions& options) {
  Position pos;
  if (!e.mark.is_null()) {
    pos = lines.at_line_column(static_cast<std::size_t>(e.mark.line),
                               static_cast<std::size_t>(e.mark.column));
  }
  std::string message = "YAML syntax error: " + e.msg;
  std::string hint = "check the indentation and quoting around this place";
  if (e.msg == "end of sequence flow not found" || e.msg == "end of map flow not found") {
    const bool list = e.msg == "end of sequence flow not found";
    message = list ? "a list opened with '[' is not closed with ']'"
                   : "a mapping opened with '{' is not closed with '}'";
    hint = list ? "add the missing ']' or remove the '['" : "add the missing '}' or remove the '{'";
    if (const FlowScan scan = scan_flow_nesting(body, options.max_depth); scan.unclosed) {
      pos = lines.at_offset(scan.unclosed_offset);
    }
  } else if (e.msg == "end of map not found" || e.msg == "illegal map value" ||
             e.msg == "end of sequence not found") {
    message = "YAML syntax error: the indentation or a colon is wrong here (" + e.msg + ")";
    hint = "keys of one mapping must start in the same column; quote values that contain ': '";
  }
  return file_problem(file, "yaml.syntax", std::move(message), std::move(hint), pos);
}

// Records where the next document starts, and nothing else: a second document is an error to
// report at its first line, not content to build.
struct FirstMark final : YAML::EventHandler {
  YAML::Mark mark = YAML::Mark::null_mark();

  void first(const YAML::Mark& m) {
    if (mark.is_null()) mark = m;
  }
  void OnDocumentStart(const YAML::Mark& m) override { first(m); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { first(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { first(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                const std::string&) override {
    first(m);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    first(m);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    first(m);
  }
  void OnMapEnd() override {}
};

bool only_comments_and_space(std::string_view text) {
  bool in_comment = false;
  for (char c : text) {
    if (c == '\n') {
      in_comment = false;
    } else if (!in_comment) {
      if (c == '#') {
        in_comment = true;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

Result<Document> load_document(std::string_view text, std::string file,
                               const LoadOptions& options) {
  if (text.size() > options.max_bytes) {
    return Problems{too_large(file, text.size(), options.max_bytes)};
  }
  // A leading byte-order mark is not part of the content: strip it first, so every position
  // (faults, yaml-cpp marks) is counted on the same text and the BOM takes no column.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const LineIndex lines(text);
  Problems problems;
  for (const TextFaultAt& f : find_text_faults(text, 20)) {
    const Position pos = lines.at_offset(f.offset);
    switch (f.fault) {
      case TextFault::nul_byte:
        problems.push_back(file_problem(file, "yaml.nul-byte", "the file contains a NUL byte",
                                        "remove it; records are plain UTF-8 text", pos));
        break;
      case TextFault::invalid_utf8:
        problems.push_back(file_problem(file, "yaml.invalid-utf8",
                                        "the file is not valid UTF-8 here",
                                        "save the file as UTF-8", pos));
        break;
      case TextFault::misplaced_bom:
        problems.push_back(file_problem(
            file, "yaml.bom", "a byte-order mark (U+FEFF) appears in the middle of the file",
            "remove it; only the very start of a file may have one", pos));
        break;
      case TextFault::lone_cr:
        problems.push_back(file_problem(
            file, "yaml.line-endings", "the file ends lines with a lone carriage return (CR)",
            "save it with LF (Unix) or CRLF (Windows) line endings", pos));
        break;
    }
  }
  if (!problems.empty()) return problems;

  const std::string_view body = text;
  if (only_comments_and_space(body)) {
    return Problems{file_problem(file, "yaml.empty", "the file has no content",
                                 "write a record; see schemas/examples/valid for examples")};
  }

  // yaml-cpp's scanner reads a whole run of flow brackets before the first event reaches the
  // builder, so "[[[[..." would cost memory in proportion to the input before the depth limit
  // could act. A cheap scan of flow nesting bounds it first.
  // When it trips, only the text up to the offending bracket is parsed, with its brackets
  // closed: the builder then stops at the exact first container that is too deep (block
  // nesting counts too), in memory bounded by the limit.
  const FlowScan scan = scan_flow_nesting(body, options.max_depth);
  const Problem too_deep_fallback = file_problem(
      file, "yaml.too-deep",
      "fields are nested more than " + std::to_string(options.max_depth) + " levels deep",
      "records are at most a few levels deep; flatten it", lines.at_offset(scan.offset));
  const std::string_view parsed = scan.too_deep ? body.substr(0, scan.offset + 1) : body;

  auto impl = DocumentBuilder::new_impl();
  impl->file = file;
  std::istringstream in{std::string(parsed) + scan.closers};
  YAML::Parser parser(in);
  try {
    DocumentBuilder builder(*impl, lines, options, 0, problems);
    parser.HandleNextDocument(builder);
    if (scan.too_deep) {
      problems.push_back(too_deep_fallback);
      return problems;
    }
    if (impl->root == nullptr || impl->root->is_null()) {
      // "---" alone or a bare "null" is a document with nothing in it.
      impl->root = nullptr;
      problems.push_back(file_problem(file, "yaml.empty", "the file has no content",
                                      "write a record; see schemas/examples/valid for examples"));
    }
    // A second document is an error, not something to ignore: a department would lose it.
    FirstMark start;
    if (parser.HandleNextDocument(start)) {
      Problem p = file_problem(file, "yaml.multi-document",
                               "the file holds more than one YAML document",
                               "put each record in its own file", {});
      if (!start.mark.is_null()) {
        p.position = lines.at_line_column(static_cast<std::size_t>(start.mark.line),
                                          static_cast<std::size_t>(start.mark.column));
      }
      problems.push_back(std::move(p));
    }
  } catch (const Abort&) {
    return problems;
  } catch (const YAML::Exception& e) {
    problems.push_back(scan.too_deep ? too_deep_fallback
                                     : syntax_problem(file, e, body, lines, options));
    return problems;
  }
  if (impl->root == nullptr) return problems;
  return Result<Document>(DocumentBuilder::make(std::move(impl)), std::move(problems));
}

Result<Document> load_document_file(const std::filesystem::path& path,
                                    const LoadOptions& options) {
  const std::string name = path.string();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Problems{file_problem(name, "io.not-found", "no such file",
                                 "check the path and spelling")};
  }
  if (std::filesystem::is_directory(status)) {
    return Problems{file_problem(name, "io.is-directory", "this is a directory, not a file",
                                 "name a .yaml file, or pass the directory to a command that "
                                 "searches it")};
  }
  if (std::filesystem::is_regular_file(status)) {
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > options.max_bytes) {
      return Problems{too_large(name, static_cast<std::size_t>(size), options.max_bytes)};
    }
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Problems{file_problem(name, "io.unreadable", "the file cannot be read",
                                 "check its permissions")};
  }
  // Read at most one byte past the limit, so pipes and special files stay bounded too; in
  // chunks, so a 6 KB record does not cost a zeroed buffer the size of the limit.
  std::string text;
  std::array<char, 64 * 1024> chunk;
  while (text.size() <= options.max_bytes && in) {
    const std::size_t room = options.max_bytes + 1 - text.size();
    in.read(chunk.data(), static_cast<std::streamsize>(std::min(room, chunk.size())));
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (text.size() > options.max_bytes) {
    return Problems{file_problem(name, "yaml.too-large",
                                 "the input is over the limit of " + size_text(options.max_bytes),
                                 "a record is a few kilobytes; split it or remove embedded data")};
  }
  return load_document(text, name, options);
}

}  // namespace candor::registry
