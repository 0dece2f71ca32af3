// Shared state and helpers for parsing one pack file: where problems go, which parameters
// exist, and small typed accessors that report a located problem instead of throwing.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/document.h"
#include "candor/registry/problem.h"
#include "candor/rules/rule.h"

namespace candor::rules {

class ParseContext {
 public:
  ParseContext(std::string file, registry::Problems& problems,
               const std::vector<Parameter>& parameters)
      : file_(std::move(file)), problems_(problems), parameters_(parameters) {}

  const std::string& file() const { return file_; }
  std::size_t problem_count() const { return problems_.size(); }
  const std::vector<Parameter>& parameters() const { return parameters_; }

  void report(registry::Position at, std::string path, std::string code, std::string message,
              std::string hint = {});

  // Reports every key of `mapping` not in `allowed` (rules.unknown-key, with a near-miss hint).
  // Returns false when there was one.
  bool check_keys(const registry::Node& mapping, std::span<const std::string_view> allowed,
                  const std::string& path);

  // Typed reads of `mapping[key]`. Absent keys are reported when `required`; wrong types always.
  // Both give nullopt.
  std::optional<std::string> string(const registry::Node& mapping, std::string_view key,
                                    const std::string& path, bool required);
  std::optional<FieldPath> field_path(const registry::Node& mapping, std::string_view key,
                                      const std::string& path, bool required);
  const registry::Node* mapping(const registry::Node& mapping, std::string_view key,
                                const std::string& path, bool required);
  const registry::Node* sequence(const registry::Node& mapping, std::string_view key,
                                 const std::string& path, bool required);

  void missing(const registry::Node& mapping, std::string_view key, const std::string& path,
               std::string_view what);

 private:
  std::string file_;
  registry::Problems& problems_;
  const std::vector<Parameter>& parameters_;
};

inline std::string child_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}
inline std::string item_path(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// A scalar from a pack as a Literal; nullopt for null and containers.
std::optional<Literal> to_literal(const registry::Node& node);

// Conditions (condition_parser.cpp). Reports every problem in the subtree; nullopt if any.
std::optional<Condition> parse_condition(const registry::Node& node, const std::string& path,
                                         ParseContext& ctx);

// One rule (rule_parser.cpp), without the pack-wide duplicate-id check. Reports every problem in
// the rule; nullopt if there was any.
std::optional<Rule> parse_rule(const registry::Node& node, const std::string& path,
                               ParseContext& ctx);

// True when the condition reads the as-of date (within_days, older_than_days).
bool uses_as_of(const Condition& condition);

// The operator keys and combinator keys, for near-miss hints.
std::span<const std::string_view> combinator_names();

}  // namespace candor::rules
