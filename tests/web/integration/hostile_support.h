// Shared by the hostile-input and authorisation tests: a scratch register with the tokens they
// need, a raw socket exchange for requests no well-behaved client would send, and what the
// tests read about the server (log state, resident memory, audit events).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "candor_run.h"

namespace candor::test {

// A fresh register in a scratch directory, with its key and one token per role the tests need.
// Organisations: northshire-police (submitter, plus a second submitter token that is revoked),
// eastbridge-council (submitter), ai-regulator (regulator), operator (admin).
struct ScratchRegister {
  explicit ScratchRegister(const std::string& name);
  ~ScratchRegister();
  ScratchRegister(const ScratchRegister&) = delete;
  ScratchRegister& operator=(const ScratchRegister&) = delete;

  std::filesystem::path dir;
  std::filesystem::path db;
  std::filesystem::path skey;
  std::filesystem::path vkey;
  std::string submitter;          // northshire-police
  std::string revoked_submitter;  // northshire-police, revoked with `candor token revoke`
  std::string other_submitter;    // eastbridge-council
  std::string regulator;          // ai-regulator
  std::string admin;              // operator

  // `candor serve` arguments for this register, writes enabled, limits raised for test volume.
  std::vector<std::string> serve_args() const;
};

// What a client sees of the log: size and root hash (GET /api/v1/log) and the checkpoint text.
struct LogState {
  std::uint64_t size = 0;
  std::string root_hash;
  std::string checkpoint;
  bool operator==(const LogState&) const = default;
};
LogState log_state(std::uint16_t port);

// VmRSS of a process in KiB (/proc/PID/status), or -1 if it cannot be read.
long resident_kib(pid_t pid);

// Sends `bytes` as they are on a new connection to 127.0.0.1:port, then reads until the server
// closes the connection or `wait_seconds` pass with nothing arriving. Returns what arrived.
// Write errors (the server closed early, as it should for an oversized body) end the sending.
struct RawReply {
  std::string text;          // everything received
  bool closed = false;       // the server closed the connection (rather than our timeout)
  int status() const;        // from the status line, or 0 if none arrived
  std::string head() const;  // status line and header fields
};
RawReply raw_exchange(std::uint16_t port, const std::string& bytes, int wait_seconds = 20);

// Sends `head`, then up to `body_bytes` of filler, stopping as soon as the server answers (or
// refuses more); `sent` says how much of the body went out. For bodies too large to build.
RawReply raw_streaming_body(std::uint16_t port, const std::string& head, std::uint64_t body_bytes,
                            std::uint64_t& sent);

// Audit events (SQLite audit_log) with id > after, as "actor|action|subject|detail" lines.
struct AuditRow {
  std::int64_t id = 0;
  std::string actor, action, subject, detail;
};
std::vector<AuditRow> audit_rows(const std::filesystem::path& db, std::int64_t after = 0);
std::int64_t last_audit_id(const std::filesystem::path& db);

}  // namespace candor::test
