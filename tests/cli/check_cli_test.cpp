// `candor check` and `candor rules` as a user runs them: the real binary, its exit codes and its
// reports. The valid examples say in their header which rules they fail at 2026-11-26
// (`# expect-fail: TRN-006, GOV-003` or `none`); the invalid ones say which problem they hold
// (`# expect: LINE:COL CODE ...`).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "process.h"
#include "sarif_validation.h"
#include "xml_check.h"
#include "test_files.h"
#include "candor_run.h"

namespace {

namespace fs = std::filesystem;
using candor::test::read_file;
using candor::test::run_candor;
using candor::test::describe;
using Json = nlohmann::json;
using candor::test::ProcessResult;
using candor::test::run_process;

const fs::path k_source = CANDOR_SOURCE_DIR;
const std::string k_valid = (k_source / "schemas" / "examples" / "valid").string();
const std::string k_invalid = (k_source / "schemas" / "examples" / "invalid").string();
const std::string k_pack = (k_source / "rules" / "packs" / "uk-public-sector").string();
const std::string k_as_of = "2026-11-26";
const std::string k_tribunals =
    k_valid + "/tribunals-listing-service--hearing-duration-estimator.yaml";

std::string header_value(const fs::path& file, const std::string& prefix) {
  std::ifstream in(file, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(prefix)) return line.substr(prefix.size());
  }
  return {};
}

std::set<std::string> split_ids(const std::string& list) {
  std::set<std::string> ids;
  if (list == "none") return ids;
  std::stringstream in(list);
  for (std::string id; std::getline(in, id, ',');) {
    id.erase(0, id.find_first_not_of(' '));
    id.erase(id.find_last_not_of(' ') + 1);
    if (!id.empty()) ids.insert(id);
  }
  return ids;
}

Json json_report(const std::vector<std::string>& args, int expected_exit) {
  std::vector<std::string> all = {"check", "--format", "json"};
  all.insert(all.end(), args.begin(), args.end());
  const ProcessResult r = run_candor(all);
  INFO(describe(r));
  REQUIRE(r.exit_code == expected_exit);
  return Json::parse(r.out);
}

const Json& record_for(const Json& report, const std::string& file_suffix) {
  for (const Json& r : report["records"]) {
    if (r["file"].get<std::string>().ends_with(file_suffix)) return r;
  }
  FAIL("no record for " << file_suffix);
  static const Json none;
  return none;
}

std::string outcome_of(const Json& record, const std::string& rule) {
  for (const Json& f : record["findings"]) {
    if (f["rule_id"] == rule) return f["outcome"];
  }
  return "(absent)";
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "candor-check-test-XXXXXX").string();
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
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string waiver_file(const std::string& rule, const std::string& granted,
                        const std::string& expires) {
  return "apiVersion: candor.waivers/v1\n"
         "kind: WaiverList\n"
         "waivers:\n"
         "  - rule: " +
         rule +
         "\n"
         "    record: hearing-duration-estimator\n"
         "    organisation: tribunals-listing-service\n"
         "    justification: Threat modelling is booked with the security team for January.\n"
         "    approved_by: Director of Listing Operations\n"
         "    ticket: TLS-42\n"
         "    granted_on: " +
         granted +
         "\n"
         "    expires_on: " +
         expires + "\n";
}

// A record whose fields reach rule messages through {{placeholders}}.
const std::string k_hostile_record =
    "schema: candor.record/v1\n"
    "id: hostile\n"
    "organisation:\n"
    "  id: hostile-org\n"
    "  name: \"\\\"><img src=x onerror=alert(1)>\"\n"
    "mission_area: growth\n"
    "tool:\n"
    "  name: \"<script>alert('name')</script>\"\n"
    "  type: generative\n"
    "phase: production\n"
    "supplier:\n"
    "  external: true\n"
    "  name: Supplier & Sons <b>\n"
    "  role: \"\\\"><svg onload=alert(2)>\"\n"
    "  companies_house_number: \"<script>alert(3)</script>\"\n"
    "governance:\n"
    "  review_cycle_months: 99\n";

}  // namespace

