// `candor validate` and `candor schema` as a user runs them: the real binary, its exit codes, its
// text and JSON reports. Every file in schemas/examples/invalid/ starts with the one problem the
// validator must report:
//
//   # expect: <line>:<column> <code> [<path>] <message>
//   # hint: <hint, or "(none)">
//
// Hostile inputs (huge, deep, alias bombs) are generated here in a temporary directory; for them
// the test bounds the child's peak memory, never its running time.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "process.h"
#include "test_files.h"
#include "candor_run.h"

namespace {

namespace fs = std::filesystem;
using candor::test::read_file;
using candor::test::write_file;
using candor::test::run_candor;
using Json = nlohmann::json;
using candor::test::ProcessResult;
using candor::test::run_process;

const fs::path k_source = CANDOR_SOURCE_DIR;
const fs::path k_valid_dir = k_source / "schemas" / "examples" / "valid";
const fs::path k_invalid_dir = k_source / "schemas" / "examples" / "invalid";
const fs::path k_schema_file = k_source / "schemas" / "record.v1.schema.json";
// Hostile inputs may use at most this much memory above what the binary needs to start. The
// start-up figure is measured, not assumed: sanitizer builds map far more than release builds.
constexpr long k_rss_headroom_kib = 100L * 1024;

// A small record that validates; generated inputs start from it.
const std::string k_small_record =
    "schema: candor.record/v1\n"
    "id: grant-application-summaries\n"
    "organisation:\n"
    "  id: northern-growth-agency\n"
    "  name: Northern Growth Agency\n"
    "mission_area: growth\n"
    "tool:\n"
    "  name: Grant application summaries\n"
    "  type: generative\n"
    "phase: pilot\n";

std::string describe_with_rss(const ProcessResult& r) {
  std::ostringstream s;
  s << "exit " << r.exit_code << " (signal " << r.signal << "), peak RSS " << r.peak_rss_kib
    << " KiB (test process " << r.parent_rss_kib << " KiB)\n--- stdout:\n"
    << r.out.substr(0, 4000) << "\n--- stderr:\n" << r.err.substr(0, 4000);
  return s.str();
}

std::vector<fs::path> yaml_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct Expectation {
  unsigned line = 0;
  unsigned column = 0;
  std::string code, path, message;
  std::optional<std::string> hint;  // absent when the file has no "# hint:" line
};

std::optional<Expectation> read_expectation(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string first, second;
  std::getline(in, first);
  std::getline(in, second);
  static const std::regex k_expect(R"(^# expect: (\d+):(\d+) (\S+) \[(.*?)\] (.+)$)");
  std::smatch m;
  if (!std::regex_match(first, m, k_expect)) return std::nullopt;
  Expectation e;
  e.line = static_cast<unsigned>(std::stoul(m[1]));
  e.column = static_cast<unsigned>(std::stoul(m[2]));
  e.code = m[3];
  e.path = m[4];
  e.message = m[5];
  const std::string hint_prefix = "# hint: ";
  if (second.rfind(hint_prefix, 0) == 0) {
    const std::string hint = second.substr(hint_prefix.size());
    e.hint = hint == "(none)" ? std::string() : hint;
  }
  return e;
}

bool matches(const Json& p, const Expectation& e) {
  return p.at("line").get<unsigned>() == e.line && p.at("column").get<unsigned>() == e.column &&
         p.at("code") == e.code && p.at("path") == e.path && p.at("message") == e.message;
}

// The text form the validator promises: "file:line:col: error: message [path]", then the hint.
std::string text_form(const Json& p) {
  std::string s = p.at("file").get<std::string>();
  if (p.at("line").get<unsigned>() != 0) {
    s += ':' + std::to_string(p.at("line").get<unsigned>()) + ':' +
         std::to_string(p.at("column").get<unsigned>());
  }
  s += ": error: " + p.at("message").get<std::string>();
  if (!p.at("path").get<std::string>().empty()) s += " [" + p.at("path").get<std::string>() + "]";
  if (p.contains("hint")) s += "\n  hint: " + p.at("hint").get<std::string>();
  return s;
}

std::string summary_line(std::size_t files, std::size_t invalid, std::size_t problems) {
  return std::to_string(files) + (files == 1 ? " file" : " files") + " checked: " +
         std::to_string(files - invalid) + " valid, " + std::to_string(invalid) + " invalid (" +
         std::to_string(problems) + (problems == 1 ? " problem" : " problems") + ")";
}

// A fresh directory under the system temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "candor-cli-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

// Runs `candor validate --format json FILE` and returns the problems of that one file.
Json json_problems(const ProcessResult& r) {
  const Json report = Json::parse(r.out);
  REQUIRE(report.at("files").size() == 1);
  return report.at("files")[0].at("problems");
}

// A "billion laughs" document: `levels` anchors, each a list of `width` aliases to the previous.
std::string billion_laughs(int levels, int width) {
  std::string s = k_small_record + "extensions:\n  us_omb_2025:\n";
  for (int level = 0; level < levels; ++level) {
    const std::string name = "l" + std::to_string(level);
    s += "    " + name + ": &" + name + " [";
    for (int i = 0; i < width; ++i) {
      if (i) s += ", ";
      s += level == 0 ? std::string("lol") : "*l" + std::to_string(level - 1);
    }
    s += "]\n";
  }
  return s;
}

}  // namespace

