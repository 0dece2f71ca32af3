#include "candor/rules/shipped_packs.h"

#include <algorithm>

#include "shipped_packs_index.h"

namespace candor::rules {

std::vector<std::string> shipped_pack_names() {
  std::vector<std::string> names;
  for (const ShippedFile& f : shipped_files()) {
    if (std::find(names.begin(), names.end(), f.pack) == names.end()) names.emplace_back(f.pack);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<PackFile> shipped_pack_files(std::string_view name) {
  std::vector<PackFile> files;
  for (const ShippedFile& f : shipped_files()) {
    if (f.pack == name) files.push_back(PackFile{std::string(f.name), std::string(f.bytes())});
  }
  return files;
}

registry::Result<Pack> load_shipped_pack(std::string_view name) {
  std::vector<PackFile> files = shipped_pack_files(name);
  if (files.empty()) {
    std::string known;
    for (const std::string& n : shipped_pack_names()) known += (known.empty() ? "" : ", ") + n;
    return registry::Problems{
        registry::Problem{std::string(name),
                          {},
                          "",
                          "rules.io",
                          "no shipped rule pack is called `" + std::string(name) + "`",
                          "shipped packs: " + known}};
  }
  return load_pack_files(std::move(files));
}

}  // namespace candor::rules
