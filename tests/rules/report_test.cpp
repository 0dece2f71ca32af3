// check_record and the text, JSON, JUnit and HTML writers, on a small pack and hostile records.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <regex>

#include "report_test_support.h"
#include "xml_check.h"

namespace candor::rules::testing {
namespace {

using Json = nlohmann::json;

const ReportFinding* find(const RecordReport& r, std::string_view rule) {
  for (const ReportFinding& f : r.findings) {
    if (f.finding.rule_id == rule) return &f;
  }
  return nullptr;
}

WaiverList waive_t_err(const char* granted, const char* expires) {
  auto result = load_waivers_text(
      std::string(
          "apiVersion: candor.waivers/v1\nkind: WaiverList\nwaivers:\n"
          "  - {rule: T-ERR, record: hostile-record, justification: \"Name <pending> & soon\", "
          "approved_by: CDO, ticket: GOV-7, granted_on: ") +
          granted + ", expires_on: " + expires + "}\n",
      "waivers.yaml");
  INFO(describe(result.problems()));
  REQUIRE(result.ok());
  return std::move(result).value();
}

}  // namespace

TEST_CASE("check_record: schema problems become located SCHEMA failures, then every rule runs") {
  const std::vector<Pack> packs{report_pack()};
  const RecordReport r = check_text(k_hostile_record, "hostile.yaml", packs, date("2026-05-01"));
  CHECK(r.parsed);
  CHECK(r.record_id == "hostile-record");
  CHECK(r.organisation_id == "\"><img src=x onerror=alert(1)>");
  REQUIRE_FALSE(r.findings.empty());
  const ReportFinding& schema = r.findings.front();
  CHECK(schema.finding.rule_id == "SCHEMA");
  CHECK(schema.finding.outcome == Outcome::fail);
  CHECK(schema.finding.severity == Severity::error);
  CHECK(schema.finding.position.known());
  CHECK_FALSE(schema.code.empty());
  // The rules come after the schema findings, in pack order.
  REQUIRE(r.findings.size() >= 3);
  CHECK(r.findings[r.findings.size() - 3].finding.rule_id == "T-ERR");
  CHECK(find(r, "T-ERR")->finding.outcome == Outcome::fail);
  CHECK(find(r, "T-ERR")->finding.file == "hostile.yaml");
  CHECK(find(r, "T-WARN")->finding.outcome == Outcome::fail);
  CHECK(find(r, "T-INFO")->finding.outcome == Outcome::not_applicable);
}

TEST_CASE("check_record: a file that is not YAML gives SCHEMA failures and runs no rule") {
  const std::vector<Pack> packs{report_pack()};
  const RecordReport r = check_text("a: [1, 2\n", "broken.yaml", packs, date("2026-05-01"));
  CHECK_FALSE(r.parsed);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings.front().finding.rule_id == "SCHEMA");
  CHECK(r.findings.front().code == "yaml.syntax");
  CHECK(r.findings.front().finding.file == "broken.yaml");
}

TEST_CASE("check_record: a valid record gets one SCHEMA pass") {
  const std::vector<Pack> packs{report_pack()};
  const RecordReport r = check_text(k_good_record, "good.yaml", packs, date("2026-05-01"));
  REQUIRE_FALSE(r.findings.empty());
  CHECK(r.findings.front().finding.rule_id == "SCHEMA");
  CHECK(r.findings.front().finding.outcome == Outcome::pass);
  CHECK(r.findings.size() == 4);
}

TEST_CASE("report: counts and the fail-on threshold") {
  const std::vector<Pack> packs{report_pack()};
  Report report = sample_report(packs);
  const ReportCounts c = report.counts();
  CHECK(c.records == 2);
  CHECK(c.records_failed == 1);
  CHECK(c.records_passed == 1);
  CHECK(c.warnings == 1);
  CHECK(c.infos == 1);  // the good record is in production without a note
  CHECK(report.has_failures_at_or_above(Severity::error));
  report.records.erase(report.records.begin());
  CHECK_FALSE(report.has_failures_at_or_above(Severity::error));
  CHECK_FALSE(report.has_failures_at_or_above(Severity::warning));
  CHECK(report.has_failures_at_or_above(Severity::info));
  CHECK(recommendation_name(1) == "Transparency");
  CHECK(recommendation_name(6) == "Security");
  CHECK(recommendation_name(7).empty());
}

