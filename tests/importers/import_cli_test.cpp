// `candor import` as a user runs it (the real binary): the US sample, field by field; malformed
// CSV; loading the output into a fresh register and checking it; the Dutch and UK importers.
#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "candor/importers/csv.h"
#include "candor_run.h"
#include "import_test_support.h"
#include "test_files.h"

namespace {

namespace fs = std::filesystem;
using candor::test::read_file;
using candor::test::lower;
using candor::test::describe;
using candor::test::run_candor;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "candor-import-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string data(const std::string& name) {
  return std::string(CANDOR_TEST_DATA) + "/importers/" + name;
}

std::vector<std::string> yaml_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".yaml") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The output record of each source row, found by the "row N (line L)" of its header comment.
std::map<std::size_t, YAML::Node> records_by_row(const std::string& dir) {
  std::map<std::size_t, YAML::Node> out;
  const std::regex row_comment("# Source: [^\\n]*, row ([0-9]+)");
  for (const auto& file : yaml_files(dir)) {
    const std::string text = read_file(file);
    std::smatch m;
    if (std::regex_search(text, m, row_comment)) out[std::stoul(m[1])] = YAML::Load(text);
  }
  return out;
}

}  // namespace

using namespace candor::importers::test;

TEST_CASE("import cli: the US 40-row sample imports with no row rejected, every record valid") {
  TempDir tmp;
  const auto r = run_candor({"import", "--from", "us-omb-2025", data("us-omb-2025-sample40.csv"),
                             "--out", tmp / "out", "--imported-on", "2026-11-26"});
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("40 rows read, 40 records written to " + (tmp / "out") + ", 0 rows rejected") !=
        std::string::npos);
  CHECK(r.err.empty());  // no progress without a terminal
  CHECK(yaml_files(tmp / "out").size() == 40);
  const auto v = run_candor({"validate", tmp / "out"});
  INFO(describe(v));
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("40 files checked: 40 valid, 0 invalid") != std::string::npos);

  // Importing again gives the same files, byte for byte.
  const auto again =
      run_candor({"import", "--from", "us-omb-2025", data("us-omb-2025-sample40.csv"), "--out",
                  tmp / "again", "--imported-on", "2026-11-26"});
  REQUIRE(again.exit_code == 0);
  for (const auto& file : yaml_files(tmp / "out")) {
    CHECK(read_file(file) == read_file(tmp / ("again/" + fs::path(file).filename().string())));
  }
}

TEST_CASE("import cli: every non-empty cell of the US sample is in its record, mapped or kept") {
  TempDir tmp;
  const auto r = run_candor({"import", "--from", "us-omb-2025", data("us-omb-2025-sample40.csv"),
                             "--out", tmp / "out", "--imported-on", "2026-11-26"});
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  const auto records = records_by_row(tmp / "out");
  REQUIRE(records.size() == 40);
  const auto table =
      candor::importers::read_csv(read_file(data("us-omb-2025-sample40.csv")), "s.csv");
  REQUIRE(table.rows.size() == 40);

  // Where a mapped column's value lands, and how it is converted (docs/importers.md).
  const std::map<std::string, std::string> phase = {{"Pre-deployment", "pre-deployment"},
                                                    {"Pilot", "pilot"},
                                                    {"Deployed", "production"},
                                                    {"Retired", "retired"}};
  const std::map<std::string,
                 std::pair<std::string, std::function<std::string(const std::string&)>>>
      mapped = {
          {"agency", {"organisation.id", [](const std::string& v) { return lower(v); }}},
          {"agency_name", {"organisation.name", nullptr}},
          {"id", {"record.provenance.source_id", nullptr}},
          {"use_case_name", {"tool.name", nullptr}},
          {"agency_bureau", {"organisation.team", nullptr}},
          {"contact_email", {"contact.email", nullptr}},
          {"development_stage", {"phase", [&](const std::string& v) { return phase.at(v); }}},
          {"problem_solved", {"purpose.problem_statement", nullptr}},
          {"benefits", {"purpose.public_benefit", nullptr}},
          {"operational_date", {"deployment.start_date", nullptr}},
          {"vendor_name", {"supplier.name", nullptr}},
          {"has_pii",
           {"personal_data.processed",
            [](const std::string& v) { return v == "Yes" ? "true" : "false"; }}},
          {"pia_url", {"privacy.dpia.url", nullptr}},
      };
  std::size_t cells = 0, in_fields = 0, in_extensions = 0;
  for (const auto& row : table.rows) {
    REQUIRE(row.problems.empty());
    const YAML::Node& record = records.at(row.number);
    for (std::size_t i = 0; i < table.header.size(); ++i) {
      const std::string& column = table.header[i];
      const std::string& cell = row.fields[i];
      if (cell.empty() || cell == "[]") continue;
      ++cells;
      INFO("row " << row.number << ", column " << column << ": " << cell);
      bool found = false;
      if (auto it = mapped.find(column); it != mapped.end()) {
        const std::string expected = it->second.second ? it->second.second(cell) : cell;
        if (str(record, it->second.first) == expected) {
          found = true;
          ++in_fields;
        }
      }
      const YAML::Node kept = at(record, "extensions.us_omb_2025." + column);
      if (!found && kept) {
        if (kept.IsScalar() && kept.Scalar() == cell) found = true;
        if (kept.IsSequence()) {
          const auto list = candor::importers::test::at(record, "extensions.us_omb_2025." + column);
          std::vector<std::string> items;
          for (const auto& item : list) items.push_back(item.as<std::string>());
          // The cell is a Python list literal of these items.
          std::string rebuilt = "[";
          for (std::size_t k = 0; k < items.size(); ++k)
            rebuilt += (k ? ", '" : "'") + items[k] + "'";
          rebuilt += "]";
          found = rebuilt == cell;
        }
        if (found) ++in_extensions;
      }
      CHECK(found);
    }
  }
  CHECK(cells > 500);
  CHECK(in_fields > 0);
  CHECK(in_extensions > 0);
}

