// Plain-language descriptions of conditions and the Markdown pack reference (docs.h).
#include <algorithm>
#include <vector>

#include "candor/rules/docs.h"
#include "candor/rules/report.h"

namespace candor::rules {
namespace {

// A Markdown code span that survives backticks in the text.
std::string code(std::string_view text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = text.starts_with('`') || text.ends_with('`') || longest > 0;
  return fence + (pad ? " " : "") + std::string(text) + (pad ? " " : "") + fence;
}

// Text from a pack placed in Markdown prose: characters that would start markup are escaped.
std::string prose(std::string_view text) {
  std::string out;
  for (char c : text) {
    // `_` and `#` are left alone: GitHub does not read intra-word underscores as emphasis, and
    // `#` only matters at the start of a line, where pack text never lands.
    if (c == '\\' || c == '`' || c == '*' || c == '[' || c == ']' || c == '<' || c == '>' ||
        c == '|') {
      out += '\\';
    }
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string url_for_markdown(std::string_view url) {
  std::string out;
  for (char c : url) {
    if (c == '(')
      out += "%28";
    else if (c == ')')
      out += "%29";
    else if (c == ' ')
      out += "%20";
    else
      out += c;
  }
  return out;
}

// Numbers read as numbers; text and booleans are values a person types, so they are code.
std::string literal(const Literal& l) {
  const bool number = l.kind == registry::NodeKind::integer || l.kind == registry::NodeKind::real;
  return number ? l.text : code(l.text);
}

std::string join_values(const std::vector<Literal>& values, std::string_view last_word) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0 && i + 1 == values.size()) {
      out.append(" ").append(last_word).append(" ");
    } else if (i > 0) {
      out += ", ";
    }
    out += literal(values[i]);
  }
  return out;
}

std::string param_note(const Condition& c) {
  return c.param.empty() ? std::string() : " (pack parameter " + code(c.param) + ")";
}

// Absolute path for schema lookups: list items as "[]".
std::string lookup_path(std::string_view base, const FieldPath& path) {
  std::string out(base);
  for (const PathStep& s : path.steps) {
    if (s.is_index) {
      out += "[]";
    } else {
      out += (out.empty() ? "" : ".") + s.key;
    }
  }
  return out;
}

struct Piece {
  std::string head;          // a sentence fragment
  std::vector<Piece> items;  // sub-bullets, for combinators
};

class Describer {
 public:
  explicit Describer(const DocsOptions& options) : options_(options) {}

  Piece piece(const Condition& c, const std::string& base) const {
    switch (c.kind) {
      case Condition::Kind::leaf:
        return {leaf(c, base), {}};
      case Condition::Kind::all:
        return group("all of these hold:", c.children, base);
      case Condition::Kind::any:
        return group("at least one of these holds:", c.children, base);
      case Condition::Kind::negate: {
        const Condition& child = c.children.front();
        if (child.kind == Condition::Kind::any)
          return group("none of these holds:", child.children, base);
        if (child.kind == Condition::Kind::all) {
          return group("not all of these hold:", child.children, base);
        }
        if (child.kind == Condition::Kind::leaf) return {negated_leaf(child, base), {}};
        Piece inner = piece(child, base);
        inner.head = "it is not the case that " + inner.head;
        return inner;
      }
      case Condition::Kind::some:
      case Condition::Kind::each: {
        const std::string list = lookup_path(base, c.field);
        const std::string field = c.field.is_self() ? "the list" : code(c.field.text);
        const Condition& child = c.children.front();
        // A list of values tested for one value: "`x` includes `age`".
        if (c.kind == Condition::Kind::some && child.kind == Condition::Kind::leaf &&
            child.field.is_self() && (child.op == Op::equals || child.op == Op::in)) {
          return {field + " includes " +
                      (child.operands.size() == 1 ? literal(child.operands.front())
                                                  : "one of " + join_values(child.operands, "or")) +
                      param_note(child),
                  {}};
        }
        Piece inner = piece(child, list + "[]");
        inner.head =
            (c.kind == Condition::Kind::some
                 ? field + " has at least one entry where "
                 : "in every entry of " + field + " (a missing or empty list passes this part), ") +
            inner.head;
        return inner;
      }
    }
    return {};
  }

 private:
  Piece group(std::string head, const std::vector<Condition>& children,
              const std::string& base) const {
    Piece p{std::move(head), {}};
    for (const Condition& child : children) p.items.push_back(piece(child, base));
    return p;
  }

