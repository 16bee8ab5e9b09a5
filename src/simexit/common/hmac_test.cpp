#include "simexit/common/hmac.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

// RFC 4231 test case 2, and the same MAC in base64 computed by Python's
// hmac module: base64.b64encode(hmac.new(b"Jefe", msg, "sha256").digest()).
TEST(HmacTest, MatchesRfc4231TestCase2) {
  EXPECT_EQ(HmacSha256Base64("Jefe", "what do ya want for nothing?"),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
}

TEST(HmacTest, ChangesWithKeyAndMessage) {
  const std::string mac = HmacSha256Base64("whsec_a", "1700000000.{}");
  EXPECT_EQ(mac.size(), 44u);
  EXPECT_NE(mac, HmacSha256Base64("whsec_b", "1700000000.{}"));
  EXPECT_NE(mac, HmacSha256Base64("whsec_a", "1700000001.{}"));
}

}  // namespace
}  // namespace simexit
