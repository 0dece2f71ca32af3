#include "candor/web/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace candor::web {

namespace {

// Past this many buckets, full ones are dropped before a new one is added.
constexpr std::size_t k_prune_above = 10000;

}  // namespace

RateLimiter::RateLimiter(RateLimit limit, Clock clock)
    : limit_(limit),
      clock_(clock ? std::move(clock) : Clock{[] { return std::chrono::steady_clock::now(); }}) {}

void RateLimiter::refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  if (elapsed > 0) {
    bucket.tokens = std::min(limit_.burst, bucket.tokens + elapsed * limit_.per_second);
    bucket.updated = now;
  }
}

void RateLimiter::prune(std::chrono::steady_clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, now);
    it = it->second.tokens >= limit_.burst ? buckets_.erase(it) : std::next(it);
  }
}

std::optional<std::chrono::seconds> RateLimiter::take(std::string_view key) {
  const auto now = clock_();
  const std::lock_guard<std::mutex> lock(mutex_);
  auto it = buckets_.find(std::string{key});
  if (it == buckets_.end()) {
    if (buckets_.size() >= k_prune_above) prune(now);
    it = buckets_.emplace(std::string{key}, Bucket{limit_.burst, now}).first;
  }
  Bucket& bucket = it->second;
  refill(bucket, now);
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::nullopt;
  }
  const double wait = limit_.per_second > 0 ? (1.0 - bucket.tokens) / limit_.per_second : 3600.0;
  return std::chrono::seconds(std::max<long long>(1, static_cast<long long>(std::ceil(wait))));
}

std::string client_host(std::string_view remote_address) {
  if (remote_address.starts_with('[')) {
    const std::size_t close = remote_address.find(']');
    if (close != std::string_view::npos) return std::string{remote_address.substr(1, close - 1)};
  }
  const std::size_t colon = remote_address.rfind(':');
  if (colon == std::string_view::npos || remote_address.find(':') != colon) {
    return std::string{remote_address};  // no port, or a bare IPv6 address
  }
  return std::string{remote_address.substr(0, colon)};
}

}  // namespace candor::web
