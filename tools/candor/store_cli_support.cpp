#include "store_cli_support.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>
#include <vector>

#include "candor/registry/open_store.h"

namespace candor::cli {

std::unique_ptr<registry::Store> open_register(const std::string& db, std::string_view command) {
  // Messages name the database without any password a PostgreSQL URL may carry.
  const std::string shown = registry::redact_database_url(db);
  try {
    registry::OpenStoreOptions options;
    options.create = false;
    auto store = registry::open_store(db, options);
    if (!store->log_settings()) {
      std::cerr << command << ": " << shown
                << " is not an initialised register; run candor register init first\n";
      return nullptr;
    }
    return store;
  } catch (const std::exception& e) {
    std::cerr << command << ": cannot open " << shown << ": " << e.what() << '\n';
    return nullptr;
  }
}

namespace {

bool write_all(int fd, std::string_view contents) {
  while (!contents.empty()) {
    const ssize_t n = ::write(fd, contents.data(), contents.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    contents.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

std::optional<std::string> read_text_file(const std::filesystem::path& path, std::size_t max_bytes,
                                          std::string& error) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    error = ec.message();
    return std::nullopt;
  }
  if (size > max_bytes) {
    error = "larger than " + std::to_string(max_bytes) + " bytes";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot be opened";
    return std::nullopt;
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool write_new_file(const std::filesystem::path& path, std::string_view contents, mode_t mode,
                    std::string& error) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    error = std::error_code(errno, std::generic_category()).message();
    return false;
  }
  const bool ok = ::fchmod(fd, mode) == 0 && write_all(fd, contents) && ::fsync(fd) == 0;
  if (!ok) error = std::error_code(errno, std::generic_category()).message();
  ::close(fd);
  return ok;
}

bool replace_file(const std::filesystem::path& path, std::string_view contents,
                  std::string& error) {
  std::filesystem::path temp = path;
  temp += ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = std::error_code(errno, std::generic_category()).message();
    return false;
  }
  const bool ok = write_all(fd, contents) && ::fsync(fd) == 0;
  if (!ok) error = std::error_code(errno, std::generic_category()).message();
  ::close(fd);
  if (ok && ::rename(temp.c_str(), path.c_str()) == 0) return true;
  if (ok) error = std::error_code(errno, std::generic_category()).message();
  ::unlink(temp.c_str());
  return false;
}

std::string cli_actor() {
  passwd entry{};
  passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
      found->pw_name && *found->pw_name) {
    return std::string("cli:") + found->pw_name;
  }
  return "cli:uid-" + std::to_string(::geteuid());
}

std::string first_line(std::string_view text) {
  const std::size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.remove_suffix(1);
  }
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  return std::string(line);
}

}  // namespace candor::cli
