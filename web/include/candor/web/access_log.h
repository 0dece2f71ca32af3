// Structured logs: one JSON object per line on standard error, each with "time" (UTC, RFC 3339
// with milliseconds) and "event". Requests log as
//   {"time":"…","event":"request","method":"GET","path":"/about","route":"/about",
//    "status":200,"bytes":5120,"duration_ms":1.25,"remote":"127.0.0.1:50412"}
// Only the path is logged, never the query string, headers or body: those can carry tokens
// (Authorization), cookies and what citizens searched for. Lines are written whole, under a
// lock, so concurrent requests never interleave.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace candor::web {

struct AccessRecord {
  std::chrono::system_clock::time_point time;
  std::string method;
  std::string path;   // without the query string
  std::string route;  // the matched pattern, or "unmatched"
  int status = 0;
  std::size_t bytes = 0;  // response body bytes
  std::chrono::nanoseconds duration{0};
  std::string remote;
};

// "2025-01-31T12:34:56.789Z"
std::string rfc3339_millis(std::chrono::system_clock::time_point time);

std::string format_access_record(const AccessRecord& record);

class EventLog {
 public:
  explicit EventLog(std::ostream& out) : out_(&out) {}
  void request(const AccessRecord& record);
  // Any other event: {"time":…,"event":name, …fields}.
  void event(std::string_view name, const nlohmann::json& fields = nlohmann::json::object());

 private:
  void write_line(const std::string& line);
  std::mutex mutex_;
  std::ostream* out_;
};

}  // namespace candor::web
