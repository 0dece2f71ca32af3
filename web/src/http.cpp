#include "candor/web/http.h"

#include <algorithm>

#include "candor/web/url.h"

namespace candor::web {

bool equals_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) {
             return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
           };
           return lower(x) == lower(y);
         });
}

void Headers::add(std::string name, std::string value) {
  entries_.emplace_back(std::move(name), std::move(value));
}

void Headers::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(entries_, [name](const Entry& e) { return equals_ignore_case(e.first, name); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [key, value] : entries_) {
    if (equals_ignore_case(key, name)) return std::string_view{value};
  }
  return std::nullopt;
}

std::string_view Request::path() const {
  const std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string_view Request::query_string() const {
  const std::string_view t = target;
  const std::size_t q = t.find('?');
  return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
}

std::optional<std::string> Request::query(std::string_view name) const {
  for (auto& [key, value] : parse_query(query_string())) {
    if (key == name) return std::move(value);
  }
  return std::nullopt;
}

std::string Request::param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

bool Request::is_api() const {
  const std::string_view p = path();
  return p == "/api" || p.starts_with("/api/");
}

Response Response::html(std::string body, int status) {
  return text(std::move(body), "text/html; charset=utf-8", status);
}

Response Response::json(const nlohmann::json& value, int status) {
  // Invalid UTF-8 from stored data must not abort a response: replace it (U+FFFD).
  return text(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
              "application/json", status);
}

Response Response::text(std::string body, std::string_view content_type, int status) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", std::string{content_type});
  response.body = std::move(body);
  return response;
}

Response Response::redirect(std::string_view location, int status) {
  Response response;
  response.status = status;
  response.headers.set("Location", std::string{location});
  return response;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

std::string_view error_code_for(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 406:
      return "not_acceptable";
    case 408:
      return "request_timeout";
    case 409:
      return "conflict";
    case 411:
      return "length_required";
    case 413:
      return "payload_too_large";
    case 414:
      return "uri_too_long";
    case 415:
      return "unsupported_media_type";
    case 422:
      return "unprocessable";
    case 429:
      return "too_many_requests";
    case 501:
      return "not_implemented";
    case 503:
      return "unavailable";
    default:
      return status >= 500 ? "internal_error" : "error";
  }
}

bool etag_matches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    header.remove_prefix(comma == std::string_view::npos ? header.size() : comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);  // weak comparison (RFC 9110 §13.1.2)
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

}  // namespace candor::web
