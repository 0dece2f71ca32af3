#include "candor/rules/engine.h"

#include <cmath>
#include <optional>

#include "pattern.h"
#include "text.h"

namespace candor::rules {
namespace {

using registry::Node;
using registry::NodeKind;

std::string render_literal(const Literal& literal) {
  return literal.kind == NodeKind::string ? "\"" + literal.text + "\"" : literal.text;
}

// "within_days 365 (param review_max_days)"
std::string describe_test(const Condition& c) {
  std::string out(to_string(c.op));
  out += ' ';
  if (c.op == Op::on_or_before_field) {
    out += c.other_field.text;
  } else if (c.op == Op::matches) {
    out += "'" + c.pattern->source + "'";
  } else if (c.op == Op::in || c.op == Op::not_in) {
    out += '[';
    for (std::size_t i = 0; i < c.operands.size(); ++i) {
      if (i > 0) out += ", ";
      out += render_literal(c.operands[i]);
    }
    out += ']';
  } else if (!c.operands.empty()) {
    out += c.operands.front().text;
  }
  if (!c.param.empty()) out += " (param " + c.param + ")";
  return out;
}

bool is_number(const Node& n) {
  return n.kind() == NodeKind::integer || n.kind() == NodeKind::real;
}
bool is_number(const Literal& l) {
  return l.kind == NodeKind::integer || l.kind == NodeKind::real;
}
double as_double(const Node& n) {
  return n.kind() == NodeKind::integer ? static_cast<double>(n.as_int()) : n.as_real();
}
double as_double(const Literal& l) {
  return l.kind == NodeKind::integer ? static_cast<double>(l.integer) : l.real;
}

// -1, 0, 1, or nullopt when the two cannot be ordered (a NaN).
std::optional<int> compare_numbers(const Node& n, const Literal& l) {
  if (n.kind() == NodeKind::integer && l.kind == NodeKind::integer) {
    return n.as_int() < l.integer ? -1 : (n.as_int() > l.integer ? 1 : 0);
  }
  const double a = as_double(n), b = as_double(l);
  if (std::isnan(a) || std::isnan(b)) return std::nullopt;
  return a < b ? -1 : (a > b ? 1 : 0);
}

bool equal_to(const Node& n, const Literal& l) {
  if (is_number(n) && is_number(l)) return compare_numbers(n, l) == 0;
  if (n.kind() != l.kind) return false;
  if (n.kind() == NodeKind::boolean) return n.as_bool() == l.boolean;
  return n.text() == l.text;  // strings
}

// Records why a leaf is false; returns false.
bool refuse(std::string& why, std::string reason) {
  why = std::move(reason);
  return false;
}

std::string kind_note(const Node& n, std::string_view wanted) {
  return "not " + std::string(wanted) + " (" + std::string(registry::describe(n.kind())) + ")";
}

class Evaluator {
 public:
  Evaluator(const Node& root, Date as_of, Finding& finding)
      : root_(root), as_of_(as_of), finding_(finding) {}

  // `base` is the absolute path of `current` from the record root.
  bool eval(const Condition& c, const Node& current, const std::string& base) {
    switch (c.kind) {
      case Condition::Kind::leaf:
        return leaf(c, current, base);
      case Condition::Kind::all:
        for (const Condition& child : c.children) {
          if (!eval(child, current, base)) return false;
        }
        return true;
      case Condition::Kind::any:
        for (const Condition& child : c.children) {
          if (eval(child, current, base)) return true;
        }
        return false;
      case Condition::Kind::negate:
        return !c.children.empty() && !eval(c.children.front(), current, base);
      case Condition::Kind::some:
      case Condition::Kind::each:
        return quantifier(c, current, base);
    }
    return false;
  }

  // While tracking_false is set, the path of the first leaf or quantifier that is false is kept
  // in first_false: the fallback location of a failed rule without `locate`.
  bool tracking_false = false;
  std::optional<std::string> first_false;

 private:
  // Adds evidence, unless `dedupe` and the same test on the same path is already there (a leaf's
  // result depends only on its path); returns its index.
  std::optional<std::size_t> note(Evidence e, bool dedupe) {
    if (dedupe) {
      for (const Evidence& seen : finding_.evidence) {
        if (seen.path == e.path && seen.test == e.test) return std::nullopt;
      }
    }
    if (finding_.evidence.size() >= kMaxEvidence) {
      ++finding_.evidence_omitted;
      return std::nullopt;
    }
    finding_.evidence.push_back(std::move(e));
    return finding_.evidence.size() - 1;
  }

