// forwarded.h: which X-Forwarded-For entry, if any, names the client.
#include <catch2/catch.hpp>

#include "candor/web/forwarded.h"

using candor::web::canonical_ip;
using candor::web::forwarded_client;

TEST_CASE("forwarded: canonical addresses", "[forwarded]") {
  CHECK(canonical_ip("127.0.0.1") == "127.0.0.1");
  CHECK(canonical_ip("0:0::1") == "::1");
  CHECK(canonical_ip("2001:DB8::1") == "2001:db8::1");
  CHECK_FALSE(canonical_ip(""));
  CHECK_FALSE(canonical_ip("proxy.internal"));
  CHECK_FALSE(canonical_ip("127.0.0.1:8080"));
  CHECK_FALSE(canonical_ip("[::1]"));
  CHECK_FALSE(canonical_ip("fe80::1%eth0"));
  CHECK_FALSE(canonical_ip("1.2.3.4 "));
}

TEST_CASE("forwarded: the header is believed only from trusted proxies, right to left",
          "[forwarded]") {
  const std::vector<std::string> none;
  const std::vector<std::string> proxy = {"10.0.0.2"};
  const std::vector<std::string> chain = {"10.0.0.2", "10.0.0.3"};
  // A direct client: its own address, whatever it claims.
  CHECK(forwarded_client("198.51.100.7", "203.0.113.1", none) == "198.51.100.7");
  CHECK(forwarded_client("198.51.100.7", "203.0.113.1", proxy) == "198.51.100.7");
  // Through the proxy: the address the proxy appended, not what the client put before it.
  CHECK(forwarded_client("10.0.0.2", "198.51.100.7", proxy) == "198.51.100.7");
  CHECK(forwarded_client("10.0.0.2", "1.1.1.1, 198.51.100.7", proxy) == "198.51.100.7");
  CHECK(forwarded_client("10.0.0.2", " 1.1.1.1 ,198.51.100.7 ", proxy) == "198.51.100.7");
  // Two proxies in a row: past both, and no further.
  CHECK(forwarded_client("10.0.0.2", "1.1.1.1, 198.51.100.7, 10.0.0.3", chain) == "198.51.100.7");
  CHECK(forwarded_client("10.0.0.2", "10.0.0.3", chain) == "10.0.0.3");
  // Missing, empty or garbled: the last hop that can be vouched for.
  CHECK(forwarded_client("10.0.0.2", "", proxy) == "10.0.0.2");
  CHECK(forwarded_client("10.0.0.2", " , ", proxy) == "10.0.0.2");
  CHECK(forwarded_client("10.0.0.2", "198.51.100.7, unknown", proxy) == "10.0.0.2");
  CHECK(forwarded_client("10.0.0.2", "<script>alert(1)</script>", proxy) == "10.0.0.2");
  // IPv6, in canonical form.
  CHECK(forwarded_client("::1", "2001:DB8::7", {"::1"}) == "2001:db8::7");
}
