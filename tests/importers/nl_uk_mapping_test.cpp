// One test per mapping rule of the Dutch register and UK ATRS listing importers
// (docs/importers.md, "NL" and "UK").
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "import_test_support.h"

using namespace candor::importers;
using namespace candor::importers::test;
using Json = nlohmann::json;

namespace {

std::string read_data(const std::string& name) {
  std::ifstream in(std::string(CANDOR_TEST_DATA) + "/importers/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

YAML::Node nl_record(Json fields) {
  Json base = {{"name", "Automatische Verkeersregeling Ringweg"},
               {"organization", "Gemeente Noorderhaaks"},
               {"status", "In gebruik"},
               {"lang", "nld"}};
  for (auto& [k, v] : fields.items()) base[k] = v;
  return only_record(run_import(Source::nl_algoritmeregister, Json::array({base}).dump()));
}

YAML::Node uk_record(Json fields) {
  Json base = {{"publishing_body", "HMRC"},
               {"tool_name", "Ask HMRC online"},
               {"url", "https://www.gov.uk/algorithmic-transparency-records/hmrc-ask-hmrc-online"}};
  for (auto& [k, v] : fields.items()) base[k] = v;
  return only_record(run_import(Source::uk_atrs, Json{{"records", Json::array({base})}}.dump()));
}

}  // namespace

TEST_CASE("nl: name, organization and description_short give the tool and organisation") {
  const auto r = nl_record({{"description_short", "Korte omschrijving."}});
  CHECK(str(r, "id") == "automatische-verkeersregeling-ringweg");
  CHECK(str(r, "tool.name") == "Automatische Verkeersregeling Ringweg");
  CHECK(str(r, "tool.description_public") == "Korte omschrijving.");
  CHECK(str(r, "organisation.id") == "gemeente-noorderhaaks");
  CHECK(str(r, "organisation.name") == "Gemeente Noorderhaaks");
  CHECK(str(r, "organisation.public_authority") == "true");
  CHECK(str(r, "record.provenance.source") == "nl-algoritmeregister");
  CHECK(str(r, "extensions.nl_algoritmeregister.lang") == "nld");
}

TEST_CASE("nl: organisation.type only when the name makes it certain") {
  CHECK(str(nl_record({}), "organisation.type") == "local-authority");
  CHECK(str(nl_record({{"organization", "Ministerie van Financiën"}}), "organisation.type") ==
        "ministerial-department");
  CHECK(str(nl_record({{"organization", "Politie"}}), "organisation.type") == "police-force");
  const auto other = nl_record({{"organization", "Belastingdienst"}});
  CHECK(absent(other, "organisation.type"));
  CHECK(str(other, "organisation.id") == "belastingdienst");
  CHECK(str(nl_record({{"organization", "Gemeente Súdwest-Fryslân"}}), "organisation.id") ==
        "gemeente-sudwest-fryslan");
}

TEST_CASE("nl: status gives phase (table 3a)") {
  CHECK(str(nl_record({{"status", "In ontwikkeling"}}), "phase") == "pre-deployment");
  CHECK(str(nl_record({{"status", "In gebruik"}}), "phase") == "production");
  CHECK(str(nl_record({{"status", "Buiten gebruik"}}), "phase") == "retired");
  const auto odd = nl_record({{"status", "Gepauzeerd"}});
  CHECK(absent(odd, "phase"));
  CHECK(str(odd, "extensions.nl_algoritmeregister.status") == "Gepauzeerd");
}

TEST_CASE("nl: category gives mission_area: the first theme that is not 'other' (table 3b)") {
  const auto r =
      nl_record({{"category", {"Organisatie en bedrijfsvoering", "Sociale zekerheid", "Werk"}}});
  CHECK(str(r, "mission_area") == "welfare-and-benefits");
  CHECK(at(r, "extensions.nl_algoritmeregister.category").size() == 3);
  CHECK(str(nl_record({{"category", {"Verkeer"}}}), "mission_area") == "transport");
  CHECK(str(nl_record({{"category", {"Overheidsfinanciën"}}}), "mission_area") ==
        "tax-and-revenue");
  CHECK(str(nl_record({{"category", {"Natuur en milieu"}}}), "mission_area") == "other");
  CHECK(str(nl_record({}), "mission_area") == "other");
}

TEST_CASE("nl: begin_date YYYY-MM gives the first of the month, the original kept, end_date kept") {
  const auto r = nl_record({{"begin_date", "2023-01"}, {"end_date", "2023-05"}});
  CHECK(str(r, "deployment.start_date") == "2023-01-01");
  CHECK(str(r, "extensions.nl_algoritmeregister.begin_date") == "2023-01");
  CHECK(str(r, "extensions.nl_algoritmeregister.end_date") == "2023-05");
}

TEST_CASE("nl: contact_email gives contact.email or contact.url, website wins contact.url") {
  CHECK(str(nl_record({{"contact_email", "algoritmes@gemeentenoorderhaaks.nl"}}),
            "contact.email") == "algoritmes@gemeentenoorderhaaks.nl");
  CHECK(str(nl_record({{"contact_email", "https://www.example.nl/contact"}}), "contact.url") ==
        "https://www.example.nl/contact");
  const auto both = nl_record({{"contact_email", "https://www.example.nl/contact"},
                               {"website", "https://www.example.nl/algoritme"}});
  CHECK(str(both, "contact.url") == "https://www.example.nl/algoritme");
  CHECK(str(both, "extensions.nl_algoritmeregister.contact_email") ==
        "https://www.example.nl/contact");
}

TEST_CASE("nl: publication_category A sets the EU AI Act high-risk flags (table 3c)") {
  const auto a = nl_record({{"publication_category", "Hoog-risico AI-systeem"}});
  CHECK(str(a, "eu_ai_act.applicable") == "true");
  CHECK(str(a, "eu_ai_act.high_risk") == "true");
  CHECK(str(a, "extensions.nl_algoritmeregister.publication_category") == "Hoog-risico AI-systeem");
  const auto b = nl_record({{"publication_category", "Impactvolle algoritmes"}});
  CHECK(absent(b, "eu_ai_act"));
  CHECK(str(b, "extensions.nl_algoritmeregister.publication_category") == "Impactvolle algoritmes");
}

TEST_CASE("nl: goal, proportionality and human_intervention, HTML becomes plain text") {
  const std::string goal = "<p>Doel.</p><ul><li>een</li><li>twee &amp; drie</li></ul>";
  const auto r = nl_record({{"goal", goal},
                            {"proportionality", "Afweging."},
                            {"human_intervention", "Een medewerker<br>kijkt mee."}});
  CHECK(str(r, "purpose.public_benefit") == "Doel.\n\n- een\n- twee & drie");
  CHECK(str(r, "extensions.nl_algoritmeregister.goal") == goal);
  CHECK(str(r, "purpose.alternatives_considered") == "Afweging.");
  CHECK(absent(r, "extensions.nl_algoritmeregister.proportionality"));
  CHECK(str(r, "human_oversight.description") == "Een medewerker\nkijkt mee.");
}

TEST_CASE("nl: the DPIA entry gives privacy.dpia.url, the whole list is kept") {
  const auto r = nl_record({{"impacttoetsen_grouping",
                             {{{"title", "Impact Assessment Mensenrechten en Algoritmes (IAMA)"},
                               {"link", "https://example.nl/iama"}},
                              {{"title", "Data Protection Impact Assessment (DPIA)"},
                               {"link", "https://example.nl/dpia"}}}}});
  CHECK(str(r, "privacy.dpia.url") == "https://example.nl/dpia");
  CHECK(at(r, "extensions.nl_algoritmeregister.impacttoetsen_grouping").size() == 2);
}

TEST_CASE("nl: source_data_grouping gives data.sources names, links stay in extensions") {
  const auto r = nl_record(
      {{"source_data_grouping", {{{"title", "BRP"}, {"link", "https://example.nl/brp"}}}}});
  CHECK(at(r, "data.sources")[0]["name"].as<std::string>() == "BRP");
  CHECK(
      at(r, "extensions.nl_algoritmeregister.source_data_grouping")[0]["link"].as<std::string>() ==
      "https://example.nl/brp");
}

TEST_CASE("nl: provider gives the supplier, 'Intern ontwikkeld' means developed in-house") {
  const auto vendor = nl_record({{"provider", "Haaks softwarebedrijf"}});
  CHECK(str(vendor, "supplier.external") == "true");
  CHECK(str(vendor, "supplier.name") == "Haaks softwarebedrijf");
  const auto internal = nl_record({{"provider", "Intern ontwikkeld"}});
  CHECK(str(internal, "supplier.external") == "false");
  CHECK(absent(internal, "supplier.name"));
  CHECK(str(internal, "extensions.nl_algoritmeregister.provider") == "Intern ontwikkeld");
}

TEST_CASE("nl: lars gives source_id, fields with no Candor field are kept verbatim") {
  const std::vector<std::string> unmapped = {"url",
                                             "risks",
                                             "lawful_basis",
                                             "process_index_url",
                                             "impacttoetsen",
                                             "source_data",
                                             "methods_and_models",
                                             "publiccode",
                                             "standard_version",
                                             "source_id",
                                             "tags",
                                             "publication_dt"};
  Json fields = {{"lars", "12345678"}};
  for (const auto& f : unmapped) fields[f] = "waarde van " + f;
  const auto r = nl_record(fields);
  CHECK(str(r, "record.provenance.source_id") == "12345678");
  for (const auto& f : unmapped) {
    INFO(f);
    CHECK(str(r, "extensions.nl_algoritmeregister." + f) == "waarde van " + f);
  }
}

TEST_CASE("nl: the CSV export and the JSON export give the same records") {
  const auto csv =
      run_import(Source::nl_algoritmeregister, read_data("nl-algoritmeregister-sample3.csv"));
  const auto json =
      run_import(Source::nl_algoritmeregister, read_data("nl-algoritmeregister-sample3.json"));
  CHECK(csv.rows_read == 3);
  CHECK(json.rows_read == 3);
  REQUIRE(csv.records.size() == 2);
  REQUIRE(json.records.size() == 2);
  REQUIRE(csv.rejected.size() == 1);
  CHECK(csv.rejected[0].row == 3);
  CHECK(csv.rejected[0].problems.at(0).message.find("'name' is empty") != std::string::npos);
  for (std::size_t i = 0; i < 2; ++i) {
    INFO(csv.records[i].yaml);
    CHECK(csv.records[i].file_name == json.records[i].file_name);
    const auto a = YAML::Load(csv.records[i].yaml), b = YAML::Load(json.records[i].yaml);
    CHECK(YAML::Dump(a["tool"]) == YAML::Dump(b["tool"]));
    // The same values (the JSON export may order its fields differently from the CSV columns).
    const YAML::Node ea = a["extensions"]["nl_algoritmeregister"];
    const YAML::Node eb = b["extensions"]["nl_algoritmeregister"];
    CHECK(ea.size() == eb.size());
    for (const auto& kv : ea) {
      const std::string key = kv.first.as<std::string>();
      INFO(key);
      CHECK(YAML::Dump(kv.second) == YAML::Dump(eb[key]));
    }
    CHECK(YAML::Dump(a["purpose"]) == YAML::Dump(b["purpose"]));
  }
}

TEST_CASE("uk: the listing's fields map onto the record, and nothing is lost") {
  const auto r = uk_record({{"title", "HMRC: Ask HMRC online"},
                            {"published", "2025-06-26T07:39:09Z"},
                            {"description", "Digital assistant chat.  "},
                            {"listed_organisations", {"Cabinet Office", "GDS"}}});
  CHECK(str(r, "organisation.id") == "hmrc");
  CHECK(str(r, "organisation.name") == "HMRC");
  CHECK(str(r, "tool.name") == "Ask HMRC online");
  CHECK(str(r, "id") == "ask-hmrc-online");
  CHECK(str(r, "tool.description_public") == "Digital assistant chat.");
  CHECK(str(r, "extensions.uk_atrs.description") == "Digital assistant chat.  ");
  CHECK(str(r, "transparency.atrs_record_url") ==
        "https://www.gov.uk/algorithmic-transparency-records/hmrc-ask-hmrc-online");
  CHECK(str(r, "record.provenance.source_url") ==
        "https://www.gov.uk/algorithmic-transparency-records/hmrc-ask-hmrc-online");
  CHECK(str(r, "record.provenance.source_id") == "hmrc-ask-hmrc-online");
  CHECK(str(r, "extensions.uk_atrs.title") == "HMRC: Ask HMRC online");
  CHECK(str(r, "extensions.uk_atrs.published") == "2025-06-26T07:39:09Z");
  CHECK(at(r, "extensions.uk_atrs.listed_organisations").size() == 2);
}

TEST_CASE("uk: a summary is marked partial and says what is missing, inventing nothing") {
  const auto report =
      run_import(Source::uk_atrs, Json::array({{{"publishing_body", "HMRC"}, {"tool_name", "A"}},
                                               {{"publishing_body", nullptr}, {"tool_name", "B"}}})
                                      .dump());
  REQUIRE(report.records.size() == 2);
  const auto a = YAML::Load(report.records[0].yaml), b = YAML::Load(report.records[1].yaml);
  CHECK(str(a, "record.completeness") == "partial");
  CHECK(str(a, "extensions.uk_atrs.summary_only") == "true");
  CHECK(absent(a, "mission_area"));
  CHECK(absent(a, "phase"));
  CHECK(at(a, "extensions.uk_atrs.missing_fields")[0].as<std::string>() == "mission_area");
  CHECK(report.records[0].missing == std::vector<std::string>{"mission_area"});
  CHECK(absent(b, "organisation"));
  CHECK(report.records[1].file_name == "unknown-organisation--b.yaml");
  CHECK(report.records[1].missing.size() == 2);
  CHECK(report.records[0].yaml.find("# From the GOV.UK listing of ATRS records") !=
        std::string::npos);
}

TEST_CASE("uk: the 20-entry sample imports, every entry a partial record") {
  const auto report = run_import(Source::uk_atrs, read_data("uk-atrs-sample20.json"));
  CHECK(report.rows_read == 20);
  CHECK(report.records.size() == 20);
  CHECK(report.rejected.empty());
}

TEST_CASE("import: malformed JSON is refused as a whole, a non-object entry is rejected") {
  CHECK(run_import(Source::uk_atrs, "{not json").file_problems.at(0).code == "json.syntax");
  CHECK(run_import(Source::uk_atrs, "{\"x\": 1}").file_problems.at(0).code == "json.shape");
  const auto report =
      run_import(Source::uk_atrs, "[1, {\"tool_name\": \"A\", \"publishing_body\": \"X\"}]");
  CHECK(report.rows_read == 2);
  CHECK(report.records.size() == 1);
  CHECK(report.rejected.size() == 1);
}