TEST_CASE("text: compiler-style lines with remediation, then one summary line") {
  const std::vector<Pack> packs{report_pack()};
  const std::string text = text_of(sample_report(packs));
  const auto ls = lines(text);
  REQUIRE(ls.size() > 3);
  const std::regex finding(
      R"(^records/(hostile|good)\.yaml(:\d+:\d+)?: (error|warning|info|waived): \[[A-Z-]+\] .+$)");
  std::size_t findings = 0;
  for (std::size_t i = 0; i + 1 < ls.size(); ++i) {
    if (ls[i].starts_with("  ")) continue;
    INFO(ls[i]);
    CHECK(std::regex_match(ls[i], finding));
    ++findings;
  }
  CHECK(findings >= 4);
  CHECK(text.find("records/hostile.yaml:6:1: error: [T-ERR] The tool has no name.\n"
                  "  remediation: Set tool.name.\n") != std::string::npos);
  CHECK(text.find(
            "] The description <script>alert('x')</script> & \"quotes\"  bell is not safe.\n") !=
        std::string::npos);
  CHECK(text.find('\x07') == std::string::npos);
  const ReportCounts c = sample_report(packs).counts();
  CHECK(c.errors >= 2);  // schema problems and T-ERR
  CHECK(ls.back() == "2 records: 1 passed, 1 failed; " +
                         std::to_string(c.pass + c.fail + c.waived + c.not_applicable) +
                         " checks: 3 passed, " + std::to_string(c.errors) +
                         " errors, 1 warning, 1 info, 0 waived, 1 not applicable");
}

TEST_CASE("text: waived and expired-waiver findings say so") {
  const std::vector<Pack> packs{report_pack()};
  const WaiverList active = waive_t_err("2026-05-01", "2026-09-01");
  const std::string waived = text_of(sample_report(packs, &active, date("2026-06-01")));
  CHECK(waived.find("records/hostile.yaml:6:1: waived: [T-ERR] The tool has no name. (error)\n"
                    "  waived: Name <pending> & soon (approved by CDO, GOV-7, expires on "
                    "2026-09-01)\n") != std::string::npos);
  CHECK(lines(waived).back().find(", 1 waived,") != std::string::npos);

  const std::string expired = text_of(sample_report(packs, &active, date("2026-09-01")));
  CHECK(expired.find("records/hostile.yaml:6:1: error: [T-ERR] The tool has no name.\n"
                     "  waiver expired on 2026-09-01 (GOV-7, approved by CDO)\n") !=
        std::string::npos);
  CHECK(lines(expired).back().find(", 0 waived,") != std::string::npos);
}

TEST_CASE("json: the documented candor.report/v1 structure") {
  const std::vector<Pack> packs{report_pack()};
  const WaiverList active = waive_t_err("2026-05-01", "2026-09-01");
  const Json j = Json::parse(json_of(sample_report(packs, &active, date("2026-06-01"))));
  CHECK(j["format"] == "candor.report/v1");
  CHECK(j["generator"]["version"] == "9.9.9");
  CHECK(j["as_of"] == "2026-06-01");
  CHECK(j["fail_on"] == "error");
  CHECK(j["waivers"]["used"] == true);
  CHECK(j["waivers"]["file"] == "waivers.yaml");
  CHECK(j["packs"][0]["name"] == "test-pack");
  CHECK(j["rules"][0]["id"] == "SCHEMA");
  CHECK(j["rules"][1]["id"] == "T-ERR");
  CHECK(j["rules"][1]["sources"][0]["url"] == "https://example.org/a?x=1&y=2");
  CHECK(j["rules"][2]["recommendation_name"] == "Bias and reliability");
  REQUIRE(j["records"].size() == 2);
  const Json& hostile = j["records"][0];
  CHECK(hostile["file"] == "records/hostile.yaml");
  CHECK(hostile["record_id"] == "hostile-record");
  CHECK(hostile["status"] == "fail");  // the schema errors remain
  const Json* t_err = nullptr;
  for (const Json& f : hostile["findings"]) {
    if (f["rule_id"] == "T-ERR") t_err = &f;
    CHECK(f.contains("location"));
    CHECK(f.contains("evidence"));
  }
  REQUIRE(t_err != nullptr);
  CHECK((*t_err)["outcome"] == "waived");
  CHECK((*t_err)["severity"] == "error");
  CHECK((*t_err)["location"]["line"] == 6);
  CHECK((*t_err)["waiver"]["state"] == "active");
  CHECK((*t_err)["waiver"]["ticket"] == "GOV-7");
  CHECK((*t_err)["waiver"]["expires_on"] == "2026-09-01");
  const Json& good = j["records"][1];
  CHECK(good["status"] == "pass");
  CHECK(good["findings"][0]["rule_id"] == "SCHEMA");
  CHECK(j["summary"]["records"] == 2);
  CHECK(j["summary"]["waived"] == 1);
  CHECK(j["summary"]["failures_by_severity"]["warning"] == 1);
  CHECK(j["errors"].empty());
}

