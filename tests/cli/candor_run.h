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

// Exit status and both streams, for INFO().
inline std::string describe(const ProcessResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\n--- stdout:\n" + r.out + "\n--- stderr:\n" +
         r.err;
}

}  // namespace candor::test
