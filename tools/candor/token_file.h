// Reading a bearer token from a file (`candor submit --token-file`, `candor token revoke`).
#pragma once

#include <optional>
#include <string>

namespace candor::cli {

// The token in `path`: the file's text without surrounding blanks and line endings. Nothing,
// with `error` set, when the file is missing, unreadable, larger than a token file can be, or
// empty. When others than the owner may read the file, `warning` (if given) says so: a token is a
// password. Error and warning never quote the file's contents.
std::optional<std::string> read_token_file(const std::string& path, std::string& error,
                                           std::string* warning = nullptr);

// The same checks for a value taken from an environment variable (`--token-env`).
std::optional<std::string> token_from_text(std::string text, const std::string& where,
                                           std::string& error);

}  // namespace candor::cli
