// The HTTP server: Poco::Net::HTTPServer carrying requests to an App.
//
// For each request the server reads the headers and the whole body, then calls App::handle;
// it enforces the transport limits itself:
//   - a body larger than max_body_bytes: 413 without reading it (Content-Length says so), or as
//     soon as a chunked body passes the limit; the connection is then closed;
//   - a body that stops arriving for read_timeout: 408, connection closed. (A client that stalls
//     while still sending its headers is disconnected by Poco after the same timeout.)
//   - malformed requests (request line, headers over Poco's limits): 400 from Poco.
// Every request is logged as one JSON line (access_log.h) and counted as in flight while it
// runs. No Server header is sent.
//
// Shutdown: stop() closes the listening socket, lets requests already in progress finish and
// write their responses, closes idle keep-alive connections, and returns when all are done.
// `candor serve` calls it on SIGTERM or SIGINT (see wait_for_termination_signal).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "candor/web/access_log.h"
#include "candor/web/app.h"
#include "candor/web/config.h"

namespace candor::web {

struct ServerOptions {
  ListenAddress listen{"127.0.0.1", 8080};
  int threads = 16;  // requests handled at once; more connections wait in the queue
  std::size_t max_body_bytes = std::size_t{1024} * 1024;
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds keep_alive_timeout{5'000};
  // Reverse proxies whose X-Forwarded-For is believed (forwarded.h), as canonical addresses:
  // requests through them get the client's address as Request::remote_address.
  std::vector<std::string> trusted_proxies;
};

class Server {
 public:
  Server(App& app, EventLog& log, ServerOptions options);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();  // stop()s if still running

  // Binds and starts accepting. Throws std::runtime_error if the address cannot be bound.
  void start();
  // The bound port (the real one when the options asked for port 0). Valid after start().
  std::uint16_t port() const;
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Blocks SIGTERM and SIGINT in the calling thread and ignores SIGPIPE (a client that hangs up
// must not kill the server). Call it first thing in main's thread, before any other thread
// starts, so that every thread inherits the mask and wait_for_termination_signal() alone
// receives those signals.
void block_termination_signals();

// Waits for SIGTERM or SIGINT (blocked by block_termination_signals) and returns which.
int wait_for_termination_signal();

}  // namespace candor::web
