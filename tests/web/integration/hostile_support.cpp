#include "hostile_support.h"

#include <sqlite3.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "http_client.h"

namespace candor::test {

namespace fs = std::filesystem;

namespace {

std::string create_token(const fs::path& db, const std::string& org, const std::string& name,
                         const std::string& role, const std::string& label) {
  const auto made = run_candor({"token", "create", "--db", db.string(), "--org", org, "--org-name",
                                name, "--role", role, "--label", label});
  INFO(describe(made));
  REQUIRE(made.exit_code == 0);
  return made.out.substr(0, made.out.find('\n'));
}

}  // namespace

ScratchRegister::ScratchRegister(const std::string& name)
    : dir(fs::temp_directory_path() / ("candor-" + name + "-" + std::to_string(getpid()))) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  REQUIRE(
      run_candor({"keygen", "--name", "test.example/register", "--out", dir.string()}).exit_code ==
      0);
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".skey") skey = e.path();
    if (e.path().extension() == ".vkey") vkey = e.path();
  }
  db = dir / "register.db";
  REQUIRE(run_candor({"register", "init", "--db", db.string(), "--key", skey.string()}).exit_code ==
          0);
  submitter = create_token(db, "northshire-police", "Northshire Constabulary", "submitter", "ci");
  revoked_submitter =
      create_token(db, "northshire-police", "Northshire Constabulary", "submitter", "old-ci");
  const fs::path revoked_file = dir / "revoked-token";
  std::ofstream(revoked_file) << revoked_submitter << '\n';
  const auto revoked =
      run_candor({"token", "revoke", "--db", db.string(), "--token-file", revoked_file.string()});
  INFO(describe(revoked));
  REQUIRE(revoked.exit_code == 0);
  other_submitter =
      create_token(db, "eastbridge-council", "Eastbridge Council", "submitter", "eastbridge-ci");
  regulator = create_token(db, "ai-regulator", "AI Regulator", "regulator", "inspector");
  admin = create_token(db, "operator", "Register operator", "admin", "operator");
}

ScratchRegister::~ScratchRegister() {
  std::error_code ec;
  fs::remove_all(dir, ec);
}

std::vector<std::string> ScratchRegister::serve_args() const {
  // Threads: the slow-body test holds one while others are answered.
  return {"--db", db.string(), "--key", skey.string(), "--write-limit", "100000", "--threads", "4"};
}

LogState log_state(std::uint16_t port) {
  const Reply r = get(port, "/api/v1/log");
  INFO(r.status << " " << r.body);
  REQUIRE(r.status == 200);
  const auto j = nlohmann::json::parse(r.body);
  return {j["size"].get<std::uint64_t>(), j["root_hash"].get<std::string>(),
          j["checkpoint"].get<std::string>()};
}

long resident_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

int RawReply::status() const {
  // "HTTP/1.1 413 ..."
  if (text.rfind("HTTP/1.", 0) != 0 || text.size() < 12) return 0;
  return std::atoi(text.substr(9, 3).c_str());
}

std::string RawReply::head() const {
  return text.substr(0, text.find("\r\n\r\n"));
}

namespace {
RawReply read_reply(Poco::Net::StreamSocket& socket);
}  // namespace

RawReply raw_exchange(std::uint16_t port, const std::string& bytes, int wait_seconds) {
  Poco::Net::StreamSocket socket;
  socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(10, 0));
  socket.setReceiveTimeout(Poco::Timespan(wait_seconds, 0));
  socket.setSendTimeout(Poco::Timespan(wait_seconds, 0));
  try {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const int n =
          socket.sendBytes(bytes.data() + sent,
                           static_cast<int>(std::min<std::size_t>(bytes.size() - sent, 64 * 1024)));
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
  } catch (const Poco::Exception&) {
    // Reset or broken pipe: the server stopped reading, which is what oversized bodies expect.
  }
  return read_reply(socket);
}

namespace {

RawReply read_reply(Poco::Net::StreamSocket& socket) {
  RawReply reply;
  char buffer[16 * 1024];
  try {
    for (;;) {
      const int n = socket.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) {
        reply.closed = true;
        break;
      }
      reply.text.append(buffer, static_cast<std::size_t>(n));
    }
  } catch (const Poco::TimeoutException&) {
  } catch (const Poco::Net::ConnectionResetException&) {
    reply.closed = true;
  }
  return reply;
}

}  // namespace

RawReply raw_streaming_body(std::uint16_t port, const std::string& head, std::uint64_t body_bytes,
                            std::uint64_t& sent) {
  Poco::Net::StreamSocket socket;
  socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(10, 0));
  socket.setReceiveTimeout(Poco::Timespan(20, 0));
  socket.setSendTimeout(Poco::Timespan(20, 0));
  sent = 0;
  const std::string filler(64 * 1024, 'a');
  try {
    socket.sendBytes(head.data(), static_cast<int>(head.size()));
    // Stop at the first sign of an answer: the server is expected to refuse long before the end.
    while (sent < body_bytes && !socket.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) {
      const auto n = static_cast<int>(std::min<std::uint64_t>(filler.size(), body_bytes - sent));
      const int written = socket.sendBytes(filler.data(), n);
      if (written <= 0) break;
      sent += static_cast<std::uint64_t>(written);
    }
  } catch (const Poco::Exception&) {
  }
  return read_reply(socket);
}

std::vector<AuditRow> audit_rows(const fs::path& db, std::int64_t after) {
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(handle);
    throw std::runtime_error("cannot open " + db.string());
  }
  sqlite3_busy_timeout(handle, 10000);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(handle,
                     "SELECT id, actor, action, subject, detail FROM audit_log WHERE id > ? "
                     "ORDER BY id",
                     -1, &stmt, nullptr);
  sqlite3_bind_int64(stmt, 1, after);
  std::vector<AuditRow> rows;
  const auto text = [&](int col) {
    const auto* p = sqlite3_column_text(stmt, col);
    return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
  };
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    rows.push_back({sqlite3_column_int64(stmt, 0), text(1), text(2), text(3), text(4)});
  }
  sqlite3_finalize(stmt);
  sqlite3_close(handle);
  return rows;
}

std::int64_t last_audit_id(const fs::path& db) {
  const auto rows = audit_rows(db);
  return rows.empty() ? 0 : rows.back().id;
}

}  // namespace candor::test
