#include "candor/registry/log_entry.h"

#include <utility>

namespace candor::registry {

Result<LogEntry> parse_log_entry(std::string_view bytes) {
  using R = Result<LogEntry>;
  const std::string_view first = bytes.substr(0, bytes.find('\n'));
  if (first == kLeafFormatLine) {
    auto leaf = parse_leaf(bytes);
    if (!leaf.ok()) return R(std::move(leaf.problems()));
    return R(LogEntry{std::move(leaf.value())});
  }
  if (first == kReviewFormatLine) {
    auto review = parse_review(bytes);
    if (!review.ok()) return R(std::move(review.problems()));
    return R(LogEntry{std::move(review.value())});
  }
  Problem p;
  p.position = Position{1, 1};
  p.code = "entry.unknown-format";
  p.message = "the first line must be \"" + std::string(kLeafFormatLine) + "\" or \"" +
              std::string(kReviewFormatLine) + "\"";
  return R(Problems{std::move(p)});
}

const std::string& entry_origin(const LogEntry& entry) {
  return std::visit([](const auto& statement) -> const std::string& { return statement.origin; },
                    entry);
}

}  // namespace candor::registry
