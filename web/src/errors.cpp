#include "candor/web/errors.h"

#include <string>

#include "candor/web/html.h"

namespace candor::web {

namespace {

// The page heading for an HTML error: what a person needs to read first.
std::string heading_for(int status) {
  switch (status) {
    case 400:
      return "There is a problem with the request";
    case 404:
      return "Page not found";
    case 405:
      return "This page cannot do that";
    case 408:
      return "The request took too long";
    case 413:
      return "What you sent is too large";
    case 429:
      return "Too many requests";
    case 503:
      return "Sorry, the service is unavailable";
    default:
      return status >= 500 ? "Sorry, there is a problem with the service"
                           : "There is a problem with the request";
  }
}

}  // namespace

Response error_response(const Request& request, const HttpError& error,
                        const Templates& templates) {
  const int status = error.status();
  Response response;
  if (request.is_api()) {
    response = Response::json(
        {{"error", {{"status", status}, {"code", error.code()}, {"message", error.what()}}}},
        status);
  } else {
    const std::string heading = heading_for(status);
    const nlohmann::json view = {{"title", heading},           {"heading", heading},
                                 {"message", error.what()},    {"status", status},
                                 {"not_found", status == 404}, {"server_error", status >= 500}};
    try {
      response = Response::html(templates.render_page("error", view), status);
    } catch (const std::exception&) {
      // Last resort, so that an error page never turns into another error.
      response = Response::html(
          "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
              escape_html(heading) + "</title></head><body><h1>" + escape_html(heading) +
              "</h1><p>" + escape_html(error.what()) + "</p></body></html>\n",
          status);
    }
  }
  for (const auto& [name, value] : error.headers().entries()) response.headers.set(name, value);
  response.headers.set("Cache-Control", "no-store");
  return response;
}

}  // namespace candor::web