TEST_CASE("run_process: captures both streams without deadlock, reports exec failure", "[cli]") {
  SECTION("a program that cannot be executed") {
    const ProcessResult r = run_process({"/nonexistent/candor"});
    CHECK(r.exit_code == 127);
    CHECK(r.err.find("cannot execute /nonexistent/candor") != std::string::npos);
  }
  SECTION("far more than a pipe buffer on standard error, a little on standard output") {
    std::vector<std::string> args = {"validate", "--format", "text"};
    for (int i = 0; i < 2000; ++i) {
      args.push_back("/nonexistent/directory/for/the/cli/test/record-" + std::to_string(i) + ".yaml");
    }
    const ProcessResult r = run_candor(args);
    CHECK(r.exit_code == 2);
    CHECK(r.err.size() > 128 * 1024);  // a pipe holds 64 KiB
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 2 * 2000);  // problem and hint lines
    CHECK(r.out == "0 files checked: 0 valid, 0 invalid (0 problems)\n");
    CHECK(r.peak_rss_kib > 0);
  }
}

TEST_CASE("validate: every valid example passes", "[cli][validate]") {
  const auto files = yaml_files(k_valid_dir);
  REQUIRE_FALSE(files.empty());
  const ProcessResult r = run_candor({"validate", k_valid_dir.string()});
  INFO(describe_with_rss(r));
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines.back() == summary_line(files.size(), 0, 0));
}

TEST_CASE("validate: every invalid example reports exactly its expected problem",
          "[cli][validate]") {
  const auto files = yaml_files(k_invalid_dir);
  REQUIRE(files.size() >= 20);
  static const std::regex k_name(R"(^\d\d-[a-z0-9]+(-[a-z0-9]+)*\.yaml$)");
  std::set<std::string> codes;
  for (const auto& file : files) {
    INFO("file: " << file.filename().string());
    CHECK(std::regex_match(file.filename().string(), k_name));
    const auto expect = read_expectation(file);
    CHECK(expect.has_value());
    if (!expect) continue;
    codes.insert(expect->code);

    const ProcessResult r = run_candor({"validate", "--format", "json", file.string()});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 1);
    CHECK(r.err.empty());
    const Json report = Json::parse(r.out);
    REQUIRE(report.at("files").size() == 1);
    const Json& f = report.at("files")[0];
    CHECK(f.at("file") == file.string());
    CHECK(f.at("valid") == false);
    CHECK(report.at("errors").empty());
    const Json& problems = f.at("problems");
    CHECK(report.at("summary") ==
          Json({{"files", 1}, {"valid", 0}, {"invalid", 1}, {"problems", problems.size()}}));
    const auto hits = std::count_if(problems.begin(), problems.end(),
                                    [&](const Json& p) { return matches(p, *expect); });
    CHECK(hits == 1);
    CHECK(problems.size() == 1);  // one error injected, one problem reported
    if (hits == 1 && expect->hint) {
      const auto p = std::find_if(problems.begin(), problems.end(),
                                  [&](const Json& p) { return matches(p, *expect); });
      CHECK(p->value("hint", std::string()) == *expect->hint);
    }
    for (const auto& p : problems) CHECK(p.at("file") == file.string());
  }
  // The classes of error the examples must keep covering.
  for (const char* code :
       {"yaml.duplicate-key", "yaml.syntax", "yaml.too-deep", "yaml.alias-limit", "yaml.alias-cycle",
        "yaml.merge-key", "yaml.tag", "yaml.invalid-utf8", "yaml.nul-byte", "yaml.bom", "yaml.empty",
        "yaml.multi-document", "schema.boolean-literal", "schema.unknown-field", "schema.enum",
        "schema.date", "schema.email", "schema.url", "schema.type", "schema.required",
        "schema.const", "schema.pattern"}) {
    INFO("no invalid example covers " << code);
    CHECK(codes.count(code) == 1);
  }
}

