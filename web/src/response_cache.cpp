#include "candor/web/response_cache.h"

namespace candor::web {

namespace {

std::size_t size_of(const std::string& key, const Response& response) {
  std::size_t bytes = key.size() + response.body.size() + sizeof(Response);
  for (const auto& [name, value] : response.headers.entries()) bytes += name.size() + value.size();
  return bytes;
}

}  // namespace

ResponseCache::ResponseCache(std::size_t max_bytes, std::size_t max_entry_bytes)
    : max_bytes_(max_bytes), max_entry_bytes_(max_entry_bytes) {}

std::shared_ptr<const Response> ResponseCache::find(std::string_view key,
                                                    std::uint64_t generation) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (generation != generation_) reset_to(generation);
  const auto it = index_.find(key);
  if (it == index_.end()) {
    ++misses_;
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  ++hits_;
  return it->second->response;
}

void ResponseCache::put(std::string key, std::uint64_t generation, const Response& response) {
  const std::size_t bytes = size_of(key, response);
  if (bytes > max_entry_bytes_ || bytes > max_bytes_) return;
  auto copy = std::make_shared<const Response>(response);
  std::lock_guard<std::mutex> lock(mutex_);
  // A response rendered before the register changed must not land in the newer generation; a
  // render that saw a newer register than the cache has yet met moves the cache on.
  if (generation < generation_) return;
  if (generation > generation_) reset_to(generation);
  if (const auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->bytes;
    lru_.erase(it->second);
    index_.erase(it);
  }
  evict_to(max_bytes_ - bytes);
  lru_.push_front(Entry{std::move(key), std::move(copy), bytes});
  index_.emplace(lru_.front().key, lru_.begin());
  bytes_ += bytes;
}

ResponseCache::Stats ResponseCache::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {hits_.load(), misses_.load(), lru_.size(), bytes_};
}

void ResponseCache::reset_to(std::uint64_t generation) {
  index_.clear();
  lru_.clear();
  bytes_ = 0;
  generation_ = generation;
}

void ResponseCache::evict_to(std::size_t budget) {
  while (bytes_ > budget && !lru_.empty()) {
    bytes_ -= lru_.back().bytes;
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

}  // namespace candor::web