TEST_CASE("import cli: malformed CSV gives row-numbered errors, the other rows are imported") {
  TempDir tmp;
  const std::string header_only = us_csv({});
  auto row_of = [&](const Cells& cells) { return us_csv({cells}).substr(header_only.size()); };
  std::string text = us_csv({{{"id", "OK-1"}}});                              // row 1, line 2
  text += "DOJ,Department of Justice,BAD-1,Too few columns\r\n";              // row 2, line 3
  text += row_of({{"id", "BAD-2"}, {"use_case_name", "bad \xC3\x28 utf8"}});  // row 3, line 4
  text += row_of({{"id", "OK-2"}});                                           // row 4, line 5
  text += "DOJ,\"Department of Justice,never closed\r\n";                     // row 5, line 6
  const std::string file = tmp.write("broken.csv", text);
  const auto r = run_candor({"import", "--from", "us-omb-2025", file, "--out", tmp / "out",
                             "--imported-on", "2026-11-26"});
  INFO(describe(r));
  CHECK(r.exit_code == 1);
  CHECK(r.signal == 0);
  CHECK(r.out.find("row 2 (line 3): has 4 fields, the header has 36") != std::string::npos);
  CHECK(r.out.find(file + ":3:1:") != std::string::npos);
  CHECK(r.out.find(file + ":4:") != std::string::npos);
  CHECK(r.out.find("row 3 (line 4): the field 'use_case_name' is not valid UTF-8") !=
        std::string::npos);
  CHECK(r.out.find(file + ":6:") != std::string::npos);
  CHECK(r.out.find("row 5 (line 6)") != std::string::npos);
  CHECK(r.out.find("never closed") != std::string::npos);
  CHECK(r.out.find("5 rows read, 2 records written to " + (tmp / "out") + ", 3 rows rejected") !=
        std::string::npos);
  CHECK(yaml_files(tmp / "out").size() == 2);
}

TEST_CASE("import cli: unusable input exits 2 with a message") {
  TempDir tmp;
  CHECK(run_candor({"import", "--from", "xx", data("us-omb-2025-sample40.csv"), "--out", tmp / "o"})
            .exit_code == 2);
  CHECK(run_candor({"import", "--from", "us-omb-2025", tmp / "missing.csv", "--out", tmp / "o"})
            .exit_code == 2);
  const auto big = run_candor({"import", "--from", "us-omb-2025", data("us-omb-2025-sample40.csv"),
                               "--out", tmp / "o", "--max-bytes", "1000"});
  CHECK(big.exit_code == 2);
  const auto submit =
      run_candor({"import", "--from", "us-omb-2025", data("us-omb-2025-sample40.csv"), "--out",
                  tmp / "o", "--submit"});
  CHECK(submit.exit_code == 2);
  CHECK(submit.err.find("--submit needs --server") != std::string::npos);
}

