// The rule packs shipped with Candor (rules/packs/*), embedded in the binary at build time, so
// `candor check` and the server judge records the same way from any working directory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/problem.h"
#include "candor/rules/pack_loader.h"
#include "candor/rules/rule.h"

namespace candor::rules {

// The pack `candor check` uses when no --rules is given.
inline constexpr std::string_view kDefaultPack = "uk-public-sector";

// Names of the shipped packs, sorted.
std::vector<std::string> shipped_pack_names();

// A shipped pack's files as PackFiles named "<pack>/<file>" (e.g.
// "uk-public-sector/security.rules.yaml"); empty when there is no such pack.
std::vector<PackFile> shipped_pack_files(std::string_view name);

// Loads a shipped pack. An unknown name gives a rules.io problem.
registry::Result<Pack> load_shipped_pack(std::string_view name);

}  // namespace candor::rules