  bool leaf(const Condition& c, const Node& current, const std::string& base) {
    std::string path = join_path(base, c.field);
    const Located where = locate(current, c.field);  // positions are absolute in the file
    const Node* node = where.exact ? where.node : nullptr;
    Evidence e;
    e.value = render_value(node);
    if (node) e.position = where.position;
    e.test = describe_test(c);
    e.result = apply(c, node, e.note);
    if (!e.result && tracking_false && !first_false) first_false = path;
    e.path = std::move(path);
    const bool result = e.result;
    note(std::move(e), true);
    return result;
  }

  bool apply(const Condition& c, const Node* node, std::string& why) {
    const bool missing = node == nullptr || node->is_null();
    if (c.op == Op::present) {
      if (node != nullptr && node->is_null()) why = "null counts as missing";
      return !c.operands.empty() && missing != c.operands.front().boolean;
    }
    if (missing) {
      why = node == nullptr ? "missing" : "null counts as missing";
      return false;
    }
    // The loader guarantees operands; a Condition built by hand without one is simply false.
    if (c.operands.empty() || (c.op == Op::matches && !c.pattern)) {
      return refuse(why, "the condition has no operand");
    }
    const Node& n = *node;
    const Literal* operand = &c.operands.front();
    switch (c.op) {
      case Op::present:
        return false;  // handled above
      case Op::equals:
        if (!n.is_scalar()) return refuse(why, kind_note(n, "a single value"));
        return equal_to(n, *operand);
      case Op::in:
      case Op::not_in: {
        if (!n.is_scalar()) return refuse(why, kind_note(n, "a single value"));
        bool found = false;
        for (const Literal& l : c.operands) found = found || equal_to(n, l);
        return c.op == Op::in ? found : !found;
      }
      case Op::matches:
        if (n.kind() != NodeKind::string) return refuse(why, kind_note(n, "text"));
        if (n.text().size() > kMaxMatchLength) {
          why = "longer than " + std::to_string(kMaxMatchLength) + " bytes: not matched";
          return false;
        }
        return full_match(*c.pattern, n.text());
      case Op::min_length:
      case Op::max_length: {
        std::size_t length = 0;
        if (n.kind() == NodeKind::string) {
          length = code_points(n.text());
        } else if (n.is_sequence()) {
          length = n.items().size();
        } else {
          return refuse(why, kind_note(n, "text or a list"));
        }
        why = "length " + std::to_string(length);
        const auto limit = static_cast<std::size_t>(operand->integer);
        return c.op == Op::min_length ? length >= limit : length <= limit;
      }
      case Op::at_least:
      case Op::at_most: {
        if (!is_number(n)) return refuse(why, kind_note(n, "a number"));
        const std::optional<int> order = compare_numbers(n, *operand);
        if (!order) return refuse(why, "not a comparable number");
        return c.op == Op::at_least ? *order >= 0 : *order <= 0;
      }
      case Op::count_at_least:
        if (!n.is_sequence()) return refuse(why, kind_note(n, "a list"));
        why = std::to_string(n.items().size()) + (n.items().size() == 1 ? " item" : " items");
        return n.items().size() >= static_cast<std::size_t>(operand->integer);
      case Op::within_days:
      case Op::older_than_days: {
        const std::optional<Date> date = date_of(n, why);
        if (!date) return false;
        const std::int64_t age = as_of_.days_after(*date);
        why = age >= 0 ? std::to_string(age) + " days before " + as_of_.to_string()
                       : std::to_string(-age) + " days after " + as_of_.to_string();
        return c.op == Op::within_days ? age <= operand->integer : age > operand->integer;
      }
      case Op::on_or_before_field: {
        const std::optional<Date> date = date_of(n, why);
        if (!date) return false;
        const Node* other = resolve(root_, c.other_field);
        if (other == nullptr || other->is_null()) {
          why = c.other_field.text + " is missing";
          return false;
        }
        std::string other_why;
        const std::optional<Date> limit = date_of(*other, other_why);
        if (!limit) {
          why = c.other_field.text + " is " + other_why;
          return false;
        }
        why = c.other_field.text + " is " + limit->to_string();
        return *date <= *limit;
      }
    }
    return false;
  }

  static std::optional<Date> date_of(const Node& n, std::string& why) {
    std::optional<Date> date;
    if (n.kind() == NodeKind::string) date = Date::parse(n.text());
    if (!date) why = "not a date (YYYY-MM-DD)";
    return date;
  }

