#include "simexit/adapters/smpp/token_bucket.hpp"

#include <algorithm>

namespace simexit::smpp {

TokenBucket::TokenBucket(double rate_per_second, Clock::time_point now)
    : rate_per_second_(rate_per_second), tokens_(Capacity()), last_refill_(now) {}

double TokenBucket::Capacity() const { return std::max(1.0, rate_per_second_ / 10.0); }

std::optional<TokenBucket::Clock::duration> TokenBucket::Take(Clock::time_point now) {
  if (rate_per_second_ <= 0) {
    return std::nullopt;
  }
  const double elapsed = std::chrono::duration<double>(now - last_refill_).count();
  last_refill_ = now;
  tokens_ = std::min(Capacity(), tokens_ + elapsed * rate_per_second_);
  if (tokens_ < 1.0) {
    const auto wait = std::chrono::duration<double>((1.0 - tokens_) / rate_per_second_);
    // A little past the moment the token is due, so the retry finds it.
    return std::chrono::duration_cast<Clock::duration>(wait) + std::chrono::microseconds(100);
  }
  tokens_ -= 1.0;
  return std::nullopt;
}

std::chrono::milliseconds TokenBucket::TimeFor(std::size_t tokens) const {
  if (rate_per_second_ <= 0) {
    return std::chrono::milliseconds(0);
  }
  return std::chrono::milliseconds(
      static_cast<long long>(1000.0 * static_cast<double>(tokens) / rate_per_second_));
}

}  // namespace simexit::smpp
