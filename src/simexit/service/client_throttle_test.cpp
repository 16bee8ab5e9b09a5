#include "simexit/service/client_throttle.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

TEST(ClientThrottleTest, LimitsEachClientOverASlidingWindow) {
  ClientThrottle throttle(2, 60);
  EXPECT_TRUE(throttle.Allow("10.0.0.1", 100));
  EXPECT_TRUE(throttle.Allow("10.0.0.1", 110));
  EXPECT_FALSE(throttle.Allow("10.0.0.1", 120));
  EXPECT_TRUE(throttle.Allow("10.0.0.2", 120));
  EXPECT_TRUE(throttle.Allow("10.0.0.1", 160));  // the request at 100 aged out
  EXPECT_FALSE(throttle.Allow("10.0.0.1", 165));
}

TEST(ClientThrottleTest, NoAddressIsNotLimited) {
  ClientThrottle throttle(1, 60);
  EXPECT_TRUE(throttle.Allow("", 100));
  EXPECT_TRUE(throttle.Allow("", 100));
}

TEST(ClientThrottleTest, TracksABoundedNumberOfClients) {
  ClientThrottle throttle(5, 60, 2);
  EXPECT_TRUE(throttle.Allow("a", 100));
  EXPECT_TRUE(throttle.Allow("b", 100));
  EXPECT_FALSE(throttle.Allow("c", 100));  // full of live clients: fail closed
  EXPECT_TRUE(throttle.Allow("c", 200));   // a and b aged out
}

}  // namespace
}  // namespace simexit
