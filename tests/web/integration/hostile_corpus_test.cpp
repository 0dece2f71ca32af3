// The hostile-input corpus (tests/data/hostile/, manifest.tsv) against both doors a record comes
// in by: `candor check FILE` and POST /api/v1/records on a real `candor serve` with a valid
// submitter token. Every case must get its manifest outcome (exit status and problem code; HTTP
// status and error code), the problem must be located (file:line:column or a field path), the
// server must stay up with bounded memory, and no rejected case may change the log.
// Cases marked gen:NAME are too large to commit and are written here, at run time.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "hostile_support.h"
#include "http_client.h"
#include "server_process.h"
#include "test_files.h"

namespace {

namespace fs = std::filesystem;
using candor::test::read_file;
using candor::test::get;
using candor::test::http;
using candor::test::Reply;
using candor::test::ServerProcess;
using nlohmann::json;

const fs::path k_corpus = fs::path(CANDOR_SOURCE_DIR) / "tests" / "data" / "hostile";

struct HostileCase {
  std::string file;  // in k_corpus, or gen:NAME
  std::string category;
  std::string attack;
  int cli_exit = 0;
  std::string problem;  // "-" for none
  int http_status = 0;
  std::string http_error;  // "-" for none
  bool generated() const { return file.rfind("gen:", 0) == 0; }
  bool accepted() const { return http_status / 100 == 2; }
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, '\t');) out.push_back(cell);
  return out;
}

std::vector<HostileCase> load_manifest() {
  std::ifstream in(k_corpus / "manifest.tsv");
  REQUIRE(in);
  std::vector<HostileCase> cases;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto cells = split_tabs(line);
    INFO(line);
    REQUIRE(cells.size() == 7);
    cases.push_back({cells[0], cells[1], cells[2], std::stoi(cells[3]), cells[4],
                     std::stoi(cells[5]), cells[6]});
  }
  return cases;
}

// The valid base record the corpus builds on, with another id.
std::string base_record(const std::string& id) {
  std::string text = read_file(fs::path(CANDOR_SOURCE_DIR) /
                              "schemas/examples/valid/northshire-police--footage-redaction.yaml");
  const auto at = text.find("\nid: footage-redaction\n");
  REQUIRE(at != std::string::npos);
  text.replace(at, 22, "\nid: " + id + "\n");
  return text;
}

constexpr std::uint64_t k_mib = 1024 * 1024;
constexpr std::uint64_t k_huge_body = 100 * k_mib;

// Writes a generated case into `dir` and returns its path. The 100 MB one is streamed to disk
// (never held in memory: this process's size is part of the child's measured peak).
fs::path materialise(const HostileCase& c, const fs::path& dir) {
  const std::string name = c.file.substr(4);
  const fs::path path = dir / (name + ".yaml");
  std::ofstream out(path, std::ios::binary);
  if (name == "many-values") {
    out << "x: [";
    for (int i = 0; i < 200000; ++i) out << "1,";
    out << "1]\n";
  } else if (name == "line-1mb") {
    out << base_record("line-1mb") << "padding: " << std::string(1000000 - 9, 'a') << "\n";
  } else if (name == "over-limit") {
    out << "# " << std::string(k_mib + 1 - 3, 'x') << "\n";
  } else if (name == "body-100mb") {
    const std::string line = "# " + std::string(1021, 'x') + "\n";  // 1 KiB
    for (std::uint64_t i = 0; i < k_huge_body / line.size(); ++i) out << line;
  } else {
    FAIL("no generator for " << c.file);
  }
  out.close();
  REQUIRE(out);
  return path;
}

fs::path case_path(const HostileCase& c, const fs::path& scratch) {
  return c.generated() ? materialise(c, scratch) : k_corpus / c.file;
}

candor::test::ProcessResult run_check(const fs::path& file) {
  return candor::test::run_candor(
      {"check", "--format", "json", file.string(), "--as-of", "2026-11-26"});
}

