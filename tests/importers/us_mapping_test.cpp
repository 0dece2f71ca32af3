// One test per mapping rule of the US inventory importer (docs/importers.md, "US").
#include <catch2/catch.hpp>

#include "candor/registry/document.h"
#include "candor/registry/schema.h"
#include "import_test_support.h"

using namespace candor::importers;
using namespace candor::importers::test;

TEST_CASE("us: agency, agency_name and agency_bureau give the organisation") {
  const auto r = us_record({{"agency", "DOJ"},
                            {"agency_name", "Department of Justice"},
                            {"agency_bureau", "Department of Justice / FBOP"}});
  CHECK(str(r, "organisation.id") == "doj");
  CHECK(str(r, "organisation.name") == "Department of Justice");
  CHECK(str(r, "organisation.team") == "Department of Justice / FBOP");
  CHECK(str(r, "organisation.type") == "other");
  CHECK(str(r, "organisation.public_authority") == "true");
  CHECK(str(r, "extensions.us_omb_2025.agency") == "DOJ");  // lower-casing changed it: kept
  CHECK(str(r, "record.completeness") == "partial");
  CHECK(str(r, "record.provenance.source") == "us-omb-2025");
  CHECK(str(r, "record.provenance.imported_on") == "2026-11-26");
}

TEST_CASE("us: a blank agency name falls back to the abbreviation") {
  const auto r = us_record({{"agency", "SEC"}, {"agency_name", ""}});
  CHECK(str(r, "organisation.name") == "SEC");
}

TEST_CASE("us: id gives the record id (a slug) and the provenance source_id") {
  const auto r = us_record({{"id", "DOJ-0161"}});
  CHECK(str(r, "id") == "doj-0161");
  CHECK(str(r, "record.provenance.source_id") == "DOJ-0161");
  const auto report = import_us({{{"id", "VA 24/1848"}}});
  CHECK(report.records.at(0).file_name == "doj--va-24-1848.yaml");
}

TEST_CASE("us: a blank id is made from use_case_name, and source_id is left out") {
  const auto r = us_record(
      {{"id", ""}, {"use_case_name", "Unaccompanied Child Sponsor Identity Verification"}});
  CHECK(str(r, "id") == "unaccompanied-child-sponsor-identity-verification");
  CHECK(absent(r, "record.provenance.source_id"));
}

TEST_CASE("us: a repeated id gets -2, -3 in row order, and the file names stay unique") {
  const auto report = import_us({{{"id", "DHS-1"}}, {{"id", "DHS-1"}}, {{"id", "dhs 1"}}});
  REQUIRE(report.records.size() == 3);
  CHECK(report.records[0].record_id == "dhs-1");
  CHECK(report.records[1].record_id == "dhs-1-2");
  CHECK(report.records[2].record_id == "dhs-1-3");
  CHECK(report.records[1].yaml.find("row 1 already uses") != std::string::npos);
}

TEST_CASE("us: use_case_name gives tool.name, a row without one is rejected with its row") {
  CHECK(str(us_record({{"use_case_name", "iCAD ProFound AI"}}), "tool.name") == "iCAD ProFound AI");
  const auto report = import_us({{}, {{"use_case_name", ""}}, {{"agency", ""}}});
  CHECK(report.rows_read == 3);
  CHECK(report.records.size() == 1);
  REQUIRE(report.rejected.size() == 2);
  CHECK(report.rejected[0].row == 2);
  CHECK(report.rejected[0].line == 3);
  CHECK(report.rejected[0].problems.at(0).message.find(
            "row 2 (line 3): 'use_case_name' is empty") == 0);
  CHECK(report.rejected[1].problems.at(0).message.find("'agency' is empty") != std::string::npos);
}

TEST_CASE("us: development_stage gives phase (table 2a), blank gives no phase") {
  const std::map<std::string, std::string> table = {
      {"Pre-deployment", "pre-deployment"},
      {"Pilot", "pilot"},
      {"Deployed", "production"},
      {"Retired", "retired"},
      {"c) Deployed – The use case is being actively authorized or utilized to support the "
       "functions or mission of an agency.",
       "production"}};
  for (const auto& [stage, phase] : table) {
    INFO(stage);
    const auto r = us_record({{"development_stage", stage}});
    CHECK(str(r, "phase") == phase);
  }
  const auto blank = us_record({{"development_stage", ""}});
  CHECK(absent(blank, "phase"));
  const auto odd = us_record({{"development_stage", "Operation and Maintenance"}});
  CHECK(absent(odd, "phase"));
  CHECK(str(odd, "extensions.us_omb_2025.development_stage") == "Operation and Maintenance");
}