TEST_CASE("validate: text output is compiler-like and ends with a summary", "[cli][validate]") {
  SECTION("one file") {
    const fs::path file = k_invalid_dir / "18-enum-phase-live.yaml";
    const ProcessResult r = run_candor({"validate", file.string()});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 1);
    CHECK(r.err.empty());
    const auto lines = lines_of(r.out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == file.string() +
                          ":24:8: error: 'phase' has the value 'live', which is not one of the "
                          "allowed values [phase]");
    CHECK(lines[1] == "  hint: allowed: idea, pre-deployment, pilot, production, retired");
    CHECK(lines[2] == "1 file checked: 0 valid, 1 invalid (1 problem)");
  }
  SECTION("a directory: every problem of the JSON report, in the same order, as text") {
    const auto files = yaml_files(k_invalid_dir);
    const ProcessResult text = run_candor({"validate", k_invalid_dir.string()});
    const ProcessResult json = run_candor({"validate", "--format", "json", k_invalid_dir.string()});
    INFO(describe_with_rss(text));
    CHECK(text.exit_code == 1);
    CHECK(json.exit_code == 1);
    CHECK(text.err.empty());
    const Json report = Json::parse(json.out);
    std::string expected;
    std::size_t problems = 0;
    for (const auto& f : report.at("files")) {
      for (const auto& p : f.at("problems")) {
        expected += text_form(p) + '\n';
        ++problems;
      }
    }
    expected += summary_line(files.size(), files.size(), problems) + '\n';
    CHECK(text.out == expected);
    CHECK(report.at("summary").at("files") == files.size());
    CHECK(report.at("summary").at("problems") == problems);
    // The shape itself, independent of the JSON report.
    static const std::regex k_located(R"(^[^:]+\.yaml:[1-9]\d*:[1-9]\d*: error: .+$)");
    static const std::regex k_file_level(R"(^[^:]+\.yaml: error: .+$)");
    static const std::regex k_hint(R"(^  hint: .+$)");
    static const std::regex k_summary(R"(^\d+ files? checked: \d+ valid, \d+ invalid \(\d+ problems?\)$)");
    const auto lines = lines_of(text.out);
    REQUIRE_FALSE(lines.empty());
    CHECK(std::regex_match(lines.back(), k_summary));
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
      INFO("line: " << lines[i]);
      CHECK((std::regex_match(lines[i], k_located) || std::regex_match(lines[i], k_file_level) ||
             std::regex_match(lines[i], k_hint)));
    }
  }
}

TEST_CASE("validate: usage and input errors exit with 2", "[cli][validate]") {
  TempDir tmp;
  const std::string missing = (tmp / "no-such-record.yaml").string();
  SECTION("a missing file, text") {
    const ProcessResult r = run_candor({"validate", missing});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(missing + ": error: no such file or directory") != std::string::npos);
    CHECK(lines_of(r.out) == std::vector<std::string>{"0 files checked: 0 valid, 0 invalid (0 problems)"});
  }
  SECTION("a missing file, JSON") {
    const ProcessResult r = run_candor({"validate", "--format", "json", missing});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 2);
    const Json report = Json::parse(r.out);
    REQUIRE(report.at("errors").size() == 1);
    CHECK(report.at("errors")[0].at("code") == "io.not-found");
    CHECK(report.at("errors")[0].at("file") == missing);
    CHECK(report.at("files").empty());
  }
  SECTION("a missing file next to a valid one still exits 2, and the valid one is checked") {
    const fs::path record = tmp / "record.yaml";
    write_file(record, k_small_record);
    const ProcessResult r = run_candor({"validate", "--format", "json", record.string(), missing});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 2);
    const Json report = Json::parse(r.out);
    CHECK(report.at("summary").at("files") == 1);
    CHECK(report.at("summary").at("valid") == 1);
    CHECK(report.at("errors").size() == 1);
  }
  SECTION("an unknown option") {
    const ProcessResult r = run_candor({"validate", "--frobnicate", k_valid_dir.string()});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 2);
    CHECK_FALSE(r.err.empty());
  }
  SECTION("an unknown format") {
    const ProcessResult r = run_candor({"validate", "--format", "xml", k_valid_dir.string()});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 2);
  }
  SECTION("no path") {
    const ProcessResult r = run_candor({"validate"});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 2);
  }
  SECTION("no command, or an unknown one") {
    CHECK(run_candor({}).exit_code == 2);
    CHECK(run_candor({"frobnicate"}).exit_code == 2);
    CHECK(run_candor({"schema"}).exit_code == 2);
  }
}

