// The store suite runs every test case on each backend: SQLite always, PostgreSQL when
// CANDOR_TEST_POSTGRES_URL names a server the tests may create databases on (tools/test starts a
// throwaway cluster and sets it; tools/pg-cluster). A test case takes its backend with
//
//   const std::string backend = GENERATE(from_range(test_backends()));
//   TestDatabase db(backend);             // a fresh, empty database, dropped at scope exit
//   auto store = open_initialised(db);    // or open_store(db.url())
//
// and Catch2 runs it once per backend (the backend is in the failure message). RawDb reads and
// tampers with the database behind the Store's back, so tests see what is really stored.
#pragma once

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "candor/registry/open_store.h"
#include "postgres_test_server.h"
#include "store_test_support.h"

namespace candor::registry::test {

using ::candor::test::PgConnection;
using ::candor::test::postgres_test_url;
using ::candor::test::with_database;

inline std::vector<std::string> test_backends() {
  std::vector<std::string> out = {"sqlite"};
  if (!postgres_test_url().empty()) out.push_back("postgresql");
  return out;
}

// A fresh, empty database of `backend` ("sqlite" or "postgresql"), removed at scope exit. Stores
// opened on it must be closed first.
class TestDatabase {
 public:
  explicit TestDatabase(std::string backend) : backend_(std::move(backend)) {
    if (backend_ == "sqlite") {
      url_ = "sqlite:" + (dir_ / "register.db").string();
      return;
    }
    if (backend_ != "postgresql") throw std::invalid_argument("unknown backend " + backend_);
    postgres_ = std::make_unique<::candor::test::PostgresTestDatabase>();
    url_ = postgres_->url();
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  const std::string& backend() const { return backend_; }
  const std::string& url() const { return url_; }
  // SQLite only: the database file.
  std::filesystem::path file() const { return dir_ / "register.db"; }

 private:
  std::string backend_;
  TempDir dir_;
  std::string url_;
  std::unique_ptr<::candor::test::PostgresTestDatabase> postgres_;  // PostgreSQL only
};

// Runs the enclosing test case once per backend, with `db` a fresh, empty database of it.
#define FOR_EACH_BACKEND(db)                                           \
  const std::string db##_backend =                                     \
      GENERATE(from_range(::candor::registry::test::test_backends())); \
  INFO("backend: " << db##_backend);                                   \
  ::candor::registry::test::TestDatabase db(db##_backend)

inline std::unique_ptr<Store> open_initialised(const TestDatabase& db) {
  auto store = open_store(db.url());
  if (!store->log_settings())
    init_register(*store, test_signer(), "/nonexistent/test.skey", "test");
  return store;
}

// Plain SQL on the database behind a store, bypassing it: to see what is stored and to try
// what the store must refuse.
class RawDb {
 public:
  explicit RawDb(const TestDatabase& db) {
    if (db.backend() == "postgresql") {
      pg_ = std::make_unique<PgConnection>(db.url());
      return;
    }
    if (sqlite3_open(db.file().c_str(), &sqlite_) != SQLITE_OK) throw std::runtime_error("open");
    sqlite3_busy_timeout(sqlite_, 5000);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb() {
    if (sqlite_ != nullptr) sqlite3_close(sqlite_);
  }

  bool exec(const std::string& sql) {
    if (pg_) return pg_->exec(sql);
    return sqlite3_exec(sqlite_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  std::string text(const std::string& sql) {
    if (pg_) return pg_->text(sql);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(sqlite_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sqlite3_errmsg(sqlite_));
    }
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return out;
  }
  long long number(const std::string& sql) { return std::stoll(text(sql)); }
  // Every table and trigger definition, to compare before and after re-opening.
  std::string schema() {
    if (pg_) {
      return text(
                 "SELECT string_agg(table_name || ':' || column_name || ':' || data_type, ',' "
                 "ORDER BY table_name, column_name) FROM information_schema.columns "
                 "WHERE table_schema = current_schema()") +
             "|" +
             text(
                 "SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger "
                 "WHERE NOT tgisinternal");
    }
    return text("SELECT group_concat(sql, ';') FROM sqlite_master");
  }

 private:
  sqlite3* sqlite_ = nullptr;
  std::unique_ptr<PgConnection> pg_;
};

}  // namespace candor::registry::test
