#include "candor/registry/checkpoint.h"

#include <stdexcept>
#include <utility>

#include "decimal.h"

namespace candor::registry {

namespace {

Result<Checkpoint> failure(std::string message, std::uint32_t line) {
  Problem p;
  p.position = Position{line, line == 0 ? 0u : 1u};
  p.code = "checkpoint.malformed";
  p.message = std::move(message);
  return Result<Checkpoint>(Problems{std::move(p)});
}


}  // namespace

Result<Checkpoint> parse_checkpoint(std::string_view text) {
  if (Problems p = note_text_problems(text); !p.empty()) {
    for (Problem& problem : p) problem.code = "checkpoint.malformed";
    return Result<Checkpoint>(std::move(p));
  }
  // Split into lines; the final "\n" terminates the last line rather than starting a new one.
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    const std::size_t end = rest.find('\n');
    lines.push_back(rest.substr(0, end));
    rest.remove_prefix(end + 1);
  }
  if (lines.size() < 3) {
    return failure("a checkpoint needs three lines (origin, tree size, root hash), found " +
                       std::to_string(lines.size()),
                   0);
  }
  Checkpoint out;
  if (lines[0].empty()) return failure("the origin line is empty", 1);
  out.origin = std::string(lines[0]);

  auto size = parse_strict_decimal(lines[1]);
  if (!size) {
    return failure("tree size \"" + std::string(lines[1]) +
                       "\" is not a decimal number without sign or leading zeros",
                   2);
  }
  out.size = *size;

  auto root_bytes = base64_decode(lines[2]);
  auto root = root_bytes ? hash_from_bytes(*root_bytes) : std::nullopt;
  if (!root) return failure("root hash is not the base64 encoding of 32 bytes", 3);
  out.root = *root;

  for (std::size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      return failure("extension lines must not be empty", static_cast<std::uint32_t>(i + 1));
    }
    out.extensions.emplace_back(lines[i]);
  }
  return out;
}

std::string format_checkpoint(const Checkpoint& checkpoint) {
  const auto require_line = [](const std::string& line, const char* what) {
    if (line.empty() || line.find('\n') != std::string::npos) {
      throw std::invalid_argument(std::string("checkpoint ") + what +
                                  " must be one non-empty line");
    }
  };
  require_line(checkpoint.origin, "origin");
  for (const std::string& extension : checkpoint.extensions) require_line(extension, "extension");

  std::string out = checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
                    base64_encode(checkpoint.root) + "\n";
  for (const std::string& extension : checkpoint.extensions) out += extension + "\n";
  if (Problems p = note_text_problems(out); !p.empty()) {
    throw std::invalid_argument("checkpoint cannot be a note text: " + p.front().message);
  }
  return out;
}

std::string sign_checkpoint(const Checkpoint& checkpoint, const NoteSigner& log_key) {
  return sign_note(format_checkpoint(checkpoint), log_key);
}

Result<Checkpoint> open_checkpoint(std::string_view note, std::string_view origin,
                                   std::span<const NoteVerifier> log_keys) {
  auto opened = open_note(note, log_keys);
  if (!opened.ok()) return Result<Checkpoint>(std::move(opened.problems()));
  auto checkpoint = parse_checkpoint(opened.value().text);
  if (!checkpoint.ok()) return checkpoint;
  if (checkpoint.value().origin != origin) {
    Problem p;
    p.position = Position{1, 1};
    p.code = "checkpoint.origin";
    p.message = "checkpoint is for log \"" + checkpoint.value().origin + "\", not \"" +
                std::string(origin) + "\"";
    return Result<Checkpoint>(Problems{std::move(p)});
  }
  return checkpoint;
}

}  // namespace candor::registry