  // `not` is true when the field is missing, so the plain reading says so.
  std::string negated_leaf(const Condition& c, const std::string& base) const {
    const std::string f = c.field.is_self() ? "the entry" : code(c.field.text);
    switch (c.op) {
      case Op::present:
        return c.operands.front().boolean ? f + " is not given (missing or empty)"
                                          : f + " is given";
      case Op::equals:
        return f + " is not " + literal(c.operands.front()) + param_note(c) + " (or is not given)";
      case Op::in:
        return f + " is not " + join_values(c.operands, "or") + param_note(c) +
               " (or is not given)";
      default:
        return "it is not the case that " + leaf(c, base);
    }
  }

  bool is_list(const std::string& base, const FieldPath& field) const {
    return options_.is_list && options_.is_list(lookup_path(base, field));
  }

  std::string leaf(const Condition& c, const std::string& base) const {
    const std::string f = c.field.is_self() ? "the entry" : code(c.field.text);
    const std::string one = c.operands.empty() ? std::string() : literal(c.operands.front());
    const std::string p = param_note(c);
    switch (c.op) {
      case Op::present:
        return f + (c.operands.front().boolean ? " is given" : " is not given (missing or empty)");
      case Op::equals:
        return f + " is " + one + p;
      case Op::in:
        return c.operands.size() == 1 ? f + " is " + one + p
                                      : f + " is one of " + join_values(c.operands, "or") + p;
      case Op::not_in:
        return f + " is given and is not " + join_values(c.operands, "or") + p;
      case Op::matches:
        return f + " is text matching the pattern " + code(c.operands.front().text) + p;
      case Op::min_length:
      case Op::max_length: {
        const std::string bound = c.op == Op::min_length ? "at least " : "at most ";
        if (!options_.is_list) return f + " has a length of " + bound + one + p;
        return is_list(base, c.field) ? f + " has " + bound + one + " items" + p
                                      : f + " is " + bound + one + " characters long" + p;
      }
      case Op::at_least:
        return f + " is a number of at least " + one + p;
      case Op::at_most:
        return f + " is a number of at most " + one + p;
      case Op::count_at_least:
        return f + " lists at least " + one + (one == "1" ? " item" : " items") + p;
      case Op::within_days:
        return f + " is a date at most " + one + " days before the check date" + p +
               " (a later date also passes)";
      case Op::older_than_days:
        return f + " is a date more than " + one + " days before the check date" + p;
      case Op::on_or_before_field:
        return f + " is a date on or before " + code(c.other_field.text);
    }
    return f;
  }

  const DocsOptions& options_;
};

void bullets(const std::vector<Piece>& items, int indent, std::string& out) {
  for (const Piece& item : items) {
    out += std::string(static_cast<std::size_t>(indent), ' ') + "- " + item.head + "\n";
    bullets(item.items, indent + 2, out);
  }
}

std::string render(const Piece& p, bool sentence) {
  if (p.items.empty()) return p.head + (sentence ? "." : "");
  std::string out = p.head + "\n\n";
  bullets(p.items, 0, out);
  return out;
}

std::string table_cell(std::string_view text) {
  return prose(text);
}

std::string count_tests(const Rule& rule) {
  std::size_t pass = 0, fail = 0, na = 0;
  for (const RuleTest& t : rule.tests) {
    (t.expect == Outcome::pass ? pass : t.expect == Outcome::fail ? fail : na)++;
  }
  std::string out =
      std::to_string(rule.tests.size()) + (rule.tests.size() == 1 ? " test" : " tests");
  out += " (" + std::to_string(pass) + " pass, " + std::to_string(fail) + " fail, " +
         std::to_string(na) + " not applicable)";
  return out;
}

std::string parameter_value(const Parameter& p) {
  std::string out;
  for (std::size_t i = 0; i < p.values.size(); ++i) out += (i ? ", " : "") + code(p.values[i].text);
  return p.is_list ? "[" + out + "]" : out;
}

void rule_section(const Rule& rule, const DocsOptions& options, std::string& out) {
  const Describer d(options);
  out += "## " + rule.id + ": " + prose(rule.title) + "\n\n";
  out += "| | |\n|---|---|\n";
  out += "| Severity | " + std::string(to_string(rule.severity)) + " |\n";
  if (!rule.severity_when.empty()) {
    std::string changes;
    for (const SeverityWhen& sw : rule.severity_when) {
      const Piece p = d.piece(sw.when, "");
      changes += (changes.empty() ? "" : "; ") + std::string(to_string(sw.severity)) + " when " +
                 (p.items.empty() ? p.head : "a combined condition holds (see below)");
    }
    out += "| Severity changes | " + changes + " |\n";
  }
  out += "| Recommendation | " + std::to_string(rule.recommendation) + " — " +
         std::string(recommendation_name(rule.recommendation)) + " |\n";
  if (!rule.tags.empty()) {
    std::string tags;
    for (const std::string& t : rule.tags) tags += (tags.empty() ? "" : ", ") + table_cell(t);
    out += "| Tags | " + tags + " |\n";
  }
  if (rule.locate) out += "| Reported at | " + code(rule.locate->text) + " |\n";
  out += "| Tests | " + count_tests(rule) + " |\n\n";

  out += "**Applies to** ";
  out += rule.when ? "records where " + render(d.piece(*rule.when, ""), true)
                   : std::string("every record.");
  out += rule.when && !d.piece(*rule.when, "").items.empty() ? "\n" : "\n\n";
  out += "**Passes when** " + render(d.piece(rule.require, ""), true);
  out += d.piece(rule.require, "").items.empty() ? "\n\n" : "\n";
  for (const SeverityWhen& sw : rule.severity_when) {
    const Piece p = d.piece(sw.when, "");
    if (p.items.empty()) continue;
    out += "**Severity is " + std::string(to_string(sw.severity)) + " when** " + render(p, true) +
           "\n";
  }

  if (!rule.sources.empty()) {
    out += "**Why.** Sources:\n\n";
    for (const Source& s : rule.sources) {
      out += "- " +
             (s.url.empty() ? prose(s.cite)
                            : "[" + prose(s.cite) + "](" + url_for_markdown(s.url) + ")") +
             "\n";
    }
    out += "\n";
  }
  out += "**When it fails** the report says: " + prose(rule.message) + "\n\n";
  if (!rule.remediation.empty()) out += "**What to do.** " + prose(rule.remediation) + "\n\n";
  if (!rule.help_uri.empty()) out += "More: <" + rule.help_uri + ">\n\n";
}

}  // namespace

