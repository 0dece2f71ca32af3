// Parsing one rule: its keys, texts, conditions, severity adjustments and tests.
#include <array>
#include <optional>
#include <string>

#include "parse_context.h"
#include "text.h"

namespace candor::rules {
namespace {

using registry::Node;
using registry::NodeKind;

constexpr std::array<std::string_view, 14> kRuleKeys = {
    "id",      "title",  "severity", "recommendation", "tags",     "sources",       "when",
    "require", "locate", "message",  "remediation",    "help_uri", "severity_when", "tests"};
constexpr std::array<std::string_view, 2> kSourceKeys = {"cite", "url"};
constexpr std::array<std::string_view, 2> kSeverityWhenKeys = {"when", "severity"};
constexpr std::array<std::string_view, 4> kTestKeys = {"name", "as_of", "record", "expect"};
constexpr std::array<std::string_view, 3> kSeverities = {"error", "warning", "info"};
constexpr std::array<std::string_view, 3> kExpectations = {"pass", "fail", "not_applicable"};

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

std::string hint_for(std::string_view word, std::span<const std::string_view> choices) {
  const std::string_view near = closest(word, choices);
  std::string list;
  for (std::string_view c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
  return near.empty() ? "one of: " + list : "did you mean `" + std::string(near) + "`?";
}

std::optional<Severity> read_severity(const Node& s, const std::string& path, ParseContext& ctx) {
  std::optional<Severity> severity;
  if (s.kind() == NodeKind::string) severity = parse_severity(s.text());
  if (!severity) {
    ctx.report(s.position(), path, "rules.bad-severity",
               "severity must be error, warning or info, not `" + s.text() + "`",
               hint_for(s.text(), kSeverities));
  }
  return severity;
}

void read_severity_when(const Node& node, const std::string& path, Rule& rule, ParseContext& ctx) {
  if (!node.is_mapping()) {
    ctx.report(node.position(), path, "rules.bad-value",
               "a severity_when entry is a mapping {when: CONDITION, severity: LEVEL}");
    return;
  }
  ctx.check_keys(node, kSeverityWhenKeys, path);
  const Node* when = node.get("when");
  const Node* severity = node.get("severity");
  std::optional<Condition> c;
  std::optional<Severity> s;
  if (when == nullptr) ctx.missing(node, "when", path, "a severity_when entry");
  if (severity == nullptr) ctx.missing(node, "severity", path, "a severity_when entry");
  if (when) c = parse_condition(*when, child_path(path, "when"), ctx);
  if (severity) s = read_severity(*severity, child_path(path, "severity"), ctx);
  if (c && s) rule.severity_when.push_back(SeverityWhen{std::move(*c), *s});
}

void read_test(const Node& node, const std::string& path, Rule& rule, ParseContext& ctx) {
  if (!node.is_mapping()) {
    ctx.report(node.position(), path, "rules.bad-test",
               "a test is a mapping {name, as_of, record, expect}");
    return;
  }
  bool ok = ctx.check_keys(node, kTestKeys, path);
  RuleTest test;
  test.file = ctx.file();
  test.position = node.position();
  if (const Node* name = node.get("name"); name == nullptr) {
    ctx.report(node.position(), path, "rules.bad-test", "the test needs a `name`");
    ok = false;
  } else if (name->kind() != NodeKind::string || name->text().empty()) {
    ctx.report(name->position(), child_path(path, "name"), "rules.bad-test",
               "a test name must be non-empty text");
    ok = false;
  } else {
    test.name = name->text();
    for (const RuleTest& other : rule.tests) {
      if (other.name == test.name) {
        ctx.report(name->position(), child_path(path, "name"), "rules.bad-test",
                   "two tests of this rule are called `" + test.name + "`");
        ok = false;
      }
    }
  }
  if (const Node* as_of = node.get("as_of")) {
    if (as_of->kind() == NodeKind::string) test.as_of = Date::parse(as_of->text());
    if (!test.as_of) {
      ctx.report(as_of->position(), child_path(path, "as_of"), "rules.bad-test",
                 "`as_of` must be a date YYYY-MM-DD, not `" + as_of->text() + "`");
      ok = false;
    }
  }
  if (const Node* record = node.get("record"); record == nullptr) {
    ctx.report(node.position(), path, "rules.bad-test", "the test needs a `record`");
    ok = false;
  } else if (!record->is_mapping()) {
    ctx.report(
        record->position(), child_path(path, "record"), "rules.bad-test",
        "a test record must be a mapping, not " + std::string(registry::describe(record->kind())));
    ok = false;
  } else {
    test.record = record;
  }
  std::optional<Outcome> expect;
  if (const Node* e = node.get("expect"); e == nullptr) {
    ctx.report(node.position(), path, "rules.bad-test", "the test needs `expect`",
               "expect: pass, fail or not_applicable");
    ok = false;
  } else {
    if (e->kind() == NodeKind::string && e->text() != "waived") expect = parse_outcome(e->text());
    if (!expect) {
      ctx.report(e->position(), child_path(path, "expect"), "rules.bad-test",
                 "expect must be pass, fail or not_applicable, not `" + e->text() + "`",
                 hint_for(e->text(), kExpectations));
      ok = false;
    } else {
      test.expect = *expect;
    }
  }
  if (ok) rule.tests.push_back(std::move(test));
}

// Tests must give the same answer every day they run.
void check_tests_have_dates(const Rule& rule, ParseContext& ctx) {
  bool dated = (rule.when && uses_as_of(*rule.when)) || uses_as_of(rule.require);
  for (const SeverityWhen& s : rule.severity_when) dated = dated || uses_as_of(s.when);
  if (!dated) return;
  for (const RuleTest& test : rule.tests) {
    if (!test.as_of) {
      ctx.report(test.position, "", "rules.test-needs-as-of",
                 "test `" + test.name + "` has no as_of, but the rule compares dates with it",
                 "add `as_of: YYYY-MM-DD` so the test gives the same result every day");
    }
  }
}

void check_placeholders(const std::string& message, const Node& at, const std::string& path,
                        ParseContext& ctx) {
  std::size_t i = 0;
  while ((i = message.find("{{", i)) != std::string::npos) {
    const std::size_t close = message.find("}}", i + 2);
    if (close == std::string::npos) {
      ctx.report(at.position(), child_path(path, "message"), "rules.bad-placeholder",
                 "`{{` without a closing `}}` in the message");
      return;
    }
    std::string_view inside(message.data() + i + 2, close - i - 2);
    while (!inside.empty() && inside.front() == ' ') inside.remove_prefix(1);
    while (!inside.empty() && inside.back() == ' ') inside.remove_suffix(1);
    const std::optional<FieldPath> p = FieldPath::parse(inside);
    if (!p || p->is_self()) {
      ctx.report(at.position(), child_path(path, "message"), "rules.bad-placeholder",
                 "`{{" + std::string(inside) + "}}` is not a field path",
                 "placeholders name a record field, e.g. {{contact.email}}");
    }
    i = close + 2;
  }
}

}  // namespace

std::optional<Rule> parse_rule(const Node& node, const std::string& path, ParseContext& ctx) {
  if (!node.is_mapping()) {
    ctx.report(node.position(), path, "rules.bad-value",
               "a rule must be a mapping, not " + std::string(registry::describe(node.kind())));
    return std::nullopt;
  }
  const std::size_t problems_before = ctx.problem_count();
  ctx.check_keys(node, kRuleKeys, path);
  Rule rule;
  rule.file = ctx.file();
  rule.position = node.position();

  if (const Node* id = node.get("id"); id == nullptr) {
    ctx.missing(node, "id", path, "a rule");
  } else if (id->kind() != NodeKind::string || !valid_id(id->text())) {
    ctx.report(id->position(), child_path(path, "id"), "rules.bad-id",
               "`" + id->text() + "` is not a rule id",
               "use letters, digits, '.', '_' and '-' (at most 64), e.g. TRN-003");
  } else {
    rule.id = id->text();
  }
  const std::string what = rule.id.empty() ? "a rule" : "rule " + rule.id;
  auto text = [&](std::string_view key, bool required) {
    std::optional<std::string> v = ctx.string(node, key, path, false);
    if (!v && required && node.get(key) == nullptr) ctx.missing(node, key, path, what);
    return v.value_or(std::string());
  };
  rule.title = text("title", true);
  rule.message = text("message", true);
  rule.remediation = text("remediation", false);
  rule.help_uri = text("help_uri", false);
  if (!rule.help_uri.empty() && !rule.help_uri.starts_with("https://") &&
      !rule.help_uri.starts_with("http://")) {
    ctx.report(node.get("help_uri")->position(), child_path(path, "help_uri"), "rules.bad-value",
               "`help_uri` must be an http(s) address");
  }
  if (!rule.message.empty()) check_placeholders(rule.message, *node.get("message"), path, ctx);

  if (const Node* s = node.get("severity"); s == nullptr) {
    ctx.missing(node, "severity", path, what);
  } else if (auto severity = read_severity(*s, child_path(path, "severity"), ctx)) {
    rule.severity = *severity;
  }

  if (const Node* r = node.get("recommendation"); r == nullptr) {
    ctx.missing(node, "recommendation", path, what);
  } else if (r->kind() != NodeKind::integer || r->as_int() < 1 || r->as_int() > 6) {
    ctx.report(r->position(), child_path(path, "recommendation"), "rules.bad-recommendation",
               "recommendation must be a whole number from 1 to 6, not `" + r->text() + "`",
               "1 transparency, 2 public benefit, 3 regulation, 4 bias, 5 privacy, 6 security");
  } else {
    rule.recommendation = static_cast<int>(r->as_int());
  }

  if (const Node* tags = ctx.sequence(node, "tags", path, false)) {
    for (std::size_t i = 0; i < tags->items().size(); ++i) {
      const Node* t = tags->items()[i];
      if (t->kind() != NodeKind::string) {
        ctx.report(t->position(), item_path(child_path(path, "tags"), i), "rules.bad-value",
                   "a tag must be text");
      } else {
        rule.tags.push_back(t->text());
      }
    }
  }
  if (const Node* sources = ctx.sequence(node, "sources", path, false)) {
    for (std::size_t i = 0; i < sources->items().size(); ++i) {
      const Node& s = *sources->items()[i];
      const std::string sp = item_path(child_path(path, "sources"), i);
      if (!s.is_mapping()) {
        ctx.report(s.position(), sp, "rules.bad-value", "a source is a mapping {cite, url}");
        continue;
      }
      ctx.check_keys(s, kSourceKeys, sp);
      Source source;
      source.cite = ctx.string(s, "cite", sp, true).value_or("");
      source.url = ctx.string(s, "url", sp, false).value_or("");
      rule.sources.push_back(std::move(source));
    }
  }

  if (const Node* when = node.get("when")) {
    rule.when = parse_condition(*when, child_path(path, "when"), ctx);
  }
  if (const Node* require = node.get("require"); require == nullptr) {
    ctx.missing(node, "require", path, what);
  } else if (auto c = parse_condition(*require, child_path(path, "require"), ctx)) {
    rule.require = std::move(*c);
  }
  rule.locate = ctx.field_path(node, "locate", path, false);

  if (const Node* list = ctx.sequence(node, "severity_when", path, false)) {
    for (std::size_t i = 0; i < list->items().size(); ++i) {
      read_severity_when(*list->items()[i], item_path(child_path(path, "severity_when"), i), rule,
                         ctx);
    }
  }
  if (const Node* tests = ctx.sequence(node, "tests", path, false)) {
    for (std::size_t i = 0; i < tests->items().size(); ++i) {
      read_test(*tests->items()[i], item_path(child_path(path, "tests"), i), rule, ctx);
    }
  }
  check_tests_have_dates(rule, ctx);

  if (ctx.problem_count() != problems_before) return std::nullopt;
  return rule;
}

}  // namespace candor::rules
