// `candor schema docs`: the field reference is generated from the schema, never written twice.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "process.h"
#include "test_files.h"

using candor::test::run_process;
using candor::test::read_file;

namespace {

}  // namespace

TEST_CASE("docs/record-fields.md is what `candor schema docs` generates") {
  const auto run = run_process({CANDOR_BIN, "schema", "docs"});
  REQUIRE(run.exit_code == 0);
  INFO("regenerate with: candor schema docs -o docs/record-fields.md");
  CHECK(run.out == read_file(CANDOR_SOURCE_DIR "/docs/record-fields.md"));
}

TEST_CASE("the field reference lists every field with its description") {
  const auto run = run_process({CANDOR_BIN, "schema", "docs"});
  REQUIRE(run.exit_code == 0);
  for (const char* row : {"| `organisation.id` |", "| `bias.testing[].protected_characteristics` |",
                          "| `withheld[].reason` |", "| `phase` |"}) {
    INFO(row);
    CHECK(run.out.find(row) != std::string::npos);
  }
  CHECK(run.out.find("police-force") != std::string::npos);
}
