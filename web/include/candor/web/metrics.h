// Server metrics in the Prometheus text exposition format (version 0.0.4), served at /metrics.
//
//   candor_http_requests_total{route,method,status}       counter
//   candor_http_request_duration_seconds{route}           histogram (k_latency_buckets)
//   candor_http_requests_in_flight                        gauge
//   candor_submissions_total{outcome}                     counter (count_submission)
//   gauges added with add_gauge, read at scrape time      e.g. candor_log_size
//   candor_build_info{version}                            always 1
//
// Label cardinality stays bounded whatever clients send: `route` is a route *pattern*
// ("/records/{organisation}/{id}") or "unmatched", never a raw path; methods outside the
// standard set are counted as "other". Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace candor::web {

inline constexpr std::string_view k_metrics_content_type =
    "text/plain; version=0.0.4; charset=utf-8";

// Upper bounds in seconds: fine-grained below 10 ms where page and API requests should land,
// coarse above for searches and submissions.
inline constexpr std::array<double, 14> k_latency_buckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

class Metrics {
 public:
  explicit Metrics(std::string version = "");

  void observe_request(std::string_view route, std::string_view method, int status,
                       std::chrono::nanoseconds duration);

  // Counts a request as in flight for the guard's lifetime.
  class InFlight {
   public:
    explicit InFlight(std::atomic<std::int64_t>& gauge) : gauge_(&gauge) { ++*gauge_; }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;
    ~InFlight() { --*gauge_; }

   private:
    std::atomic<std::int64_t>* gauge_;
  };
  InFlight track_in_flight() { return InFlight{in_flight_}; }
  std::int64_t in_flight() const { return in_flight_.load(); }

  // outcome: "accepted", "duplicate", "rejected"... (callers keep the set small).
  void count_submission(std::string_view outcome);

  // A gauge read at every scrape. `name` must be a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*;
  // std::invalid_argument otherwise). `read` must be thread-safe; when it returns nullopt or
  // throws, the gauge is left out of that scrape rather than failing it.
  void add_gauge(std::string name, std::string help, std::function<std::optional<double>()> read);

  std::string render() const;

 private:
  struct Histogram {
    std::array<std::uint64_t, k_latency_buckets.size()> buckets{};  // not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Gauge {
    std::string name;
    std::string help;
    std::function<std::optional<double>()> read;
  };

  std::string version_;
  std::atomic<std::int64_t> in_flight_{0};
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram, std::less<>> durations_;
  std::map<std::string, std::uint64_t, std::less<>> submissions_;
  std::vector<Gauge> gauges_;
};

// A label value escaped for the exposition format: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

}  // namespace candor::web
