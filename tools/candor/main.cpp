// candor: check, validate and (later) submit AI-use transparency records.
#include <iostream>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"candor: the AI-use transparency register and compliance checker"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "candor 0.1.0");
  int exit_code = candor::cli::k_clean;
  candor::cli::add_validate_command(app, exit_code);
  candor::cli::add_schema_command(app, exit_code);
  candor::cli::add_keygen_command(app, exit_code);
  candor::cli::add_register_command(app, exit_code);
  candor::cli::add_verify_command(app, exit_code);
  candor::cli::add_log_command(app, exit_code);
  candor::cli::add_check_command(app, exit_code);
  candor::cli::add_rules_command(app, exit_code);
  candor::cli::add_serve_command(app, exit_code);
  candor::cli::add_token_command(app, exit_code);
  candor::cli::add_submit_command(app, exit_code);
  candor::cli::add_report_command(app, exit_code);
  candor::cli::add_import_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return candor::cli::k_usage;
  }
  return exit_code;
}
