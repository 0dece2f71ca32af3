// Record schema validation: located, plain-language problems, every one in a single run.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <thread>

#include "candor/registry/document.h"
#include "candor/registry/schema.h"

using namespace candor::registry;

namespace {

// A small record that is valid; tests change one thing at a time.
const std::string k_valid = R"(schema: candor.record/v1
id: custody-notes-assistant
organisation:
  id: northshire-police
  name: Northshire Constabulary
  type: police-force
  public_authority: true
tool:
  name: Custody notes assistant
  type: generative
phase: production
mission_area: crime-and-policing
contact:
  email: custody-ai@northshire.police.example
  url: https://www.northshire.police.example/ai
deployment:
  start_date: 2026-02-02
bias:
  testing:
    - date: 2026-01-10
      protected_characteristics: [age, sex]
)";

Problems validate(const std::string& text) {
  auto doc = load_document(text, "r.yaml");
  REQUIRE(doc.ok());
  return SchemaValidator::record_v1().validate(doc.value());
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

Problem only(const Problems& problems) {
  for (const auto& p : problems) INFO(format_problem(p));
  REQUIRE(problems.size() == 1);
  return problems.front();
}

}  // namespace

TEST_CASE("the valid record and the reference example validate") {
  CHECK(validate(k_valid).empty());
  std::ifstream in(CANDOR_TEST_DATA "/example-record.yaml");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(validate(text.str()).empty());
}

TEST_CASE("an unknown key is located at the key, with the nearest known key as a hint") {
  const Problem p = only(validate(replace(k_valid, "bias:", "bais:")));
  CHECK(p.code == "schema.unknown-field");
  CHECK(p.path == "bais");
  CHECK(p.position == Position{18, 1});
  CHECK(p.hint == "did you mean 'bias'?");
}

TEST_CASE("a typo inside a list item is located there") {
  const Problem p = only(validate(replace(k_valid, "      protected_characteristics",
                                           "      protected_characteristic")));
  CHECK(p.code == "schema.unknown-field");
  CHECK(p.path == "bias.testing[0].protected_characteristic");
  CHECK(p.position == Position{21, 7});
  CHECK(p.hint == "did you mean 'protected_characteristics'?");
}

TEST_CASE("a YAML 1.1 boolean gets its own explanation") {
  const Problem p = only(validate(replace(k_valid, "public_authority: true", "public_authority: yes")));
  CHECK(p.code == "schema.boolean-literal");
  CHECK(p.path == "organisation.public_authority");
  CHECK(p.position == Position{7, 21});
  CHECK(p.message == "'organisation.public_authority' must be true or false, not 'yes'");
}

TEST_CASE("a quoted true is text, not a boolean") {
  const Problem p = only(validate(replace(k_valid, "public_authority: true", "public_authority: \"true\"")));
  CHECK(p.code == "schema.type");
}

TEST_CASE("a number where text is expected suggests quoting") {
  const Problem p = only(validate(k_valid + "supplier:\n  companies_house_number: 12345678\n"));
  CHECK(p.code == "schema.type");
  CHECK(p.path == "supplier.companies_house_number");
  CHECK(p.position == Position{23, 27});
  CHECK(p.hint == "put the value in quotes: \"12345678\"");
}

TEST_CASE("a value outside a closed list names the allowed values and the nearest one") {
  const Problem p = only(validate(replace(k_valid, "phase: production", "phase: prodution")));
  CHECK(p.code == "schema.enum");
  CHECK(p.path == "phase");
  CHECK(p.position == Position{11, 8});
  CHECK(p.hint.rfind("did you mean 'production'? allowed: idea, pre-deployment", 0) == 0);
}

TEST_CASE("dates must be real calendar dates") {
  const Problem p = only(validate(replace(k_valid, "start_date: 2026-02-02", "start_date: 2026-02-30")));
  CHECK(p.code == "schema.date");
  CHECK(p.path == "deployment.start_date");
  CHECK(p.position == Position{17, 15});
  CHECK(validate(replace(k_valid, "start_date: 2026-02-02", "start_date: 2024-02-29")).empty());
  CHECK(only(validate(replace(k_valid, "start_date: 2026-02-02", "start_date: 2100-02-29"))).code ==
        "schema.date");
  CHECK(only(validate(replace(k_valid, "start_date: 2026-02-02", "start_date: 02/02/2026"))).code ==
        "schema.date");
}

TEST_CASE("e-mail addresses and https URLs are checked") {
  CHECK(only(validate(replace(k_valid, "custody-ai@northshire.police.example", "custody-ai"))).code ==
        "schema.email");
  const Problem http = only(validate(replace(k_valid, "https://www.northshire", "http://www.northshire")));
  CHECK(http.code == "schema.url");
  CHECK(http.path == "contact.url");
  CHECK(only(validate(replace(k_valid, "https://www.northshire.police.example/ai", "not a url"))).code ==
        "schema.url");
}

TEST_CASE("a missing required field is reported at its parent") {
  const Problem p = only(validate(replace(k_valid, "  name: Northshire Constabulary\n", "")));
  CHECK(p.code == "schema.required");
  CHECK(p.path == "organisation.name");
  CHECK(p.position == Position{4, 3});
  CHECK(p.message == "required field 'organisation.name' is missing");
}

TEST_CASE("the schema identifier is fixed") {
  const Problem p = only(validate(replace(k_valid, "candor.record/v1", "candor.record/v2")));
  CHECK(p.code == "schema.const");
  CHECK(p.position == Position{1, 9});
}

TEST_CASE("slugs are checked") {
  const Problem p = only(validate(replace(k_valid, "id: custody-notes-assistant", "id: Custody Notes")));
  CHECK(p.code == "schema.pattern");
  CHECK(p.path == "id");
}

TEST_CASE("every problem is reported in one run, in document order") {
  std::string text = replace(k_valid, "phase: production", "phase: live");
  text = replace(text, "public_authority: true", "public_authority: on");
  text = replace(text, "bias:", "bais:");
  text = replace(text, "start_date: 2026-02-02", "start_date: 2026-13-01");
  const Problems problems = validate(text);
  REQUIRE(problems.size() == 4);
  CHECK(problems[0].position.line == 7);
  CHECK(problems[1].position.line == 11);
  CHECK(problems[2].position.line == 17);
  CHECK(problems[3].position.line == 18);
}

TEST_CASE("a record that is not a mapping is explained") {
  const Problem p = only(validate("- just\n- a list\n"));
  CHECK(p.code == "schema.type");
  CHECK(p.path.empty());
  CHECK(p.message.find("must be a mapping of fields") != std::string::npos);
}

TEST_CASE("very long strings do not reach the pattern engine") {
  const std::string long_id(200000, 'a');
  const Problems problems = validate(replace(k_valid, "id: custody-notes-assistant", "id: " + long_id));
  REQUIRE_FALSE(problems.empty());
  CHECK(problems.front().code == "schema.too-long");
}

TEST_CASE("validation is safe from several threads at once") {
  auto doc = load_document(replace(k_valid, "phase: production", "phase: live"), "r.yaml");
  REQUIRE(doc.ok());
  const SchemaValidator& validator = SchemaValidator::record_v1();
  std::vector<std::size_t> counts(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < counts.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) counts[t] += validator.validate(doc.value()).size();
    });
  }
  for (auto& th : threads) th.join();
  for (auto c : counts) CHECK(c == 50);
}

TEST_CASE("a broken schema is a programmer error") {
  CHECK_THROWS_AS(SchemaValidator("{not json"), std::invalid_argument);
}