// The JSON report (the text report says the same for people, without the codes): the record's
// SCHEMA failures carry the problem code, and each is located by line and column or by path.
void check_cli(const HostileCase& c, const fs::path& file, const candor::test::ProcessResult& r) {
  INFO(c.file << " (" << c.attack << ")\n" << candor::test::describe(r));
  CHECK(r.signal == 0);
  CHECK(r.exit_code == c.cli_exit);
  const json report = json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(report.is_discarded());
  REQUIRE(report["records"].size() == 1);
  const json& record = report["records"][0];
  CHECK(record["file"] == file.string());
  CHECK(record["parsed"] == (c.cli_exit != 2));
  bool named = false;
  for (const json& f : record["findings"]) {
    if (f["rule_id"] != "SCHEMA" || f["outcome"] != "fail") continue;
    named = named || f.value("code", "") == c.problem;
    const json& at = f["location"];
    const bool located = at.value("line", 0) >= 1 || !at.value("path", std::string()).empty();
    CHECK((located || f.value("code", "") == "yaml.empty" ||
           f.value("code", "") == "yaml.too-large"));
  }
  CHECK(named == (c.problem != "-"));
}

// The 422 body names the problem, with a line and column or a field path for each.
void check_problems(const HostileCase& c, const Reply& r) {
  const json body = json::parse(r.body);
  const json& problems = body["error"]["problems"];
  REQUIRE(problems.is_array());
  REQUIRE_FALSE(problems.empty());
  bool named = false;
  for (const json& p : problems) {
    named = named || p["code"] == c.problem;
    const bool located = p["line"].get<int>() >= 1 || !p["path"].get<std::string>().empty();
    const bool whole_file = p["code"] == "yaml.empty";
    CHECK((located || whole_file));
    CHECK_FALSE(p["message"].get<std::string>().empty());
  }
  CHECK(named);
}

std::map<std::string, std::string> submit_headers(const std::string& token) {
  return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/yaml"}};
}

// Over the limit: sent raw, since a polite client would stop at the first write error. The
// server answers from the declared length, before reading the body.
void check_http_too_large(const HostileCase& c, std::uint16_t port, const std::string& token,
                          std::uint64_t size) {
  const std::string head =
      "POST /api/v1/records HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer " +
      token + "\r\nContent-Type: application/yaml\r\nContent-Length: " + std::to_string(size) +
      "\r\n\r\n";
  std::uint64_t sent = 0;
  const auto reply = candor::test::raw_streaming_body(port, head, size, sent);
  INFO(c.file << " " << reply.head() << " sent " << sent);
  CHECK(reply.status() == c.http_status);
  CHECK(reply.text.find("\"" + c.http_error + "\"") != std::string::npos);
  if (size == k_huge_body) CHECK(sent < size);  // refused without the server reading it all
}

void check_http(const HostileCase& c, std::uint16_t port, const std::string& token,
                const fs::path& file) {
  const auto size = fs::file_size(file);
  if (c.http_status == 413) return check_http_too_large(c, port, token, size);
  const Reply r = http(port, "POST", "/api/v1/records", submit_headers(token), read_file(file));
  INFO(c.file << " (" << c.attack << ")\n" << r.status << " " << r.body.substr(0, 2000));
  CHECK(r.status == c.http_status);
  CHECK(r.header("content-type").rfind("application/json", 0) == 0);
  if (c.accepted()) return;
  CHECK(json::parse(r.body)["error"]["code"] == c.http_error);
  if (c.http_status == 422) check_problems(c, r);
}

std::vector<HostileCase> rejected_cases() {
  std::vector<HostileCase> out;
  for (auto& c : load_manifest()) {
    if (!c.accepted()) out.push_back(c);
  }
  return out;
}

