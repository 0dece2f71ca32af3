// Helpers for the rule-engine tests: records and packs are written inline as YAML.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "candor/registry/document.h"
#include "candor/rules/engine.h"
#include "candor/rules/pack_loader.h"

namespace Catch {
template <>
struct StringMaker<candor::registry::Position> {
  static std::string convert(const candor::registry::Position& p) {
    return std::to_string(p.line) + ":" + std::to_string(p.column);
  }
};
}  // namespace Catch

namespace candor::rules::testing {

inline std::string describe(const registry::Problems& problems) {
  std::string out;
  for (const auto& p : problems) out += registry::format_problem(p) + "\n";
  return out;
}

inline registry::Document record(std::string_view yaml) {
  auto result = registry::load_document(yaml, "record.yaml");
  INFO(describe(result.problems()));
  REQUIRE(result.ok());
  return std::move(result).value();
}

inline Date date(std::string_view text) {
  const auto d = Date::parse(text);
  REQUIRE(d.has_value());
  return *d;
}

// A single-file pack: the header, then `body` (parameters and/or rules), verbatim.
inline std::string pack_text(std::string_view body) {
  return "apiVersion: candor.rules/v1\n"
         "kind: RuleSet\n"
         "metadata: {name: test-pack, version: \"1\"}\n" +
         std::string(body);
}

inline Pack load(std::string_view body) {
  auto result = load_pack_text(pack_text(body), "pack.yaml");
  INFO(describe(result.problems()));
  REQUIRE(result.ok());
  return std::move(result).value();
}

inline registry::Problems problems_of(std::string_view body) {
  auto result = load_pack_text(pack_text(body), "pack.yaml");
  REQUIRE_FALSE(result.ok());
  return result.problems();
}

// One rule whose `require` is the flow-YAML `require` (and `when`, if given). `extra` is added
// under parameters: at the top of the pack.
inline Pack rule_pack(std::string_view require, std::string_view when = {},
                      std::string_view parameters = {}) {
  std::string body;
  if (!parameters.empty()) body += "parameters:\n" + std::string(parameters);
  body +=
      "rules:\n"
      "  - id: T-1\n"
      "    title: test rule\n"
      "    severity: error\n"
      "    recommendation: 1\n"
      "    message: failed\n";
  if (!when.empty()) body += "    when: " + std::string(when) + "\n";
  body += "    require: " + std::string(require) + "\n";
  return load(body);
}

// The outcome of `require` (and `when`) on `record_yaml`.
inline Finding run(std::string_view require, std::string_view record_yaml,
                   Date as_of = Date::from_days(20000), std::string_view when = {},
                   std::string_view parameters = {}) {
  const Pack pack = rule_pack(require, when, parameters);
  const registry::Document doc = record(record_yaml);
  auto findings = evaluate(pack, doc, as_of);
  REQUIRE(findings.size() == 1);
  return findings.front();
}

inline Outcome outcome(std::string_view require, std::string_view record_yaml,
                       Date as_of = Date::from_days(20000)) {
  return run(require, record_yaml, as_of).outcome;
}

// The problem with `code`, or fails the test.
inline registry::Problem find_problem(const registry::Problems& problems, std::string_view code) {
  for (const auto& p : problems) {
    if (p.code == code) return p;
  }
  INFO("problems:\n" << describe(problems));
  FAIL("no problem with code " << code);
  return {};
}

}  // namespace candor::rules::testing
