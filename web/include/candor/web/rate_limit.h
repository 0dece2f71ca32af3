// Token-bucket rate limits, one bucket per key (a bearer token's hash, a client address).
//
// Each bucket holds up to `burst` requests and refills at `per_second`; a request takes one, or
// is refused with the whole seconds until one will be there (for Retry-After). Buckets that have
// refilled completely carry no information and are dropped when the table grows, so memory stays
// bounded whatever keys clients invent. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace candor::web {

struct RateLimit {
  double per_second = 1.0;  // refill rate
  double burst = 60.0;      // bucket size: requests allowed at once after a quiet spell
};

class RateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `clock` defaults to std::chrono::steady_clock::now (tests pass their own).
  explicit RateLimiter(RateLimit limit, Clock clock = {});

  // Takes one request from `key`'s bucket: nullopt when allowed, else the seconds (at least 1)
  // after which a retry will be.
  std::optional<std::chrono::seconds> take(std::string_view key);

  const RateLimit& limit() const { return limit_; }

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point updated;
  };
  void refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const;
  void prune(std::chrono::steady_clock::time_point now);

  RateLimit limit_;
  Clock clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// The client address of a Request::remote_address ("127.0.0.1:50412" → "127.0.0.1",
// "[::1]:50412" → "::1"); the text itself when it has no port.
std::string client_host(std::string_view remote_address);

}  // namespace candor::web
