// The templates compiled into the binary (generated index: web/CMakeLists.txt).
#pragma once

#include <string_view>
#include <vector>

namespace candor::web {

struct EmbeddedTemplate {
  std::string_view name;  // file name without .mustache
  std::string_view (*text)();
};

const std::vector<EmbeddedTemplate>& embedded_templates();

}  // namespace candor::web