  bool quantifier(const Condition& c, const Node& current, const std::string& base) {
    const bool some = c.kind == Condition::Kind::some;
    const Node* list = resolve(current, c.field);
    const std::string path = join_path(base, c.field);
    Evidence e;
    e.path = path;
    e.value = render_value(list, 60);
    if (list && !list->is_null()) e.position = locate(current, c.field).position;
    e.test = some ? "some" : "each";
    const std::optional<std::size_t> slot = note(e, false);

    bool result = !some;  // some: false for missing/empty; each: true
    std::string why;
    if (list == nullptr || list->is_null()) {
      why = some ? "missing" : "missing: nothing to check";
    } else if (!list->is_sequence()) {
      why = kind_note(*list, "a list");
      result = false;
    } else if (list->items().empty() || c.children.empty()) {
      why = some ? "empty list" : "empty list: nothing to check";
    } else {
      const Condition& body = c.children.front();
      for (std::size_t i = 0; i < list->items().size(); ++i) {
        const bool ok = eval(body, *list->items()[i], path + "[" + std::to_string(i) + "]");
        if (some && ok) {
          result = true;
          why = "item " + std::to_string(i) + " satisfies the condition";
          break;
        }
        if (!some && !ok) {
          result = false;
          why = "item " + std::to_string(i) + " does not satisfy the condition";
          break;
        }
      }
      if (why.empty())
        why = some ? "no item satisfies the condition" : "every item satisfies the condition";
    }
    if (slot) {
      finding_.evidence[*slot].result = result;
      finding_.evidence[*slot].note = why;
    }
    if (!result && tracking_false && !first_false) first_false = path;
    return result;
  }

  const Node& root_;
  Date as_of_;
  Finding& finding_;
};

std::string fill_placeholders(const std::string& message, const Node& root) {
  std::string out;
  std::size_t i = 0;
  while (i < message.size()) {
    const std::size_t open = message.find("{{", i);
    const std::size_t close = open == std::string::npos ? open : message.find("}}", open + 2);
    if (close == std::string::npos) break;
    out.append(message, i, open - i);
    std::string_view inside(message.data() + open + 2, close - open - 2);
    while (!inside.empty() && inside.front() == ' ') inside.remove_prefix(1);
    while (!inside.empty() && inside.back() == ' ') inside.remove_suffix(1);
    const std::optional<FieldPath> path = FieldPath::parse(inside);
    if (path) {
      out += render_value(resolve(root, *path));
    } else {
      out.append(message, open, close + 2 - open);  // the loader rejects these; keep as written
    }
    i = close + 2;
  }
  out.append(message, i, std::string::npos);
  return out;
}

}  // namespace

Finding evaluate_rule(const Rule& rule, const Node& root, Date as_of) {
  Finding finding;
  finding.rule_id = rule.id;
  finding.severity = rule.severity;
  Evaluator evaluator(root, as_of, finding);
  const std::string base;  // the root's path

  if (rule.when && !evaluator.eval(*rule.when, root, base)) {
    finding.outcome = Outcome::not_applicable;
  } else {
    evaluator.tracking_false = true;
    const bool ok = evaluator.eval(rule.require, root, base);
    evaluator.tracking_false = false;
    finding.outcome = ok ? Outcome::pass : Outcome::fail;
    for (const SeverityWhen& s : rule.severity_when) {
      if (evaluator.eval(s.when, root, base)) {
        finding.severity = s.severity;
        break;
      }
    }
  }

  std::optional<FieldPath> target = rule.locate;
  if (!target && finding.outcome == Outcome::fail && evaluator.first_false) {
    target = FieldPath::parse(*evaluator.first_false);  // built from parsed steps: parses again
  }
  const Located where = locate(root, target ? *target : FieldPath{});
  finding.path = where.path;
  finding.position = where.position;
  finding.message = fill_placeholders(rule.message, root);
  return finding;
}

std::vector<Finding> evaluate(const Pack& pack, const Node& root, Date as_of) {
  std::vector<Finding> findings;
  findings.reserve(pack.rules.size());
  for (const Rule& rule : pack.rules) findings.push_back(evaluate_rule(rule, root, as_of));
  return findings;
}

std::vector<Finding> evaluate(const Pack& pack, const registry::Document& record, Date as_of) {
  std::vector<Finding> findings = evaluate(pack, record.root(), as_of);
  for (Finding& f : findings) f.file = record.file();
  return findings;
}

}  // namespace candor::rules
