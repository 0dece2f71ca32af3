// candor submit's engine, shared with `candor import --submit`: posts record files to a Candor
// server (POST /api/v1/records) with a bearer token, prints the findings and saves the receipts.
// Returns the exit status: 0 all accepted or unchanged, 1 some rejected, 2 usage, token,
// connection or server error (nothing after such an error is submitted).
#pragma once

#include <string>
#include <vector>

namespace candor::cli {

struct SubmitOptions {
  std::vector<std::string> paths;  // record files, or directories searched for *.yaml/*.yml
  std::string server;
  std::string token_file;
  std::string token_env;
  std::string receipts;
};

int run_submit(const SubmitOptions& options);

}  // namespace candor::cli
