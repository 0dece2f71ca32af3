#include "candor/web/server.h"

#include <csignal>
#include <istream>
#include <stdexcept>
#include <string>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>
#include <pthread.h>

#include "candor/web/forwarded.h"

namespace candor::web {

namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

Poco::Timespan to_timespan(std::chrono::milliseconds ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

// Fields the transport writes itself; a Response must not duplicate them.
bool transport_field(std::string_view name) {
  return equals_ignore_case(name, "Content-Length") || equals_ignore_case(name, "Connection") ||
         equals_ignore_case(name, "Transfer-Encoding");
}

bool bodiless_status(int status) {
  return status == 204 || status == 304 || status / 100 == 1;
}

class RequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  RequestHandler(App& app, EventLog& log, const ServerOptions& options)
      : app_(app), log_(log), options_(options) {}

  void handleRequest(HTTPServerRequest& in, HTTPServerResponse& out) override {
    const auto in_flight = app_.metrics().track_in_flight();
    const auto wall_start = std::chrono::system_clock::now();
    const auto started = std::chrono::steady_clock::now();

    Request request;
    request.method = in.getMethod();
    request.target = in.getURI();
    for (const auto& [name, value] : in) request.headers.add(name, value);
    request.remote_address = in.clientAddress().toString();
    if (!options_.trusted_proxies.empty()) {
      const std::string peer = in.clientAddress().host().toString();
      std::string forwarded_for;  // every X-Forwarded-For field, in order, as one list
      for (const auto& [name, value] : request.headers.entries()) {
        if (!equals_ignore_case(name, "X-Forwarded-For")) continue;
        forwarded_for += forwarded_for.empty() ? value : "," + value;
      }
      std::string client = forwarded_client(peer, forwarded_for, options_.trusted_proxies);
      if (client != peer)
        request.remote_address = std::move(client);  // the client's port is unknown
    }

    bool close = false;
    Response response;
    std::string route;
    if (auto error = read_body(in, request.body)) {
      close = true;  // the rest of the body is unread: the connection cannot be reused
      response = app_.reject(request, *error, started, &route);
    } else {
      response = app_.handle(request, &route);
    }

    std::size_t bytes = 0;
    try {
      bytes = write(out, request, response, close);
    } catch (const Poco::Exception&) {
      // The client went away mid-response: nothing to answer, the log line says what we had.
    }
    std::string path{request.path()};
    log_.request({wall_start, request.method, std::move(path), std::move(route), response.status,
                  bytes, std::chrono::steady_clock::now() - started, request.remote_address});
  }

 private:
  // Reads the whole body into `body`, or returns the error to answer with.
  std::optional<HttpError> read_body(HTTPServerRequest& in, std::string& body) const {
    if (auto error = ambiguous_framing(in)) return error;
    const Poco::Int64 declared = in.getContentLength64();
    const auto limit = static_cast<Poco::Int64>(options_.max_body_bytes);
    if (declared > limit) return too_large();
    if (declared == 0 || (declared < 0 && !in.getChunkedTransferEncoding())) return std::nullopt;
    std::istream& stream = in.stream();
    // Rethrow the stream's underlying exception (a timeout) instead of only setting badbit.
    stream.exceptions(std::ios::badbit);
    try {
      char chunk[16 * 1024];
      while (stream.read(chunk, sizeof chunk) || stream.gcount() > 0) {
        body.append(chunk, static_cast<std::size_t>(stream.gcount()));
        if (body.size() > options_.max_body_bytes) return too_large();
      }
    } catch (const Poco::TimeoutException&) {
      return HttpError(408, "request_timeout", "The request body did not arrive in time.");
    } catch (const Poco::Exception&) {
      return HttpError(400, "bad_request", "The request body could not be read.");
    } catch (const std::ios::failure&) {
      return HttpError(400, "bad_request", "The request body could not be read.");
    }
    return std::nullopt;
  }

  // A body whose length two parsers could read differently is refused (RFC 9112 §6.1, §6.3):
  // Poco takes the first of several Content-Length fields, reads a negative one as "no body",
  // prefers chunked over a Content-Length, and reads until the connection closes for a transfer
  // coding it does not know. Each would leave bytes a proxy in front counted as body to be read
  // here as the next request (request smuggling), so they get a 400 and the connection closes.
  static std::optional<HttpError> ambiguous_framing(const HTTPServerRequest& in) {
    std::optional<std::string> length;
    bool transfer_coding = false;
    for (const auto& [name, value] : in) {
      if (equals_ignore_case(name, "Transfer-Encoding")) {
        if (transfer_coding || !equals_ignore_case(trimmed(value), "chunked")) {
          return HttpError(400, "bad_request", "Only the chunked transfer coding is accepted.");
        }
        transfer_coding = true;
      } else if (equals_ignore_case(name, "Content-Length")) {
        const std::string_view v = trimmed(value);
        const bool digits =
            !v.empty() && v.find_first_not_of("0123456789") == std::string_view::npos;
        if (!digits || (length && *length != v)) {
          return HttpError(400, "bad_request", "The Content-Length field is not a single number.");
        }
        length = std::string{v};
      }
    }
    if (transfer_coding && length) {
      return HttpError(400, "bad_request",
                       "Send either Content-Length or Transfer-Encoding: chunked, not both.");
    }
    return std::nullopt;
  }

  static std::string_view trimmed(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  }

  HttpError too_large() const {
    return HttpError(
        413, "payload_too_large",
        "The request body is larger than " + std::to_string(options_.max_body_bytes) + " bytes.");
  }

  // Writes the response; returns the body bytes sent.
  static std::size_t write(HTTPServerResponse& out, const Request& request,
                           const Response& response, bool close) {
    const auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status);
    out.setStatusAndReason(status, std::string{reason_phrase(response.status)});
    for (const auto& [name, value] : response.headers.entries()) {
      if (!transport_field(name)) out.add(name, value);
    }
    if (close) out.setKeepAlive(false);
    if (request.method == "HEAD" || bodiless_status(response.status)) {
      // Only a Content-Length the handler knows to be right (RFC 9110 §8.6); without one a
      // 304 is sent with none and the connection closed, which is always correct.
      if (auto length = response.headers.get("Content-Length")) {
        out.setContentLength64(std::stoll(std::string{*length}));
      } else if (response.status == 204 || request.method == "HEAD") {
        out.setContentLength(0);
      } else {
        out.setKeepAlive(false);
      }
      out.send();
      return 0;
    }
    out.sendBuffer(response.body.data(), response.body.size());
    return response.body.size();
  }

