#include "candor/registry/problem.h"

namespace candor::registry {

std::string format_problem(const Problem& p) {
  std::string out = p.file.empty() ? std::string("<input>") : p.file;
  if (p.position.known()) {
    out += ':' + std::to_string(p.position.line) + ':' + std::to_string(p.position.column);
  }
  out += ": error: ";
  out += p.message;
  if (!p.path.empty()) out += " [" + p.path + "]";
  if (!p.hint.empty()) out += "\n  hint: " + p.hint;
  return out;
}

}  // namespace candor::registry
