// Fuzz target: receipts (c2sp.org/tlog-proof) as a submitter or anyone else hands them to a
// verifier: the syntax parser, then full verification (signed checkpoint, log entry in the
// extra data, inclusion proof) against the example register's key.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "candor/registry/receipt.h"
#include "tlog_keys.h"

using namespace candor::registry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto receipt = parse_receipt(text);
  if (receipt.ok()) {
    // What parses must format back to the same bytes (format_receipt throws only for a
    // checkpoint that parse_receipt could not have produced).
    if (format_receipt(receipt.value()) != text) __builtin_trap();
  }
  (void)verify_receipt(text, candor::fuzz::kOrigin, candor::fuzz::trusted_keys());
  return 0;
}
