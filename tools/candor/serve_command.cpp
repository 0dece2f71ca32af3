// candor serve: the public register over HTTP.
//
//   candor serve [--db FILE] [--key FILE.skey] [--listen 127.0.0.1:8080] [--threads N]
//                [--config FILE] [--templates DIR] [--static DIR]
//                [--max-body-bytes N] [--read-timeout SECONDS] [--keep-alive-timeout SECONDS]
//                [--write-limit PER_MINUTE] [--cache-mb N] [--read-only]
//                [--trusted-proxy ADDRESS]...
//
// Settings come from the flags, then from --config (a JSON object or key = value lines with the
// flags' names), then defaults: flags win. Without --db the server still answers (health,
// metrics, static files, the about page); with --db it reads the register; with --key as well it
// can accept submissions (the key must be the register's). With --read-only instead of --key, the
// database is opened for reading only (no migration, no write of any kind, READ ONLY sessions on
// PostgreSQL): a node behind a load balancer that serves pages, API and tiles. Logs are JSON lines
// on standard error; the first, {"event":"listening","url":...}, gives the address actually bound
// (useful with port 0). SIGTERM or SIGINT stops it gracefully: no new connections, requests in
// progress finish, exit 0.
//
// Exit status: 0 stopped by a signal; 2 usage, configuration, key or database error.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "candor/registry/intake.h"
#include "candor/registry/open_store.h"
#include "candor/registry/store_check.h"
#include "candor/web/app.h"
#include "candor/web/config.h"
#include "candor/web/forwarded.h"
#include "candor/web/server.h"
#include "commands.h"
#include "store_cli_support.h"

namespace candor::cli {

namespace {

constexpr std::size_t k_max_config_bytes = std::size_t{64} * 1024;
constexpr std::size_t k_max_key_bytes = 4096;

struct ServeFlags {
  web::ServeSettings settings;
  std::string config;
  std::vector<std::string> trusted_proxies;  // --trusted-proxy, repeated
};

// The error goes to `log` as {"event":"error","message":...} so that every stderr line stays JSON.
int fail(web::EventLog& log, const std::string& message) {
  log.event("error", {{"message", message}});
  return k_usage;
}

// glibc gives each thread that allocates while another does an arena of its own, up to 8 per
// core, and keeps what a request freed there for that arena's next use. Across the server's
// worker threads and a register that keeps growing, resident memory then follows the number of
// arenas times the largest responses each has served, not what is in use: a 10-minute soak grew
// 16% after its first minute with the default, 7-26% with one arena per core, at a level a
// quarter lower (docs/hardening.md, Soak).
//
// glibc also serves a block of 128 KiB or more with a mapping of its own, returned to the system
// when freed, but raises that threshold to the size of each such block freed (up to 32 MiB): one
// large search later, a search's buffers (FTS5 reads every match's entry to rank them, so they
// grow with the register) come from the heap, and the pages they leave between longer-lived
// blocks stay resident. A fixed threshold keeps large transient blocks out of the heap (64 KiB
// and a trim every second made no measurable difference: docs/hardening.md, Soak).
//
// An operator's MALLOC_ARENA_MAX or MALLOC_MMAP_THRESHOLD_ still wins. Called before the process
// starts any thread, so no call races with another.
void tune_malloc() {
#if defined(__GLIBC__)
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) {  // NOLINT(concurrency-mt-unsafe)
    const auto arenas = static_cast<int>(std::max(2U, std::thread::hardware_concurrency()));
    mallopt(M_ARENA_MAX, arenas);  // NOLINT(concurrency-mt-unsafe)
  }
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr) {  // NOLINT(concurrency-mt-unsafe)
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);                 // NOLINT(concurrency-mt-unsafe)
  }
#endif
}

// Gives the pages that freed memory leaves unused back to the system every few seconds. glibc
// returns only the top of a heap by itself; a page-sized hole in the middle, left by a search's
// or a page's transient buffers, stays resident until malloc_trim finds it, so RSS followed the
// largest transient peaks the register's growth brought rather than what is in use (measured
// during a soak: 11 of 63 MiB freed by one malloc_trim, docs/hardening.md). A pass walks the
// free lists of each arena under its lock: well under a millisecond at these sizes.
class MemoryTrimmer {
 public:
  static constexpr std::chrono::seconds k_period{5};