TEST_CASE("validate: a directory with no records exits with 2", "[cli][validate]") {
  TempDir tmp;
  write_file(tmp / "README.txt", "records go here\n");
  write_file(tmp / "record.json", "{}\n");
  SECTION("text") {
    const ProcessResult r = run_candor({"validate", tmp.path().string()});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("the directory holds no .yaml or .yml files") != std::string::npos);
  }
  SECTION("JSON") {
    const ProcessResult r = run_candor({"validate", "--format", "json", tmp.path().string()});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 2);
    const Json report = Json::parse(r.out);
    REQUIRE(report.at("errors").size() == 1);
    CHECK(report.at("errors")[0].at("code") == "io.no-records");
  }
  SECTION("an empty directory") {
    const fs::path empty = tmp / "empty";
    fs::create_directory(empty);
    const ProcessResult r = run_candor({"validate", empty.string()});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 2);
  }
}

TEST_CASE("validate and schema: --help", "[cli]") {
  SECTION("candor --help") {
    const ProcessResult r = run_candor({"--help"});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("validate") != std::string::npos);
    CHECK(r.out.find("schema") != std::string::npos);
  }
  SECTION("candor validate --help") {
    const ProcessResult r = run_candor({"validate", "--help"});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 0);
    for (const char* word : {"--format", "--max-bytes", "--max-depth", "Exit status"}) {
      INFO(word);
      CHECK(r.out.find(word) != std::string::npos);
    }
  }
  SECTION("candor schema --help") {
    const ProcessResult r = run_candor({"schema", "--help"});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("print") != std::string::npos);
    CHECK(r.out.find("docs") != std::string::npos);
  }
  SECTION("candor schema print --help") {
    const ProcessResult r = run_candor({"schema", "print", "--help"});
    INFO(describe_with_rss(r));
    CHECK(r.exit_code == 0);
    CHECK_FALSE(r.out.empty());
  }
}

TEST_CASE("schema print: outputs the shipped schema", "[cli][schema]") {
  const ProcessResult r = run_candor({"schema", "print"});
  INFO(describe_with_rss(r));
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  const Json printed = Json::parse(r.out);  // throws, and fails the test, if it is not JSON
  CHECK(printed == Json::parse(read_file(k_schema_file)));
}

TEST_CASE("validate: --max-bytes and --max-depth tighten the limits", "[cli][validate]") {
  TempDir tmp;
  const fs::path record = tmp / "record.yaml";
  write_file(record, k_small_record);
  const auto size = std::to_string(k_small_record.size());
  const auto one_less = std::to_string(k_small_record.size() - 1);

  CHECK(run_candor({"validate", record.string()}).exit_code == 0);
  CHECK(run_candor({"validate", "--max-bytes", size, record.string()}).exit_code == 0);

  const ProcessResult r = run_candor({"validate", "--format", "json", "--max-bytes", one_less, record.string()});
  INFO(describe_with_rss(r));
  CHECK(r.exit_code == 1);
  const Json problems = json_problems(r);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].at("code") == "yaml.too-large");
  CHECK(problems[0].at("line") == 0);
  CHECK(problems[0].at("message") ==
        "the file is " + size + " bytes, over the limit of " + one_less + " bytes");

  // The record nests mappings two deep (the record, then organisation or tool).
  CHECK(run_candor({"validate", "--max-depth", "2", record.string()}).exit_code == 0);
  const ProcessResult deep = run_candor({"validate", "--format", "json", "--max-depth", "1", record.string()});
  INFO(describe_with_rss(deep));
  CHECK(deep.exit_code == 1);
  const Json deep_problems = json_problems(deep);
  REQUIRE(deep_problems.size() == 1);
  CHECK(deep_problems[0].at("code") == "yaml.too-deep");
  CHECK(deep_problems[0].at("line") == 4);  // organisation's mapping starts at "  id:"
  CHECK(deep_problems[0].at("column") == 3);
  CHECK(deep_problems[0].at("path") == "organisation");
}

