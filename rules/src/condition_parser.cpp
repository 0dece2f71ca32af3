// Parsing conditions: the one place that knows which operand each operator takes.
#include <array>
#include <cmath>
#include <regex>

#include "parse_context.h"
#include "pattern.h"
#include "text.h"

namespace candor::rules {
namespace {

using registry::Node;
using registry::NodeKind;

constexpr std::array<std::string_view, 5> kCombinators = {"all", "any", "not", "some", "each"};

enum class Takes { boolean, scalar, scalar_list, pattern, count, number, path };

Takes operand_of(Op op) {
  switch (op) {
    case Op::present:
      return Takes::boolean;
    case Op::equals:
      return Takes::scalar;
    case Op::in:
    case Op::not_in:
      return Takes::scalar_list;
    case Op::matches:
      return Takes::pattern;
    case Op::min_length:
    case Op::max_length:
    case Op::count_at_least:
    case Op::within_days:
    case Op::older_than_days:
      return Takes::count;
    case Op::at_least:
    case Op::at_most:
      return Takes::number;
    case Op::on_or_before_field:
      return Takes::path;
  }
  return Takes::scalar;
}

std::string_view wanted(Takes t) {
  switch (t) {
    case Takes::boolean:
      return "true or false";
    case Takes::scalar:
      return "a single value (text, number or true/false)";
    case Takes::scalar_list:
      return "a non-empty list of single values";
    case Takes::pattern:
      return "a regular expression in quotes";
    case Takes::count:
      return "a whole number of 0 or more";
    case Takes::number:
      return "a number";
    case Takes::path:
      return "a field path such as deployment.start_date";
  }
  return "";
}

// An operand as written, or as a parameter supplies it.
struct Operand {
  bool is_list = false;
  std::vector<Literal> values;
  std::string shape;  // what it is, for messages: "text", "a list", "null"...
};

std::optional<Operand> operand_from_node(const Node& node) {
  Operand out;
  out.shape = std::string(registry::describe(node.kind()));
  if (node.is_sequence()) {
    out.is_list = true;
    for (const Node* item : node.items()) {
      std::optional<Literal> l = to_literal(*item);
      if (!l) {
        out.shape = "a list containing " + std::string(registry::describe(item->kind()));
        return std::nullopt;
      }
      out.values.push_back(std::move(*l));
    }
    return out;
  }
  std::optional<Literal> l = to_literal(node);
  if (!l) return std::nullopt;
  out.values.push_back(std::move(*l));
  return out;
}

bool is_count(const Literal& l) {
  return l.kind == NodeKind::integer && l.integer >= 0;
}

// Checks `operand` against what `op` takes and stores it in `c`. `about` names the operand for
// messages ("`within_days`" or "parameter `review_max_days` (used by `within_days`)").
bool accept_operand(Op op, const Operand& operand, const std::string& about, registry::Position at,
                    const std::string& path, ParseContext& ctx, Condition& c) {
  const Takes takes = operand_of(op);
  const Literal* one =
      !operand.is_list && operand.values.size() == 1 ? &operand.values[0] : nullptr;
  bool ok = false;
  std::string shape = operand.shape;
  switch (takes) {
    case Takes::boolean:
      ok = one && one->kind == NodeKind::boolean;
      break;
    case Takes::scalar:
      ok = one != nullptr;
      break;
    case Takes::scalar_list:
      ok = operand.is_list && !operand.values.empty();
      if (operand.is_list && operand.values.empty()) shape = "an empty list";
      break;
    case Takes::pattern:
      ok = one && one->kind == NodeKind::string;
      break;
    case Takes::count:
      ok = one && is_count(*one);
      if (one && one->kind == NodeKind::integer && !ok) shape = "a negative number";
      break;
    case Takes::number:
      ok = one && ((one->kind == NodeKind::integer) ||
                   (one->kind == NodeKind::real && !std::isnan(one->real)));
      break;
    case Takes::path:
      ok = one && one->kind == NodeKind::string;
      break;
  }
  if (!ok) {
    std::string hint;
    if (op == Op::equals && operand.is_list) hint = "to compare with several values use `in`";
    if (op == Op::in && one) hint = "write a list, e.g. `in: [" + one->text + "]`, or use `equals`";
    ctx.report(at, path, "rules.bad-operand",
               about + " needs " + std::string(wanted(takes)) + ", not " + shape, hint);
    return false;
  }
  c.operands = operand.values;
  if (takes == Takes::path) {
    std::optional<FieldPath> other = FieldPath::parse(one->text);
    if (!other || other->is_self()) {
      ctx.report(at, path, "rules.bad-path", "`" + one->text + "` is not a field path",
                 "the operand of on_or_before_field is a path from the record root, e.g. "
                 "`deployment.start_date`");
      return false;
    }
    c.other_field = std::move(*other);
  }
  if (takes == Takes::pattern) {
    const std::string unsafe = check_pattern(one->text);
    if (!unsafe.empty()) {
      ctx.report(at, path, "rules.unsafe-regex", "unsafe pattern: " + unsafe,
                 "patterns must be at most 256 characters, without back-references, and no "
                 "repeated group may contain a quantifier or |: write `[a-z][a-z-]*` rather "
                 "than `[a-z]+(-[a-z]+)*`");
      return false;
    }
    try {
      c.pattern = std::make_shared<const CompiledPattern>(compile_pattern(one->text));
    } catch (const std::regex_error& e) {
      ctx.report(at, path, "rules.bad-regex",
                 "`" + one->text + "` is not a valid regular expression: " + e.what(),
                 "patterns use ECMAScript syntax and must match the whole value");
      return false;
    }
  }
  return true;
}

bool parse_operand(Op op, const Node& node, const std::string& path, ParseContext& ctx,
                   Condition& c) {
  const std::string about = "`" + std::string(to_string(op)) + "`";
  if (node.is_mapping()) {
    const Node* name = node.get("param");
    if (name == nullptr || node.size() != 1 || name->kind() != NodeKind::string) {
      ctx.report(node.position(), path, "rules.bad-operand",
                 about + " needs " + std::string(wanted(operand_of(op))) + ", not a mapping",
                 "to use a pack parameter write `{param: NAME}`");
      return false;
    }
    const Parameter* param = nullptr;
    std::vector<std::string_view> names;
    for (const Parameter& p : ctx.parameters()) {
      names.push_back(p.name);
      if (p.name == name->text()) param = &p;
    }
    if (param == nullptr) {
      const std::string_view near = closest(name->text(), names);
      ctx.report(name->position(), child_path(path, "param"), "rules.unknown-param",
                 "unknown parameter `" + name->text() + "`",
                 near.empty() ? "define it under `parameters:` in the pack"
                              : "did you mean `" + std::string(near) + "`?");
      return false;
    }
    Operand operand;
    operand.is_list = param->is_list;
    operand.values = param->values;
    operand.shape = param->is_list ? "a list"
                    : param->values.empty()
                        ? "nothing"
                        : std::string(registry::describe(param->values.front().kind));
    c.param = param->name;
    return accept_operand(op, operand, "parameter `" + param->name + "` (used by " + about + ")",
                          node.position(), path, ctx, c);
  }
  std::optional<Operand> operand = operand_from_node(node);
  if (!operand) {
    Operand shape_only;
    shape_only.shape = node.is_sequence() ? "a list containing null or lists"
                                          : std::string(registry::describe(node.kind()));
    ctx.report(
        node.position(), path, "rules.bad-operand",
        about + " needs " + std::string(wanted(operand_of(op))) + ", not " + shape_only.shape);
    return false;
  }
  return accept_operand(op, *operand, about, node.position(), path, ctx, c);
}

std::optional<Condition> parse_leaf(const Node& node, const std::string& path, ParseContext& ctx) {
  Condition c;
  c.kind = Condition::Kind::leaf;
  c.file = ctx.file();
  c.position = node.position();
  bool ok = true;

  std::vector<std::string_view> vocabulary(operator_names().begin(), operator_names().end());
  vocabulary.insert(vocabulary.end(), kCombinators.begin(), kCombinators.end());
  vocabulary.push_back("field");

  const registry::Entry* op_entry = nullptr;
  bool unknown = false;
  for (const registry::Entry& entry : node.entries()) {
    if (entry.key == "field") continue;
    if (!parse_op(entry.key)) {
      unknown = true;
      const std::string_view near = closest(entry.key, vocabulary);
      ctx.report(entry.key_position, child_path(path, entry.key), "rules.unknown-operator",
                 "unknown operator `" + entry.key + "`",
                 near.empty() ? "operators: present, equals, in, not_in, matches, min_length, "
                                "max_length, at_least, at_most, count_at_least, within_days, "
                                "older_than_days, on_or_before_field"
                              : "did you mean `" + std::string(near) + "`?");
      continue;
    }
    if (op_entry != nullptr) {
      ctx.report(entry.key_position, child_path(path, entry.key), "rules.too-many-operators",
                 "a condition has one operator; this one has `" + op_entry->key + "` and `" +
                     entry.key + "`",
                 "combine tests with `all: [{field: ..., " + op_entry->key +
                     ": ...}, {field: ..., " + entry.key + ": ...}]`");
      ok = false;
      continue;
    }
    op_entry = &entry;
  }
  if (unknown) ok = false;
  if (op_entry == nullptr && !unknown) {
    ctx.report(node.position(), path, "rules.no-operator",
               "the condition on `field` has no operator",
               "add one, e.g. `present: true` or `equals: production`");
    ok = false;
  }

  const std::optional<FieldPath> field = ctx.field_path(node, "field", path, false);
  if (node.get("field") == nullptr) {
    // After an unknown key the likelier story is a typo ("feild"), already reported.
    if (!unknown) {
      ctx.report(node.position(), path, "rules.missing-key",
                 "a condition needs `field` and an operator, or one of all, any, not, some, each");
    }
    ok = false;
  } else if (!field) {
    ok = false;
  } else {
    c.field = *field;
  }

  if (op_entry != nullptr) {
    c.op = *parse_op(op_entry->key);
    if (!parse_operand(c.op, *op_entry->value, child_path(path, op_entry->key), ctx, c)) ok = false;
  }
  if (!ok) return std::nullopt;
  return c;
}

std::optional<Condition> parse_quantifier(const Node& body, bool some, const std::string& path,
                                          ParseContext& ctx) {
  Condition c;
  c.kind = some ? Condition::Kind::some : Condition::Kind::each;
  c.file = ctx.file();
  c.position = body.position();
  const std::string_view inner = some ? "where" : "require";
  const std::array<std::string_view, 2> keys = {"field", inner};
  if (!body.is_mapping()) {
    ctx.report(body.position(), path, "rules.bad-condition",
               std::string(some ? "`some`" : "`each`") + " takes a mapping {field: LIST, " +
                   std::string(inner) + ": CONDITION}");
    return std::nullopt;
  }
  bool ok = ctx.check_keys(body, keys, path);
  const std::optional<FieldPath> field = ctx.field_path(body, "field", path, true);
  if (!field) ok = false;
  const Node* condition = body.get(inner);
  std::optional<Condition> child;
  if (condition == nullptr) {
    ctx.missing(body, inner, path, some ? "`some`" : "`each`");
    ok = false;
  } else {
    child = parse_condition(*condition, child_path(path, inner), ctx);
    if (!child) ok = false;
  }
  if (!ok) return std::nullopt;
  c.field = *field;
  c.children.push_back(std::move(*child));
  return c;
}

}  // namespace

std::span<const std::string_view> combinator_names() {
  return kCombinators;
}

std::optional<Condition> parse_condition(const Node& node, const std::string& path,
                                         ParseContext& ctx) {
  if (!node.is_mapping() || node.size() == 0) {
    ctx.report(
        node.position(), path, "rules.bad-condition",
        "a condition must be a mapping such as `{field: phase, equals: production}` or "
        "`{all: [...]}`, not " +
            std::string(node.is_mapping() ? "an empty mapping" : registry::describe(node.kind())));
    return std::nullopt;
  }
  const registry::Entry* combinator = nullptr;
  for (const registry::Entry& entry : node.entries()) {
    for (std::string_view name : kCombinators) {
      if (entry.key == name && combinator == nullptr) combinator = &entry;
    }
  }
  if (combinator == nullptr) return parse_leaf(node, path, ctx);

  if (node.size() != 1) {
    ctx.report(node.position(), path, "rules.bad-condition",
               "`" + combinator->key + "` must be the only key of its condition",
               "wrap the tests in `all: [...]` or `any: [...]`");
    return std::nullopt;
  }
  const std::string sub = child_path(path, combinator->key);
  const Node& value = *combinator->value;
  Condition c;
  c.file = ctx.file();
  c.position = node.position();
  if (combinator->key == "some" || combinator->key == "each") {
    return parse_quantifier(value, combinator->key == "some", sub, ctx);
  }
  if (combinator->key == "not") {
    c.kind = Condition::Kind::negate;
    std::optional<Condition> child = parse_condition(value, sub, ctx);
    if (!child) return std::nullopt;
    c.children.push_back(std::move(*child));
    return c;
  }
  c.kind = combinator->key == "all" ? Condition::Kind::all : Condition::Kind::any;
  if (!value.is_sequence() || value.items().empty()) {
    ctx.report(
        value.position(), sub, "rules.bad-condition",
        "`" + combinator->key + "` takes a non-empty list of conditions, not " +
            std::string(value.is_sequence() ? "an empty list" : registry::describe(value.kind())));
    return std::nullopt;
  }
  bool ok = true;
  for (std::size_t i = 0; i < value.items().size(); ++i) {
    std::optional<Condition> child = parse_condition(*value.items()[i], item_path(sub, i), ctx);
    if (child) {
      c.children.push_back(std::move(*child));
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return c;
}

bool uses_as_of(const Condition& c) {
  if (c.kind == Condition::Kind::leaf) {
    return c.op == Op::within_days || c.op == Op::older_than_days;
  }
  for (const Condition& child : c.children) {
    if (uses_as_of(child)) return true;
  }
  return false;
}

}  // namespace candor::rules
