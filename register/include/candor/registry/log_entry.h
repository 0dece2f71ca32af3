// A log entry of a Candor register: a leaf statement about a record version (leaf.h) or a
// regulator's review statement (review.h). Everything that reads entries from untrusted bytes
// (receipts, tile bundles, whole-log audits) goes through parse_log_entry, which dispatches on the
// entry's first line, so a new kind of entry is added in one place.
#pragma once

#include <string_view>
#include <variant>

#include "candor/registry/leaf.h"
#include "candor/registry/problem.h"
#include "candor/registry/review.h"

namespace candor::registry {

using LogEntry = std::variant<LeafStatement, ReviewStatement>;

// Parses a leaf or review statement, strictly (parse_leaf, parse_review). An entry whose first
// line is neither format line is refused with code "entry.unknown-format". Never throws.
Result<LogEntry> parse_log_entry(std::string_view bytes);

// The log origin an entry names.
const std::string& entry_origin(const LogEntry& entry);

}  // namespace candor::registry
