// Who sent a request that came through a reverse proxy or load balancer.
//
// Behind a proxy every connection comes from the proxy's address, so rate limits per address and
// the audit log's addresses would all name the proxy. The proxy says who its client was in
// X-Forwarded-For ("client, proxy1, proxy2", each hop appending the address it saw), but any
// client can send that header too, so it is believed only from proxies the operator lists
// (candor serve --trusted-proxy), and only as far as the list goes: reading from the right, each
// entry written by a trusted proxy is taken, and the first address not on the list is the client.
// The same rule as nginx's real_ip_recursive and Express's "trust proxy" with a list.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace candor::web {

// The address `text` names in canonical form ("::ffff:1.2.3.4" and "1.2.3.4" stay distinct;
// "0:0::1" becomes "::1"), or nullopt if it is not an IPv4 or IPv6 address.
std::optional<std::string> canonical_ip(std::string_view text);

// The client's host: `peer_host` (the connection's address, without port) unless it is one of
// `trusted` (canonical addresses), then the rightmost X-Forwarded-For entry that is not trusted.
// A header that is missing, empty or holds anything but addresses leaves the answer at the last
// trusted hop, never at a client-chosen string.
std::string forwarded_client(std::string_view peer_host, std::string_view x_forwarded_for,
                             const std::vector<std::string>& trusted);

}  // namespace candor::web
