// What the regulator's oversight (rules/oversight.h) is built from, read from a register: the
// regulator's pages (/regulator) and `candor report` both call these, so both show one report.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "candor/registry/store.h"
#include "candor/rules/oversight.h"

namespace candor::web {

// Every current record with its current version's findings (when rules were run) and its
// record as filed (canonical JSON). Reads the store a page at a time.
std::vector<rules::RegisteredRecord> registered_records(registry::Store& store);

// Rule id -> recommendation (1-6) for every rule of the shipped packs, loaded once.
const std::map<std::string, int, std::less<>>& shipped_recommendations();

}  // namespace candor::web
