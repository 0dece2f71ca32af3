// A child process whose standard output the test reads while it runs, and which the test can
// kill at any moment: what the crash test needs and tests/cli/process.h (run to completion)
// does not offer.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace candor::registry::test {

class ChildProcess {
 public:
  // fork + execv of argv[0] (a path); stdin from /dev/null, stdout to a pipe, stderr inherited.
  explicit ChildProcess(const std::vector<std::string>& argv);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();  // kills and reaps the child if the test did not

  // Appends what the child wrote, waiting at most `timeout`; false once the pipe is closed.
  bool read_some(std::string& out, std::chrono::milliseconds timeout);
  // SIGKILL, reap, then drain what the child wrote before it died. Returns the wait status.
  int kill_and_drain(std::string& out);

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
};

}  // namespace candor::registry::test
