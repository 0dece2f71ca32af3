#include "token_file.h"

#include <sys/stat.h>

#include "store_cli_support.h"

namespace candor::cli {

namespace {

constexpr std::size_t k_max_token_file_bytes = 4096;

std::string trimmed(const std::string& text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t begin = 0, end = text.size();
  while (begin < end && blank(text[begin])) ++begin;
  while (end > begin && blank(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

}  // namespace

std::optional<std::string> token_from_text(std::string text, const std::string& where,
                                           std::string& error) {
  std::string token = trimmed(text);
  if (token.empty()) {
    error = where + " holds no token";
    return std::nullopt;
  }
  if (token.find_first_of(" \t\r\n") != std::string::npos) {
    error = where + " must hold only the token, on one line";
    return std::nullopt;
  }
  return token;
}

std::optional<std::string> read_token_file(const std::string& path, std::string& error,
                                           std::string* warning) {
  std::string read_error;
  auto text = read_text_file(path, k_max_token_file_bytes, read_error);
  if (!text) {
    error = "cannot read the token file " + path + ": " + read_error;
    return std::nullopt;
  }
  struct stat st {};
  if (warning != nullptr && ::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    *warning = "the token file " + path +
               " can be read by other users; restrict it with chmod 600 " + path;
  }
  return token_from_text(std::move(*text), "the token file " + path, error);
}

}  // namespace candor::cli
