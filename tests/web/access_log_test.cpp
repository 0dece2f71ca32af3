#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "candor/web/access_log.h"

using namespace candor::web;

TEST_CASE("access log: one JSON object per request with the agreed fields", "[log]") {
  AccessRecord record;
  record.time = std::chrono::system_clock::time_point{std::chrono::milliseconds{1'700'000'000'123}};
  record.method = "GET";
  record.path = "/records/a\"b";
  record.route = "/records/{organisation}";
  record.status = 200;
  record.bytes = 5120;
  record.duration = std::chrono::microseconds{1250};
  record.remote = "127.0.0.1:50412";
  const std::string line = format_access_record(record);
  CHECK(line.find('\n') == std::string::npos);
  const auto json = nlohmann::json::parse(line);
  CHECK(json["time"] == "2023-11-14T22:13:20.123Z");
  CHECK(json["event"] == "request");
  CHECK(json["method"] == "GET");
  CHECK(json["path"] == "/records/a\"b");
  CHECK(json["status"] == 200);
  CHECK(json["bytes"] == 5120);
  CHECK(json["duration_ms"] == 1.25);
  CHECK(json["remote"] == "127.0.0.1:50412");
}

TEST_CASE("access log: invalid UTF-8 and control characters in a path stay one safe line",
          "[log]") {
  AccessRecord record;
  record.path = "/a\xff\n{\"forged\":1}";
  const std::string line = format_access_record(record);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(nlohmann::json::parse(line)["path"].is_string());
}

TEST_CASE("access log: events", "[log]") {
  std::ostringstream out;
  EventLog log(out);
  log.event("listening", {{"port", 8080}});
  const auto json = nlohmann::json::parse(out.str());
  CHECK(json["event"] == "listening");
  CHECK(json["port"] == 8080);
  CHECK(out.str().back() == '\n');
}
