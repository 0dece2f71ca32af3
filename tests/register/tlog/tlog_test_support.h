// Helpers shared by the transparency-log tests: test data access and hex decoding.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/merkle.h"
#include "test_files.h"

namespace candor::registry::test {

using candor::test::read_file;

inline std::filesystem::path tlog_vectors(std::string_view relative) {
  return std::filesystem::path(CANDOR_TEST_DATA) / "tlog-vectors" / relative;
}

inline std::vector<std::uint8_t> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) throw std::invalid_argument("odd hex length");
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

inline Hash hex_hash(std::string_view hex) {
  auto h = hash_from_hex(hex);
  if (!h) throw std::invalid_argument("not a hash: " + std::string(hex));
  return *h;
}

}  // namespace candor::registry::test
