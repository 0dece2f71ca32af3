// The PostgreSQL schema of the Store, as numbered migrations: the same migrations as
// sqlite_schema.cpp, one for one, expressed for PostgreSQL. A migration is never edited once
// released: a change to the schema is a new migration appended to both lists.
#pragma once

#include <span>

#include "sqlite_schema.h"

namespace candor::registry::postgres {

using Migration = sqlite::Migration;

std::span<const Migration> migrations();

}  // namespace candor::registry::postgres
