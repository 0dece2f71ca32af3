#include "candor/web/metrics.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace candor::web {

namespace {

std::string_view normalise_method(std::string_view method) {
  static constexpr std::string_view k_known[] = {"GET",   "HEAD",   "POST",   "PUT",
                                                 "PATCH", "DELETE", "OPTIONS"};
  for (std::string_view known : k_known) {
    if (method == known) return known;
  }
  return "other";
}

// Shortest text that reads back as the same double; Prometheus spells infinities +Inf/-Inf.
// Fixed notation ("0.0005", not "5e-04") reads better in bucket labels and is equally valid.
std::string format_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[400];  // a fixed-notation double can be long; this fits any
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return std::string(buffer, result.ptr);
}

bool valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// HELP text escapes only backslash and newline.
std::string escape_help(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(escape_help(help)).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

Metrics::Metrics(std::string version) : version_(std::move(version)) {}

void Metrics::observe_request(std::string_view route, std::string_view method, int status,
                              std::chrono::nanoseconds duration) {
  const double seconds = std::chrono::duration<double>(duration).count();
  std::size_t bucket = 0;
  while (bucket < k_latency_buckets.size() && seconds > k_latency_buckets[bucket]) ++bucket;
  const std::lock_guard lock(mutex_);
  ++requests_[{std::string{route}, std::string{normalise_method(method)}, status}];
  auto it = durations_.find(route);
  if (it == durations_.end()) it = durations_.emplace(std::string{route}, Histogram{}).first;
  Histogram& h = it->second;
  if (bucket < h.buckets.size()) ++h.buckets[bucket];  // else only +Inf (count) holds it
  ++h.count;
  h.sum += seconds;
}

void Metrics::count_submission(std::string_view outcome) {
  const std::lock_guard lock(mutex_);
  auto it = submissions_.find(outcome);
  if (it == submissions_.end()) it = submissions_.emplace(std::string{outcome}, 0).first;
  ++it->second;
}

void Metrics::add_gauge(std::string name, std::string help,
                        std::function<std::optional<double>()> read) {
  if (!valid_metric_name(name)) throw std::invalid_argument("invalid metric name: " + name);
  const std::lock_guard lock(mutex_);
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::render() const {
  std::string out;
  std::vector<Gauge> gauges;
  {
    const std::lock_guard lock(mutex_);
    header(out, "candor_http_requests_total", "counter",
           "HTTP requests answered, by route pattern, method and status.");
    for (const auto& [key, count] : requests_) {
      const auto& [route, method, status] = key;
      out += "candor_http_requests_total{route=\"" + escape_label_value(route) + "\",method=\"" +
             method + "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(count) +
             "\n";
    }
    header(out, "candor_http_request_duration_seconds", "histogram",
           "Time taken to answer a request once read (routing, handler, rendering), by route "
           "pattern.");
    for (const auto& [route, h] : durations_) {
      const std::string label = "route=\"" + escape_label_value(route) + "\"";
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < k_latency_buckets.size(); ++i) {
        cumulative += h.buckets[i];
        out += "candor_http_request_duration_seconds_bucket{" + label + ",le=\"" +
               format_number(k_latency_buckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
      }
      out += "candor_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
             std::to_string(h.count) + "\n";
      out +=
          "candor_http_request_duration_seconds_sum{" + label + "} " + format_number(h.sum) + "\n";
      out += "candor_http_request_duration_seconds_count{" + label + "} " +
             std::to_string(h.count) + "\n";
    }
    header(out, "candor_submissions_total", "counter", "Record submissions, by outcome.");
    for (const auto& [outcome, count] : submissions_) {
      out += "candor_submissions_total{outcome=\"" + escape_label_value(outcome) + "\"} " +
             std::to_string(count) + "\n";
    }
    gauges = gauges_;  // read outside the lock: a gauge may query the store
  }
  header(out, "candor_http_requests_in_flight", "gauge", "HTTP requests being handled now.");
  out += "candor_http_requests_in_flight " + std::to_string(in_flight_.load()) + "\n";
  for (const Gauge& gauge : gauges) {
    std::optional<double> value;
    try {
      value = gauge.read();
    } catch (...) {
      value.reset();
    }
    if (!value) continue;
    header(out, gauge.name, "gauge", gauge.help);
    out += gauge.name + " " + format_number(*value) + "\n";
  }
  header(out, "candor_build_info", "gauge", "The running Candor version (always 1).");
  out += "candor_build_info{version=\"" + escape_label_value(version_) + "\"} 1\n";
  return out;
}

}  // namespace candor::web
