// ResponseCache: rendered public responses, kept until the register changes.
//
// Every public page and API answer is a function of the register's content, and the register
// only changes by appending to its log. So a response rendered at log size N stays right until
// the size moves: the cache is keyed by request target and stamped with the size it was
// rendered at, and the first lookup that sees another size empties it. No time-based expiry, so
// nothing stale is ever served, however long ago it was rendered.
//
// What is cached is decided by the caller (App::cached): only GET/HEAD answers to requests with
// no cookie and no Authorization (nothing personal), only 200s, and only bodies up to
// max_entry_bytes. Least recently used entries are evicted beyond max_bytes. Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "candor/web/http.h"

namespace candor::web {

class ResponseCache {
 public:
  // max_bytes counts bodies, headers and keys (roughly what the entries hold in memory).
  explicit ResponseCache(std::size_t max_bytes, std::size_t max_entry_bytes = 1 << 20);
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  // The response stored for `key` at `generation`; nullopt if none. A generation other than the
  // cache's current one empties the cache first (the register changed).
  std::shared_ptr<const Response> find(std::string_view key, std::uint64_t generation);

  // Stores a copy of `response` for `key`, rendered at `generation`. Ignored if the response is
  // larger than max_entry_bytes, or if the cache has meanwhile moved to a later generation.
  void put(std::string key, std::uint64_t generation, const Response& response);

  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t entries = 0;
    std::uint64_t bytes = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const Response> response;
    std::size_t bytes = 0;
  };
  void reset_to(std::uint64_t generation);  // with mutex_ held
  void evict_to(std::size_t budget);         // with mutex_ held

  const std::size_t max_bytes_;
  const std::size_t max_entry_bytes_;
  mutable std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;  // keys live in lru_
  std::size_t bytes_ = 0;
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
};

}  // namespace candor::web
