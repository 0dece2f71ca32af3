#include "candor/rules/rule.h"

#include <array>

namespace candor::rules {
namespace {

// Indexed by Op; the order must match the enum.
constexpr std::array<std::string_view, 13> kOpNames = {
    "present",           "equals",   "in",      "not_in",         "matches",     "min_length",
    "max_length",        "at_least", "at_most", "count_at_least", "within_days", "older_than_days",
    "on_or_before_field"};

}  // namespace

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "error";
}

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass:
      return "pass";
    case Outcome::fail:
      return "fail";
    case Outcome::not_applicable:
      return "not_applicable";
    case Outcome::waived:
      return "waived";
  }
  return "fail";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "info") return Severity::info;
  if (text == "warning") return Severity::warning;
  if (text == "error") return Severity::error;
  return std::nullopt;
}

std::optional<Outcome> parse_outcome(std::string_view text) {
  if (text == "pass") return Outcome::pass;
  if (text == "fail") return Outcome::fail;
  if (text == "not_applicable") return Outcome::not_applicable;
  if (text == "waived") return Outcome::waived;
  return std::nullopt;
}

std::string_view to_string(Op op) {
  return kOpNames[static_cast<std::size_t>(op)];
}

std::optional<Op> parse_op(std::string_view name) {
  for (std::size_t i = 0; i < kOpNames.size(); ++i) {
    if (kOpNames[i] == name) return static_cast<Op>(i);
  }
  return std::nullopt;
}

std::span<const std::string_view> operator_names() {
  return kOpNames;
}

const Rule* Pack::find_rule(std::string_view id) const {
  for (const Rule& rule : rules) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

const Parameter* Pack::find_parameter(std::string_view name) const {
  for (const Parameter& p : parameters) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace candor::rules
