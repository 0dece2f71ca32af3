#include "candor/registry/schema.h"

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <cmath>
#include <regex>
#include <stdexcept>
#include <unordered_map>

#include "field_path.h"
#include "candor/registry/suggest.h"
#include "formats.h"

namespace candor::embedded {
std::string_view record_schema_v1();
}

namespace candor::registry {

std::string_view record_schema_text() { return embedded::record_schema_v1(); }

namespace {

using Json = nlohmann::json;

// Strings longer than this are not matched against schema patterns: libstdc++'s std::regex
// recurses per character and would exhaust the stack on hostile input. Such strings are far
// longer than any patterned field (slugs, URLs) allows, so a length error is reported instead.
constexpr std::size_t k_max_pattern_input = 4096;

Json to_json(const Node& n) {
  switch (n.kind()) {
    case NodeKind::null: return nullptr;
    case NodeKind::boolean: return n.as_bool();
    case NodeKind::integer: return n.as_int();
    case NodeKind::real: return n.as_real();
    case NodeKind::string: return n.text();
    case NodeKind::sequence: {
      Json a = Json::array();
      for (const Node* item : n.items()) a.push_back(to_json(*item));
      return a;
    }
    case NodeKind::mapping: {
      Json o = Json::object();
      for (const Entry& e : n.entries()) o[e.key] = to_json(*e.value);
      return o;
    }
  }
  return nullptr;
}

// Removes the keywords this file checks itself, so valijson does not check them twice.
void strip_own_keywords(Json& schema) {
  if (schema.is_object()) {
    const bool is_schema_object = !schema.contains("properties") || schema["properties"].is_object();
    if (is_schema_object) {
      if (schema.contains("format") && schema["format"].is_string()) schema.erase("format");
      if (schema.contains("pattern") && schema["pattern"].is_string()) schema.erase("pattern");
    }
    for (auto& [key, value] : schema.items()) {
      // Property names are not keywords: a field called "format" keeps its subschema.
      if (key == "properties" || key == "definitions") {
        for (auto& [name, sub] : value.items()) {
          (void)name;
          strip_own_keywords(sub);
        }
      } else if (key != "enum" && key != "const" && key != "examples" && key != "default") {
        strip_own_keywords(value);
      }
    }
  } else if (schema.is_array()) {
    for (auto& item : schema) strip_own_keywords(item);
  }
}

std::string join_quoted(const Json& values, std::size_t max = 20) {
  std::string out;
  std::size_t n = 0;
  for (const auto& v : values) {
    if (n == max) {
      out += ", ...";
      break;
    }
    if (n++) out += ", ";
    out += v.is_string() ? v.get<std::string>() : v.dump();
  }
  return out;
}

std::string shown(const Node& n) {
  if (n.is_scalar()) {
    std::string t = n.text();
    if (t.size() > 60) t = t.substr(0, 57) + "...";
    return "'" + t + "'";
  }
  return std::string(describe(n.kind()));
}

bool is_yaml11_boolean(const Node& n) {
  if (n.kind() != NodeKind::string || !n.plain()) return false;
  std::string t = n.text();
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  return t == "yes" || t == "no" || t == "on" || t == "off" || t == "y" || t == "n";
}

// "did you mean" over owned strings.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  const std::vector<std::string_view> views(candidates.begin(), candidates.end());
  return std::string(closest(word, views));
}

std::string type_name(const std::string& t) {
  if (t == "string") return "text";
  if (t == "boolean") return "true or false";
  if (t == "integer") return "a whole number";
  if (t == "number") return "a number";
  if (t == "array") return "a list";
  if (t == "object") return "a mapping of fields";
  if (t == "null") return "empty (null)";
  return t;
}

}  // namespace

struct SchemaValidator::Impl {
  Json full;            // as shipped, for navigation, formats, patterns and hints
  valijson::Schema schema;
  std::unordered_map<std::string, std::regex> patterns;  // compiled once, read-only afterwards

  // Every "$ref" target ("#/definitions/x" -> the subschema), resolved once at construction:
  // check_strings resolves a reference for every value of every record.
  std::unordered_map<std::string, const Json*> refs;