  App& app_;
  EventLog& log_;
  const ServerOptions& options_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  HandlerFactory(App& app, EventLog& log, const ServerOptions& options)
      : app_(app), log_(log), options_(options) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new RequestHandler(app_, log_, options_);
  }

 private:
  App& app_;
  EventLog& log_;
  const ServerOptions& options_;
};

}  // namespace

struct Server::Impl {
  App& app;
  EventLog& log;
  ServerOptions options;
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::uint16_t port = 0;
};

Server::Server(App& app, EventLog& log, ServerOptions options)
    : impl_(std::make_unique<Impl>(Impl{app, log, std::move(options), nullptr, nullptr, 0})) {}

Server::~Server() {
  stop();
}

void Server::start() {
  if (impl_->server) return;
  const ServerOptions& o = impl_->options;
  Poco::Net::ServerSocket socket;
  try {
    socket.bind(Poco::Net::SocketAddress(o.listen.host, o.listen.port), /*reuseAddress=*/true);
    socket.listen(128);
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on " + o.listen.host + ":" +
                             std::to_string(o.listen.port) + ": " + e.displayText());
  }
  impl_->port = socket.address().port();

  auto params = new Poco::Net::HTTPServerParams;  // reference-counted by Poco
  params->setMaxThreads(o.threads);
  params->setMaxQueued(o.threads * 8);
  params->setTimeout(to_timespan(o.read_timeout));
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(to_timespan(o.keep_alive_timeout));
  params->setSoftwareVersion("");  // no Server header: nothing to fingerprint

  impl_->pool = std::make_unique<Poco::ThreadPool>("candor-http", 1, o.threads);
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(
      new HandlerFactory(impl_->app, impl_->log, impl_->options), *impl_->pool, socket, params);
  impl_->server->start();
}

std::uint16_t Server::port() const {
  return impl_->port;
}

void Server::stop() {
  if (!impl_->server) return;
  // Not aborting: each connection is shut down once its current request is answered, and idle
  // keep-alive connections at once (Poco's HTTPServerConnection::onServerStopped).
  impl_->server->stopAll(false);
  impl_->pool->joinAll();
  impl_->server.reset();
  impl_->pool.reset();
}

void block_termination_signals() {
  std::signal(SIGPIPE, SIG_IGN);
  // Past a file-size limit (ulimit -f, RLIMIT_FSIZE), a write fails with EFBIG: the submission is
  // refused and the register stays as it was. The default action would kill the server instead.
  std::signal(SIGXFSZ, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int wait_for_termination_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal = 0;
  while (sigwait(&set, &signal) != 0) {
  }
  return signal;
}

}  // namespace candor::web
