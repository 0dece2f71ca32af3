// `candor serve` as an operator runs it: a real process on a free loopback port, driven over
// HTTP with Poco's client. Only 127.0.0.1 is ever contacted.
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <nlohmann/json.hpp>

#include "http_client.h"
#include "process.h"
#include "server_process.h"

using candor::test::get;
using candor::test::http;
using candor::test::Reply;
using candor::test::ServerProcess;
namespace fs = std::filesystem;

namespace {

// Sends raw bytes and returns everything the server answers before closing (or timing out).
std::string raw_exchange(std::uint16_t port, const std::string& bytes, int wait_seconds) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  socket.setReceiveTimeout(Poco::Timespan(wait_seconds, 0));
  socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
  std::string answer;
  char buffer[4096];
  try {
    while (true) {
      const int n = socket.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) break;
      answer.append(buffer, static_cast<std::size_t>(n));
    }
  } catch (const Poco::TimeoutException&) {
  }
  return answer;
}

void check_security_headers(const Reply& r) {
  CHECK(r.header("content-security-policy") ==
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  CHECK(r.header("x-content-type-options") == "nosniff");
  CHECK(r.header("referrer-policy") == "no-referrer");
  CHECK(r.header("x-frame-options") == "DENY");
  CHECK(r.header("server").empty());
}

fs::path scratch_dir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("candor-web-it-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

int run_candor(const std::vector<std::string>& args, std::string* out = nullptr) {
  std::vector<std::string> argv = {CANDOR_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto result = candor::test::run_process(argv);
  if (out) *out = result.out + result.err;
  INFO(result.out << result.err);
  return result.exit_code;
}

}  // namespace

TEST_CASE("serve: health, pages, errors, headers, static files and metrics over HTTP", "[serve]") {
  ServerProcess server({"--threads", "4"});
  const auto port = server.port();

  const Reply health = get(port, "/healthz");
  CHECK(health.status == 200);
  CHECK(nlohmann::json::parse(health.body)["status"] == "ok");
  check_security_headers(health);

  const Reply home = get(port, "/");
  CHECK(home.status == 200);
  CHECK(home.header("content-type") == "text/html; charset=utf-8");
  CHECK(home.body.find("action=\"/search\"") != std::string::npos);
  check_security_headers(home);
  check_security_headers(get(port, "/about"));

  const Reply api_missing = get(port, "/api/v1/nothing");
  CHECK(api_missing.status == 404);
  CHECK(api_missing.header("content-type") == "application/json");
  CHECK(nlohmann::json::parse(api_missing.body)["error"]["code"] == "not_found");
  check_security_headers(api_missing);

  const Reply page_missing = get(port, "/nothing");
  CHECK(page_missing.status == 404);
  CHECK(page_missing.header("content-type") == "text/html; charset=utf-8");
  CHECK(page_missing.body.find("Page not found") != std::string::npos);
  check_security_headers(page_missing);

  const Reply wrong_method = http(port, "DELETE", "/about");
  CHECK(wrong_method.status == 405);
  CHECK(wrong_method.header("allow") == "GET, HEAD");

  const Reply css = get(port, "/static/candor.css");
  CHECK(css.status == 200);
  CHECK(css.header("content-type") == "text/css; charset=utf-8");
  CHECK(css.header("cache-control") == "public, max-age=3600");
  const std::string etag = css.header("etag");
  REQUIRE_FALSE(etag.empty());
  check_security_headers(css);
  const Reply not_modified = get(port, "/static/candor.css", {{"If-None-Match", etag}});
  CHECK(not_modified.status == 304);
  CHECK(not_modified.body.empty());
  check_security_headers(not_modified);

  const Reply head = http(port, "HEAD", "/static/candor.css");
  CHECK(head.status == 200);
  CHECK(head.header("content-length") == std::to_string(css.body.size()));

  for (const char* evil :
       {"/static/../CMakeLists.txt", "/static/%2e%2e/CMakeLists.txt",
        "/static/%2e%2e%2f%2e%2e%2fCMakeLists.txt", "/static/..%5c..%5cCMakeLists.txt",
        "/static/candor.css%00.png", "/static/%252e%252e/CMakeLists.txt"}) {
    INFO(evil);
    const Reply r = get(port, evil);
    CHECK(r.status == 404);
    CHECK(r.body.find("cmake_minimum_required") == std::string::npos);
  }

  const Reply metrics = get(port, "/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.header("content-type") == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(metrics.body.find(
            "candor_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1\n") !=
        std::string::npos);
  CHECK(
      metrics.body.find(
          "candor_http_request_duration_seconds_bucket{route=\"/static/{path...}\",le=\"+Inf\"}") !=
      std::string::npos);
  CHECK(metrics.body.find("candor_http_requests_in_flight 1\n") != std::string::npos);  // this one

  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: access logs are JSON lines without secrets", "[serve]") {
  ServerProcess server({});
  get(server.port(), "/about?token=query-secret-1",
      {{"Authorization", "Bearer header-secret-2"}, {"Cookie", "session=cookie-secret-3"}});
  CHECK(server.stop(SIGTERM) == 0);
  const std::string log = server.log();
  CHECK(log.find("secret") == std::string::npos);
  bool saw_request = false;
  for (const auto& line : server.log_lines()) {
    INFO(line);
    const auto json = nlohmann::json::parse(line);  // every line is JSON
    CHECK(json.contains("time"));
    CHECK(json.contains("event"));
    if (json["event"] == "request") {
      saw_request = true;
      CHECK(json["method"] == "GET");
      CHECK(json["path"] == "/about");
      CHECK(json["status"] == 200);
      CHECK(json["bytes"].get<int>() > 0);
      CHECK(json["duration_ms"].is_number());
      CHECK(json["remote"].get<std::string>().rfind("127.0.0.1:", 0) == 0);
    }
  }
  CHECK(saw_request);
  CHECK(log.find("\"event\":\"stopped\"") != std::string::npos);
}

TEST_CASE("serve: behind a trusted proxy the client is the X-Forwarded-For address", "[serve]") {
  // The remote address feeds the access log, the per-address rate limits and the audit log of
  // refused writes; the access log shows what each request was attributed to.
  const auto remotes = [](ServerProcess& server) {
    std::vector<std::string> out;
    for (const auto& line : server.log_lines()) {
      const auto json = nlohmann::json::parse(line);
      if (json["event"] == "request") out.push_back(json["remote"].get<std::string>());
    }
    return out;
  };
  const std::vector<std::map<std::string, std::string>> requests = {
      {{"X-Forwarded-For", "198.51.100.7"}},
      {{"X-Forwarded-For", "203.0.113.9, 198.51.100.7"}},  // a client's own claim, then the proxy's
      {{"X-Forwarded-For", "<script>"}},                   // not an address: the proxy it is
      {},
  };
  ServerProcess trusting({"--trusted-proxy", "127.0.0.1"});
  for (const auto& headers : requests)
    REQUIRE(get(trusting.port(), "/about", headers).status == 200);
  REQUIRE(trusting.stop(SIGTERM) == 0);
  const auto seen = remotes(trusting);
  REQUIRE(seen.size() == 4);
  CHECK(seen[0] == "198.51.100.7");
  CHECK(seen[1] == "198.51.100.7");
  CHECK(seen[2].rfind("127.0.0.1:", 0) == 0);
  CHECK(seen[3].rfind("127.0.0.1:", 0) == 0);

  // Without --trusted-proxy anyone could claim any address: the header is ignored.
  ServerProcess plain({});
  for (const auto& headers : requests) REQUIRE(get(plain.port(), "/about", headers).status == 200);
  REQUIRE(plain.stop(SIGTERM) == 0);
  for (const std::string& remote : remotes(plain)) CHECK(remote.rfind("127.0.0.1:", 0) == 0);

  std::string err;
  CHECK(candor::test::run_serve_expecting_exit({"--trusted-proxy", "proxy.internal"}, err) == 2);
  CHECK(err.find("is not an IP address") != std::string::npos);
}

TEST_CASE("serve: request size limit (413) and read timeout (408)", "[serve]") {
  ServerProcess server({"--max-body-bytes", "1024", "--read-timeout", "1"});
  const auto port = server.port();

  // Declared too large: refused before the body is read.
  const std::string big = raw_exchange(
      port, "POST /api/v1/records HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", 10);
  CHECK(big.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(big.find("\"code\":\"payload_too_large\"") != std::string::npos);
  std::string lower = big;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(lower.find("\r\nconnection: close\r\n") != std::string::npos);

  // Chunked past the limit.
  std::string chunked =
      "POST /api/v1/records HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) chunked += "200\r\n" + std::string(512, 'a') + "\r\n";
  chunked += "0\r\n\r\n";
  CHECK(raw_exchange(port, chunked, 10).rfind("HTTP/1.1 413", 0) == 0);

  // A body that stops arriving.
  const std::string slow = raw_exchange(
      port, "POST /api/v1/records HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-part", 20);
  CHECK(slow.rfind("HTTP/1.1 408", 0) == 0);
  CHECK(slow.find("\"code\":\"request_timeout\"") != std::string::npos);

  // Within the limit the request is routed as usual (no POST route here: 405).
  CHECK(http(port, "POST", "/about", {}, "small").status == 405);

  // Garbage is a 400 from the transport, and the server carries on.
  CHECK(raw_exchange(port, "NOT HTTP AT ALL\r\n\r\n", 10).find(" 400") != std::string::npos);
  CHECK(get(port, "/healthz").status == 200);
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: SIGTERM and SIGINT stop it gracefully with exit 0", "[serve]") {
  SECTION("SIGTERM with an idle keep-alive connection open") {
    ServerProcess server({});
    Poco::Net::HTTPClientSession idle("127.0.0.1", server.port());
    idle.setKeepAlive(true);
    Poco::Net::HTTPRequest request("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
    idle.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(idle.receiveResponse(response), body);
    REQUIRE(response.getStatus() == 200);
    const auto started = std::chrono::steady_clock::now();
    CHECK(server.stop(SIGTERM) == 0);
    // The idle connection did not hold the exit up for its keep-alive timeout.
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
    const std::string log = server.log();
    CHECK(log.find("\"event\":\"stopping\"") != std::string::npos);
    CHECK(log.find("\"event\":\"stopped\"") != std::string::npos);
  }
  SECTION("SIGINT") {
    ServerProcess server({});
    CHECK(server.stop(SIGINT) == 0);
  }
}

TEST_CASE("serve: a config file, with flags winning", "[serve]") {
  const fs::path dir = scratch_dir("config");
  std::ofstream(dir / "serve.conf")
      << "# test\nthreads = 2\nmax-body-bytes = 10\nlisten = 127.0.0.1:1\n";
  // --listen 127.0.0.1:0 (from ServerProcess) wins over the file's port 1.
  ServerProcess server({"--config", (dir / "serve.conf").string()});
  CHECK(server.log().find("\"threads\":2") != std::string::npos);
  CHECK(http(server.port(), "POST", "/about", {}, std::string(20, 'x')).status == 413);
  CHECK(server.stop(SIGTERM) == 0);

  std::ofstream(dir / "bad.conf") << "thread = 2\n";
  std::string err;
  CHECK(candor::test::run_serve_expecting_exit({"--config", (dir / "bad.conf").string()}, err) ==
        2);
  CHECK(err.find("line 1: unknown setting 'thread'") != std::string::npos);
  CHECK(candor::test::run_serve_expecting_exit({"--threads", "0"}, err) == 2);
  CHECK(candor::test::run_serve_expecting_exit({"--db", (dir / "missing.db").string()}, err) == 2);
  fs::remove_all(dir);
}

TEST_CASE("serve: with a register database: health, metrics and search", "[serve]") {
  const fs::path dir = scratch_dir("store");
  REQUIRE(run_candor({"keygen", "--name", "test.example/register", "--out", dir.string()}) == 0);
  fs::path skey;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".skey") skey = e.path();
  }
  REQUIRE_FALSE(skey.empty());
  const std::string db = (dir / "register.db").string();
  REQUIRE(run_candor({"register", "init", "--db", db, "--key", skey.string()}) == 0);
  const fs::path examples = fs::path(CANDOR_SOURCE_DIR) / "schemas/examples/valid";
  REQUIRE(run_candor({"register", "add",
                      (examples / "eastbridge-council--free-school-meals-auto-award.yaml").string(),
                      (examples / "eastbridge-council--resident-enquiries-chatbot.yaml").string(),
                      "--db", db, "--org", "eastbridge-council", "--key", skey.string(),
                      "--receipts", dir.string()}) == 0);

  ServerProcess server({"--db", db, "--key", skey.string()});
  const auto port = server.port();
  CHECK(server.log().find("\"writable\":true") != std::string::npos);

  const auto health = nlohmann::json::parse(get(port, "/healthz").body);
  CHECK(health["log_size"] == 2);
  CHECK(get(port, "/metrics").body.find("\ncandor_log_size 2\n") != std::string::npos);

  const Reply found = get(port, "/search?q=school+meals");
  CHECK(found.status == 200);
  CHECK(found.body.find("href=\"/records/eastbridge-council/") != std::string::npos);
  CHECK(found.body.find("<mark class=\"candor-mark\">") != std::string::npos);

  const Reply none = get(port, "/search?q=zzzzqqqq");
  CHECK(none.status == 200);
  CHECK(none.body.find("There are no matching records") != std::string::npos);

  // Query syntax typed by a person is never an error.
  CHECK(get(port, "/search?q=%22unbalanced+AND+(+NEAR").status == 200);

  // The log endpoints are a tlog-tiles log that `candor verify --log URL` audits; --state then
  // carries the checkpoint forward, so the next audit also proves the log only grew.
  fs::path vkey = skey;
  vkey.replace_extension(".vkey");
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  const std::string state = (dir / "audit.state").string();
  std::string audit;
  CHECK(run_candor({"verify", "--log", url, "--vkey", vkey.string(), "--state", state}, &audit) ==
        0);
  CHECK(audit.find("2 entries rehashed") != std::string::npos);
  CHECK(audit.find("first audit") != std::string::npos);
  // Another process appends while the server runs; the server's next answers include it.
  REQUIRE(
      run_candor({"register", "add",
                  (examples / "oakridge-academy-trust--writing-feedback-assistant.yaml").string(),
                  "--db", db, "--org", "oakridge-academy-trust", "--key", skey.string(),
                  "--receipts", dir.string()}) == 0);
  CHECK(run_candor({"verify", "--log", url + "/", "--vkey", vkey.string(), "--state", state},
                   &audit) == 0);
  CHECK(audit.find("the log grew from 2 to 3 entries") != std::string::npos);
  CHECK(server.stop(SIGTERM) == 0);

  // A key that is not the register's is refused at start.
  const fs::path other = dir / "other";
  fs::create_directories(other);
  REQUIRE(run_candor({"keygen", "--name", "other.example/log", "--out", other.string()}) == 0);
  fs::path other_key;
  for (const auto& e : fs::directory_iterator(other)) {
    if (e.path().extension() == ".skey") other_key = e.path();
  }
  std::string err;
  CHECK(candor::test::run_serve_expecting_exit({"--db", db, "--key", other_key.string()}, err) ==
        2);
  CHECK(err.find("does not match") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("serve: what a record page offers for verification passes `candor verify`", "[serve]") {
  const fs::path dir = scratch_dir("verify");
  REQUIRE(run_candor({"keygen", "--name", "test.example/register", "--out", dir.string()}) == 0);
  fs::path skey, vkey;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".skey") skey = e.path();
    if (e.path().extension() == ".vkey") vkey = e.path();
  }
  REQUIRE_FALSE(skey.empty());
  REQUIRE_FALSE(vkey.empty());
  const std::string db = (dir / "register.db").string();
  REQUIRE(run_candor({"register", "init", "--db", db, "--key", skey.string()}) == 0);
  const fs::path examples = fs::path(CANDOR_SOURCE_DIR) / "schemas/examples/valid";
  REQUIRE(run_candor({"register", "add",
                      (examples / "eastbridge-council--free-school-meals-auto-award.yaml").string(),
                      "--db", db, "--org", "eastbridge-council", "--key", skey.string(),
                      "--receipts", dir.string()}) == 0);

  ServerProcess server({"--db", db});
  const auto port = server.port();
  const std::string record = "/records/eastbridge-council/free-school-meals-auto-award";
  const Reply page = get(port, record);
  REQUIRE(page.status == 200);
  CHECK(page.body.find(record + "/versions/1/receipt") != std::string::npos);
  CHECK(page.body.find(record + "/versions/1/record.json") != std::string::npos);

  const Reply receipt = get(port, record + "/versions/1/receipt");
  const Reply body = get(port, record + "/versions/1/record.json");
  REQUIRE(receipt.status == 200);
  REQUIRE(body.status == 200);
  CHECK(body.headers.at("content-type") == "application/json");
  std::ofstream(dir / "receipt.tlog-proof", std::ios::binary) << receipt.body;
  std::ofstream(dir / "record.json", std::ios::binary) << body.body;
  // The page's own instructions, step by step.
  std::string out;
  CHECK(run_candor({"verify", (dir / "receipt.tlog-proof").string(), "--vkey", vkey.string(),
                    "--record", (dir / "record.json").string()},
                   &out) == 0);
  CHECK(out.find("verified") != std::string::npos);
  CHECK(out.find("matches the logged body") != std::string::npos);

  // A record changed by one value does not verify.
  std::string changed = body.body;
  const auto at = changed.find("\"phase\":\"production\"");
  REQUIRE(at != std::string::npos);
  changed.replace(at, 20, "\"phase\":\"pilot\"");
  std::ofstream(dir / "changed.json", std::ios::binary) << changed;
  CHECK(run_candor({"verify", (dir / "receipt.tlog-proof").string(), "--vkey", vkey.string(),
                    "--record", (dir / "changed.json").string()}) != 0);

  // The feed, over HTTP, is Atom.
  const Reply feed = get(port, "/feed.atom");
  CHECK(feed.status == 200);
  CHECK(feed.headers.at("content-type") == "application/atom+xml; charset=utf-8");
  CHECK(feed.body.find(record + "/versions/1</id>") != std::string::npos);

  CHECK(server.stop(SIGTERM) == 0);
  fs::remove_all(dir);
}
