#include "input_files.h"

#include <algorithm>
#include <filesystem>

namespace candor::cli {

namespace fs = std::filesystem;

InputFiles expand_inputs(const std::vector<std::string>& paths) {
  InputFiles out;
  for (const std::string& path : paths) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      out.problems.push_back({path, {}, "", "io.not-found", "no such file or directory",
                              "check the path and spelling"});
      continue;
    }
    if (!fs::is_directory(status)) {
      out.files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const auto ext = it->path().extension();
      if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file()) {
        found.push_back(it->path().string());
      }
    }
    if (ec) {
      out.problems.push_back({path, {}, "", "io.unreadable", "the directory cannot be read: " + ec.message(), ""});
    }
    if (found.empty() && !ec) {
      out.problems.push_back({path, {}, "", "io.no-records", "the directory holds no .yaml or .yml files",
                              "name a directory of records or the files themselves"});
    }
    std::sort(found.begin(), found.end());
    out.files.insert(out.files.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace candor::cli
