// The generated table of embedded pack files (see rules/CMakeLists.txt).
#pragma once

#include <string_view>
#include <vector>

namespace candor::rules {

struct ShippedFile {
  std::string_view pack;  // "uk-public-sector"
  std::string_view name;  // "uk-public-sector/pack.yaml"
  std::string_view (*bytes)();
};

const std::vector<ShippedFile>& shipped_files();

}  // namespace candor::rules
