// The JSON shape of a Problem, shared by every command's `--format json`.
#pragma once

#include <nlohmann/json.hpp>

#include "candor/registry/problem.h"

namespace candor::cli {

inline nlohmann::json problem_json(const registry::Problem& p) {
  nlohmann::json j = {{"file", p.file}, {"line", p.position.line}, {"column", p.position.column},
                      {"path", p.path}, {"code", p.code},          {"message", p.message}};
  if (!p.hint.empty()) j["hint"] = p.hint;
  return j;
}

}  // namespace candor::cli
