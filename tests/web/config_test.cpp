#include <catch2/catch.hpp>

#include "candor/web/config.h"

using namespace candor::web;

TEST_CASE("config: key = value files", "[config]") {
  const auto r = parse_serve_config(
      "# Candor\n\ndb = /var/lib/candor/register.db\nlisten=127.0.0.1:9090\r\nthreads = 4\n"
      "max-body-bytes = 2048\nread-timeout = 2.5\nstatic = /srv/static\n");
  REQUIRE(r.error.empty());
  CHECK(r.settings.db == "/var/lib/candor/register.db");
  CHECK(r.settings.listen == "127.0.0.1:9090");
  CHECK(r.settings.threads == 4);
  CHECK(r.settings.max_body_bytes == 2048u);
  CHECK(r.settings.read_timeout_seconds == 2.5);
  CHECK(r.settings.static_dir == "/srv/static");
  CHECK_FALSE(r.settings.key.has_value());
}

TEST_CASE("config: JSON files", "[config]") {
  const auto r = parse_serve_config(R"({"db": "r.db", "threads": 8, "keep-alive-timeout": 1})");
  REQUIRE(r.error.empty());
  CHECK(r.settings.db == "r.db");
  CHECK(r.settings.threads == 8);
  CHECK(r.settings.keep_alive_timeout_seconds == 1);
}

TEST_CASE("config: mistakes name the line", "[config]") {
  CHECK(parse_serve_config("db = x\nthread = 4\n").error == "line 2: unknown setting 'thread'");
  CHECK(parse_serve_config("threads = four\n").error == "line 1: threads must be a whole number");
  CHECK(parse_serve_config("just words\n").error == "line 1: expected key = value");
  CHECK(parse_serve_config("{\"threads\": [1]}").error ==
        "setting 'threads' must be a string, a number or true/false");
  CHECK(parse_serve_config("{oops").error == "not a JSON object");
}

TEST_CASE("config: flags win over the file", "[config]") {
  ServeSettings flags;
  flags.listen = "127.0.0.1:0";
  const auto file = parse_serve_config("listen = 0.0.0.0:80\ndb = file.db\n").settings;
  flags.merge(file);
  CHECK(flags.listen == "127.0.0.1:0");
  CHECK(flags.db == "file.db");
}

TEST_CASE("config: listen addresses and validation", "[config]") {
  CHECK(parse_listen_address("127.0.0.1:8080") == ListenAddress{"127.0.0.1", 8080});
  CHECK(parse_listen_address("[::1]:0") == ListenAddress{"::1", 0});
  CHECK(parse_listen_address("localhost:65535") == ListenAddress{"localhost", 65535});
  for (const char* bad :
       {"8080", ":8080", "127.0.0.1:", "127.0.0.1:65536", "::1:80", "[::1]80", "h:x"}) {
    INFO(bad);
    CHECK_FALSE(parse_listen_address(bad).has_value());
  }
  ServeSettings s;
  CHECK(validate(s).empty());
  s.threads = 0;
  CHECK_FALSE(validate(s).empty());
  s.threads = 4;
  s.read_timeout_seconds = -1;
  CHECK_FALSE(validate(s).empty());
  s.read_timeout_seconds = 5;
  s.listen = "nowhere";
  CHECK_FALSE(validate(s).empty());
}

TEST_CASE("config: write-limit, in submissions per minute", "[config]") {
  const auto r = parse_serve_config("write-limit = 600\n");
  REQUIRE(r.error.empty());
  CHECK(r.settings.write_limit_per_minute == 600);
  CHECK(validate(r.settings).empty());
  CHECK(parse_serve_config("write-limit = lots\n").error ==
        "line 1: write-limit must be a number of submissions per minute");
  ServeSettings s;
  for (double bad : {0.0, 0.5, -1.0, 1e7}) {
    s.write_limit_per_minute = bad;
    CHECK_FALSE(validate(s).empty());
  }
}

TEST_CASE("config: cache-mb, 0 turns the response cache off", "[config]") {
  const auto r = parse_serve_config("{\"cache-mb\": 0}");
  REQUIRE(r.error.empty());
  CHECK(r.settings.cache_mb == 0u);
  CHECK(validate(r.settings).empty());
  CHECK(parse_serve_config("cache-mb = 64\n").settings.cache_mb == 64u);
  CHECK(parse_serve_config("cache-mb = big\n").error ==
        "line 1: cache-mb must be a whole number of mebibytes");
  ServeSettings s;
  s.cache_mb = 100000;
  CHECK_FALSE(validate(s).empty());
}

TEST_CASE("config: read-only, never with the signing key", "[config]") {
  CHECK(parse_serve_config("{\"read-only\": true}").settings.read_only == true);
  CHECK(parse_serve_config("read-only = false\n").settings.read_only == false);
  CHECK(parse_serve_config("read-only = yes\n").error == "line 1: read-only must be true or false");
  ServeSettings s;
  s.read_only = true;
  CHECK(validate(s).empty());
  s.key = "register.skey";
  CHECK(validate(s) == "read-only nodes serve without the signing key: drop key (or read-only)");
  s.read_only = false;
  CHECK(validate(s).empty());
}

TEST_CASE("config: trusted-proxies, IP addresses only", "[config]") {
  const auto r = parse_serve_config("trusted-proxies = 10.0.0.2, ::1\n");
  REQUIRE(r.error.empty());
  REQUIRE(r.settings.trusted_proxies.has_value());
  CHECK(*r.settings.trusted_proxies == std::vector<std::string>{"10.0.0.2", "::1"});
  CHECK(validate(r.settings).empty());
  ServeSettings s;
  s.trusted_proxies = std::vector<std::string>{"proxy.internal"};
  CHECK_THAT(validate(s), Catch::Contains("'proxy.internal' is not an IP address"));
}
