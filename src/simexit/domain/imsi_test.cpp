#include "simexit/domain/imsi.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace simexit {
namespace {

using ::testing::HasSubstr;

void ExpectInvalid(std::string_view text, const std::string& part) {
  auto imsi = Imsi::Parse(text);
  ASSERT_FALSE(imsi.has_value()) << text;
  EXPECT_EQ(imsi.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(imsi.error().problem_code, "invalid_imsi");
  EXPECT_THAT(imsi.error().message, HasSubstr(part)) << text;
}

TEST(ImsiTest, AcceptsKazakhstanAndTestNetworks) {
  for (const char* text :
       {"401770000000001", "401010123456789", "001010000000001", "901700000012345"}) {
    auto imsi = Imsi::Parse(text);
    ASSERT_TRUE(imsi.has_value()) << text;
    EXPECT_EQ(imsi->digits(), text);
  }
}

TEST(ImsiTest, LengthBounds) {
  EXPECT_TRUE(Imsi::Parse("401770").has_value());
  EXPECT_TRUE(Imsi::Parse("401770123456789").has_value());
  ExpectInvalid("40177", "6 to 15 digits (got 5)");
  ExpectInvalid("4017701234567890", "6 to 15 digits (got 16)");
  ExpectInvalid("", "6 to 15 digits (got 0)");
}

TEST(ImsiTest, DigitsOnly) {
  ExpectInvalid("40177000000000A", "only digits");
  ExpectInvalid("401 770000000001", "only digits");
  ExpectInvalid("+401770000000001", "only digits");
  ExpectInvalid(" 401770000000001", "only digits");
}

TEST(ImsiTest, Equality) {
  EXPECT_EQ(*Imsi::Parse("401770000000001"), *Imsi::Parse("401770000000001"));
  EXPECT_FALSE(*Imsi::Parse("401770000000001") == *Imsi::Parse("401770000000002"));
}

}  // namespace
}  // namespace simexit
