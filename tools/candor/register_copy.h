// candor register copy --from DB --to DB: moves a register between databases (any backend to
// any other) and proves the copy (register/include/candor/registry/store_copy.h).
#pragma once

#include <CLI/CLI.hpp>

namespace candor::cli {

// Adds `copy` to the `register` command.
void add_register_copy_command(CLI::App& reg, int& exit_code);

}  // namespace candor::cli
