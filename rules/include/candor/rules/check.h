// Checking one record file: load, schema-validate, evaluate every pack, apply waivers.
//
// The same steps the CLI (`candor check`) and, later, the server run. check_record() is pure and
// thread-safe (packs and waivers are only read), so callers may check many files at once and
// still assemble the Report in input order.
#pragma once

#include <span>
#include <string>

#include "candor/registry/document.h"
#include "candor/rules/date.h"
#include "candor/rules/report.h"
#include "candor/rules/rule.h"
#include "candor/rules/waivers.h"

namespace candor::rules {

struct CheckOptions {
  Date as_of;
  const WaiverList* waivers = nullptr;  // nullptr: no waivers (`--no-waivers`)
  // Evidence is only written by the JSON report; dropping it keeps a 10,000-file run small.
  bool keep_evidence = true;
};

// From a loaded document (or the problems that stopped it loading):
//   - YAML problems (the load failed): `parsed` is false, each problem becomes a SCHEMA failure,
//     and no rule runs: a tree that did not load cannot be judged;
//   - otherwise schema problems become SCHEMA failures (error severity, located, with code and
//     hint), or a single SCHEMA pass when there are none; then every rule of every pack runs,
//     whatever the schema said (rules fail closed on wrong types), and waivers are applied.
RecordReport check_record(const std::string& file,
                          const registry::Result<registry::Document>& loaded,
                          std::span<const Pack> packs, const CheckOptions& options);

// A document that loaded (the server's and `candor register add`'s prepared record), as above.
RecordReport check_document(const std::string& file, const registry::Document& document,
                            std::span<const Pack> packs, const CheckOptions& options);

// Reads and loads `file`, then as above.
RecordReport check_record_file(const std::string& file, std::span<const Pack> packs,
                               const CheckOptions& options, const registry::LoadOptions& load = {});

// A Report with its header filled: the packs and their rules (SCHEMA first). Records are added
// by the caller.
Report make_report(std::span<const Pack> packs, Date as_of, Severity fail_on);

}  // namespace candor::rules
