#include "candor/web/router.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "candor/web/url.h"

namespace candor::web {

namespace {

// "/a/b/" → {"a", "b", ""}; "/" → {}. The path must start with '/'.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path == "/") return parts;
  path.remove_prefix(1);
  while (true) {
    const std::size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

bool valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool valid_method(std::string_view method) {
  return !method.empty() &&
         std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  if (!valid_method(method))
    throw std::invalid_argument("route method must be upper case: " + method);
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  if (!handler) throw std::invalid_argument("route without a handler: " + pattern);
  std::vector<Segment> segments;
  const auto parts = split_path(pattern);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string_view part = parts[i];
    if (part.empty()) throw std::invalid_argument("empty segment in route pattern: " + pattern);
    if (part.front() == '{') {
      if (part.back() != '}')
        throw std::invalid_argument("unclosed '{' in route pattern: " + pattern);
      std::string_view name = part.substr(1, part.size() - 2);
      Segment::Kind kind = Segment::Kind::param;
      if (name.ends_with("...")) {
        if (i + 1 != parts.size()) {
          throw std::invalid_argument("{name...} must be the last segment: " + pattern);
        }
        name.remove_suffix(3);
        kind = Segment::Kind::rest;
      }
      if (!valid_name(name)) throw std::invalid_argument("bad parameter name in route: " + pattern);
      segments.push_back({kind, std::string{name}});
    } else {
      if (part.find_first_of("{}%") != std::string_view::npos) {
        throw std::invalid_argument("literal segments may not hold '{', '}' or '%': " + pattern);
      }
      segments.push_back({Segment::Kind::literal, std::string{part}});
    }
  }
  for (const Route& existing : routes_) {
    if (existing.method != method || existing.segments.size() != segments.size()) continue;
    const bool ties = std::equal(segments.begin(), segments.end(), existing.segments.begin(),
                                 [](const Segment& a, const Segment& b) {
                                   return a.kind == b.kind &&
                                          (a.kind != Segment::Kind::literal || a.text == b.text);
                                 });
    if (ties) {
      throw std::invalid_argument("route " + method + " " + pattern + " ties with " +
                                  existing.pattern);
    }
  }
  routes_.push_back(
      {std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

RouteMatch Router::match(std::string_view method, std::string_view raw_path) const {
  RouteMatch result;
  if (raw_path.empty() || raw_path.front() != '/') {
    result.status = 400;
    return result;
  }
  const auto raw_parts = split_path(raw_path);
  std::vector<std::optional<std::string>> decoded;  // decoded lazily, once per segment
  decoded.resize(raw_parts.size());
  auto decode = [&](std::size_t i) -> const std::optional<std::string>& {
    if (!decoded[i]) decoded[i] = percent_decode(raw_parts[i]);
    return decoded[i];
  };
  // Byte offsets of each raw segment, for {name...}.
  auto offset_of = [&](std::size_t i) {
    return static_cast<std::size_t>(raw_parts[i].data() - raw_path.data());
  };

  bool malformed = false;
  const Route* best = nullptr;
  std::vector<Segment::Kind> best_kinds;
  PathParams best_params;
  std::vector<std::string> allow;

  for (const Route& route : routes_) {
    std::vector<Segment::Kind> kinds;
    PathParams params;
    bool ok = true;
    std::size_t i = 0;
    for (const Segment& segment : route.segments) {
      if (segment.kind == Segment::Kind::rest) {
        if (i >= raw_parts.size()) {
          ok = false;
          break;
        }
        params.emplace_back(segment.text, std::string{raw_path.substr(offset_of(i))});
        kinds.push_back(segment.kind);
        i = raw_parts.size();
        break;
      }
      if (i >= raw_parts.size() || raw_parts[i].empty()) {
        ok = false;
        break;
      }
      const auto& value = decode(i);
      if (!value) {
        malformed = true;
        ok = false;
        break;
      }
      if (segment.kind == Segment::Kind::literal) {
        if (*value != segment.text) {
          ok = false;
          break;
        }
      } else {
        params.emplace_back(segment.text, *value);
      }
      kinds.push_back(segment.kind);
      ++i;
    }
    if (!ok || i != raw_parts.size()) continue;

    const bool method_ok = route.method == method || (method == "HEAD" && route.method == "GET");
    if (!method_ok) {
      if (std::find(allow.begin(), allow.end(), route.method) == allow.end()) {
        allow.push_back(route.method);
      }
      continue;
    }
    // An explicit HEAD route beats GET-for-HEAD of the same specificity.
    const bool better = !best || kinds < best_kinds ||
                        (kinds == best_kinds && route.method == method && best->method != method);
    if (better) {
      best = &route;
      best_kinds = std::move(kinds);
      best_params = std::move(params);
    }
  }

  if (best) {
    result.status = 200;
    result.handler = &best->handler;
    result.pattern = best->pattern;
    result.params = std::move(best_params);
    return result;
  }
  if (!allow.empty()) {
    if (std::find(allow.begin(), allow.end(), "GET") != allow.end() &&
        std::find(allow.begin(), allow.end(), "HEAD") == allow.end()) {
      allow.push_back("HEAD");
    }
    result.status = 405;
    result.allow = std::move(allow);
    return result;
  }
  result.status = malformed ? 400 : 404;
  return result;
}

std::vector<RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const Route& route : routes_) out.push_back({route.method, route.pattern});
  return out;
}

}  // namespace candor::web
