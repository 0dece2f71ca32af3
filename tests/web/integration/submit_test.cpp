// The write side end to end, as a publishing organisation meets it: a real `candor serve` with
// the register's key, a token from `candor token create`, and `candor submit` over HTTP.
// Only 127.0.0.1 is ever contacted.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <nlohmann/json.hpp>

#include "process.h"
#include "server_process.h"
#include "candor_run.h"

using candor::test::ProcessResult;
using candor::test::ServerProcess;
namespace fs = std::filesystem;
using candor::test::run_candor;
using candor::test::describe;

namespace {

fs::path scratch_dir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("candor-submit-it-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::uint64_t log_size(std::uint16_t port) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  Poco::Net::HTTPRequest request("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  return nlohmann::json::parse(body)["log_size"].get<std::uint64_t>();
}

fs::path copy_example(const fs::path& dir, const std::string& relative) {
  const fs::path from = fs::path(CANDOR_SOURCE_DIR) / "schemas" / "examples" / relative;
  const fs::path to = dir / from.filename();
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  return to;
}

}  // namespace

TEST_CASE("submit: token, valid, invalid, other organisation and resubmission", "[submit]") {
  const fs::path dir = scratch_dir("flow");
  const fs::path keys = dir / "keys";
  const fs::path db = dir / "register.db";
  const fs::path skey = keys / "example.org-ai-register.skey";
  const fs::path vkey = keys / "example.org-ai-register.vkey";
  REQUIRE(run_candor({"keygen", "--name", "example.org/ai-register", "--out", keys.string()})
              .exit_code == 0);
  REQUIRE(run_candor({"register", "init", "--db", db.string(), "--key", skey.string()}).exit_code ==
          0);
  const auto created = run_candor({"token", "create", "--db", db.string(), "--org",
                                   "northshire-police", "--role", "submitter", "--label",
                                   "northshire-ci", "--org-name", "Northshire Constabulary"});
  INFO(describe(created));
  REQUIRE(created.exit_code == 0);
  const fs::path token_file = dir / "token";
  {
    std::ofstream out(token_file);
    out << created.out;  // the token and a newline, as `candor token create > token` writes it
  }
  ::chmod(token_file.c_str(), 0600);

  ServerProcess server({"--db", db.string(), "--key", skey.string()});
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port());
  const auto submit = [&](std::vector<std::string> args) {
    std::vector<std::string> all = {"submit", "--server", url, "--token-file", token_file.string()};
    all.insert(all.end(), args.begin(), args.end());
    return run_candor(all);
  };

  // A valid record: accepted, its findings printed like `candor check`, the receipt verifies.
  const fs::path valid = copy_example(dir, "valid/northshire-police--footage-redaction.yaml");
  const auto accepted = submit({valid.string()});
  INFO(describe(accepted));
  REQUIRE(accepted.exit_code == 0);
  CHECK(accepted.out.find("accepted as northshire-police/") != std::string::npos);
  CHECK(accepted.out.find("1 file: 1 accepted, 0 unchanged, 0 rejected") != std::string::npos);
  CHECK(accepted.err.find("warning") == std::string::npos);  // the token file is private
  const fs::path receipt = valid.string() + ".tlog-proof";
  REQUIRE(fs::exists(receipt));
  const auto verified =
      run_candor({"verify", receipt.string(), "--vkey", vkey.string(), "--record", valid.string()});
  INFO(describe(verified));
  CHECK(verified.exit_code == 0);
  CHECK(log_size(server.port()) == 1);

  // An invalid record: rejected, each problem located in the submitted file.
  const fs::path invalid = copy_example(dir, "invalid/18-enum-phase-live.yaml");
  const auto rejected = submit({invalid.string()});
  INFO(describe(rejected));
  CHECK(rejected.exit_code == 1);
  CHECK(rejected.out.find(invalid.string() + ":24:8: error:") != std::string::npos);
  CHECK(rejected.out.find("0 accepted, 0 unchanged, 1 rejected") != std::string::npos);
  CHECK_FALSE(fs::exists(invalid.string() + ".tlog-proof"));

  // Another organisation's record: refused by the server (403).
  const fs::path other =
      copy_example(dir, "valid/eastbridge-council--free-school-meals-auto-award.yaml");
  const auto forbidden = submit({other.string()});
  INFO(describe(forbidden));
  CHECK(forbidden.exit_code == 1);
  CHECK(forbidden.out.find("organisation.id is eastbridge-council") != std::string::npos);
  CHECK(forbidden.out.find("1 rejected") != std::string::npos);
  CHECK(log_size(server.port()) == 1);

  // Findings are printed as `candor check` prints them, for the same day's rules; the record is
  // accepted (findings do not block registration) and the version is marked failing.
  const auto eastbridge =
      run_candor({"token", "create", "--db", db.string(), "--org", "eastbridge-council", "--role",
                  "submitter", "--org-name", "Eastbridge Council"});
  REQUIRE(eastbridge.exit_code == 0);
  const fs::path eastbridge_token = dir / "eastbridge-token";
  {
    std::ofstream out(eastbridge_token);
    out << eastbridge.out;
  }
  ::chmod(eastbridge_token.c_str(), 0600);
  const auto with_findings = run_candor(
      {"submit", other.string(), "--server", url, "--token-file", eastbridge_token.string()});
  INFO(describe(with_findings));
  CHECK(with_findings.exit_code == 0);
  CHECK(with_findings.out.find("compliance failing") != std::string::npos);
  const auto checked = run_candor({"check", other.string()});
  std::size_t compared = 0;
  std::istringstream check_lines(checked.out);
  for (std::string line; std::getline(check_lines, line);) {
    if (line.rfind(other.string() + ":", 0) != 0) continue;
    CHECK(with_findings.out.find(line + "\n") != std::string::npos);
    ++compared;
  }
  CHECK(compared >= 1);
  CHECK(log_size(server.port()) == 2);

  // The same record again: the existing version, no new leaf; receipts into a directory.
  const fs::path receipts = dir / "receipts";
  const auto again = submit({valid.string(), "--receipts", receipts.string()});
  INFO(describe(again));
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("unchanged, already northshire-police/") != std::string::npos);
  CHECK(again.out.find("version 1 (log entry 0)") != std::string::npos);
  CHECK(fs::exists(receipts / (valid.filename().string() + ".tlog-proof")));
  CHECK(log_size(server.port()) == 2);

  // The token from an environment variable (CI secrets), never from the command line.
  ::setenv("CANDOR_SUBMIT_TEST_TOKEN", created.out.c_str(), 1);
  const auto from_env = run_candor(
      {"submit", valid.string(), "--server", url, "--token-env", "CANDOR_SUBMIT_TEST_TOKEN"});
  ::unsetenv("CANDOR_SUBMIT_TEST_TOKEN");
  INFO(describe(from_env));
  CHECK(from_env.exit_code == 0);
  CHECK(from_env.out.find("unchanged, already northshire-police/") != std::string::npos);
  CHECK(run_candor(
            {"submit", valid.string(), "--server", url, "--token-env", "CANDOR_SUBMIT_TEST_UNSET"})
            .exit_code == 2);

  // A token the server does not know, or none reachable: exit 2 with a message naming the server.
  const fs::path wrong = dir / "wrong-token";
  {
    std::ofstream out(wrong);
    out << "candor_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n";
  }
  ::chmod(wrong.c_str(), 0644);
  const auto refused =
      run_candor({"submit", valid.string(), "--server", url, "--token-file", wrong.string()});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("refused the token") != std::string::npos);
  CHECK(refused.err.find(url) != std::string::npos);
  CHECK(refused.err.find("can be read by other users") != std::string::npos);
  CHECK(run_candor({"submit", valid.string(), "--server", url}).exit_code == 2);

  // https:// is TLS, verified: a plain HTTP server on the other end is an error (exit 2).
  const std::string as_https = "https://127.0.0.1:" + std::to_string(server.port());
  const auto tls = run_candor(
      {"submit", valid.string(), "--server", as_https, "--token-file", token_file.string()});
  CHECK(tls.exit_code == 2);
  CHECK(tls.err.find(as_https) != std::string::npos);
  CHECK(log_size(server.port()) == 2);

  const auto log = server.log();
  CHECK(log.find(created.out.substr(0, created.out.size() - 1)) == std::string::npos);
  CHECK(server.stop(SIGTERM) == 0);

  const auto unreachable = submit({valid.string()});
  CHECK(unreachable.exit_code == 2);
  CHECK(unreachable.err.find("cannot reach the server at " + url) != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("submit: candor import --submit loads a whole inventory in one command", "[submit]") {
  const fs::path dir = scratch_dir("import");
  const fs::path keys = dir / "keys";
  const fs::path db = dir / "register.db";
  const fs::path skey = keys / "example.org-ai-register.skey";
  REQUIRE(run_candor({"keygen", "--name", "example.org/ai-register", "--out", keys.string()})
              .exit_code == 0);
  REQUIRE(run_candor({"register", "init", "--db", db.string(), "--key", skey.string()}).exit_code ==
          0);
  // An operator's token: admin tokens may submit for any organisation (docs/api.md).
  const auto created = run_candor({"token", "create", "--db", db.string(), "--org", "operator",
                                   "--role", "admin", "--label", "import",
                                   "--org-name", "Register operator"});
  INFO(describe(created));
  REQUIRE(created.exit_code == 0);
  const fs::path token_file = dir / "token";
  {
    std::ofstream out(token_file);
    out << created.out;
  }
  ::chmod(token_file.c_str(), 0600);
  ServerProcess server({"--db", db.string(), "--key", skey.string(), "--write-limit", "100000"});
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port());

  const auto imported = run_candor(
      {"import", "--from", "us-omb-2025",
       std::string(CANDOR_SOURCE_DIR) + "/tests/data/importers/us-omb-2025-sample40.csv", "--out",
       (dir / "records").string(), "--imported-on", "2026-11-26", "--submit", "--server", url,
       "--token-file", token_file.string(), "--receipts", (dir / "receipts").string()});
  INFO(describe(imported));
  CHECK(imported.exit_code == 0);
  CHECK(imported.out.find("40 rows read, 40 records written") != std::string::npos);
  CHECK(imported.out.find("40 files: 40 accepted, 0 unchanged, 0 rejected") != std::string::npos);
  CHECK(imported.err.empty());  // no progress counter without a terminal
  CHECK(log_size(server.port()) == 40);
  CHECK(fs::exists(dir / "receipts" / "doj--doj-0161.yaml.tlog-proof"));
  fs::remove_all(dir);
}