TEST_CASE("us: topic_area gives mission_area (table 2b), and the original is always kept") {
  const std::map<std::string, std::string> table = {
      {"Admin Functions", "other"},
      {"Cybersecurity", "other"},
      {"Emergency Mgmt", "other"},
      {"Energy and Environment", "energy-and-net-zero"},
      {"Energy and the Environment", "energy-and-net-zero"},
      {"Benefits Processing", "welfare-and-benefits"},
      {"Government Benefits Processing", "welfare-and-benefits"},
      {"Health and Medical", "health"},
      {"HR", "other"},
      {"IT", "other"},
      {"International Affairs", "other"},
      {"Law Enforcement", "crime-and-policing"},
      {"Other", "other"},
      {"Procurement and Finance Mgmt", "other"},
      {"Science", "other"},
      {"Service Delivery", "other"},
      {"Transportation", "transport"}};
  for (const auto& [topic, mission] : table) {
    INFO(topic);
    const auto r = us_record({{"topic_area", topic}});
    CHECK(str(r, "mission_area") == mission);
    CHECK(str(r, "extensions.us_omb_2025.topic_area") == topic);
  }
  const auto blank = us_record({{"topic_area", ""}});
  CHECK(str(blank, "mission_area") == "other");
  CHECK(absent(blank, "extensions.us_omb_2025.topic_area"));
}

TEST_CASE("us: classification gives tool.type (table 2c), and the original is kept") {
  const std::map<std::string, std::string> table = {
      {"Agentic AI", "agentic"},
      {"Classical ML", "classical-ml"},
      {"Computer Vision", "computer-vision"},
      {"Generative AI", "generative"},
      {"NLP", "other"},
      {"Reinforcement Learning", "other"},
      {"Generative AI: AI that generates new or synthetic content (e.g., images, videos, audio, "
       "text, code).",
       "generative"}};
  for (const auto& [c, type] : table) {
    INFO(c);
    const auto r = us_record({{"classification", c}});
    CHECK(str(r, "tool.type") == type);
    CHECK(str(r, "extensions.us_omb_2025.classification") == c);
  }
  CHECK(absent(us_record({{"classification", ""}}), "tool.type"));
}

TEST_CASE("us: operational_date gives deployment.start_date, inexact dates are kept as written") {
  const std::map<std::string, std::string> table = {{"01/2020", "2020-01-01"},
                                                    {"2019-11-01 00:00:00", "2019-11-01"},
                                                    {"May-23", "2023-05-01"},
                                                    {"7/31/2025", "2025-07-31"},
                                                    {"2024-02", "2024-02-01"}};
  for (const auto& [given, date] : table) {
    INFO(given);
    const auto r = us_record({{"operational_date", given}});
    CHECK(str(r, "deployment.start_date") == date);
    CHECK(str(r, "extensions.us_omb_2025.operational_date") == given);
  }
  const auto exact = us_record({{"operational_date", "2024-02-03"}});
  CHECK(str(exact, "deployment.start_date") == "2024-02-03");
  CHECK(absent(exact, "extensions.us_omb_2025.operational_date"));
  const auto bad = us_record({{"operational_date", "sometime in 2023"}});
  CHECK(absent(bad, "deployment.start_date"));
  CHECK(str(bad, "extensions.us_omb_2025.operational_date") == "sometime in 2023");
  const auto impossible = us_record({{"operational_date", "2023-02-30"}});
  CHECK(absent(impossible, "deployment.start_date"));
  CHECK(str(impossible, "extensions.us_omb_2025.operational_date") == "2023-02-30");
}

TEST_CASE("us: contact_email gives contact.email, several or invalid addresses are kept whole") {
  CHECK(str(us_record({{"contact_email", "AI@usdoj.gov"}}), "contact.email") == "AI@usdoj.gov");
  const auto two = us_record({{"contact_email", "megan.cromwell@noaa.gov, Chris.hayes@noaa.gov"}});
  CHECK(str(two, "contact.email") == "megan.cromwell@noaa.gov");
  CHECK(str(two, "extensions.us_omb_2025.contact_email") ==
        "megan.cromwell@noaa.gov, Chris.hayes@noaa.gov");
  const auto bad = us_record({{"contact_email", "ask the CAIO"}});
  CHECK(absent(bad, "contact.email"));
  CHECK(str(bad, "extensions.us_omb_2025.contact_email") == "ask the CAIO");
}

