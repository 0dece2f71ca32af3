#include "candor/web/forwarded.h"

#include <algorithm>

#include <Poco/Net/IPAddress.h>

namespace candor::web {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_trusted(const std::string& host, const std::vector<std::string>& trusted) {
  return std::find(trusted.begin(), trusted.end(), host) != trusted.end();
}

}  // namespace

std::optional<std::string> canonical_ip(std::string_view text) {
  // Poco trims blanks and accepts scoped addresses ("fe80::1%eth0"); neither is what a proxy
  // writes into X-Forwarded-For for a remote client.
  if (text.empty() || text.size() > 45 || text.find_first_of("% \t") != std::string_view::npos) {
    return std::nullopt;
  }
  Poco::Net::IPAddress address;
  if (!Poco::Net::IPAddress::tryParse(std::string{text}, address)) return std::nullopt;
  return address.toString();
}

std::string forwarded_client(std::string_view peer_host, std::string_view x_forwarded_for,
                             const std::vector<std::string>& trusted) {
  std::string client = canonical_ip(peer_host).value_or(std::string{peer_host});
  std::string_view rest = x_forwarded_for;
  while (is_trusted(client, trusted)) {
    if (trim(rest).empty()) break;
    const std::size_t comma = rest.rfind(',');
    const std::string_view entry =
        trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    const auto address = canonical_ip(entry);
    if (!address) break;  // not an address: stop at the last hop we can vouch for
    client = *address;
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
  }
  return client;
}

}  // namespace candor::web