TEST_CASE("import cli: the US sample loads into a fresh register and gets its compliance report") {
  TempDir tmp;
  const auto keygen =
      run_candor({"keygen", "--name", "example.org/ai-register", "--out", tmp / "keys"});
  INFO(describe(keygen));
  REQUIRE(keygen.exit_code == 0);
  const std::string db = tmp / "register.db";
  const auto init = run_candor(
      {"register", "init", "--db", db, "--key", tmp / "keys/example.org-ai-register.skey"});
  INFO(describe(init));
  REQUIRE(init.exit_code == 0);
  const auto imported =
      run_candor({"import", "--from", "us-omb-2025", data("us-omb-2025-sample40.csv"), "--out",
                  tmp / "records", "--imported-on", "2026-11-26"});
  REQUIRE(imported.exit_code == 0);

  // One organisation's records, as its submitter would file them.
  std::vector<std::string> doj;
  for (const auto& f : yaml_files(tmp / "records")) {
    if (fs::path(f).filename().string().rfind("doj--", 0) == 0) doj.push_back(f);
  }
  REQUIRE(doj.size() == 4);
  std::vector<std::string> args = {"register", "add"};
  args.insert(args.end(), doj.begin(), doj.end());
  args.insert(args.end(), {"--db", db, "--org", "doj", "--receipts", tmp / "receipts"});
  const auto per_org = run_candor(args);
  INFO(describe(per_org));
  CHECK(per_org.exit_code == 0);
  CHECK(per_org.out.find("4 files: 4 added, 0 unchanged, 0 rejected") != std::string::npos);

  // Then the whole inventory at once, as the operator.
  const auto all = run_candor({"register", "add", tmp / "records", "--db", db, "--any-org",
                               "--receipts", tmp / "receipts"});
  INFO(describe(all));
  CHECK(all.exit_code == 0);
  CHECK(all.out.find("40 files: 36 added, 4 unchanged, 0 rejected; the log has 40 entries") !=
        std::string::npos);

  // Day one: the body's compliance report.
  const auto check = run_candor({"check", tmp / "records", "--format", "html", "--output",
                                 tmp / "report.html", "--as-of", "2026-11-26"});
  INFO(describe(check));
  CHECK((check.exit_code == 0 || check.exit_code == 1));
  const std::string html = read_file(tmp / "report.html");
  CHECK(html.find("<html") != std::string::npos);
  CHECK(html.find("TRN-004") != std::string::npos);  // rows without a stage: phase is missing
}

TEST_CASE("import cli: the Dutch register's CSV and JSON exports import, the bad row is reported") {
  TempDir tmp;
  for (const std::string name :
       {"nl-algoritmeregister-sample3.csv", "nl-algoritmeregister-sample3.json"}) {
    const auto r = run_candor({"import", "--from", "nl-algoritmeregister", data(name), "--out",
                               tmp / name, "--imported-on", "2026-11-26"});
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("3 rows read, 2 records written to " + (tmp / name) + ", 1 row rejected") !=
          std::string::npos);
    CHECK(r.out.find("row 3") != std::string::npos);
    const auto v = run_candor({"validate", tmp / name});
    INFO(describe(v));
    CHECK(v.exit_code == 0);
  }
}

TEST_CASE("import cli: UK ATRS summaries are partial, and candor check says what to add") {
  TempDir tmp;
  const auto r = run_candor({"import", "--from", "uk-atrs", data("uk-atrs-sample20.json"), "--out",
                             tmp / "uk", "--imported-on", "2026-11-26"});
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("20 rows read, 20 records written") != std::string::npos);
  CHECK(r.out.find("20 records are summaries without fields the schema requires") !=
        std::string::npos);
  const auto check = run_candor({"check", tmp / "uk", "--as-of", "2026-11-26"});
  INFO(describe(check));
  CHECK(check.exit_code != 0);
  CHECK(check.out.find("required field 'mission_area' is missing") != std::string::npos);
  CHECK(check.out.find("required field 'organisation' is missing") != std::string::npos);
}