TEST_CASE("check: each valid example fails exactly the rules its header names") {
  const Json report = json_report({k_valid, "--as-of", k_as_of}, 1);
  REQUIRE(report["format"] == "candor.report/v1");
  REQUIRE(report["as_of"] == k_as_of);
  std::size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(k_valid)) {
    if (entry.path().extension() != ".yaml") continue;
    const std::string header = header_value(entry.path(), "# expect-fail: ");
    INFO(entry.path().filename().string());
    REQUIRE_FALSE(header.empty());
    const Json& record = record_for(report, entry.path().filename().string());
    std::set<std::string> failed;
    for (const Json& f : record["findings"]) {
      if (f["outcome"] == "fail") failed.insert(f["rule_id"].get<std::string>());
      if (f["rule_id"] == "SCHEMA") CHECK(f["outcome"] == "pass");
    }
    CHECK(failed == split_ids(header));
    CHECK(record["findings"].size() == 49);  // SCHEMA + 48 rules
    ++checked;
  }
  CHECK(checked == report["records"].size());
  CHECK(checked >= 17);
}

TEST_CASE("check: invalid examples give their SCHEMA finding, and unreadable YAML exits 2") {
  const Json report = json_report({k_invalid, "--as-of", k_as_of}, 2);
  std::size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(k_invalid)) {
    if (entry.path().extension() != ".yaml") continue;
    const std::string expect = header_value(entry.path(), "# expect: ");
    INFO(entry.path().filename().string() << ": " << expect);
    REQUIRE_FALSE(expect.empty());
    const std::string where = expect.substr(0, expect.find(' '));
    const std::string code =
        expect.substr(where.size() + 1, expect.find(' ', where.size() + 1) - where.size() - 1);
    const Json& record = record_for(report, entry.path().filename().string());
    bool found = false;
    for (const Json& f : record["findings"]) {
      if (f["rule_id"] != "SCHEMA" || f["outcome"] != "fail") continue;
      const std::string at = std::to_string(f["location"]["line"].get<int>()) + ":" +
                             std::to_string(f["location"]["column"].get<int>());
      found = found || (f["code"] == code && at == where);
      CHECK(f["severity"] == "error");
    }
    CHECK(found);
    // YAML problems stop the record from being read: no rule runs on it.
    CHECK(record["parsed"] == !code.starts_with("yaml."));
    CHECK(record["status"] == (code.starts_with("yaml.") ? "unreadable" : "fail"));
    ++checked;
  }
  CHECK(checked >= 32);

  // One file of each kind alone: a schema problem is a finding (1), unreadable YAML is an error
  // (2).
  CHECK(
      run_candor({"check", k_invalid + "/18-enum-phase-live.yaml", "--as-of", k_as_of}).exit_code ==
      1);
  const ProcessResult syntax =
      run_candor({"check", k_invalid + "/05-syntax-bad-indentation.yaml", "--as-of", k_as_of});
  CHECK(syntax.exit_code == 2);
  CHECK(syntax.out.find("05-syntax-bad-indentation.yaml:18:") != std::string::npos);
  CHECK(syntax.out.find(": error: [SCHEMA] ") != std::string::npos);
}

TEST_CASE("check: text output reads like a compiler and ends with one summary line") {
  const ProcessResult r = run_candor({"check", k_tribunals, "--as-of", k_as_of});
  INFO(describe(r));
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  CHECK(r.out.find(k_tribunals + ":6:3: warning: [TRN-006] ") != std::string::npos);
  CHECK(r.out.find("\n  remediation: ") != std::string::npos);
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.back() ==
        "1 record: 0 passed, 1 failed; 49 checks: 16 passed, 4 errors, 7 warnings, 1 info, "
        "0 waived, 21 not applicable");
  std::size_t summaries = 0;
  for (const auto& line : lines) summaries += line.starts_with("1 record:") ? 1 : 0;
  CHECK(summaries == 1);
}

TEST_CASE("check: --fail-on sets the threshold for exit 1") {
  const std::string warning_only =
      k_valid + "/energy-standards-authority--call-recording-transcription.yaml";
  const std::string clean = k_valid + "/dept-clean-energy--statistics-commentary-agent.yaml";
  CHECK(run_candor({"check", warning_only, "--as-of", k_as_of}).exit_code == 0);
  CHECK(run_candor({"check", warning_only, "--as-of", k_as_of, "--fail-on", "warning"}).exit_code ==
        1);
  CHECK(run_candor({"check", warning_only, "--as-of", k_as_of, "--fail-on", "info"}).exit_code ==
        1);
  CHECK(run_candor({"check", clean, "--as-of", k_as_of, "--fail-on", "info"}).exit_code == 0);
  // Only SEC-007 (info) fails... at this date, the tribunals record fails errors too.
  CHECK(run_candor({"check", k_tribunals, "--as-of", k_as_of, "--fail-on", "error"}).exit_code ==
        1);
}

