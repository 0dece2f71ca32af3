// The SQLite schema of the Store, as numbered migrations. A migration is never edited once
// released: a change to the schema is a new migration appended to the list.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace candor::registry::sqlite {

struct Migration {
  int version;  // 1, 2, 3... with no gap
  std::string_view name;
  std::vector<std::string_view> statements;  // run in order, in one transaction
};

std::span<const Migration> migrations();

}  // namespace candor::registry::sqlite