TEST_CASE("validate: hostile inputs fail cleanly with bounded memory", "[cli][validate][limits]") {
  TempDir tmp;
  const ProcessResult idle = run_candor({"--version"});
  REQUIRE(idle.exit_code == 0);
  const long rss_limit_kib = idle.peak_rss_kib + k_rss_headroom_kib;
  const auto check_one = [rss_limit_kib](const fs::path& file, const std::string& code) {
    const ProcessResult r = run_candor({"validate", "--format", "json", file.string()});
    INFO(describe_with_rss(r));
    CHECK(r.signal == 0);
    CHECK(r.exit_code == 1);
    CHECK(r.peak_rss_kib < rss_limit_kib);
    const Json problems = json_problems(r);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].at("code") == code);
    return problems[0];
  };

  SECTION("a 100 MB file is refused without being read") {
    const fs::path file = tmp / "huge.yaml";
    constexpr std::size_t k_size = 100u * 1024 * 1024;
    {
      std::ofstream out(file, std::ios::binary);
      out << k_small_record;
      std::string chunk;  // 1 MiB of comment lines, written a chunk at a time
      while (chunk.size() < 1024 * 1024) chunk += "# padding padding padding padding padding padding padding\n";
      std::size_t written = k_small_record.size();
      while (written < k_size) {
        const std::size_t n = std::min(chunk.size(), k_size - written);
        out.write(chunk.data(), static_cast<std::streamsize>(n));
        written += n;
      }
      REQUIRE(out.good());
    }
    REQUIRE(fs::file_size(file) == k_size);
    const Json p = check_one(file, "yaml.too-large");
    CHECK(p.at("message") == "the file is 104857600 bytes, over the limit of 1 MiB");
  }

  // Each nesting starts below extensions.us_omb_2025 (depth 3), so depth 65 is the 62nd level.
  const std::string prefix = k_small_record + "extensions:\n  us_omb_2025:\n";
  const unsigned line = static_cast<unsigned>(lines_of(prefix).size()) + 1;
  SECTION("10,000 nested flow sequences") {
    const fs::path file = tmp / "deep-seq.yaml";
    write_file(file, prefix + "    topics: " + std::string(10000, '[') + "x" + std::string(10000, ']') + "\n");
    const Json p = check_one(file, "yaml.too-deep");
    CHECK(p.at("line") == line);
    CHECK(p.at("column") == 12 + 62);
  }
  SECTION("10,000 nested flow mappings") {
    std::string nested;
    for (int i = 0; i < 10000; ++i) nested += "{a: ";
    nested += "x" + std::string(10000, '}');
    const fs::path file = tmp / "deep-map.yaml";
    write_file(file, prefix + "    topics: " + nested + "\n");
    const Json p = check_one(file, "yaml.too-deep");
    CHECK(p.at("line") == line);
    CHECK(p.at("column") == 12 + 61 * 4 + 1);
  }
  SECTION("10,000 nested block sequences") {
    std::string nested;
    for (int i = 0; i < 10000; ++i) nested += "- ";
    const fs::path file = tmp / "deep-block.yaml";
    write_file(file, prefix + "    topics:\n      " + nested + "x\n");
    const Json p = check_one(file, "yaml.too-deep");
    CHECK(p.at("line") == line + 1);
    CHECK(p.at("column") == 6 + 61 * 2 + 1);
  }
  SECTION("billion laughs, 9 levels of 9") {
    const fs::path file = tmp / "laughs-9.yaml";
    write_file(file, billion_laughs(9, 9));
    const Json p = check_one(file, "yaml.alias-limit");
    CHECK(p.at("path").get<std::string>().rfind("extensions.us_omb_2025.l", 0) == 0);
  }
  SECTION("billion laughs, 10 levels of 10") {
    const fs::path file = tmp / "laughs-10.yaml";
    write_file(file, billion_laughs(10, 10));
    const Json p = check_one(file, "yaml.alias-limit");
    // l0 expands to 11 nodes, l1 adds 110 (111), l2 adds 1110 (1220 in all); in l3 each *l2 adds
    // 1111, so the 8th one passes 10000: 1220 + 8 * 1111 = 10108.
    CHECK(p.at("path") == "extensions.us_omb_2025.l3[7]");
    CHECK(p.at("line") == line + 3);
    CHECK(p.at("column") == 14 + 7 * 5);  // "    l3: &l3 [" is 13 characters, "*l2, " is 5
  }
  // yaml-cpp tokenises a whole run of flow brackets before the parser starts; the loader's
  // pre-scan must stop these before that costs memory in proportion to the input.
  SECTION("1 MiB of nested brackets") {
    const fs::path file = tmp / "brackets.yaml";
    const std::size_t n = 512 * 1024 - 8;
    write_file(file, "a: " + std::string(n, '[') + std::string(n, ']') + "\n");
    const Json p = check_one(file, "yaml.too-deep");
    CHECK(p.at("line") == 1);
    CHECK(p.at("column") == 4 + 63);  // the 64th bracket is the 65th level under the record
  }
  SECTION("1 MiB of unclosed brackets") {
    const fs::path file = tmp / "unclosed.yaml";
    write_file(file, "a: " + std::string(1024 * 1024 - 8, '['));
    const Json p = check_one(file, "yaml.too-deep");
    CHECK(p.at("column") == 4 + 63);
  }
  SECTION("a 1 MiB single line of 333,000 values is refused at the value limit") {
    const fs::path file = tmp / "long-line.yaml";
    std::string items;
    while (items.size() < 1000 * 1000) items += "a, ";
    write_file(file, k_small_record + "extensions: {x: {y: [" + items + "a]}}\n");
    const Json p = check_one(file, "yaml.too-many-nodes");
    CHECK(p.at("line") == 11);
  }
}

