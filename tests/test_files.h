// Small file and text helpers the test suites share, so that each suite says what it tests rather
// than how it reads a file.
#pragma once

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace candor::test {

// The whole file, byte for byte. A file a test expects and cannot read is a broken test, not an
// empty input: it throws, naming the path.
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("test cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Writes `bytes` as they are, replacing the file; throws if it cannot.
inline void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out.flush()) throw std::runtime_error("test cannot write " + path.string());
}

// ASCII lower case, for comparing header names and markup without caring about case.
inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

#ifdef CANDOR_SOURCE_DIR
// A record from schemas/examples/valid, by file name.
inline std::string example_record(const std::string& name) {
  return read_file(std::filesystem::path(CANDOR_SOURCE_DIR) / "schemas/examples/valid" / name);
}
#endif

}  // namespace candor::test
