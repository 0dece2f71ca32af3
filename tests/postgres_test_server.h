// A PostgreSQL server for tests: the one CANDOR_TEST_POSTGRES_URL names (tools/test starts a
// throwaway cluster and sets it; tools/pg-cluster), a libpq connection to it, and fresh databases
// on it. Tests that need PostgreSQL skip, saying so, when the variable is unset.
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>

namespace candor::test {

// The server the PostgreSQL cases run on, or empty.
inline std::string postgres_test_url() {
  const char* url = std::getenv("CANDOR_TEST_POSTGRES_URL");
  return url != nullptr ? std::string(url) : std::string();
}

// `url` with its database name replaced by `name` (postgresql://user@host:port/NAME?query).
inline std::string with_database(const std::string& url, const std::string& name) {
  const std::size_t authority = url.find("://");
  if (authority == std::string::npos) throw std::invalid_argument("not a URL: " + url);
  const std::size_t query = url.find('?', authority + 3);
  const std::size_t slash = url.find('/', authority + 3);
  const std::size_t path = slash != std::string::npos && slash < query ? slash : query;
  return url.substr(0, path) + "/" + name + (query == std::string::npos ? "" : url.substr(query));
}

// A libpq connection, for creating databases and looking behind the store.
class PgConnection {
 public:
  explicit PgConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string message = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw std::runtime_error("cannot connect to the test server: " + message);
    }
    PQclear(PQexec(conn_, "SET client_min_messages = warning"));
  }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection() { PQfinish(conn_); }

  // Whether `sql` succeeded.
  bool exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return ok;
  }
  // The first column of the first row, as text ("" for none or NULL); throws on an error.
  std::string text(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      const std::string message = PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error(message);
    }
    std::string out = PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    return out;
  }

 private:
  PGconn* conn_;
};

// A fresh, empty database on the test server, dropped (with any connections still open to it)
// at scope exit.
class PostgresTestDatabase {
 public:
  PostgresTestDatabase() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    name_ = "candor_t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
            std::to_string(rd() % 100000);
    PgConnection admin(postgres_test_url());
    if (!admin.exec("CREATE DATABASE " + name_)) {
      throw std::runtime_error("cannot create the test database " + name_);
    }
    url_ = with_database(postgres_test_url(), name_);
  }
  PostgresTestDatabase(const PostgresTestDatabase&) = delete;
  PostgresTestDatabase& operator=(const PostgresTestDatabase&) = delete;
  ~PostgresTestDatabase() {
    try {
      PgConnection admin(postgres_test_url());
      admin.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
      // The cluster is thrown away after the run anyway.
    }
  }
  const std::string& url() const { return url_; }

 private:
  std::string name_;
  std::string url_;
};

}  // namespace candor::test
