// Expands the PATH arguments of a command into the record files to read.
#pragma once

#include <string>
#include <vector>

#include "candor/registry/problem.h"

namespace candor::cli {

struct InputFiles {
  std::vector<std::string> files;       // in a stable order: arguments, then sorted directory walk
  registry::Problems problems;          // paths that do not exist or hold no records
};

// Files are taken as given; directories are searched recursively for *.yaml and *.yml.
InputFiles expand_inputs(const std::vector<std::string>& paths);

}  // namespace candor::cli