TEST_CASE("check: usage errors exit 2") {
  CHECK(run_candor({"check", k_tribunals, "--as-of", "2026-02-30"}).exit_code == 2);
  CHECK(run_candor({"check", k_tribunals, "--format", "xml"}).exit_code == 2);
  CHECK(run_candor({"check", k_tribunals, "--fail-on", "critical"}).exit_code == 2);
  CHECK(run_candor({"check", k_tribunals, "--jobs", "0"}).exit_code == 2);
  CHECK(run_candor({"check"}).exit_code == 2);
  const ProcessResult missing = run_candor({"check", "/nonexistent/records", "--as-of", k_as_of});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("/nonexistent/records: error: no such file or directory") !=
        std::string::npos);
  const ProcessResult no_pack = run_candor({"check", k_tribunals, "--rules", "/nonexistent/pack"});
  CHECK(no_pack.exit_code == 2);
  CHECK(no_pack.err.find("/nonexistent/pack: error: no such pack file or directory") !=
        std::string::npos);
}

TEST_CASE("check: a broken rule pack is a located load error (exit 2)") {
  TempDir tmp;
  const std::string pack = tmp.write("pack.yaml",
                                     "apiVersion: candor.rules/v1\n"
                                     "kind: RuleSet\n"
                                     "metadata: {name: broken, version: \"1\"}\n"
                                     "rules:\n"
                                     "  - id: B-1\n"
                                     "    title: broken\n"
                                     "    severity: error\n"
                                     "    recommendation: 1\n"
                                     "    message: m\n"
                                     "    require: {field: a, equal: 1}\n");
  const ProcessResult r = run_candor({"check", k_tribunals, "--rules", pack});
  INFO(describe(r));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(pack + ":10:25: error: unknown operator") != std::string::npos);
}

TEST_CASE("check: two packs may not define the same rule id") {
  const ProcessResult r = run_candor({"check", k_tribunals, "--rules", k_pack, "--rules", k_pack});
  INFO(describe(r));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(": error: rule id TRN-001 is also defined by pack `uk-public-sector`") !=
        std::string::npos);
}

TEST_CASE("check: the built-in pack is the shipped directory, byte for byte") {
  const ProcessResult builtin =
      run_candor({"check", k_valid, "--as-of", k_as_of, "--format", "json"});
  const ProcessResult from_dir =
      run_candor({"check", k_valid, "--as-of", k_as_of, "--format", "json", "--rules", k_pack});
  REQUIRE(builtin.exit_code == 1);
  REQUIRE(from_dir.exit_code == 1);
  CHECK(builtin.out == from_dir.out);
}

TEST_CASE("check: an active waiver waives, an expired one says so, --no-waivers shows all") {
  TempDir tmp;
  const std::string active =
      tmp.write("active.yaml", waiver_file("SEC-001", "2026-11-01", "2027-02-01"));
  const std::string expired =
      tmp.write("expired.yaml", waiver_file("SEC-001", "2026-01-01", "2026-11-26"));

  const Json waived = json_report({k_tribunals, "--as-of", k_as_of, "--waivers", active}, 1);
  const Json& record = waived["records"][0];
  CHECK(outcome_of(record, "SEC-001") == "waived");
  for (const Json& f : record["findings"]) {
    if (f["rule_id"] != "SEC-001") continue;
    CHECK(f["severity"] == "error");
    CHECK(f["waiver"]["state"] == "active");
    CHECK(f["waiver"]["ticket"] == "TLS-42");
    CHECK(f["waiver"]["approved_by"] == "Director of Listing Operations");
    CHECK(f["message"].get<std::string>().starts_with("The tool is live but its threat model"));
  }
  CHECK(waived["summary"]["waived"] == 1);
  CHECK(waived["waivers"]["file"] == active);

  const ProcessResult text =
      run_candor({"check", k_tribunals, "--as-of", k_as_of, "--waivers", active});
  CHECK(text.out.find(": waived: [SEC-001] ") != std::string::npos);
  CHECK(text.out.find("  waived: Threat modelling is booked") != std::string::npos);

  const ProcessResult was =
      run_candor({"check", k_tribunals, "--as-of", k_as_of, "--waivers", expired});
  INFO(describe(was));
  CHECK(was.out.find(": error: [SEC-001] ") != std::string::npos);
  CHECK(
      was.out.find(
          "  waiver expired on 2026-11-26 (TLS-42, approved by Director of Listing Operations)") !=
      std::string::npos);

  const ProcessResult none =
      run_candor({"check", k_tribunals, "--as-of", k_as_of, "--waivers", active, "--no-waivers"});
  CHECK(none.out.find(": error: [SEC-001] ") != std::string::npos);
  CHECK(none.out.find(": waived: ") == std::string::npos);
  CHECK(none.out.find("  waived: ") == std::string::npos);

  // Only the named rule and record are waived: the other failures stay.
  CHECK(outcome_of(record, "SEC-002") == "fail");
}

