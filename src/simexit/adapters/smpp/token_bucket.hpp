#pragma once
// The submit throttle of SmppClient: a token bucket of rate_per_second tokens
// a second, holding at most max(1, rate / 10) (bursts of a tenth of a second).
// A rate <= 0 means unlimited. Not thread-safe: the session's I/O thread owns it.

#include <chrono>
#include <cstddef>
#include <optional>

namespace simexit::smpp {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  // Starts full at `now`.
  TokenBucket(double rate_per_second, Clock::time_point now);

  // Takes a token: nullopt when one was available (or the rate is unlimited),
  // else how long to wait before trying again (nothing is taken then).
  std::optional<Clock::duration> Take(Clock::time_point now);

  // How long `tokens` submits take at this rate (0 when unlimited): a bound
  // for waiting on a message's parts.
  std::chrono::milliseconds TimeFor(std::size_t tokens) const;

 private:
  double Capacity() const;

  double rate_per_second_;
  double tokens_;
  Clock::time_point last_refill_;
};

}  // namespace simexit::smpp
