// candor rules test [PACK...] | docs [PACK] [-o FILE]: run the tests packs carry, and write a
// pack's plain-language reference.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "candor/registry/schema.h"
#include "candor/rules/docs.h"
#include "candor/rules/pack_loader.h"
#include "candor/rules/rule_tests.h"
#include "candor/rules/shipped_packs.h"
#include "commands.h"

namespace candor::cli {

namespace {

using Json = nlohmann::json;

// A PACK argument: a directory or file; a name that is no path but is a shipped pack's
// selects that pack. Empty: the shipped default.
registry::Result<rules::Pack> load_pack_arg(const std::string& spec) {
  if (spec.empty()) return rules::load_shipped_pack(rules::kDefaultPack);
  std::error_code ec;
  if (!std::filesystem::exists(spec, ec) && !rules::shipped_pack_files(spec).empty()) {
    return rules::load_shipped_pack(spec);
  }
  return rules::load_pack(spec);
}

std::string where(const std::string& file, registry::Position p) {
  std::string out = file.empty() ? "<pack>" : file;
  if (p.known()) out += ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
  return out;
}

// Prints one failed test: where it is, what was expected, what the engine saw and why.
void print_failure(const rules::TestResult& r) {
  std::cout << where(r.file, r.position) << ": FAIL: [" << r.rule_id << "] " << r.name
            << ": expected " << rules::to_string(r.expected) << ", got "
            << rules::to_string(r.actual) << '\n';
  for (const rules::Evidence& e : r.finding.evidence) {
    std::cout << "  " << (e.path.empty() ? "." : e.path) << " = " << e.value << ": " << e.test
              << " -> " << (e.result ? "true" : "false");
    if (!e.note.empty()) std::cout << " (" << e.note << ")";
    std::cout << '\n';
  }
  if (r.finding.evidence_omitted > 0) {
    std::cout << "  ... and " << r.finding.evidence_omitted << " more\n";
  }
}

int run_test(const std::vector<std::string>& specs) {
  std::vector<std::string> packs = specs;
  if (packs.empty()) packs.emplace_back();
  std::size_t passed = 0, failed = 0;
  bool load_error = false;
  for (const std::string& spec : packs) {
    registry::Result<rules::Pack> loaded = load_pack_arg(spec);
    if (!loaded.ok()) {
      for (const auto& p : loaded.problems()) std::cerr << registry::format_problem(p) << '\n';
      load_error = true;
      continue;
    }
    const rules::Pack& pack = loaded.value();
    const rules::TestReport report = rules::run_tests(pack);
    std::cout << pack.metadata.name << " " << pack.metadata.version << ": " << pack.rules.size()
              << " rules, " << report.results.size() << " tests\n";
    for (const rules::TestResult& r : report.results) {
      if (r.passed()) {
        ++passed;
      } else {
        ++failed;
        print_failure(r);
      }
    }
    // Every rule shows by example what it accepts and what it catches: a rule without a pass
    // and a fail test counts as a failure, like a broken test.
    for (const rules::Rule& rule : pack.rules) {
      bool has_pass = false, has_fail = false;
      for (const rules::RuleTest& t : rule.tests) {
        has_pass = has_pass || t.expect == rules::Outcome::pass;
        has_fail = has_fail || t.expect == rules::Outcome::fail;
      }
      if (has_pass && has_fail) continue;
      ++failed;
      std::cout << where(rule.file, rule.position) << ": FAIL: [" << rule.id << "] "
                << (rule.tests.empty() ? "has no tests"
                    : !has_pass        ? "has no `expect: pass` test"
                                       : "has no `expect: fail` test")
                << ": every rule needs at least one test that passes and one that fails\n";
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  if (load_error) return k_usage;
  return failed == 0 ? k_clean : k_findings;
}

// Paths of list fields in the record schema ("bias.testing",
// "bias.testing[].protected_characteristics"), so the reference can say "items" for lists and
// "characters" for text.
void collect_lists(const Json& root, const Json& schema, const std::string& path,
                   std::set<std::string>& lists, int depth) {
  if (depth > 32) return;
  const Json* s = &schema;
  for (int hops = 0; s->is_object() && s->contains("$ref") && hops < 32; ++hops) {
    s = &root.at(Json::json_pointer((*s)["$ref"].get<std::string>().substr(1)));
  }
  if (!s->is_object()) return;
  bool is_array = false;
  if (s->contains("type")) {
    const Json& t = (*s)["type"];
    is_array = t == "array" || (t.is_array() && std::find(t.begin(), t.end(), "array") != t.end());
  }
  if (is_array) {
    lists.insert(path);
    if (s->contains("items")) collect_lists(root, (*s)["items"], path + "[]", lists, depth + 1);
  }
  if (s->contains("properties")) {
    for (const auto& [name, sub] : (*s)["properties"].items()) {
      collect_lists(root, sub, path.empty() ? name : path + "." + name, lists, depth + 1);
    }
  }
}

int run_docs(const std::string& spec, const std::string& output) {
  registry::Result<rules::Pack> loaded = load_pack_arg(spec);
  if (!loaded.ok()) {
    for (const auto& p : loaded.problems()) std::cerr << registry::format_problem(p) << '\n';
    return k_usage;
  }
  const Json schema = Json::parse(registry::record_schema_text());
  auto lists = std::make_shared<std::set<std::string>>();
  collect_lists(schema, schema, "", *lists, 0);
  rules::DocsOptions options;
  options.is_list = [lists](std::string_view path) { return lists->count(std::string(path)) > 0; };
  const std::string text = rules::pack_markdown(loaded.value(), options);
  if (output.empty()) {
    std::cout << text;
    return k_clean;
  }
  std::ofstream f(output, std::ios::binary);
  f << text;
  f.flush();
  if (!f) {
    std::cerr << output << ": error: cannot write the file\n";
    return k_usage;
  }
  return k_clean;
}

}  // namespace

void add_rules_command(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("rules", "Rule packs: run their tests, write their reference");
  cmd->require_subcommand(1);

  auto test_packs = std::make_shared<std::vector<std::string>>();
  CLI::App* test = cmd->add_subcommand(
      "test",
      "Run every test of every rule of the packs (default: the shipped uk-public-sector pack). "
      "The last line is `N passed, N failed`.\n"
      "Exit status: 0 all passed, 1 a test failed or a rule lacks a pass or fail test, 2 a pack "
      "does not load.");
  test->add_option("packs", *test_packs, "Pack directories or files, or shipped pack names");
  test->callback([test_packs, &exit_code] { exit_code = run_test(*test_packs); });

  auto docs_pack = std::make_shared<std::string>();
  auto docs_out = std::make_shared<std::string>();
  CLI::App* docs = cmd->add_subcommand(
      "docs", "Write a pack's reference as Markdown: one section per rule, in plain language");
  docs->add_option("pack", *docs_pack,
                   "Pack directory or file, or shipped pack name (default: uk-public-sector)");
  docs->add_option("--output,-o", *docs_out, "Write to this file instead of standard output");
  docs->callback(
      [docs_pack, docs_out, &exit_code] { exit_code = run_docs(*docs_pack, *docs_out); });
}

}  // namespace candor::cli