  MemoryTrimmer() {
#if defined(__GLIBC__)
    thread_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(mutex_);
      while (!wake_.wait_for(lock, k_period, [this] { return stop_; })) malloc_trim(0);
    });
#endif
  }
  MemoryTrimmer(const MemoryTrimmer&) = delete;
  MemoryTrimmer& operator=(const MemoryTrimmer&) = delete;
  ~MemoryTrimmer() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

int run(const ServeFlags& flags) {
  tune_malloc();  // before the first thread, so that it applies to all of them
  // Before any thread exists (the store's pool, the intake sequencer, the server's workers), so
  // that all of them inherit the mask and only the main thread receives SIGTERM/SIGINT.
  web::block_termination_signals();
  web::EventLog log(std::cerr);

  web::ServeSettings settings = flags.settings;
  if (!flags.config.empty()) {
    std::string error;
    auto text = read_text_file(flags.config, k_max_config_bytes, error);
    if (!text) return fail(log, "cannot read the config file " + flags.config + ": " + error);
    auto parsed = web::parse_serve_config(*text);
    if (!parsed.error.empty()) return fail(log, flags.config + ": " + parsed.error);
    settings.merge(parsed.settings);
  }
  if (auto error = web::validate(settings); !error.empty()) return fail(log, error);

  web::ServerOptions server_options;
  if (settings.listen) server_options.listen = *web::parse_listen_address(*settings.listen);
  if (settings.threads) server_options.threads = *settings.threads;
  if (settings.max_body_bytes) server_options.max_body_bytes = *settings.max_body_bytes;
  auto millis = [](double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  };
  if (settings.read_timeout_seconds)
    server_options.read_timeout = millis(*settings.read_timeout_seconds);
  if (settings.keep_alive_timeout_seconds) {
    server_options.keep_alive_timeout = millis(*settings.keep_alive_timeout_seconds);
  }
  for (const std::string& proxy : settings.trusted_proxies.value_or(std::vector<std::string>{})) {
    server_options.trusted_proxies.push_back(*web::canonical_ip(proxy));  // validated above
  }

  std::unique_ptr<registry::Store> store;
  std::unique_ptr<registry::Intake> intake;
  try {
    if (settings.db) {
      registry::OpenStoreOptions options;
      options.create = false;  // serving a misspelt path must not create an empty register
      options.read_only = settings.read_only.value_or(false);
      store = registry::open_store(*settings.db, options);
      // A damaged database must not be published under a checkpoint it no longer supports.
      if (auto problems = registry::check_store_against_checkpoint(*store); !problems.empty()) {
        std::string message =
            "the register " + registry::redact_database_url(*settings.db) + " is damaged:";
        for (const auto& p : problems) message += " " + p.message + ";";
        return fail(log, message + " " + problems.front().hint);
      }
    }
    if (settings.key) {
      if (!store) return fail(log, "--key needs --db: the key signs that register's checkpoints");
      std::string error;
      auto text = read_text_file(*settings.key, k_max_key_bytes, error);
      if (!text) return fail(log, "cannot read the key " + *settings.key + ": " + error);
      auto signer = registry::NoteSigner::parse(first_line(*text));
      if (!signer.ok()) return fail(log, *settings.key + " is not a signing key");  // never echo it
      intake = std::make_unique<registry::Intake>(*store, std::move(signer.value()));
    }
  } catch (const std::invalid_argument& e) {
    return fail(log, std::string{"the key does not match the register: "} + e.what());
  } catch (const std::exception& e) {
    return fail(log, std::string{"cannot open the register: "} + e.what());
  }

  web::AppOptions app_options;
  app_options.store = store.get();
  app_options.intake = intake.get();
  app_options.log = &log;
  if (settings.static_dir) app_options.static_root = *settings.static_dir;
  if (settings.templates) app_options.templates_dir = *settings.templates;
  // Templates read from a directory are being edited: a cached page would hide the edit.
  if (settings.cache_mb || settings.templates) {
    app_options.response_cache_bytes = settings.cache_mb.value_or(0) << 20;
  }
  if (settings.write_limit_per_minute) {
    // N per minute, and up to N at once after a quiet minute, per token and per address.
    const double n = *settings.write_limit_per_minute;
    app_options.write_limit_per_token = web::RateLimit{n / 60.0, n};
    app_options.write_limit_per_address = web::RateLimit{n / 60.0, n};
  }
  std::optional<web::App> app;
  try {
    app.emplace(std::move(app_options));
  } catch (const std::exception& e) {
    return fail(log, e.what());
  }
  if (auto problems = app->templates().check(); !problems.empty()) {
    return fail(log, "template error: " + problems.front());
  }

  web::Server server(*app, log, server_options);
  try {
    server.start();
  } catch (const std::exception& e) {
    return fail(log, e.what());
  }
  const std::string host = server_options.listen.host.find(':') != std::string::npos
                               ? "[" + server_options.listen.host + "]"
                               : server_options.listen.host;
  log.event("listening", {{"url", "http://" + host + ":" + std::to_string(server.port())},
                          {"port", server.port()},
                          {"threads", server_options.threads},
                          {"store", registry::redact_database_url(settings.db.value_or(""))},
                          {"writable", intake != nullptr},
                          {"read_only", store && store->read_only()}});

  const MemoryTrimmer trimmer;
  const int signal = web::wait_for_termination_signal();
  log.event("stopping", {{"signal", signal}, {"in_flight", app->metrics().in_flight()}});
  server.stop();
  intake.reset();  // finishes queued submissions before the store closes
  log.event("stopped");
  return k_clean;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Serve the register over HTTP: public pages, the JSON API, health and metrics.\n"
      "Stops gracefully on SIGTERM or SIGINT. Exit status: 0 stopped by a signal, 2 usage, "
      "configuration, key or database error.");
  auto& s = flags->settings;
  cmd->add_option("--db", s.db,
                  "Register: a database file, sqlite:FILE or postgresql://USER@HOST[:PORT]/DBNAME "
                  "(from candor register init)");
  cmd->add_option("--key", s.key, "The register's private signing key (.skey): accept submissions");
  cmd->add_option(
      "--listen", s.listen,
      "Address to listen on, HOST:PORT (default 127.0.0.1:8080; port 0: any free port)");
  cmd->add_option("--threads", s.threads, "Requests handled at once (default 16)");
  cmd->add_option("--config", flags->config,
                  "Config file: JSON object or key = value lines; flags win");
  cmd->add_option("--templates", s.templates,
                  "Read page templates from this directory (development)");
  cmd->add_option("--static", s.static_dir,
                  "Serve /static/ from this directory (default: the source tree's web/static)");
  cmd->add_option("--max-body-bytes", s.max_body_bytes,
                  "Largest request body accepted, larger gets 413 (default 1 MiB)");
  cmd->add_option("--read-timeout", s.read_timeout_seconds,
                  "Seconds to wait for request data before 408 (default 10)");
  cmd->add_option("--keep-alive-timeout", s.keep_alive_timeout_seconds,
                  "Seconds an idle connection is kept open (default 5)");
  cmd->add_option("--write-limit", s.write_limit_per_minute,
                  "Submissions allowed per minute per token and per client address; more get "
                  "429 (default: 60 per token, 120 per address)");
  cmd->add_option("--cache-mb", s.cache_mb,
                  "Memory for rendered public pages and API answers, kept until the log grows; "
                  "0 turns the cache off (default 32; 0 with --templates)");
  cmd->add_option("--trusted-proxy", flags->trusted_proxies,
                  "A reverse proxy or load balancer (IP address; repeat for several) whose "
                  "X-Forwarded-For names the client for rate limits, logs and the audit log");
  cmd->add_flag_callback(
      "--read-only", [flags] { flags->settings.read_only = true; },
      "Open the register for reading only (no --key): serve pages, API and tiles from a "
      "database this node never writes, e.g. as a PostgreSQL user granted SELECT only");
  cmd->callback([flags, &exit_code] {
    if (!flags->trusted_proxies.empty()) flags->settings.trusted_proxies = flags->trusted_proxies;
    exit_code = run(*flags);
  });
}

}  // namespace candor::cli
