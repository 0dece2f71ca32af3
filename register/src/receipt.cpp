#include "candor/registry/receipt.h"

#include <stdexcept>
#include <utility>

#include "candor/registry/log_entry.h"
#include "decimal.h"

namespace candor::registry {

namespace {

Problem problem(std::string code, std::string message, std::uint32_t line = 0) {
  Problem p;
  p.position = Position{line, line == 0 ? 0u : 1u};
  p.code = std::move(code);
  p.message = std::move(message);
  return p;
}

template <class T>
Result<T> fail(std::string code, std::string message, std::uint32_t line = 0) {
  return Result<T>(Problems{problem(std::move(code), std::move(message), line)});
}

std::string_view as_text(const std::vector<std::uint8_t>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

std::string format_receipt(const Receipt& receipt) {
  if (receipt.checkpoint.empty() || receipt.checkpoint.front() == '\n') {
    throw std::invalid_argument("receipt checkpoint must start with its origin line");
  }
  std::string out;
  out.append(kTlogProofHeader).append("\n");
  if (!receipt.extra.empty()) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(receipt.extra.data());
    out.append("extra ").append(base64_encode({data, receipt.extra.size()})).append("\n");
  }
  out.append("index ").append(std::to_string(receipt.index)).append("\n");
  for (const Hash& h : receipt.proof) out.append(base64_encode(h)).append("\n");
  out.append("\n").append(receipt.checkpoint);
  return out;
}

Result<Receipt> parse_receipt(std::string_view text) {
  using R = Receipt;
  const char* k = "receipt.malformed";
  if (text.size() > kMaxReceiptBytes) return fail<R>(k, "the receipt is larger than 2 MiB");
  Receipt out;
  std::uint32_t line_no = 0;
  // Takes the next line (without its "\n"); nullopt at the end or on an unterminated line.
  auto next_line = [&]() -> std::optional<std::string_view> {
    const std::size_t end = text.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    ++line_no;
    return line;
  };

  auto line = next_line();
  if (!line || *line != kTlogProofHeader) {
    return fail<R>(k, "the first line must be \"c2sp.org/tlog-proof@v1\"", 1);
  }
  line = next_line();
  if (line && line->starts_with("extra ")) {
    auto extra = base64_decode(line->substr(6));
    if (!extra || extra->empty()) {
      return fail<R>(k, "the extra data is not non-empty standard base64", line_no);
    }
    out.extra = std::string(as_text(*extra));
    line = next_line();
  }
  if (!line || !line->starts_with("index ")) {
    return fail<R>(k, "expected the line \"index <leaf index>\"", line_no + (line ? 0 : 1));
  }
  const auto index = parse_strict_decimal(line->substr(6));
  if (!index) {
    return fail<R>(k, "the index is not a decimal number without sign or leading zeros", line_no);
  }
  out.index = *index;
  for (;;) {
    line = next_line();
    if (!line) return fail<R>(k, "the receipt ends before its checkpoint", line_no + 1);
    if (line->empty()) break;
    auto bytes = base64_decode(*line);
    auto hash = bytes ? hash_from_bytes(*bytes) : std::nullopt;
    if (!hash) {
      return fail<R>(k, "a proof line is not the base64 encoding of a 32-byte hash", line_no);
    }
    if (out.proof.size() >= 64) return fail<R>(k, "the inclusion proof has more than 64 hashes");
    out.proof.push_back(*hash);
  }
  if (text.empty() || text.front() == '\n') {
    return fail<R>(k, "the checkpoint after the blank line is missing", line_no + 1);
  }
  out.checkpoint = std::string(text);
  return out;
}

Result<VerifiedReceipt> verify_receipt(std::string_view text, std::string_view origin,
                                       std::span<const NoteVerifier> log_keys) {
  using R = VerifiedReceipt;
  auto receipt = parse_receipt(text);
  if (!receipt.ok()) return Result<R>(std::move(receipt.problems()));
  const Receipt& r = receipt.value();
  if (r.extra.empty()) {
    return fail<R>("receipt.no-statement",
                   "the receipt carries no leaf statement (extra line), so there is nothing to "
                   "check it against");
  }
  auto entry = parse_log_entry(r.extra);
  if (!entry.ok()) return Result<R>(std::move(entry.problems()));
  const std::string& entry_log = entry_origin(entry.value());

  auto checkpoint = open_checkpoint(r.checkpoint, origin, log_keys);
  if (!checkpoint.ok()) return Result<R>(std::move(checkpoint.problems()));
  const Checkpoint& cp = checkpoint.value();
  if (entry_log != cp.origin) {
    return fail<R>("receipt.origin", "the statement names the log \"" + entry_log +
                                         "\" but the checkpoint is from \"" + cp.origin + "\"");
  }
  const Verification v = verify_inclusion(r.index, cp.size, leaf_hash(r.extra), r.proof, cp.root);
  if (!v.ok()) {
    return fail<R>("receipt.inclusion",
                   "the inclusion proof does not bind this statement, as entry " +
                       std::to_string(r.index) + ", to the signed tree of " +
                       std::to_string(cp.size) + " entries: " + v.problem().message);
  }
  // Built in one expression: g++ 12 at -O3 warns (maybe-uninitialized) when the leaf is assigned
  // into a value-initialised VerifiedReceipt.
  auto* leaf = std::get_if<LeafStatement>(&entry.value());
  return VerifiedReceipt{
      leaf ? std::move(*leaf) : LeafStatement{},
      leaf ? std::nullopt
           : std::optional<ReviewStatement>(std::get<ReviewStatement>(std::move(entry.value()))),
      r.index, cp};
}

}  // namespace candor::registry