fs::path scratch(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("candor-hostile-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("hostile corpus: the manifest lists every file, at least 60 cases", "[hostile]") {
  const auto cases = load_manifest();
  CHECK(cases.size() >= 60);
  std::map<std::string, int> listed;
  for (const auto& c : cases) {
    ++listed[c.file];
    if (!c.generated()) CHECK(fs::exists(k_corpus / c.file));
    CHECK((c.problem != "-" || c.accepted()));
    const std::set<std::string> known = {"yaml-expansion", "yaml-features", "yaml-syntax",
                                         "utf8",           "bytes",         "size",
                                         "schema",         "markup"};
    INFO(c.file << ": category " << c.category << " has no test case below");
    CHECK(known.count(c.category) == 1);
  }
  for (const auto& e : fs::directory_iterator(k_corpus)) {
    if (e.path().extension() != ".yaml") continue;
    INFO(e.path().filename().string() << " is in the corpus but not in manifest.tsv");
    CHECK(listed[e.path().filename().string()] == 1);
  }
}

// Two checks run at a time (each is a sanitizer-built process, slow to start); Catch2's
// assertions are made afterwards, on this thread, as they must be. One test case a category
// keeps each well inside the time a test may take.
void check_cli_category(const std::string& category) {
  const fs::path dir = scratch("cli-" + category);
  std::vector<HostileCase> cases;
  for (auto& c : load_manifest()) {
    if (c.category == category) cases.push_back(c);
  }
  REQUIRE_FALSE(cases.empty());
  std::vector<fs::path> files;
  for (const auto& c : cases) files.push_back(case_path(c, dir));
  std::vector<candor::test::ProcessResult> results(files.size());
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) results[i] = run_check(files[i]);
  };
  std::thread other(worker);
  worker();
  other.join();
  for (std::size_t i = 0; i < cases.size(); ++i) check_cli(cases[i], files[i], results[i]);
  fs::remove_all(dir);
}

TEST_CASE("hostile corpus: candor check, yaml-expansion cases", "[hostile]") {
  check_cli_category("yaml-expansion");
}
TEST_CASE("hostile corpus: candor check, yaml-features cases", "[hostile]") {
  check_cli_category("yaml-features");
}
TEST_CASE("hostile corpus: candor check, yaml-syntax cases", "[hostile]") {
  check_cli_category("yaml-syntax");
}
TEST_CASE("hostile corpus: candor check, utf8 cases", "[hostile]") {
  check_cli_category("utf8");
}
TEST_CASE("hostile corpus: candor check, bytes cases", "[hostile]") {
  check_cli_category("bytes");
}
TEST_CASE("hostile corpus: candor check, size cases", "[hostile]") {
  check_cli_category("size");
}
TEST_CASE("hostile corpus: candor check, schema cases", "[hostile]") {
  check_cli_category("schema");
}
TEST_CASE("hostile corpus: candor check, markup cases", "[hostile]") {
  check_cli_category("markup");
}

TEST_CASE("hostile corpus: POST /api/v1/records refuses each case, the server stays up",
          "[hostile]") {
  candor::test::ScratchRegister reg("hostile-http");
  ServerProcess server(reg.serve_args());
  const auto port = server.port();
  const fs::path dir = scratch("http");
  const auto before = candor::test::log_state(port);
  const long rss_before = candor::test::resident_kib(server.pid());
  REQUIRE(rss_before > 0);

  for (const auto& c : rejected_cases()) {
    const fs::path file = case_path(c, dir);
    check_http(c, port, reg.submitter, file);
    if (c.generated()) fs::remove(file);
  }

  // Still answering, memory bounded, and nothing accepted: the log and checkpoint are unchanged.
  const Reply health = get(port, "/healthz");
  CHECK(health.status == 200);
  const long rss_after = candor::test::resident_kib(server.pid());
  INFO("VmRSS before " << rss_before << " KiB, after " << rss_after << " KiB");
  CHECK(rss_after - rss_before < 200 * 1024);
  CHECK(candor::test::log_state(port) == before);
  fs::remove_all(dir);
}
