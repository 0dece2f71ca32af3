// A `candor serve` child process for the integration tests: started on a free loopback port
// (--listen 127.0.0.1:0; the port is read from its "listening" log line), its standard error
// collected on a thread (so the pipe never fills), stopped with a signal.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace candor::test {

class ServerProcess {
 public:
  // Starts CANDOR_BIN serve --listen 127.0.0.1:0 ARGS... and waits (up to 60 s: sanitizer
  // builds start slowly) for it to listen. Throws std::runtime_error if it exits or never does;
  // the message carries its standard error.
  explicit ServerProcess(const std::vector<std::string>& args);
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess();  // SIGKILLs the child if it is still running

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }

  // Sends `signal` and waits up to `timeout` for the exit. Returns the exit status, 128+N if a
  // signal killed it, or -1 on timeout (the child is then killed).
  int stop(int signal, std::chrono::seconds timeout = std::chrono::seconds(30));

  // Everything written to standard error so far, and its lines.
  std::string log() const;
  std::vector<std::string> log_lines() const;

 private:
  void drain(int fd);

  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::string log_;
  bool exited_ = false;
};

// Runs CANDOR_BIN serve with ARGS to completion (for refusals at start) and returns the exit code;
// `err` receives its standard error.
int run_serve_expecting_exit(const std::vector<std::string>& args, std::string& err);

}  // namespace candor::test