TEST_CASE("junit: well-formed XML, one suite per record, one case per rule") {
  const std::vector<Pack> packs{report_pack()};
  const WaiverList active = waive_t_err("2026-05-01", "2026-09-01");
  const std::string xml = junit_of(sample_report(packs, &active, date("2026-06-01")));
  INFO(xml);
  CHECK(candor::test::check_well_formed(xml) == "");
  CHECK(xml.starts_with(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"candor check\" tests=\"8\""));
  CHECK(xml.find("<testsuite name=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;/hostile-record\" "
                 "tests=\"4\"") != std::string::npos);
  CHECK(xml.find("<testsuite name=\"good-org/good-record\" tests=\"4\" failures=\"1\" errors=\"0\" "
                 "skipped=\"0\">") != std::string::npos);
  CHECK(xml.find("<skipped message=\"waived: Name &lt;pending&gt; &amp; soon") !=
        std::string::npos);
  CHECK(xml.find("<skipped message=\"not applicable: No contact e-mail.\"/>") != std::string::npos);
  CHECK(xml.find("<failure type=\"warning\" message=\"The description &lt;script&gt;") !=
        std::string::npos);
  CHECK(xml.find("<script") == std::string::npos);
  CHECK(xml.find("<img") == std::string::npos);
}

TEST_CASE("junit: characters XML cannot carry are replaced, and unreadable records are skipped") {
  const std::vector<Pack> packs{report_pack()};
  Report report = make_report(packs, date("2026-06-01"), Severity::error);
  report.records.push_back(check_text("a: [1, 2\n", "bad\x01name.yaml", packs, date("2026-06-01")));
  const std::string xml = junit_of(report);
  CHECK(candor::test::check_well_formed(xml) == "");
  CHECK(xml.find('\x01') == std::string::npos);
  CHECK(xml.find("bad\xEF\xBF\xBDname.yaml") != std::string::npos);
  CHECK(xml.find("<skipped message=\"not run: the file could not be read as YAML\"/>") !=
        std::string::npos);
}

TEST_CASE("html: one self-contained page with everything escaped") {
  const std::vector<Pack> packs{report_pack()};
  const WaiverList active = waive_t_err("2026-05-01", "2026-09-01");
  const std::string html = html_of(sample_report(packs, &active, date("2026-06-01")));
  INFO(html.substr(0, 3000));
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(candor::test::check_well_formed(html, {"meta", "br"}) == "");
  // Hostile record text appears only escaped.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  // Pack text too, and only http(s) links become links.
  CHECK(html.find("Source &lt;b&gt;one&lt;/b&gt; &amp; co") != std::string::npos);
  CHECK(html.find("href=\"https://example.org/a?x=1&amp;y=2\"") != std::string::npos);
  CHECK(html.find("javascript:") == std::string::npos);
  CHECK(html.find("Name &lt;pending&gt; &amp; soon") != std::string::npos);
  // Self-contained: no scripts, no external stylesheets, images or frames.
  for (const char* banned : {"<link", " src=\"", "<iframe", "<object", "@import", "url("}) {
    INFO(banned);
    CHECK(html.find(banned) == std::string::npos);
  }
  // Summary by recommendation and severity, then each record.
  for (const char* expected : {"1. Transparency", "4. Bias and reliability", "6. Security",
                               "Record schema", "By recommendation", "Remediation",
                               "id=\"record-1\"", "id=\"record-2\"", "good-org / good-record"}) {
    INFO(expected);
    if (std::string_view(expected) == "Remediation") {
      CHECK(html.find("What to do:</strong> Set tool.name.") !=
            std::string::npos);  // waived, still shown
      CHECK(html.find("What to do:</strong> Write a safe description.") != std::string::npos);
      continue;
    }
    CHECK(html.find(expected) != std::string::npos);
  }
}

}  // namespace candor::rules::testing
