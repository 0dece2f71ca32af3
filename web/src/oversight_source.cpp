#include "candor/web/oversight_source.h"

#include "candor/rules/shipped_packs.h"

namespace candor::web {

std::vector<rules::RegisteredRecord> registered_records(registry::Store& store) {
  std::vector<rules::RegisteredRecord> records;
  store.for_each_current_record({}, [&](const registry::CurrentRecord& r) {
    rules::RegisteredRecord rec{r.organisation,
                                r.organisation_name,
                                r.record_id,
                                r.title,
                                r.facets.mission_area,
                                std::string{registry::to_string(r.compliance)},
                                nlohmann::json(),
                                nlohmann::json()};
    if (const auto f = store.findings(r.organisation, r.record_id, r.version); f && f->evaluated) {
      rec.findings = nlohmann::json::parse(f->json, nullptr, false);
    }
    if (const auto v = store.version_at_leaf(r.leaf_index)) {
      rec.record = nlohmann::json::parse(store.body(v->body_hash).value_or("null"), nullptr, false);
    }
    records.push_back(std::move(rec));
  });
  return records;
}

const std::map<std::string, int, std::less<>>& shipped_recommendations() {
  static const auto recommendations = [] {
    std::map<std::string, int, std::less<>> out;
    for (const std::string& name : rules::shipped_pack_names()) {
      auto pack = rules::load_shipped_pack(name);
      if (!pack.ok()) continue;
      const rules::Pack packs[] = {std::move(pack).value()};
      out.merge(rules::recommendations_of(packs));
    }
    return out;
  }();
  return recommendations;
}

}  // namespace candor::web
