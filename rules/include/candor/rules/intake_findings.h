// The rules engine at intake: what `candor register add` and the server's submission endpoint
// (POST /api/v1/records) run on a record before it is logged, so every stored version carries
// its compliance.
//
// The register never includes the engine (DESIGN.md, "Data flow"): intake receives Findings from
// its caller. This is the one function both callers use to make them, so a record submitted
// from the command line and the same record posted to the server are judged identically.
#pragma once

#include <span>
#include <string>

#include "candor/registry/document.h"
#include "candor/registry/store.h"
#include "candor/rules/date.h"
#include "candor/rules/report.h"
#include "candor/rules/rule.h"

namespace candor::rules {

struct IntakeEvaluation {
  // For Intake::submit: evaluated = true, json = the record's findings array in the JSON
  // report's format (docs/report-format.md, `findings[]`: SCHEMA first, then every rule of every
  // pack, passes and not-applicable included), counts = failures by severity.
  registry::Findings findings;
  // The same findings as a report entry, for callers that also print them (text, like
  // `candor check`).
  RecordReport record;
};

// Evaluates every rule of `packs` on a document that loaded and passed the schema (a
// PreparedRecord's), as of `as_of` (the acceptance date: rules about dates judge the record on
// the day it is registered). No waivers: a waiver is a local decision of whoever runs
// `candor check`, not part of the public register. Pure and thread-safe.
IntakeEvaluation evaluate_for_intake(const std::string& file, const registry::Document& document,
                                     std::span<const Pack> packs, Date as_of);

}  // namespace candor::rules
