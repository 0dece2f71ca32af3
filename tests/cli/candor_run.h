// Running the candor binary under test (CANDOR_BIN, set by each test target) and describing the
// result in a failure message.
#pragma once

#include <string>
#include <vector>

#include "process.h"

#ifndef CANDOR_BIN
#error "CANDOR_BIN must name the candor binary (target_compile_definitions)"
#endif

namespace candor::test {

inline ProcessResult run_candor(std::vector<std::string> args) {
  args.insert(args.begin(), CANDOR_BIN);
  return run_process(args);
}

// Exit status, signal and both streams (each cut at 4,000 bytes), for INFO().
inline std::string describe(const ProcessResult& r) {
  const auto cut = [](const std::string& s) {
    constexpr std::size_t k_max = 4000;
    return s.size() <= k_max ? s
                             : s.substr(0, k_max) + "... (" + std::to_string(s.size()) + " bytes)";
  };
  return "exit " + std::to_string(r.exit_code) + " (signal " + std::to_string(r.signal) +
         ")\n--- stdout:\n" + cut(r.out) + "\n--- stderr:\n" + cut(r.err);
}

}  // namespace candor::test