  const Json* resolve(const Json* s) const {
    for (int hops = 0; s && s->is_object() && hops < 32; ++hops) {
      const auto ref = s->find("$ref");
      if (ref == s->end()) return s;
      if (!ref->is_string()) return nullptr;
      const auto target = refs.find(ref->get_ref<const std::string&>());
      if (target == refs.end()) return nullptr;
      s = target->second;
    }
    return s;
  }

  void compile_refs(const Json& s) {
    if (s.is_object()) {
      if (const auto ref = s.find("$ref"); ref != s.end() && ref->is_string()) {
        const std::string& text = ref->get_ref<const std::string&>();
        if (text.rfind("#/", 0) == 0) {
          try {
            refs.emplace(text, &full.at(Json::json_pointer(text.substr(1))));
          } catch (const Json::exception&) {
            // A dangling reference resolves to nothing, as before: no hints for that field.
          }
        }
      }
      for (const auto& [key, value] : s.items()) compile_refs(value);
    } else if (s.is_array()) {
      for (const auto& value : s) compile_refs(value);
    }
  }

  // The subschema for one step below `s`, or nullptr if the schema says nothing about it.
  const Json* child(const Json* s, const PathStep& step) const {
    s = resolve(s);
    if (!s || !s->is_object()) return nullptr;
    if (step.is_index) {
      if (s->contains("items") && (*s)["items"].is_object()) return &(*s)["items"];
      return nullptr;
    }
    if (s->contains("properties") && (*s)["properties"].contains(step.key)) {
      return &(*s)["properties"][step.key];
    }
    if (s->contains("additionalProperties") && (*s)["additionalProperties"].is_object()) {
      return &(*s)["additionalProperties"];
    }
    return nullptr;
  }

  // A property's own description, else its definition's: valijson and editors read the one
  // beside a $ref, so that is where the specific text is written.
  std::string description_of(const Json* raw) const {
    if (raw && raw->is_object() && raw->contains("description")) {
      return (*raw)["description"].get<std::string>();
    }
    const Json* r = resolve(raw);
    if (r && r->is_object() && r->contains("description")) {
      return (*r)["description"].get<std::string>();
    }
    return {};
  }

  // The raw subschema at a path (not resolved, so its own description is kept).
  const Json* at(const std::vector<PathStep>& steps) const {
    const Json* s = &full;
    for (const auto& step : steps) {
      s = child(s, step);
      if (!s) return nullptr;
    }
    return s;
  }

  void compile_patterns(const Json& s) {
    if (s.is_object()) {
      if (s.contains("pattern") && s["pattern"].is_string()) {
        const std::string p = s["pattern"].get<std::string>();
        patterns.emplace(p, std::regex(p, std::regex::ECMAScript | std::regex::optimize));
      }
      for (const auto& [key, value] : s.items()) {
        if (key != "enum" && key != "const" && key != "examples" && key != "default") {
          compile_patterns(value);
        }
      }
    } else if (s.is_array()) {
      for (const auto& item : s) compile_patterns(item);
    }
  }

  void check_strings(const Node& node, const Json* s, std::string& path, const Document& doc,
                     Problems& out) const;
  Problem explain(const valijson::ValidationResults::Error& error, const Document& doc) const;
};

namespace {

bool is_wrapper_error(const std::string& d) {
  // valijson reports each failing child again on its parent; the child is the useful one.
  static const char* const k_wrappers[] = {
      "Failed to validate against schema associated with property name",
      "Failed to validate item #",
      "Failed to validate against additional properties schema",
      "Failed to validate against child schema",
      "Failed to validate against any ",
      "Failed to validate against additional items schema",
      "Failed to validate against schema associated with pattern",
  };
  for (const char* w : k_wrappers) {
    if (d.rfind(w, 0) == 0) return true;
  }
  return false;
}

std::string quoted_tail(const std::string& description) {
  // "... 'name'." → name
  const auto end = description.rfind('\'');
  if (end == std::string::npos || end == 0) return {};
  const auto start = description.rfind('\'', end - 1);
  if (start == std::string::npos) return {};
  return description.substr(start + 1, end - start - 1);
}

std::string number_in(const std::string& description) {
  const auto p = description.find_first_of("0123456789");
  if (p == std::string::npos) return {};
  auto e = description.find_first_not_of("0123456789.", p);
  std::string n = description.substr(p, e == std::string::npos ? std::string::npos : e - p);
  while (!n.empty() && n.back() == '.') n.pop_back();
  // valijson prints doubles with six decimals ("1.000000"): show them as written in the schema.
  if (const auto dot = n.find('.'); dot != std::string::npos) {
    while (n.back() == '0') n.pop_back();
    if (n.back() == '.') n.pop_back();
  }
  return n;
}

}  // namespace

