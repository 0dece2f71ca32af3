#include "candor/web/access_log.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace candor::web {

namespace {

std::string dump(const nlohmann::ordered_json& value) {
  // Paths and methods come from clients: replace invalid UTF-8 instead of throwing.
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

std::string rfc3339_millis(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto millis = duration_cast<milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];  // generous: the compiler cannot bound a year
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis % 1000));
  return buffer;
}

std::string format_access_record(const AccessRecord& record) {
  const double ms = std::chrono::duration<double, std::milli>(record.duration).count();
  nlohmann::ordered_json line;
  line["time"] = rfc3339_millis(record.time);
  line["event"] = "request";
  line["method"] = record.method;
  line["path"] = record.path;
  line["route"] = record.route;
  line["status"] = record.status;
  line["bytes"] = record.bytes;
  line["duration_ms"] = std::round(ms * 1000) / 1000;  // microsecond precision is plenty
  line["remote"] = record.remote;
  return dump(line);
}

void EventLog::request(const AccessRecord& record) {
  write_line(format_access_record(record));
}

void EventLog::event(std::string_view name, const nlohmann::json& fields) {
  nlohmann::ordered_json line;
  line["time"] = rfc3339_millis(std::chrono::system_clock::now());
  line["event"] = name;
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) line[key] = value;
  }
  write_line(dump(line));
}

void EventLog::write_line(const std::string& line) {
  const std::lock_guard lock(mutex_);
  *out_ << line << '\n' << std::flush;
}

}  // namespace candor::web
