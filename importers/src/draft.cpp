#include "draft.h"

#include <yaml-cpp/yaml.h>

#include "candor/registry/schema.h"

namespace candor::importers {

namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    const std::size_t end = dot == std::string_view::npos ? path.size() : dot;
    parts.emplace_back(path.substr(start, end - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

// The record schema's "properties" tree, used to order fields as the schema lists them.
const Json& schema_properties() {
  static const Json schema = Json::parse(registry::record_schema_text());
  return schema;
}

const Json* properties_of(const Json* schema_node) {
  if (schema_node == nullptr || !schema_node->is_object()) return nullptr;
  if (auto it = schema_node->find("properties"); it != schema_node->end()) return &*it;
  if (auto it = schema_node->find("items"); it != schema_node->end()) return properties_of(&*it);
  return nullptr;
}

// Printable ASCII only, so a comment is one line whatever the input held.
std::string comment_safe(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u >= 0x20 && u < 0x7f ? c : '?');
  }
  return out;
}

void emit_value(YAML::Emitter& out, const Json& value, const Json* schema_node);

void emit_string(YAML::Emitter& out, const std::string& s) {
  if (plain_safe(s)) {
    out << s;
  } else {
    out << YAML::DoubleQuoted << s;
  }
}

void emit_object(YAML::Emitter& out, const Json& object, const Json* schema_node) {
  out << YAML::BeginMap;
  const Json* props = properties_of(schema_node);
  auto emit_entry = [&](const std::string& key, const Json& v) {
    out << YAML::Key;
    emit_string(out, key);
    out << YAML::Value;
    const Json* child = nullptr;
    if (props != nullptr) {
      if (auto it = props->find(key); it != props->end()) child = &*it;
    }
    emit_value(out, v, child);
  };
  if (props != nullptr) {
    for (const auto& [key, unused] : props->items()) {
      if (auto it = object.find(key); it != object.end()) emit_entry(key, *it);
    }
    for (const auto& [key, v] : object.items()) {
      if (!props->contains(key)) emit_entry(key, v);
    }
  } else {
    for (const auto& [key, v] : object.items()) emit_entry(key, v);
  }
  out << YAML::EndMap;
}

void emit_value(YAML::Emitter& out, const Json& value, const Json* schema_node) {
  switch (value.type()) {
    case Json::value_t::object:
      emit_object(out, value, schema_node);
      break;
    case Json::value_t::array:
      out << YAML::BeginSeq;
      for (const Json& item : value) emit_value(out, item, schema_node);
      out << YAML::EndSeq;
      break;
    case Json::value_t::string:
      emit_string(out, value.get<std::string>());
      break;
    case Json::value_t::boolean:
      out << (value.get<bool>() ? "true" : "false");
      break;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      out << value.dump();
      break;
    default:
      out << YAML::Null;
      break;
  }
}

}  // namespace

Draft::Draft(std::string extension_key) : key_(std::move(extension_key)) {}

void Draft::set(std::string_view path, Json value, std::string source_field) {
  Json* node = &root_;
  const auto parts = split_path(path);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    Json& next = (*node)[parts[i]];
    if (!next.is_object()) next = Json::object();
    node = &next;
  }
  (*node)[parts.back()] = std::move(value);
  if (!source_field.empty()) origin_[std::string(path)] = std::move(source_field);
}

Json& Draft::extensions() {
  Json& ext = root_["extensions"];
  if (!ext.is_object()) ext = Json::object();
  Json& mine = ext[key_];
  if (!mine.is_object()) mine = Json::object();
  return mine;
}

void Draft::keep(const std::string& field, Json value) {
  Json& ext = extensions();
  if (!ext.contains(field)) ext[field] = std::move(value);
}

const Json* Draft::get(std::string_view path) const {
  const Json* node = &root_;
  for (const auto& part : split_path(path)) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(part);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

void Draft::remove(std::string_view path) {
  const auto parts = split_path(path);
  std::vector<Json*> chain{&root_};
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    Json* node = chain.back();
    if (!node->is_object() || !node->contains(parts[i])) return;
    chain.push_back(&(*node)[parts[i]]);
  }
  if (chain.back()->is_object()) chain.back()->erase(parts.back());
  // Drop objects the removal left empty.
  for (std::size_t i = chain.size() - 1; i > 0; --i) {
    if (chain[i]->is_object() && chain[i]->empty()) chain[i - 1]->erase(parts[i - 1]);
  }
  origin_.erase(std::string(path));
}

bool Draft::move_to_extensions(std::string_view path) {
  const Json* value = get(path);
  if (value == nullptr) return false;
  auto it = origin_.find(std::string(path));
  const std::string field = it != origin_.end() ? it->second : std::string(path);
  Json copy = *value;
  remove(path);
  keep(field, std::move(copy));
  return true;
}

void Draft::comment(const std::string& top_level_key, std::string text) {
  comments_[top_level_key].push_back(std::move(text));
}

std::string emit(const Draft& draft) {
  std::string text;
  for (const auto& line : draft.header_) text += "# " + comment_safe(line) + "\n";
  const Json& schema = schema_properties();
  const Json* props = properties_of(&schema);
  auto emit_top = [&](const std::string& key, const Json& value, const Json* schema_node) {
    if (auto it = draft.comments_.find(key); it != draft.comments_.end()) {
      for (const auto& line : it->second) text += "# " + comment_safe(line) + "\n";
    }
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetOutputCharset(YAML::EmitNonAscii);
    out << YAML::BeginMap << YAML::Key;
    emit_string(out, key);
    out << YAML::Value;
    emit_value(out, value, schema_node);
    out << YAML::EndMap;
    text += out.c_str();
    text += '\n';
  };
  for (const auto& [key, schema_node] : props->items()) {
    if (auto it = draft.root_.find(key); it != draft.root_.end()) emit_top(key, *it, &schema_node);
  }
  for (const auto& [key, value] : draft.root_.items()) {
    if (!props->contains(key)) emit_top(key, value, nullptr);
  }
  return text;
}

bool plain_safe(std::string_view s) {
  if (s.empty() || s.size() > 120) return false;
  const char first = s.front();
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) return false;
  if (s.back() == ' ') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == ' ' || c == '_' || c == '-' || c == '.' || c == ',' || c == '/' ||
                    c == '(' || c == ')' || c == '@' || c == '+' || c == '&';
    if (!ok) return false;
    if (c == ' ' && i + 1 < s.size() && s[i + 1] == ' ') return false;
  }
  static constexpr std::string_view k_reserved[] = {"true", "false", "yes",  "no",  "on", "off",
                                                    "y",    "n",     "null", "nan", "inf"};
  std::string l(s);
  for (char& c : l) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (auto r : k_reserved) {
    if (l == r) return false;
  }
  return true;
}

}  // namespace candor::importers