TEST_CASE("us: problem_solved and benefits give the purpose") {
  const auto r =
      us_record({{"problem_solved", "Line one.\n\nLine \"two\"."}, {"benefits", "Faster."}});
  CHECK(str(r, "purpose.problem_statement") == "Line one.\n\nLine \"two\".");
  CHECK(str(r, "purpose.public_benefit") == "Faster.");
}

TEST_CASE("us: contracting_usage gives supplier.external (table 2d), vendor_name supplier.name") {
  const std::map<std::string, std::string> table = {{"Vendor Purchased", "true"},
                                                    {"In-house Development", "false"},
                                                    {"Contracting and In House", "true"},
                                                    {"a) Purchased from a vendor", "true"}};
  for (const auto& [usage, external] : table) {
    INFO(usage);
    const auto r = us_record({{"contracting_usage", usage}});
    CHECK(str(r, "supplier.external") == external);
    CHECK(str(r, "extensions.us_omb_2025.contracting_usage") == usage);
  }
  CHECK(str(us_record({{"vendor_name", "Pearson Assessments"}}), "supplier.name") ==
        "Pearson Assessments");
}

TEST_CASE("us: has_pii gives personal_data.processed, pia_url gives privacy.dpia.url if https") {
  CHECK(str(us_record({{"has_pii", "Yes"}}), "personal_data.processed") == "true");
  CHECK(str(us_record({{"has_pii", "No"}}), "personal_data.processed") == "false");
  const auto odd = us_record({{"has_pii", "Unknown"}});
  CHECK(absent(odd, "personal_data.processed"));
  CHECK(str(odd, "extensions.us_omb_2025.has_pii") == "Unknown");
  const std::string pia = "https://www.dhs.gov/publication/dhsuscispia-085-pangaea-pangaea-text";
  CHECK(str(us_record({{"pia_url", pia}}), "privacy.dpia.url") == pia);
  const auto http = us_record({{"pia_url", "http://example.gov/pia.pdf"}});
  CHECK(absent(http, "privacy.dpia.url"));
  CHECK(str(http, "extensions.us_omb_2025.pia_url") == "http://example.gov/pia.pdf");
}

TEST_CASE("us: list cells become lists in extensions, empty lists are left out") {
  const auto r = us_record({{"demographic_features", "['a) Race/Ethnicity', 'c) Age']"},
                            {"hi_public_consultation", "[\"In-progress\"]"}});
  const YAML::Node features = at(r, "extensions.us_omb_2025.demographic_features");
  REQUIRE(features.IsSequence());
  CHECK(features.size() == 2);
  CHECK(features[0].as<std::string>() == "a) Race/Ethnicity");
  CHECK(features[1].as<std::string>() == "c) Age");
  CHECK(at(r, "extensions.us_omb_2025.hi_public_consultation")[0].as<std::string>() ==
        "In-progress");
  CHECK(absent(us_record({{"demographic_features", "[]"}}),
               "extensions.us_omb_2025.demographic_features"));
  // Not a list after all: kept as text.
  CHECK(str(us_record({{"demographic_features", "['unclosed"}}),
            "extensions.us_omb_2025.demographic_features") == "['unclosed");
}

TEST_CASE("us: columns with no Candor field are kept verbatim under extensions.us_omb_2025") {
  const std::vector<std::string> unmapped = {"is_withheld",
                                             "is_high_impact",
                                             "HI_justification",
                                             "system_outputs",
                                             "have_ato",
                                             "system_name_ato",
                                             "data_description",
                                             "link_to_data",
                                             "has_custom_code",
                                             "code_url",
                                             "hi_testing_conducted",
                                             "hi_assessment_completed",
                                             "hi_potential_impacts",
                                             "hi_independent_review",
                                             "hi_ongoing_monitoring",
                                             "hi_training_established",
                                             "hi_failsafe_presence",
                                             "hi_appeal_process"};
  Cells cells;
  for (const auto& c : unmapped) cells[c] = "value of " + c + ": \"x\" # y";
  const auto r = us_record(cells);
  for (const auto& c : unmapped) {
    INFO(c);
    CHECK(str(r, "extensions.us_omb_2025." + c) == "value of " + c + ": \"x\" # y");
  }
}

