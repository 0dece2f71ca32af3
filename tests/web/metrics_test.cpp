#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <sstream>

#include "candor/web/metrics.h"

using namespace candor::web;
using namespace std::chrono_literals;

namespace {

// The exposition format's sample line: name{labels} value
const std::regex k_sample(
    R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (\S+)$)");

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// value of the first sample line starting with `prefix`
std::optional<double> sample(const std::string& text, const std::string& prefix) {
  for (const auto& line : lines_of(text)) {
    if (line.rfind(prefix + " ", 0) == 0) return std::stod(line.substr(prefix.size() + 1));
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("metrics: every line is a comment or a well-formed sample", "[metrics]") {
  Metrics m("0.1.0");
  m.observe_request("/records/{organisation}/{id}", "GET", 200, 3ms);
  m.observe_request("unmatched", "BREW", 404, 100us);
  m.count_submission("accepted");
  m.add_gauge("candor_log_size", "Entries in the log.", [] { return std::optional<double>{42}; });
  const std::string text = m.render();
  REQUIRE(text.back() == '\n');
  std::map<std::string, std::string> types;
  for (const auto& line : lines_of(text)) {
    INFO(line);
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream in(line.substr(7));
      std::string name, type;
      in >> name >> type;
      CHECK(types.emplace(name, type).second);  // one TYPE per family
      continue;
    }
    if (line.rfind("# HELP ", 0) == 0) continue;
    CHECK(std::regex_match(line, k_sample));
  }
  CHECK(types["candor_http_requests_total"] == "counter");
  CHECK(types["candor_http_request_duration_seconds"] == "histogram");
  CHECK(types["candor_http_requests_in_flight"] == "gauge");
  CHECK(types["candor_submissions_total"] == "counter");
  CHECK(types["candor_log_size"] == "gauge");
  CHECK(sample(text, "candor_log_size") == 42);
  CHECK(sample(text, "candor_submissions_total{outcome=\"accepted\"}") == 1);
  CHECK(sample(text, "candor_build_info{version=\"0.1.0\"}") == 1);
  // Unknown methods are folded into "other": clients cannot grow the label set.
  CHECK(sample(text,
               "candor_http_requests_total{route=\"unmatched\",method=\"other\",status=\"404\"}") ==
        1);
}

TEST_CASE("metrics: the histogram is cumulative and ends at +Inf = count", "[metrics]") {
  Metrics m;
  const std::string route = "/about";
  m.observe_request(route, "GET", 200, 200us);  // first bucket
  m.observe_request(route, "GET", 200, 3ms);    // le=0.005
  m.observe_request(route, "GET", 200, 3ms);
  m.observe_request(route, "GET", 200, 20s);  // beyond the last bound: only +Inf
  const std::string text = m.render();
  const std::string b = "candor_http_request_duration_seconds_bucket{route=\"/about\",le=\"";
  CHECK(sample(text, b + "0.0005\"}") == 1);
  CHECK(sample(text, b + "0.0025\"}") == 1);
  CHECK(sample(text, b + "0.005\"}") == 3);
  CHECK(sample(text, b + "10\"}") == 3);
  CHECK(sample(text, b + "+Inf\"}") == 4);
  CHECK(sample(text, "candor_http_request_duration_seconds_count{route=\"/about\"}") == 4);
  CHECK(sample(text, "candor_http_request_duration_seconds_sum{route=\"/about\"}").value() ==
        Approx(20.0062));
  double previous = 0;
  for (const auto& line : lines_of(text)) {
    if (line.rfind(b, 0) != 0) continue;
    const double value = std::stod(line.substr(line.rfind(' ') + 1));
    CHECK(value >= previous);
    previous = value;
  }
}

TEST_CASE("metrics: label values are escaped", "[metrics]") {
  CHECK(escape_label_value("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
  Metrics m;
  m.count_submission("we\"ird\n");
  CHECK(m.render().find("candor_submissions_total{outcome=\"we\\\"ird\\n\"} 1\n") !=
        std::string::npos);
}

TEST_CASE("metrics: in-flight requests are tracked", "[metrics]") {
  Metrics m;
  {
    auto a = m.track_in_flight();
    auto b = m.track_in_flight();
    CHECK(m.in_flight() == 2);
    CHECK(sample(m.render(), "candor_http_requests_in_flight") == 2);
  }
  CHECK(m.in_flight() == 0);
}

TEST_CASE("metrics: a failing gauge is left out, not fatal", "[metrics]") {
  Metrics m;
  m.add_gauge("candor_broken", "Throws.",
              []() -> std::optional<double> { throw std::runtime_error("db"); });
  m.add_gauge("candor_absent", "No value.", [] { return std::optional<double>{}; });
  const std::string text = m.render();
  CHECK(text.find("candor_broken") == std::string::npos);
  CHECK(text.find("candor_absent") == std::string::npos);
  CHECK_THROWS_AS(m.add_gauge("bad name", "x", [] { return std::optional<double>{1}; }),
                  std::invalid_argument);
}
