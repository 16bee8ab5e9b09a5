#include "simexit/adapters/smpp/token_bucket.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace simexit::smpp {
namespace {

using namespace std::chrono_literals;
using Clock = TokenBucket::Clock;

TEST(TokenBucket, UnlimitedNeverWaits) {
  const Clock::time_point t0{};
  TokenBucket bucket(0, t0);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(bucket.Take(t0).has_value());
  }
  EXPECT_EQ(bucket.TimeFor(100), 0ms);
}

TEST(TokenBucket, BurstOfATenthOfASecondThenWaits) {
  const Clock::time_point t0{};
  TokenBucket bucket(50, t0);  // capacity max(1, 5) = 5
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(bucket.Take(t0).has_value()) << i;
  }
  const auto wait = bucket.Take(t0);
  ASSERT_TRUE(wait.has_value());
  EXPECT_GE(*wait, 20ms);  // one token every 1/50 s
  EXPECT_LT(*wait, 21ms);
  EXPECT_FALSE(bucket.Take(t0 + 21ms).has_value());
}

TEST(TokenBucket, SlowRatesHoldOneToken) {
  const Clock::time_point t0{};
  TokenBucket bucket(2, t0);  // capacity 1
  EXPECT_FALSE(bucket.Take(t0).has_value());
  EXPECT_TRUE(bucket.Take(t0 + 100ms).has_value());
  EXPECT_FALSE(bucket.Take(t0 + 600ms).has_value());
  EXPECT_EQ(bucket.TimeFor(3), 1500ms);
}

}  // namespace
}  // namespace simexit::smpp
