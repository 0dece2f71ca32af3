// The `candor` command line: each command registers itself on the CLI11 app and sets the exit
// code through `exit_code` when it runs. Exit codes follow compilers and linters: 0 clean,
// 1 problems found in the input, 2 usage, configuration or I/O errors.
#pragma once

#include <CLI/CLI.hpp>

namespace candor::cli {

enum ExitCode : int { k_clean = 0, k_findings = 1, k_usage = 2 };

void add_validate_command(CLI::App& app, int& exit_code);
void add_schema_command(CLI::App& app, int& exit_code);
void add_keygen_command(CLI::App& app, int& exit_code);
void add_register_command(CLI::App& app, int& exit_code);
void add_verify_command(CLI::App& app, int& exit_code);
void add_log_command(CLI::App& app, int& exit_code);
void add_check_command(CLI::App& app, int& exit_code);
void add_rules_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);
void add_token_command(CLI::App& app, int& exit_code);
void add_submit_command(CLI::App& app, int& exit_code);
void add_report_command(CLI::App& app, int& exit_code);
void add_import_command(CLI::App& app, int& exit_code);

}  // namespace candor::cli
