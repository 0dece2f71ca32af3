// HTTP requests and responses as plain values: what every handler takes and returns.
//
// Handlers never see a socket. The server (server.h) turns a Poco request into a Request
// (headers, the whole body already read within the size limit) and writes the Response back;
// tests and fuzzers build Requests directly and call App::handle (app.h).
//
// A handler reports a failure the user can act on by throwing HttpError: the App turns it into
// the consistent error body (JSON under /api/, an HTML page elsewhere; see errors.h). Any other
// exception becomes a 500 whose details go to the log, never to the client.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace candor::web {

// Header fields in arrival order. Names compare case-insensitively (RFC 9110 §5.1).
class Headers {
 public:
  using Entry = std::pair<std::string, std::string>;

  void add(std::string name, std::string value);  // keeps existing fields of that name
  void set(std::string name, std::string value);  // replaces every field of that name
  void remove(std::string_view name);
  std::optional<std::string_view> get(std::string_view name) const;  // the first, if any
  bool has(std::string_view name) const { return get(name).has_value(); }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

bool equals_ignore_case(std::string_view a, std::string_view b);

// Path parameters captured by the router, in pattern order: {"organisation", "northshire"}.
using PathParams = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = "GET";
  // The request-target as received: an absolute path, percent-encoded, with an optional
  // "?query". Never decoded as a whole: decoding before splitting would let %2F act as '/'.
  std::string target = "/";
  Headers headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1:50412"; for logs and rate limits
  PathParams params;           // filled by the router before the handler runs

  std::string_view path() const;          // the target up to '?', still percent-encoded
  std::string_view query_string() const;  // after '?', or empty
  // The first value of a query parameter, decoded ('+' is a space); nullopt if absent.
  // A value with a malformed escape is treated as absent (it cannot have come from our forms).
  std::optional<std::string> query(std::string_view name) const;
  // A path parameter (decoded); empty if the route has none of that name.
  std::string param(std::string_view name) const;
  // True for paths the JSON API owns (/api/ and below): errors there are JSON, not HTML.
  bool is_api() const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  static Response html(std::string body, int status = 200);
  static Response json(const nlohmann::json& value, int status = 200);
  static Response text(std::string body, std::string_view content_type, int status = 200);
  // 303 See Other by default: the right answer to a form POST.
  static Response redirect(std::string_view location, int status = 303);
};

// Whether an If-None-Match header value ("*" or a comma-separated list of entity tags, possibly
// weak: W/"...") matches `etag` (a quoted strong tag), by weak comparison (RFC 9110 §13.1.2).
bool etag_matches(std::string_view if_none_match, std::string_view etag);

// The standard reason phrase ("Not Found"), or "Unknown".
std::string_view reason_phrase(int status);

// A failure to report to the client with `status`, a stable machine-readable `code`
// ("not_found", "search.query", ...) and a plain-English message safe to show to anyone.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string code, const std::string& message, Headers headers = {})
      : std::runtime_error(message),
        status_(status),
        code_(std::move(code)),
        headers_(std::move(headers)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const Headers& headers() const { return headers_; }  // extra fields, e.g. Allow on a 405

 private:
  int status_;
  std::string code_;
  Headers headers_;
};

// The default error code for a status: 400 "bad_request", 404 "not_found", 405
// "method_not_allowed", 408 "request_timeout", 413 "payload_too_large", 500 "internal_error"...
std::string_view error_code_for(int status);

}  // namespace candor::web
