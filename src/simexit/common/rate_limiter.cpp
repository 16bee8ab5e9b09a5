#include "simexit/common/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace simexit {

RateLimiter::RateLimiter(RateLimit limit, std::size_t max_keys)
    : limit_(limit), max_keys_(std::max<std::size_t>(max_keys, 1)) {}

void RateLimiter::Refill(Bucket& bucket, Clock::time_point now) const {
  if (now > bucket.last) {
    const double elapsed = std::chrono::duration<double>(now - bucket.last).count();
    bucket.tokens = std::min(limit_.burst, bucket.tokens + elapsed * limit_.per_second);
    bucket.last = now;
  }
}

void RateLimiter::MakeRoom(Clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Refill(it->second, now);
    if (it->second.tokens >= limit_.burst) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
  if (buckets_.size() >= max_keys_) {
    const auto oldest = std::min_element(
        buckets_.begin(), buckets_.end(),
        [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
    buckets_.erase(oldest);
  }
}

std::optional<std::chrono::seconds> RateLimiter::Take(std::string_view key, Clock::time_point now,
                                                      double cost) {
  if (limit_.per_second <= 0) {
    return std::nullopt;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) {
      MakeRoom(now);
    }
    it = buckets_.emplace(std::string(key), Bucket{limit_.burst, now}).first;
  }
  Bucket& bucket = it->second;
  Refill(bucket, now);
  if (bucket.tokens >= cost) {
    bucket.tokens -= cost;
    return std::nullopt;
  }
  const double wait = (cost - bucket.tokens) / limit_.per_second;
  return std::chrono::seconds(std::max<long>(1, static_cast<long>(std::ceil(wait))));
}

std::size_t RateLimiter::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return buckets_.size();
}

}  // namespace simexit