TEST_CASE("check: a waiver file with mistakes is refused with located problems (exit 2)") {
  TempDir tmp;
  const std::string bad =
      tmp.write("waivers.yaml", waiver_file("SEC-01", "2026-01-01", "2027-06-01"));
  const ProcessResult r = run_candor({"check", k_tribunals, "--as-of", k_as_of, "--waivers", bad});
  INFO(describe(r));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(bad + ":4:11: error: no loaded rule pack has a rule `SEC-01`") !=
        std::string::npos);
  CHECK(r.err.find("did you mean `SEC-001`?") != std::string::npos);
  CHECK(r.err.find(bad + ":11:17: error: the waiver lasts 516 days, more than the 365 allowed") !=
        std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("check: SARIF validates against the official 2.1.0 schema") {
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--sarif-include-passes"}}) {
    std::vector<std::string> args = {"check", k_valid,    k_invalid, "--as-of",
                                     k_as_of, "--format", "sarif"};
    args.insert(args.end(), extra.begin(), extra.end());
    const ProcessResult r = run_candor(args);
    REQUIRE(r.exit_code == 2);
    const Json sarif = Json::parse(r.out);
    CHECK(candor::test::sarif_schema_errors(
              sarif, CANDOR_TEST_DATA "/sarif/sarif-schema-2.1.0.json") == "");
    const Json& run = sarif["runs"][0];
    CHECK(run["columnKind"] == "unicodeCodePoints");
    CHECK(run["tool"]["driver"]["rules"].size() == 49);
    for (const Json& rule : run["tool"]["driver"]["rules"]) CHECK(rule.contains("helpUri"));
    std::set<std::string> kinds;
    for (const Json& result : run["results"]) {
      kinds.insert(result["kind"].get<std::string>());
      CHECK(result.contains("partialFingerprints"));
    }
    CHECK(kinds.count("pass") == (extra.empty() ? 0U : 1U));
    CHECK(kinds.count("notApplicable") == (extra.empty() ? 0U : 1U));
  }
}

TEST_CASE("check: HTML escapes hostile record text, and JUnit is well-formed") {
  TempDir tmp;
  const std::string record = tmp.write("hostile.yaml", k_hostile_record);
  const ProcessResult html = run_candor({"check", record, "--as-of", k_as_of, "--format", "html"});
  INFO(describe(html));
  REQUIRE(html.exit_code == 1);
  CHECK(candor::test::check_well_formed(html.out, {"meta", "br"}) == "");
  for (const char* raw : {"<script", "<img", "<svg", "<b>", "onerror=alert(1)>"}) {
    INFO(raw);
    CHECK(html.out.find(raw) == std::string::npos);
  }
  // The placeholders carried the hostile text into messages, escaped.
  CHECK(html.out.find("&lt;script&gt;alert(3)&lt;/script&gt;") != std::string::npos);
  CHECK(html.out.find("<html lang=\"en\">") != std::string::npos);

  const ProcessResult junit = run_candor(
      {"check", record, k_invalid + "/13-nul-byte.yaml", "--as-of", k_as_of, "--format", "junit"});
  CHECK(junit.exit_code == 2);
  CHECK(candor::test::check_well_formed(junit.out) == "");
  CHECK(junit.out.find("<script") == std::string::npos);
  CHECK(junit.out.find("<testsuite name=\"hostile-org/hostile\" tests=\"49\"") !=
        std::string::npos);
}

