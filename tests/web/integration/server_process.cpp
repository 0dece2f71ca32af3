#include "server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <sstream>
#include <stdexcept>

#include "process.h"

namespace candor::test {

ServerProcess::ServerProcess(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {CANDOR_BIN, "serve", "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), args.begin(), args.end());
  // Everything the child needs is built before fork: allocating after it, while another thread
  // of this process holds the allocator's lock, could deadlock the child.
  std::vector<char*> c_argv;
  c_argv.reserve(argv.size() + 1);
  for (auto& a : argv) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  int err_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // A test binary that aborts (a failed REQUIRE in a helper thread, a sanitizer report) must
    // not leave servers behind holding ports and files: the server dies with the thread that
    // started it (servers are started from the test's main thread). The parent may have died
    // before the request took effect.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    const int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, 0);
    dup2(null_fd, 1);
    dup2(err_pipe[1], 2);
    // The test runner may have signals blocked or ignored; the server must start clean.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);  // NOLINT(concurrency-mt-unsafe): one thread here
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    execv(c_argv[0], c_argv.data());
    _exit(127);
  }
  close(err_pipe[1]);
  reader_ = std::thread([this, fd = err_pipe[0]] { drain(fd); });

  const std::regex listening(R"re("event":"listening".*"port":([0-9]+))re");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      const std::lock_guard lock(mutex_);
      std::smatch m;
      if (std::regex_search(log_, m, listening)) {
        port_ = static_cast<std::uint16_t>(std::stoi(m[1].str()));
        return;
      }
      if (exited_) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::string err = log();
  stop(SIGKILL, std::chrono::seconds(5));
  throw std::runtime_error("candor serve did not start listening: " + err);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop(SIGKILL, std::chrono::seconds(10));
  if (reader_.joinable()) reader_.join();
}

void ServerProcess::drain(int fd) {
  char buffer[4096];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      const std::lock_guard lock(mutex_);
      log_.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;  // EOF: the child closed stderr (exited)
  }
  close(fd);
  const std::lock_guard lock(mutex_);
  exited_ = true;
}

int ServerProcess::stop(int signal, std::chrono::seconds timeout) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      pid_ = -1;
      if (reader_.joinable()) reader_.join();
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
  if (reader_.joinable()) reader_.join();  // the rest of its log
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

std::string ServerProcess::log() const {
  const std::lock_guard lock(mutex_);
  return log_;
}

std::vector<std::string> ServerProcess::log_lines() const {
  std::vector<std::string> lines;
  std::istringstream in(log());
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

int run_serve_expecting_exit(const std::vector<std::string>& args, std::string& err) {
  std::vector<std::string> argv = {CANDOR_BIN, "serve", "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), args.begin(), args.end());
  const ProcessResult result = run_process(argv);
  err = result.err;
  return result.exit_code;
}

}  // namespace candor::test
