// Small file and identity helpers shared by the register commands (keygen, register, verify).
#pragma once

#include <sys/types.h>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "candor/registry/store.h"

namespace candor::cli {

// The whole file, or nothing with `error` set (missing, unreadable, larger than max_bytes).
std::optional<std::string> read_text_file(const std::filesystem::path& path, std::size_t max_bytes,
                                          std::string& error);

// Creates `path` with `mode` and writes `contents`; refuses (false, `error`) if it exists. The
// mode is set at creation (O_EXCL), so a secret is never readable by others, not even briefly.
bool write_new_file(const std::filesystem::path& path, std::string_view contents, mode_t mode,
                    std::string& error);

// Replaces `path` atomically (write a temporary file beside it, fsync, rename).
bool replace_file(const std::filesystem::path& path, std::string_view contents, std::string& error);

// Opens an existing, initialised register from its database URL (open_store.h: a file path,
// sqlite:FILE or postgresql://...); on failure prints "<command>: ..." with what to do (run
// candor register init) to standard error and returns null.
std::unique_ptr<registry::Store> open_register(const std::string& db, std::string_view command);

// Who runs this command, for version rows and the audit log: "cli:<login name>".
std::string cli_actor();

// The first line of a key file, without its line ending and surrounding blanks.
std::string first_line(std::string_view text);

}  // namespace candor::cli
