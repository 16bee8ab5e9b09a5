#include "simexit/common/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace simexit {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RateLimiterTest, BurstThenRefillAtTheRate) {
  RateLimiter limiter({.per_second = 2, .burst = 3}, 100);
  const auto t0 = RateLimiter::Clock::time_point{} + seconds(100);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.Take("a", t0), std::nullopt) << i;
  }
  EXPECT_EQ(limiter.Take("a", t0), seconds(1));
  EXPECT_EQ(limiter.Take("b", t0), std::nullopt);                      // keys are independent
  EXPECT_EQ(limiter.Take("a", t0 + milliseconds(500)), std::nullopt);  // one token back
  EXPECT_EQ(limiter.Take("a", t0 + milliseconds(500)), seconds(1));
}

TEST(RateLimiterTest, RetryAfterCoversTheWait) {
  RateLimiter limiter({.per_second = 0.2, .burst = 1}, 10);
  const auto t0 = RateLimiter::Clock::time_point{} + seconds(100);
  EXPECT_EQ(limiter.Take("a", t0), std::nullopt);
  EXPECT_EQ(limiter.Take("a", t0), seconds(5));
}

TEST(RateLimiterTest, UnlimitedWhenRateIsZero) {
  RateLimiter limiter({.per_second = 0, .burst = 1}, 1);
  const auto t0 = RateLimiter::Clock::time_point{};
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(limiter.Take("a", t0), std::nullopt);
  }
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiterTest, TableStaysBoundedAndDropsIdleKeysFirst) {
  RateLimiter limiter({.per_second = 1, .burst = 2}, 3);
  const auto t0 = RateLimiter::Clock::time_point{} + seconds(100);
  limiter.Take("busy", t0);
  limiter.Take("busy", t0);  // empty bucket: remembered
  limiter.Take("idle1", t0);
  limiter.Take("idle2", t0);
  // 1.5 s later the idle keys are full again and "busy" is not: a flood of
  // new keys never grows the table past its bound.
  const auto t1 = t0 + milliseconds(1500);
  for (int i = 0; i < 1000; ++i) {
    limiter.Take("new" + std::to_string(i), t1);
    EXPECT_LE(limiter.size(), 3u);
  }
}

TEST(RateLimiterTest, EvictsIdleBeforeBusy) {
  RateLimiter limiter({.per_second = 1, .burst = 2}, 2);
  const auto t0 = RateLimiter::Clock::time_point{} + seconds(100);
  limiter.Take("idle", t0);
  const auto t1 = t0 + seconds(5);  // "idle" is full again
  limiter.Take("busy", t1);
  limiter.Take("busy", t1);
  limiter.Take("third", t1);  // evicts "idle", not "busy"
  EXPECT_EQ(limiter.Take("busy", t1), seconds(1));
}

}  // namespace
}  // namespace simexit