Problem SchemaValidator::Impl::explain(const valijson::ValidationResults::Error& error,
                                       const Document& doc) const {
  // Context is ["<root>", "[key]", "[0]", ...]: walk the document to find the node, keeping the
  // nearest node that exists for the position.
  std::vector<PathStep> steps;
  std::string path;
  const Node* node = &doc.root();
  const Node* present = node;
  for (std::size_t i = 1; i < error.context.size(); ++i) {
    std::string part = error.context[i];
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
      part = part.substr(1, part.size() - 2);
    }
    PathStep step;
    if (node && node->is_sequence()) {
      step.is_index = true;
      step.index = std::stoul(part);
      append_index(path, step.index);
      node = step.index < node->items().size() ? node->items()[step.index] : nullptr;
    } else {
      step.key = part;
      append_key(path, part);
      node = node ? node->get(part) : nullptr;
    }
    if (node) present = node;
    steps.push_back(std::move(step));
  }

  Problem p{doc.file(), present->position(), path, "schema.invalid", error.description, ""};
  const std::string& d = error.description;
  const Json* raw = at(steps);
  const Json* sub = resolve(raw);
  const std::string field = path.empty() ? std::string("the record") : "'" + path + "'";

  if (d.rfind("Missing required property", 0) == 0) {
    const std::string key = quoted_tail(d);
    std::string full_path = path;
    append_key(full_path, key);
    p.path = full_path;
    p.code = "schema.required";
    p.message = "required field '" + full_path + "' is missing";
    p.hint = "add '" + key + "'";
    if (const std::string text = description_of(sub ? child(sub, PathStep{false, key, 0}) : nullptr);
        !text.empty()) {
      p.hint += ": " + text;
    }
    return p;
  }
  if (d.rfind("Object contains a property that could not be validated", 0) == 0) {
    const std::string key = quoted_tail(d);
    std::string full_path = path;
    append_key(full_path, key);
    p.path = full_path;
    p.code = "schema.unknown-field";
    p.message = "unknown field '" + key + "'";
    if (node) {
      if (const Entry* e = node->entry(key)) p.position = e->key_position;
    }
    std::vector<std::string> known;
    if (sub && sub->contains("properties")) {
      for (const auto& [name, value] : (*sub)["properties"].items()) {
        (void)value;
        known.push_back(name);
      }
    }
    if (const std::string guess = nearest(key, known); !guess.empty()) {
      p.hint = "did you mean '" + guess + "'?";
    } else {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      p.hint = known.empty() ? "remove it"
                             : "remove it or use a known field (" + list + ")";
      if (path.empty()) {
        p.hint += "; keep imported data under 'extensions'";
      }
    }
    return p;
  }
  if (d.rfind("Value type not permitted", 0) == 0 && node) {
    p.code = "schema.type";
    std::vector<std::string> types;
    if (sub && sub->contains("type")) {
      const Json& t = (*sub)["type"];
      if (t.is_string()) types.push_back(t.get<std::string>());
      if (t.is_array()) {
        for (const auto& x : t) types.push_back(x.get<std::string>());
      }
    }
    std::string expected;
    for (const auto& t : types) {
      if (t == "null") continue;
      expected += (expected.empty() ? "" : " or ") + type_name(t);
    }
    if (expected.empty()) expected = "another kind of value";
    const bool wants_bool = std::find(types.begin(), types.end(), "boolean") != types.end();
    const bool wants_text = std::find(types.begin(), types.end(), "string") != types.end();
    if (wants_bool && is_yaml11_boolean(*node)) {
      p.code = "schema.boolean-literal";
      p.message = field + " must be true or false, not '" + node->text() + "'";
      p.hint = "write true or false: words such as yes, no, on and off are text, not booleans";
      return p;
    }
    p.message = field + " must be " + expected + ", not " +
                (node->is_scalar() && !node->is_null()
                     ? std::string(describe(node->kind())) + " " + shown(*node)
                     : std::string(describe(node->kind())));
    if (wants_text && node->is_scalar() && !node->is_null() && node->plain()) {
      p.hint = "put the value in quotes: \"" + node->text() + "\"";
    } else {
      p.hint = description_of(raw);
    }
    return p;
  }
  if (d.rfind("Failed to match against any enum values", 0) == 0 && node) {
    p.code = "schema.enum";
    p.message = field + " has the value " + shown(*node) + ", which is not one of the allowed values";
    if (sub && sub->contains("enum")) {
      std::vector<std::string> allowed;
      for (const auto& v : (*sub)["enum"]) {
        if (v.is_string()) allowed.push_back(v.get<std::string>());
      }
      const std::string guess = node->is_scalar() ? nearest(node->text(), allowed) : "";
      p.hint = (guess.empty() ? "" : "did you mean '" + guess + "'? ") +
               "allowed: " + join_quoted((*sub)["enum"]);
    }
    return p;
  }
  if (d.rfind("Failed to match expected value set by 'const'", 0) == 0 && node) {
    p.code = "schema.const";
    p.message = field + " must be " +
                (sub && sub->contains("const") ? "'" + join_quoted(Json::array({(*sub)["const"]})) + "'"
                                               : std::string("a fixed value")) +
                ", not " + shown(*node);
    return p;
  }
  if (d.rfind("String should be no fewer than", 0) == 0) {
    p.code = "schema.too-short";
    p.message = field + " is too short: write at least " + number_in(d) + " characters";
    return p;
  }
  if (d.rfind("String should be no more than", 0) == 0) {
    p.code = "schema.too-long";
    p.message = field + " is too long: at most " + number_in(d) + " characters";
    return p;
  }
  if (d.rfind("Expected number greater than", 0) == 0) {  // also "... or equal to"
    p.code = "schema.range";
    p.message = field + " must be at least " + number_in(d) + (node ? ", not " + shown(*node) : "");
    return p;
  }
  if (d.rfind("Expected number less than", 0) == 0) {
    p.code = "schema.range";
    p.message = field + " must be at most " + number_in(d) + (node ? ", not " + shown(*node) : "");
    return p;
  }
  if (d.rfind("Array should contain no fewer than", 0) == 0) {
    p.code = "schema.too-few";
    p.message = field + " must list at least " + number_in(d) + " item(s)";
    return p;
  }
  if (d.rfind("Array should contain no more than", 0) == 0) {
    p.code = "schema.too-many";
    p.message = field + " must list at most " + number_in(d) + " items";
    return p;
  }
  if (d.rfind("Elements at indexes", 0) == 0) {
    p.code = "schema.duplicate-item";
    p.message = field + " lists the same item more than once";
    p.hint = "remove the repeated item";
    return p;
  }
  p.message = field + ": " + d;
  return p;
}

