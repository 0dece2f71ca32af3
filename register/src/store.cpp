#include "candor/registry/store.h"

#include "candor/registry/checkpoint.h"
#include "candor/registry/note.h"

namespace candor::registry {

void Store::record_denial(std::string_view actor, const Denial& denial) {
  if (read_only()) return;
  auto tx = begin_write();
  tx->record_denial(actor, denial);
  tx->commit();
}

std::string_view to_string(Role role) {
  switch (role) {
    case Role::submitter:
      return "submitter";
    case Role::regulator:
      return "regulator";
    case Role::admin:
      return "admin";
  }
  return "?";
}

std::optional<Role> parse_role(std::string_view text) {
  for (Role r : {Role::submitter, Role::regulator, Role::admin}) {
    if (to_string(r) == text) return r;
  }
  return std::nullopt;
}

std::string_view to_string(Compliance compliance) {
  switch (compliance) {
    case Compliance::not_assessed:
      return "not-assessed";
    case Compliance::failing:
      return "failing";
    case Compliance::warnings:
      return "warnings";
    case Compliance::passing:
      return "passing";
  }
  return "?";
}

std::string_view to_string(Facet facet) {
  switch (facet) {
    case Facet::organisation:
      return "organisation";
    case Facet::organisation_type:
      return "organisation_type";
    case Facet::mission_area:
      return "mission_area";
    case Facet::phase:
      return "phase";
    case Facet::tool_type:
      return "tool_type";
    case Facet::impact_level:
      return "impact_level";
    case Facet::compliance:
      return "compliance";
  }
  return "?";
}

Compliance compliance_of(const Findings& findings) {
  if (!findings.evaluated) return Compliance::not_assessed;
  if (findings.counts.error > 0) return Compliance::failing;
  if (findings.counts.warning > 0) return Compliance::warnings;
  return Compliance::passing;
}

HashReader WriteTransaction::hash_reader() {
  return [this](std::span<const NodeId> nodes) { return read_hashes(nodes); };
}

HashReader Store::hash_reader() {
  return [this](std::span<const NodeId> nodes) { return read_hashes(nodes); };
}

void Store::for_each_current_record(RecordFilter filter,
                                    const std::function<void(const CurrentRecord&)>& visit) {
  constexpr std::size_t k_page = 1000;
  filter.limit = k_page;
  for (filter.offset = 0;; filter.offset += k_page) {
    const std::vector<CurrentRecord> page = current_records(filter);
    for (const CurrentRecord& r : page) visit(r);
    if (page.size() < k_page) return;
  }
}

void WriteTransaction::put_checkpoint(std::string_view actor, const StoredCheckpoint& checkpoint) {
  // The one place that decides whether a checkpoint may be published: it must describe exactly
  // the tree this transaction holds, signed by the log's own key. A bug upstream then fails the
  // transaction instead of publishing a checkpoint the data does not support.
  const auto settings = log_settings();
  if (!settings) throw std::logic_error("checkpoint: the log has not been initialised");
  auto verifier = NoteVerifier::parse(settings->verifier_key);
  if (!verifier.ok()) throw StoreError("checkpoint: the stored log key is not a verifier key");
  const NoteVerifier keys[] = {verifier.value()};
  auto opened = open_checkpoint(checkpoint.note, settings->origin, keys);
  if (!opened.ok()) {
    throw std::logic_error("checkpoint: not a checkpoint of this log signed by its key: " +
                           opened.problems().front().message);
  }
  const std::uint64_t size = log_size();
  if (opened.value().size != checkpoint.size || opened.value().root != checkpoint.root ||
      checkpoint.size != size) {
    throw std::logic_error("checkpoint: size " + std::to_string(checkpoint.size) +
                           " does not match the note or the log's " + std::to_string(size) +
                           " entries");
  }
  if (tree_root(size, hash_reader()) != checkpoint.root) {
    throw std::logic_error("checkpoint: root does not match the stored tree of size " +
                           std::to_string(size));
  }
  store_checkpoint(actor, checkpoint);
}

}  // namespace candor::registry
