// Fuzz target: the web application without a socket. One App over a temporary register (two
// organisations, three record versions, a signed log) is built once; each input is a request
//
//   METHOD TARGET\n
//   Name: value\n        (any number of header lines)
//   \n
//   body                 (the rest, verbatim)
//
// turned into a Request and answered by App::handle: routing, percent-decoding, query parsing,
// every page and API read, and the submission endpoint's body (load, validate, canonicalise).
// The bearer token kToken (in http.dict and the seeds) is a submitter for an organisation whose
// id is not a slug, so no record can ever be accepted with it: submissions get as far as the
// organisation check (403) and the register never changes, which keeps runs deterministic.
// Rate limits and the response cache are off for the same reason (they depend on the clock and
// on earlier inputs). A 500 means a handler threw something other than HttpError: a bug, so the
// target traps after printing the logged exception.
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "candor/registry/intake.h"
#include "candor/registry/note.h"
#include "candor/registry/sqlite.h"
#include "candor/registry/store.h"
#include "candor/registry/tokens.h"
#include "candor/web/access_log.h"
#include "candor/web/app.h"

using namespace candor;

namespace {

constexpr std::string_view kToken = "candor_FuzzTokenFuzzTokenFuzzTokenFuzzTokenFuzzTok";
constexpr const char* kOrigin = "example.org/ai-register";

// The known-answer key of docs/log-format.md (seed 00..1f): public, for tests only.
registry::NoteSigner fuzz_signer() {
  registry::Ed25519Seed seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(i);
  return registry::NoteSigner::from_seed(kOrigin, seed);
}

std::string record_yaml(const std::string& org, const std::string& id, const std::string& phase) {
  return "schema: candor.record/v1\nid: " + id + "\norganisation:\n  id: " + org +
         "\n  name: Northern Growth Agency\n  type: arms-length-body\nmission_area: growth\n"
         "tool:\n  name: Grant application summaries\n  type: generative\n"
         "  description_public: Staff use this tool to draft short summaries of grant "
         "applications.\nphase: " +
         phase + "\nimpact:\n  level: 2\n";
}

// Removes the register's directory when the process ends normally.
struct TempDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("candor-fuzz-http-" + std::to_string(::getpid()));
  TempDir() {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// Members in construction order; destroyed in reverse (the App before the intake before the
// store before the directory).
struct Server {
  TempDir dir;
  std::unique_ptr<registry::Store> store;
  std::unique_ptr<registry::Intake> intake;
  std::ostringstream log_text;
  web::EventLog log{log_text};
  std::unique_ptr<web::App> app;

  Server() {
    registry::SqliteOptions sqlite;
    sqlite.durability = registry::Durability::normal;  // scratch register: no fsync per commit
    store = registry::open_sqlite_store(dir.path / "register.db", sqlite);
    const registry::NoteSigner signer = fuzz_signer();
    registry::init_register(*store, signer, "/nonexistent/fuzz.skey", "fuzz");
    registry::IntakeOptions intake_options;
    intake_options.clock = [] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(1790000000));
    };
    intake = std::make_unique<registry::Intake>(*store, signer, intake_options);
    add_organisations_and_token();
    submit("northern-growth-agency", "grant-application-summaries", "pilot");
    submit("northern-growth-agency", "grant-application-summaries", "production");
    submit("eastbridge-council", "resident-enquiries-chatbot", "pilot");

    web::AppOptions options;
    options.store = store.get();
    options.intake = intake.get();
    options.log = &log;
    options.write_limit_per_token = {1e12, 1e12};
    options.write_limit_per_address = {1e12, 1e12};
    options.response_cache_bytes = 0;
    app = std::make_unique<web::App>(options);
  }

  void add_organisations_and_token() {
    auto tx = store->begin_write();
    tx->put_organisation("fuzz", {"northern-growth-agency", "Northern Growth Agency", ""});
    tx->put_organisation("fuzz", {"eastbridge-council", "Eastbridge Council", ""});
    tx->put_organisation("fuzz", {"Fuzz Harness", "Fuzz Harness", ""});
    tx->put_token("fuzz", registry::Token{registry::token_hash(kToken), "Fuzz Harness",
                                          registry::Role::submitter, "fuzz", false});
    tx->commit();
  }

  void submit(const std::string& org, const std::string& id, const std::string& phase) {
    auto prepared = registry::prepare_record(record_yaml(org, id, phase), id + ".yaml");
    if (!prepared.ok()) std::abort();
    auto accepted = intake->submit(std::move(prepared.value()), {org, "fuzz"}).get();
    if (!accepted.ok()) std::abort();
  }
};

std::string_view take_line(std::string_view& text) {
  const std::size_t end = text.find('\n');
  const std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return line;
}

web::Request to_request(std::string_view text) {
  web::Request request;
  request.remote_address = "192.0.2.1:50000";
  const std::string_view first = take_line(text);
  const std::size_t space = first.find(' ');
  request.method = std::string(first.substr(0, space));
  request.target = space == std::string_view::npos ? "/" : std::string(first.substr(space + 1));
  while (!text.empty()) {
    const std::string_view line = take_line(text);
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers.add(std::string(line.substr(0, colon)), std::string(value));
  }
  request.body = std::string(text);
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Server server;
  const web::Request request =
      to_request(std::string_view(reinterpret_cast<const char*>(data), size));
  const web::Response response = server.app->handle(request);
  if (response.status == 500) {
    std::fprintf(stderr, "fuzz_http: 500 for %s %s\n%s\n", request.method.c_str(),
                 request.target.c_str(), server.log_text.str().c_str());
    __builtin_trap();
  }
  server.log_text.str("");
  return 0;
}