TEST_CASE("validate: a byte-order mark at the start does not shift columns", "[cli][validate]") {
  // The BOM is invisible in editors and, as document.h says, not counted in columns.
  TempDir tmp;
  SECTION("a schema problem on the first line") {
    const fs::path file = tmp / "bom.yaml";
    std::string text = "\xEF\xBB\xBF" + k_small_record;
    text.replace(text.find("record/v1"), 9, "record/v2");
    write_file(file, text);
    const ProcessResult r = run_candor({"validate", "--format", "json", file.string()});
    INFO(describe_with_rss(r));
    const Json problems = json_problems(r);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].at("code") == "schema.const");
    CHECK(problems[0].at("line") == 1);
    CHECK(problems[0].at("column") == 9);  // "schema: " is 8 characters
  }
  SECTION("a NUL byte on the first line") {
    const fs::path file = tmp / "bom-nul.yaml";
    write_file(file, std::string("\xEF\xBB\xBF") + "id: a" + std::string(1, '\0') + "b\n");
    const ProcessResult r = run_candor({"validate", "--format", "json", file.string()});
    INFO(describe_with_rss(r));
    const Json problems = json_problems(r);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].at("code") == "yaml.nul-byte");
    CHECK(problems[0].at("line") == 1);
    CHECK(problems[0].at("column") == 6);  // "id: a" is 5 characters
  }
}

TEST_CASE("validate: a problem on a complex key names the mapping that holds it",
          "[cli][validate]") {
  TempDir tmp;
  const fs::path file = tmp / "complex-key.yaml";
  write_file(file, k_small_record + "extensions:\n  uk_atrs:\n    tier: \"2\"\n    [tier, section]: \"2.1\"\n");
  const ProcessResult r = run_candor({"validate", "--format", "json", file.string()});
  INFO(describe_with_rss(r));
  CHECK(r.exit_code == 1);
  const Json problems = json_problems(r);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].at("code") == "yaml.complex-key");
  CHECK(problems[0].at("line") == 14);
  CHECK(problems[0].at("column") == 5);
  CHECK(problems[0].at("path") == "extensions.uk_atrs");  // not the previous key, "...uk_atrs.tier"
}