TEST_CASE("us: a column the inventory does not define is kept too") {
  const std::string text =
      "agency,use_case_name,development_stage,new_column\nDOJ,X,Pilot,surprise\n";
  const auto r = only_record(run_import(Source::us_omb_2025, text));
  CHECK(str(r, "extensions.us_omb_2025.new_column") == "surprise");
}

TEST_CASE("us: a value the schema refuses in an optional field moves to extensions") {
  const std::string long_vendor(400, 'v');
  const auto report = import_us({{{"vendor_name", long_vendor}}});
  const auto r = only_record(report);
  CHECK(absent(r, "supplier.name"));
  CHECK(str(r, "extensions.us_omb_2025.vendor_name") == long_vendor);
  // A required field the schema refuses rejects the row instead.
  const auto too_long = import_us({{{"use_case_name", std::string(301, 'n')}}});
  CHECK(too_long.records.empty());
  REQUIRE(too_long.rejected.size() == 1);
  CHECK(too_long.rejected[0].problems.at(0).message.find("row 1 (line 2)") == 0);
}

TEST_CASE("us: hostile cell values round-trip exactly through the YAML written") {
  const std::vector<std::string> hostile = {"yes",
                                            "No",
                                            "true",
                                            "null",
                                            "~",
                                            "123",
                                            "0x1F",
                                            "1e3",
                                            ".inf",
                                            "2024-01-01",
                                            "a: b # c",
                                            "- item",
                                            "? key",
                                            "&anchor *alias",
                                            "!!python/object",
                                            "{flow: map}",
                                            "[1, 2]",
                                            "%YAML 1.2",
                                            "@at",
                                            "`tick`",
                                            "|",
                                            ">",
                                            "'single'",
                                            "\"double\"",
                                            "back\\slash",
                                            "line\nbreak",
                                            "crlf\r\nend",
                                            "tab\there",
                                            "  leading",
                                            "trailing  ",
                                            "---",
                                            "...",
                                            "\x01\x02\x7f",
                                            "bom \xEF\xBB\xBF inside",
                                            "ls \xE2\x80\xA8 ps \xE2\x80\xA9 nel \xC2\x85",
                                            "em — dash, ünïcödé",
                                            "#comment",
                                            "key: value\nother: value",
                                            "\"\\u0000\""};
  std::vector<Cells> rows;
  for (const auto& h : hostile)
    rows.push_back({{"use_case_name", "n " + h}, {"benefits", h}, {"system_outputs", h}});
  const auto report = import_us(rows);
  REQUIRE(report.rejected.empty());
  REQUIRE(report.records.size() == hostile.size());
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    INFO("value " << i << ": " << hostile[i]);
    auto doc = candor::registry::load_document(report.records[i].yaml, "r.yaml");
    REQUIRE(doc.ok());
    CHECK(candor::registry::SchemaValidator::record_v1().validate(doc.value()).empty());
    CHECK(doc.value().find("tool.name")->text() == "n " + hostile[i]);
    CHECK(doc.value().find("extensions.us_omb_2025.system_outputs")->text() == hostile[i]);
    const auto* benefit = doc.value().find("purpose.public_benefit");
    if (benefit != nullptr) {
      CHECK(benefit->text() == hostile[i]);
      CHECK(benefit->kind() == candor::registry::NodeKind::string);
    }
  }
}

TEST_CASE("us: the same input gives the same output, byte for byte") {
  const std::string text = us_csv({{{"id", "A-1"}, {"topic_area", "Science"}}, {{"id", "A-2"}}});
  const auto a = run_import(Source::us_omb_2025, text);
  const auto b = run_import(Source::us_omb_2025, text);
  REQUIRE(a.records.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(a.records[i].yaml == b.records[i].yaml);
    CHECK(a.records[i].file_name == b.records[i].file_name);
  }
  // Comments say where the record came from.
  CHECK(a.records[1].yaml.find("# Source: input, row 2 (line 3).") != std::string::npos);
}

TEST_CASE("us: a file that is not the inventory is refused as a whole") {
  const auto report = run_import(Source::us_omb_2025, "name,colour\nx,y\n");
  REQUIRE_FALSE(report.file_problems.empty());
  CHECK(report.file_problems[0].code == "import.missing-column");
  CHECK(report.records.empty());
}