std::string describe_condition(const Condition& condition, const DocsOptions& options,
                               std::string_view base) {
  return render(Describer(options).piece(condition, std::string(base)), false);
}

std::string pack_markdown(const Pack& pack, const DocsOptions& options) {
  const PackMetadata& md = pack.metadata;
  std::string out = "# Rule pack `" + md.name + "` (version " + md.version + ")\n\n";
  out +=
      "Generated from the pack's YAML by `candor rules docs`; do not edit by hand. A test "
      "checks that this file matches the pack.\n\n";
  if (!md.owner.empty()) out += "Owner: " + prose(md.owner) + ".";
  if (md.effective_from) out += " Effective from " + md.effective_from->to_string() + ".";
  if (!md.owner.empty() || md.effective_from) out += "\n\n";
  if (!md.description.empty()) out += prose(md.description) + "\n\n";

  out +=
      "## How to read this reference\n\n"
      "Each rule is checked against one record. If the rule has an **Applies to** condition "
      "and the record does not meet it, the outcome is *not applicable*. Otherwise the rule "
      "*passes* when its **Passes when** condition holds and *fails* when it does not.\n\n"
      "- A field that is missing or empty (`null`) never meets a condition, except \"is not "
      "given\": the rules fail closed, so leaving evidence out never makes a record pass.\n"
      "- Dates are judged against the check date: `candor check --as-of DATE`, or today "
      "(UTC) when it is not given.\n"
      "- Field names are those of the record schema (`candor.record/v1`, see "
      "`docs/record-fields.md`); a path such as `bias.testing` names a list of entries.\n"
      "- A failure can be waived for one record for up to 365 days by a justified, approved "
      "waiver kept outside the record (`waivers.yaml`).\n\n";

  if (!pack.parameters.empty()) {
    out +=
        "## Parameters\n\nPolicy thresholds, set in the pack's `pack.yaml`.\n\n"
        "| Parameter | Value | What it is |\n|---|---|---|\n";
    for (const Parameter& p : pack.parameters) {
      out += "| " + code(p.name) + " | " + parameter_value(p) + " | " + table_cell(p.description) +
             " |\n";
    }
    out += "\n";
  }

  // By recommendation (1 transparency ... 6 security), then in pack order: how the dialogues and
  // the catalogue present them.
  std::vector<const Rule*> rules;
  for (const Rule& r : pack.rules) rules.push_back(&r);
  std::stable_sort(rules.begin(), rules.end(), [](const Rule* a, const Rule* b) {
    return a->recommendation < b->recommendation;
  });
  out += "## Rules\n\n| Rule | Title | Severity | Recommendation |\n|---|---|---|---|\n";
  for (const Rule* rp : rules) {
    const Rule& r = *rp;
    out += "| " + r.id + " | " + table_cell(r.title) + " | " + std::string(to_string(r.severity)) +
           " | " + std::to_string(r.recommendation) + " " +
           std::string(recommendation_name(r.recommendation)) + " |\n";
  }
  out += "\n";
  for (const Rule* r : rules) rule_section(*r, options, out);
  // One trailing newline, as editors save files.
  while (out.ends_with("\n\n")) out.pop_back();
  return out;
}

}  // namespace candor::rules
