// Routing by method and path pattern.
//
// A pattern is "/" or a sequence of "/segment" parts, each one of:
//   literal      matches exactly that segment ("records")
//   {name}       matches one non-empty segment; the handler gets it percent-decoded
//   {name...}    last part only: matches one or more remaining segments; the handler gets them
//                RAW (still percent-encoded, slashes kept) so that it can vet them itself, as
//                static files must (static_files.h)
// e.g. "/records/{organisation}/{id}/versions/{n}", "/static/{path...}".
//
// Matching is segment by segment on the raw path, decoding each segment on its own, so an
// encoded slash (%2F) stays inside its segment. When several patterns match, the most specific
// wins: at the first segment where they differ, literal beats {name} beats {name...}. Two
// patterns that would always tie are refused when added.
//
// Outcomes: a match; 404 when no pattern matches the path; 405 (with the Allow list) when some
// pattern matches the path but not for this method; 400 when a segment has a malformed escape.
// HEAD is answered by the GET route unless a HEAD route exists (the App drops the body).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/web/http.h"

namespace candor::web {

using Handler = std::function<Response(const Request&)>;

struct RouteInfo {
  std::string method;
  std::string pattern;
  friend bool operator==(const RouteInfo&, const RouteInfo&) = default;
};

struct RouteMatch {
  int status = 404;                  // 200 when matched; else 400, 404 or 405
  const Handler* handler = nullptr;  // set when matched; owned by the router
  std::string pattern;               // the matched pattern (the metrics' route label)
  PathParams params;
  std::vector<std::string> allow;  // for 405: the methods the path accepts
};

class Router {
 public:
  // Throws std::invalid_argument for a malformed pattern or method, or one that would always tie
  // with a route already added for the same method.
  void add(std::string method, std::string pattern, Handler handler);

  RouteMatch match(std::string_view method, std::string_view raw_path) const;

  // Every route, in the order added (for the OpenAPI cross-check and documentation).
  std::vector<RouteInfo> routes() const;

 private:
  struct Segment {
    enum class Kind { literal = 0, param = 1, rest = 2 };  // lower is more specific
    Kind kind;
    std::string text;  // the literal, or the parameter's name
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace candor::web