void SchemaValidator::Impl::check_strings(const Node& node, const Json* raw, std::string& path,
                                          const Document& doc, Problems& out) const {
  const Json* s = resolve(raw);
  if (!s || !s->is_object()) return;
  if (node.kind() == NodeKind::string) {
    const std::string& v = node.text();
    // Only a problem's message needs the quoted path; most values have none.
    const auto field = [&path] { return "'" + path + "'"; };
    if (const auto f = s->find("format"); f != s->end() && f->is_string()) {
      const std::string& format = f->get_ref<const std::string&>();
      if (format == "date" && !is_calendar_date(v)) {
        out.push_back({doc.file(), node.position(), path, "schema.date",
                       field() + " is not a real date: '" + v + "'",
                       "write the date as YYYY-MM-DD, e.g. 2026-03-31"});
      } else if (format == "email" && !is_email(v)) {
        out.push_back({doc.file(), node.position(), path, "schema.email",
                       field() + " is not an e-mail address: '" + v + "'",
                       "write an address such as ai-team@department.gov.uk"});
      } else if (format == "uri" && !is_absolute_url(v)) {
        out.push_back({doc.file(), node.position(), path, "schema.url",
                       field() + " is not a web address: '" + v + "'",
                       "write a full address starting with https://"});
        return;  // one problem per value: the pattern would only repeat it
      }
    }
    if (const auto pat = s->find("pattern");
        pat != s->end() && pat->is_string() && v.size() <= k_max_pattern_input) {
      const std::string& pattern = pat->get_ref<const std::string&>();
      const auto it = patterns.find(pattern);
      if (it != patterns.end() && !std::regex_search(v, it->second)) {
        Problem p{doc.file(), node.position(), path, "schema.pattern", "", ""};
        if (pattern.rfind("^https://", 0) == 0) {
          p.code = "schema.url";
          p.message = field() + " must be an https:// address, not '" + v + "'";
          p.hint = "public links must use https";
        } else if (pattern == "^[a-z0-9]+(-[a-z0-9]+)*$") {
          p.message = field() + " must be a slug (lower-case letters, digits and single hyphens), "
                      "not '" + v + "'";
          p.hint = "for example 'custody-notes-assistant'";
        } else {
          p.message = field() + " does not have the expected form: '" + v + "'";
          p.hint = description_of(raw);
        }
        out.push_back(std::move(p));
      }
    }
    return;
  }
  if (node.is_mapping()) {
    for (const Entry& e : node.entries()) {
      const std::size_t len = path.size();
      append_key(path, e.key);
      if (const Json* sub = child(s, PathStep{false, e.key, 0})) {
        check_strings(*e.value, sub, path, doc, out);
      }
      path.resize(len);
    }
  } else if (node.is_sequence()) {
    const Json* items = child(s, PathStep{true, "", 0});
    if (!items) return;
    for (std::size_t i = 0; i < node.items().size(); ++i) {
      const std::size_t len = path.size();
      append_index(path, i);
      check_strings(*node.items()[i], items, path, doc, out);
      path.resize(len);
    }
  }
}

