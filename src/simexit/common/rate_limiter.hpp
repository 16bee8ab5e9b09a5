#pragma once
// Token buckets per key (a client address, a credential), in a table of
// bounded size: the HTTP edge's request-rate limits.
//
// Each key gets a bucket of `burst` tokens that refills at `per_second`; a
// request takes one. The table holds at most `max_keys` buckets: when a new
// key finds it full, buckets that have refilled completely (idle keys: they
// carry no information) are dropped first, then the least recently used one.
// So memory stays bounded however many addresses or made-up credentials a
// client invents; the price under such a flood is that an evicted key starts
// again with a full bucket.
//
// Time is passed in, so tests move it without sleeping. Thread-safe.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace simexit {

struct RateLimit {
  double per_second = 0;  // refill rate; 0 = unlimited (Take always allows)
  double burst = 1;       // bucket size: requests allowed at once; >= 1
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // `max_keys` >= 1.
  RateLimiter(RateLimit limit, std::size_t max_keys);

  // Takes `cost` tokens (one request, or a batch of that many) from `key`'s
  // bucket: nullopt when allowed, else how long (whole seconds, at least 1)
  // until that many are back; nothing is taken then. A cost over `burst` is
  // never allowed.
  std::optional<std::chrono::seconds> Take(std::string_view key, Clock::time_point now,
                                           double cost = 1);

  // Buckets held now (for tests and the memory bound).
  std::size_t size() const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point last;  // last refill (= last use)
  };

  void Refill(Bucket& bucket, Clock::time_point now) const;
  void MakeRoom(Clock::time_point now);

  const RateLimit limit_;
  const std::size_t max_keys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace simexit
