#include "http_client.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cctype>
#include <stdexcept>
#include <string>

namespace candor::test {

std::string Reply::cookie(const std::string& name) const {
  for (const std::string& c : set_cookies) {
    if (c.rfind(name + "=", 0) == 0) return c.substr(0, c.find(';'));
  }
  return "";
}

Reply http(std::uint16_t port, const std::string& method, const std::string& target,
           const std::map<std::string, std::string>& headers, const std::string& body) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [k, v] : headers) request.set(k, v);
  if (!body.empty() || method == "POST") {
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply reply;
  reply.status = response.getStatus();
  for (const auto& [k, v] : response) {
    std::string lower = k;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[lower] = v;
    if (lower == "set-cookie") reply.set_cookies.push_back(v);
  }
  if (method != "HEAD") Poco::StreamCopier::copyToString(in, reply.body);
  // A server killed mid-response leaves a short body that Poco reads as complete: say so, so
  // that no test takes half an answer (a 201 without its receipt) for a whole one.
  const bool may_have_body = reply.status >= 200 && reply.status != 204 && reply.status != 304;
  if (method != "HEAD" && may_have_body && response.hasContentLength() &&
      static_cast<Poco::Int64>(reply.body.size()) < response.getContentLength64()) {
    throw std::runtime_error("the connection closed after " + std::to_string(reply.body.size()) +
                             " of " + std::to_string(response.getContentLength64()) +
                             " bytes of the body");
  }
  return reply;
}

}  // namespace candor::test