TEST_CASE("check: --jobs 1 and --jobs 4 give byte-identical reports in input order") {
  for (const char* format : {"text", "json", "sarif", "junit", "html"}) {
    INFO(format);
    const ProcessResult one = run_candor(
        {"check", k_invalid, k_valid, "--as-of", k_as_of, "--format", format, "--jobs", "1"});
    const ProcessResult four = run_candor(
        {"check", k_invalid, k_valid, "--as-of", k_as_of, "--format", format, "-j", "4"});
    CHECK(one.exit_code == 2);
    CHECK(four.exit_code == 2);
    CHECK(one.out == four.out);
  }
  // Input order: the invalid directory was named first.
  const Json report = json_report({k_invalid, k_valid, "--as-of", k_as_of, "--jobs", "3"}, 2);
  CHECK(report["records"][0]["file"].get<std::string>().ends_with("01-duplicate-key.yaml"));
  CHECK(report["records"].back()["file"].get<std::string>().ends_with(
      "wexmoor-nhs-ft--clinic-letter-drafting.yaml"));
}

TEST_CASE("check: --output writes the report to a file and the summary to stderr") {
  TempDir tmp;
  const std::string out = (tmp.path() / "report.sarif").string();
  const ProcessResult r =
      run_candor({"check", k_tribunals, "--as-of", k_as_of, "--format", "sarif", "-o", out});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.starts_with("1 record: 0 passed, 1 failed;"));
  CHECK(Json::parse(read_file(out))["version"] == "2.1.0");
  CHECK(run_candor({"check", k_tribunals, "-o", "/nonexistent/dir/report.txt"}).exit_code == 2);
}

TEST_CASE("rules test: the shipped pack passes, and the last line counts") {
  const ProcessResult builtin = run_candor({"rules", "test"});
  INFO(describe(builtin));
  CHECK(builtin.exit_code == 0);
  CHECK(builtin.out.ends_with("\n247 passed, 0 failed\n"));
  CHECK(builtin.out.starts_with("uk-public-sector 2026.1: 48 rules, 247 tests\n"));
  const ProcessResult dir = run_candor({"rules", "test", k_pack});
  CHECK(dir.exit_code == 0);
  CHECK(dir.out == builtin.out);
}

TEST_CASE("rules test: failures are located, and a rule without a fail test fails") {
  TempDir tmp;
  const std::string pack =
      tmp.write("pack.yaml",
                "apiVersion: candor.rules/v1\n"
                "kind: RuleSet\n"
                "metadata: {name: mine, version: \"3\"}\n"
                "rules:\n"
                "  - id: M-1\n"
                "    title: named\n"
                "    severity: error\n"
                "    recommendation: 1\n"
                "    message: m\n"
                "    require: {field: tool.name, present: true}\n"
                "    tests:\n"
                "      - {name: named passes, record: {tool: {name: x}}, expect: pass}\n"
                "      - {name: wrong expectation, record: {tool: {name: x}}, expect: fail}\n"
                "  - id: M-2\n"
                "    title: only passes\n"
                "    severity: error\n"
                "    recommendation: 1\n"
                "    message: m\n"
                "    require: {field: a, present: true}\n"
                "    tests:\n"
                "      - {name: p, record: {a: 1}, expect: pass}\n");
  const ProcessResult r = run_candor({"rules", "test", pack});
  INFO(describe(r));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find(pack + ":13:9: FAIL: [M-1] wrong expectation: expected fail, got pass\n") !=
        std::string::npos);
  CHECK(r.out.find("  tool.name = x: present true -> true") != std::string::npos);
  CHECK(r.out.find(pack + ":14:5: FAIL: [M-2] has no `expect: fail` test") != std::string::npos);
  CHECK(r.out.ends_with("\n2 passed, 2 failed\n"));
  CHECK(run_candor({"rules", "test", "/nonexistent"}).exit_code == 2);
}

TEST_CASE("rules docs: RULES.md is what `candor rules docs` generates") {
  const ProcessResult r = run_candor({"rules", "docs"});
  REQUIRE(r.exit_code == 0);
  INFO(
      "regenerate with: candor rules docs rules/packs/uk-public-sector -o "
      "rules/packs/uk-public-sector/RULES.md");
  CHECK(r.out == read_file(k_source / "rules" / "packs" / "uk-public-sector" / "RULES.md"));
  for (const char* id : {"## TRN-001: ", "## GOV-005: ", "## REG-009: ", "## BIA-003: ",
                         "## PRV-010: ", "## SEC-007: "}) {
    CHECK(r.out.find(id) != std::string::npos);
  }
}
