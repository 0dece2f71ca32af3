#include "parse_context.h"

#include "text.h"

namespace candor::rules {

using registry::Node;
using registry::NodeKind;

void ParseContext::report(registry::Position at, std::string path, std::string code,
                          std::string message, std::string hint) {
  problems_.push_back(registry::Problem{file_, at, std::move(path), std::move(code),
                                        std::move(message), std::move(hint)});
}

bool ParseContext::check_keys(const Node& mapping, std::span<const std::string_view> allowed,
                              const std::string& path) {
  bool ok = true;
  for (const registry::Entry& entry : mapping.entries()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == entry.key;
    if (known) continue;
    ok = false;
    const std::string_view near = closest(entry.key, allowed);
    std::string hint = near.empty() ? std::string() : "did you mean `" + std::string(near) + "`?";
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    if (hint.empty()) hint = "allowed here: " + list;
    report(entry.key_position, child_path(path, entry.key), "rules.unknown-key",
           "unknown key `" + entry.key + "`", std::move(hint));
  }
  return ok;
}

void ParseContext::missing(const Node& mapping, std::string_view key, const std::string& path,
                           std::string_view what) {
  report(mapping.position(), path, "rules.missing-key",
         std::string(what) + " needs `" + std::string(key) + "`");
}

std::optional<std::string> ParseContext::string(const Node& mapping, std::string_view key,
                                                const std::string& path, bool required) {
  const Node* node = mapping.get(key);
  if (node == nullptr) {
    if (required) missing(mapping, key, path, path.empty() ? "the file" : "`" + path + "`");
    return std::nullopt;
  }
  if (node->kind() != NodeKind::string || node->text().empty()) {
    report(node->position(), child_path(path, key), "rules.bad-value",
           "`" + std::string(key) + "` must be non-empty text, not " +
               std::string(node->kind() == NodeKind::string ? "empty text"
                                                            : registry::describe(node->kind())));
    return std::nullopt;
  }
  return node->text();
}

std::optional<FieldPath> ParseContext::field_path(const Node& mapping, std::string_view key,
                                                  const std::string& path, bool required) {
  const std::optional<std::string> text = string(mapping, key, path, required);
  if (!text) return std::nullopt;
  std::optional<FieldPath> parsed = FieldPath::parse(*text);
  if (!parsed) {
    report(mapping.get(key)->position(), child_path(path, key), "rules.bad-path",
           "`" + *text + "` is not a field path",
           "write dotted keys and list indexes, e.g. `privacy.dpia.completed_on` or "
           "`bias.testing[0].date`; `.` is the current list element");
  }
  return parsed;
}

const Node* ParseContext::mapping(const Node& mapping, std::string_view key,
                                  const std::string& path, bool required) {
  const Node* node = mapping.get(key);
  if (node == nullptr) {
    if (required) missing(mapping, key, path, path.empty() ? "the file" : "`" + path + "`");
    return nullptr;
  }
  if (!node->is_mapping()) {
    report(node->position(), child_path(path, key), "rules.bad-value",
           "`" + std::string(key) + "` must be a mapping, not " +
               std::string(registry::describe(node->kind())));
    return nullptr;
  }
  return node;
}

const Node* ParseContext::sequence(const Node& mapping, std::string_view key,
                                   const std::string& path, bool required) {
  const Node* node = mapping.get(key);
  if (node == nullptr) {
    if (required) missing(mapping, key, path, path.empty() ? "the file" : "`" + path + "`");
    return nullptr;
  }
  if (!node->is_sequence()) {
    report(node->position(), child_path(path, key), "rules.bad-value",
           "`" + std::string(key) + "` must be a list, not " +
               std::string(registry::describe(node->kind())));
    return nullptr;
  }
  return node;
}

std::optional<Literal> to_literal(const Node& node) {
  Literal l;
  l.kind = node.kind();
  l.text = node.text();
  switch (node.kind()) {
    case NodeKind::boolean:
      l.boolean = node.as_bool();
      return l;
    case NodeKind::integer:
      l.integer = node.as_int();
      return l;
    case NodeKind::real:
      l.real = node.as_real();
      return l;
    case NodeKind::string:
      return l;
    default:
      return std::nullopt;
  }
}

}  // namespace candor::rules
