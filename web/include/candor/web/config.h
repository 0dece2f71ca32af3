// `candor serve` settings: from flags, from a config file, or both (flags win).
//
// The config file is either a JSON object or "key = value" lines ('#' starts a comment line).
// Its keys mirror the flags without the leading dashes:
//   db, key, listen, threads, templates, static, max-body-bytes, read-timeout (seconds),
//   keep-alive-timeout (seconds), write-limit (submissions per minute, per token and per client
//   address), cache-mb (memory for rendered public responses; 0 turns the cache off),
//   read-only (true: open the database for reading only; never with key), trusted-proxies
//   (addresses of reverse proxies whose X-Forwarded-For names the client, comma-separated)
// An unknown key, a malformed line or a bad value is an error naming the line, so a typo never
// silently leaves a setting at its default.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace candor::web {

struct ListenAddress {
  std::string host;        // "127.0.0.1", "::1", "0.0.0.0"
  std::uint16_t port = 0;  // 0: any free port (the server reports the one it got)
  friend bool operator==(const ListenAddress&, const ListenAddress&) = default;
};

// "127.0.0.1:8080", "[::1]:8080", "localhost:0". nullopt if malformed.
std::optional<ListenAddress> parse_listen_address(std::string_view text);

// Every setting optional: what a file or the flags said. merge() fills the gaps.
struct ServeSettings {
  std::optional<std::string> db;
  std::optional<std::string> key;
  std::optional<std::string> listen;
  std::optional<int> threads;
  std::optional<std::string> templates;
  std::optional<std::string> static_dir;
  std::optional<std::size_t> max_body_bytes;
  std::optional<double> read_timeout_seconds;
  std::optional<double> keep_alive_timeout_seconds;
  std::optional<double> write_limit_per_minute;
  std::optional<std::size_t> cache_mb;
  std::optional<bool> read_only;
  // Reverse proxies whose X-Forwarded-For is believed (forwarded.h); addresses as given.
  std::optional<std::vector<std::string>> trusted_proxies;

  // Fills each setting this one lacks from `fallback` (flags.merge(file)).
  void merge(const ServeSettings& fallback);
};

struct ConfigResult {
  ServeSettings settings;
  std::string error;  // empty on success; else "line 3: unknown setting 'thread'"
};

ConfigResult parse_serve_config(std::string_view text);

// Checks the values that make sense whatever their source (threads 1..1024, positive limits).
// Empty when fine, else a message for the operator.
std::string validate(const ServeSettings& settings);

}  // namespace candor::web
