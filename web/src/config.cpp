#include "candor/web/config.h"

#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

#include "candor/web/forwarded.h"

namespace candor::web {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

template <typename T>
std::optional<T> parse_number(std::string_view text) {
  T value{};
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc{} || result.ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// Sets one setting from its text form; returns an error message or "".
std::string apply(ServeSettings& s, std::string_view key, std::string_view value) {
  if (key == "db")
    s.db = std::string{value};
  else if (key == "key")
    s.key = std::string{value};
  else if (key == "listen")
    s.listen = std::string{value};
  else if (key == "templates")
    s.templates = std::string{value};
  else if (key == "static")
    s.static_dir = std::string{value};
  else if (key == "threads") {
    auto n = parse_number<int>(value);
    if (!n) return "threads must be a whole number";
    s.threads = *n;
  } else if (key == "max-body-bytes") {
    auto n = parse_number<std::size_t>(value);
    if (!n) return "max-body-bytes must be a whole number of bytes";
    s.max_body_bytes = *n;
  } else if (key == "read-timeout" || key == "keep-alive-timeout") {
    auto n = parse_number<double>(value);
    if (!n) return std::string{key} + " must be a number of seconds";
    (key == "read-timeout" ? s.read_timeout_seconds : s.keep_alive_timeout_seconds) = *n;
  } else if (key == "cache-mb") {
    auto n = parse_number<std::size_t>(value);
    if (!n) return "cache-mb must be a whole number of mebibytes";
    s.cache_mb = *n;
  } else if (key == "write-limit") {
    auto n = parse_number<double>(value);
    if (!n) return "write-limit must be a number of submissions per minute";
    s.write_limit_per_minute = *n;
  } else if (key == "trusted-proxies") {
    std::vector<std::string> list;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view item = trim(rest.substr(0, comma));
      if (!item.empty()) list.emplace_back(item);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    s.trusted_proxies = std::move(list);
  } else if (key == "read-only") {
    if (value != "true" && value != "false") return "read-only must be true or false";
    s.read_only = value == "true";
  } else {
    return "unknown setting '" + std::string{key} + "'";
  }
  return {};
}

ConfigResult parse_json(std::string_view text) {
  ConfigResult result;
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    result.error = "not a JSON object";
    return result;
  }
  for (const auto& [key, value] : json.items()) {
    std::string as_text;
    if (value.is_string())
      as_text = value.get<std::string>();
    else if (value.is_number() || value.is_boolean())
      as_text = value.dump();
    else {
      result.error = "setting '" + key + "' must be a string, a number or true/false";
      return result;
    }
    if (auto error = apply(result.settings, key, as_text); !error.empty()) {
      result.error = error;
      return result;
    }
  }
  return result;
}

}  // namespace

std::optional<ListenAddress> parse_listen_address(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return std::nullopt;  // IPv6 needs brackets
  }
  const auto number = parse_number<unsigned>(port);
  if (host.empty() || !number || *number > 65535) return std::nullopt;
  return ListenAddress{std::string{host}, static_cast<std::uint16_t>(*number)};
}

void ServeSettings::merge(const ServeSettings& fallback) {
  auto fill = [](auto& mine, const auto& theirs) {
    if (!mine) mine = theirs;
  };
  fill(db, fallback.db);
  fill(key, fallback.key);
  fill(listen, fallback.listen);
  fill(threads, fallback.threads);
  fill(templates, fallback.templates);
  fill(static_dir, fallback.static_dir);
  fill(max_body_bytes, fallback.max_body_bytes);
  fill(read_timeout_seconds, fallback.read_timeout_seconds);
  fill(keep_alive_timeout_seconds, fallback.keep_alive_timeout_seconds);
  fill(write_limit_per_minute, fallback.write_limit_per_minute);
  fill(cache_mb, fallback.cache_mb);
  fill(read_only, fallback.read_only);
  fill(trusted_proxies, fallback.trusted_proxies);
}

ConfigResult parse_serve_config(std::string_view text) {
  if (trim(text).starts_with('{')) return parse_json(text);
  ConfigResult result;
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::size_t end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      result.error = "line " + std::to_string(line_no) + ": expected key = value";
      return result;
    }
    if (auto error = apply(result.settings, trim(line.substr(0, eq)), trim(line.substr(eq + 1)));
        !error.empty()) {
      result.error = "line " + std::to_string(line_no) + ": " + error;
      return result;
    }
  }
  return result;
}

std::string validate(const ServeSettings& s) {
  if (s.threads && (*s.threads < 1 || *s.threads > 1024))
    return "threads must be between 1 and 1024";
  if (s.listen && !parse_listen_address(*s.listen)) {
    return "listen must be HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080";
  }
  if (s.max_body_bytes && *s.max_body_bytes == 0) return "max-body-bytes must be at least 1";
  auto bad_seconds = [](const std::optional<double>& v) {
    return v && (!std::isfinite(*v) || *v <= 0 || *v > 3600);
  };
  if (bad_seconds(s.read_timeout_seconds)) return "read-timeout must be between 0 and 3600 seconds";
  if (bad_seconds(s.keep_alive_timeout_seconds)) {
    return "keep-alive-timeout must be between 0 and 3600 seconds";
  }
  if (s.cache_mb && *s.cache_mb > 65536) return "cache-mb must be at most 65536";
  for (const std::string& proxy : s.trusted_proxies.value_or(std::vector<std::string>{})) {
    if (!canonical_ip(proxy)) {
      return "trusted proxy '" + proxy +
             "' is not an IP address (give the proxy's address as "
             "it connects, e.g. 127.0.0.1 or 10.0.0.5; host names are not resolved)";
    }
  }
  if (s.read_only.value_or(false) && s.key) {
    return "read-only nodes serve without the signing key: drop key (or read-only)";
  }
  if (s.write_limit_per_minute &&
      (!std::isfinite(*s.write_limit_per_minute) || *s.write_limit_per_minute < 1 ||
       *s.write_limit_per_minute > 1e6)) {
    return "write-limit must be between 1 and 1000000 submissions per minute";
  }
  return {};
}

}  // namespace candor::web