SchemaValidator::SchemaValidator(std::string_view schema_json) : impl_(std::make_unique<Impl>()) {
  try {
    impl_->full = Json::parse(schema_json);
    Json stripped = impl_->full;
    strip_own_keywords(stripped);
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(stripped);
    parser.populateSchema(adapter, impl_->schema);
    impl_->compile_patterns(impl_->full);
    impl_->compile_refs(impl_->full);
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("unusable JSON schema: ") + e.what());
  }
}

SchemaValidator::SchemaValidator(SchemaValidator&&) noexcept = default;
SchemaValidator::~SchemaValidator() = default;

const SchemaValidator& SchemaValidator::record_v1() {
  static const SchemaValidator validator(record_schema_text());
  return validator;
}

Problems SchemaValidator::validate(const Document& doc) const {
  const Json instance = to_json(doc.root());
  valijson::ValidationResults results;
  // One Validator per thread: it caches compiled regexes and is not safe to share.
  thread_local valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::adapters::NlohmannJsonAdapter adapter(instance);
  validator.validate(impl_->schema, adapter, &results);

  Problems problems;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    if (is_wrapper_error(error.description)) continue;
    problems.push_back(impl_->explain(error, doc));
  }
  std::string path;
  impl_->check_strings(doc.root(), &impl_->full, path, doc, problems);

  // Document order, then stable: a person reads problems top to bottom.
  std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
    if (a.position.line != b.position.line) return a.position.line < b.position.line;
    return a.position.column < b.position.column;
  });
  problems.erase(std::unique(problems.begin(), problems.end(),
                             [](const Problem& a, const Problem& b) {
                               return a.position == b.position && a.message == b.message;
                             }),
                 problems.end());
  return problems;
}

}  // namespace candor::registry
