// candor_bench_parse: the floor for the check benchmark. Loads every record with yaml-cpp's
// YAML::LoadFile, on one thread, and does nothing else: no duplicate-key or limit checks, no
// locations, no schema, no rules. Whatever candor does per file costs at least this much.
//
//   candor_bench_parse PATH...
//
// PATH is a file, or a directory searched recursively for *.yaml and *.yml (sorted, as candor
// does). Prints the number of files, their size, the time spent loading them (after the
// directory walk) and files per second. Exit status: 0 when every file loaded, 1 when some
// file did not parse, 2 on usage errors.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: candor_bench_parse PATH...\n";
    return 2;
  }
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const fs::path p(argv[i]);
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(p, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const auto ext = it->path().extension();
        if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file()) found.push_back(it->path());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      std::cerr << "candor_bench_parse: " << p.string() << ": no such file or directory\n";
      return 2;
    }
  }

  std::uintmax_t bytes = 0;
  std::size_t nodes = 0, failed = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const auto& f : files) {
    try {
      const YAML::Node doc = YAML::LoadFile(f.string());
      nodes += doc.size();  // top-level keys: keeps the result observable
    } catch (const YAML::Exception& e) {
      std::cerr << f.string() << ": " << e.what() << "\n";
      ++failed;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& f : files) bytes += fs::file_size(f);

  char line[256];
  std::snprintf(
      line, sizeof line,
      "candor_bench_parse: %zu files (%.1f MB, %zu top-level keys) loaded in %.3f s on one thread: "
      "%.0f files/s\n",
      files.size(), static_cast<double>(bytes) / 1e6, nodes, seconds,
      seconds > 0 ? static_cast<double>(files.size()) / seconds : 0.0);
  std::cout << line;
  return failed == 0 ? 0 : 1;
}
