// Helpers for the store tests: temporary directories, a fixed signing key, small valid records.
#pragma once

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

#include "candor/registry/intake.h"
#include "candor/registry/note.h"
#include "candor/registry/sqlite.h"
#include "candor/registry/store.h"

namespace candor::registry::test {

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("candor-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
             "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline constexpr const char* k_origin = "example.org/ai-register";

// The known-answer key of docs/log-format.md (seed 00..1f): public knowledge, tests only.
inline NoteSigner test_signer() {
  Ed25519Seed seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(i);
  return NoteSigner::from_seed(k_origin, seed);
}

inline std::vector<NoteVerifier> test_verifiers() {
  return {test_signer().verifier()};
}

// A small record that passes the schema. `variant` changes a value (so the body changes).
inline std::string small_record(const std::string& org, const std::string& id,
                                const std::string& variant = "draft short summaries") {
  return "schema: candor.record/v1\n"
         "id: " +
         id +
         "\n"
         "organisation:\n"
         "  id: " +
         org +
         "\n"
         "  name: Northern Growth Agency\n"
         "  type: arms-length-body\n"
         "mission_area: growth\n"
         "tool:\n"
         "  name: Grant application summaries\n"
         "  type: generative\n"
         "  description_public: Staff use this tool to " +
         variant +
         " of grant applications.\n"
         "phase: pilot\n"
         "impact:\n"
         "  level: 2\n";
}

inline PreparedRecord prepare(const std::string& yaml, const std::string& file = "record.yaml") {
  auto r = prepare_record(yaml, file);
  if (!r.ok()) {
    throw std::runtime_error("test record does not prepare: " +
                             format_problem(r.problems().front()));
  }
  return std::move(r.value());
}

inline std::unique_ptr<Store> open_initialised(const std::filesystem::path& db) {
  auto store = open_sqlite_store(db);
  if (!store->log_settings())
    init_register(*store, test_signer(), "/nonexistent/test.skey", "test");
  return store;
}

inline IntakeOptions fixed_clock_options() {
  IntakeOptions o;
  o.clock = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(1790000000)); };
  return o;
}

inline std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void write_all(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace candor::registry::test
