#include "simexit/domain/iccid.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace simexit {
namespace {

using ::testing::HasSubstr;

void ExpectInvalid(std::string_view text, const std::string& part) {
  auto iccid = Iccid::Parse(text);
  ASSERT_FALSE(iccid.has_value()) << text;
  EXPECT_EQ(iccid.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(iccid.error().problem_code, "invalid_iccid");
  EXPECT_THAT(iccid.error().message, HasSubstr(part)) << text;
}

TEST(IccidTest, LuhnDigit) {
  EXPECT_EQ(Iccid::LuhnDigit("7992739871"), '3');  // the classic Luhn example
  EXPECT_EQ(Iccid::LuhnDigit("8901410321111851072"), '0');
  EXPECT_EQ(Iccid::LuhnDigit("894450010219830482"), '6');
  EXPECT_EQ(Iccid::LuhnDigit("0"), '0');
  EXPECT_EQ(Iccid::LuhnDigit("1"), '8');
  EXPECT_EQ(Iccid::LuhnDigit("5"), '9');  // 5*2 = 10 -> 1
  EXPECT_EQ(Iccid::LuhnDigit(""), '0');
  EXPECT_EQ(Iccid::LuhnDigit("12a"), '\0');
}

TEST(IccidTest, ParsesTwentyDigits) {
  auto iccid = Iccid::Parse("89014103211118510720");
  ASSERT_TRUE(iccid.has_value()) << iccid.error().message;
  EXPECT_EQ(iccid->digits(), "89014103211118510720");
}

TEST(IccidTest, ParsesNineteenDigits) {
  auto iccid = Iccid::Parse("8944500102198304826");
  ASSERT_TRUE(iccid.has_value()) << iccid.error().message;
  EXPECT_EQ(iccid->digits(), "8944500102198304826");
}

TEST(IccidTest, SpacesAreRemoved) {
  auto iccid = Iccid::Parse(" 8901 4103 2111 1851 0720 ");
  ASSERT_TRUE(iccid.has_value()) << iccid.error().message;
  EXPECT_EQ(iccid->digits(), "89014103211118510720");
  EXPECT_EQ(*iccid, *Iccid::Parse("89014103211118510720"));
}

TEST(IccidTest, KazakhstanStyleIccidWithComputedCheckDigit) {
  // 89 + country code 7 + issuer, check digit appended by LuhnDigit.
  const std::string payload = "897701000000000001";
  const std::string full = payload + Iccid::LuhnDigit(payload);
  EXPECT_TRUE(Iccid::Parse(full).has_value());
}

TEST(IccidTest, WrongCheckDigit) {
  ExpectInvalid("89014103211118510721", "Luhn check digit");
  ExpectInvalid("8944500102198304825", "Luhn check digit");
  // Two adjacent digits swapped: Luhn catches it.
  ExpectInvalid("89014103211118517020", "Luhn check digit");
}

TEST(IccidTest, WrongLength) {
  ExpectInvalid("894450010219830482", "19 or 20 digits (got 18)");
  ExpectInvalid("890141032111185107200", "19 or 20 digits (got 21)");
  ExpectInvalid("", "19 or 20 digits (got 0)");
  ExpectInvalid("   ", "19 or 20 digits (got 0)");
}

TEST(IccidTest, WrongPrefix) {
  const std::string payload = "990141032111185107";
  ExpectInvalid(payload + Iccid::LuhnDigit(payload), "starts with 89");
}

TEST(IccidTest, NonDigits) {
  ExpectInvalid("8901410321111851072F", "only digits");
  ExpectInvalid("8901-4103-2111-1851-0720", "only digits");
}

}  // namespace
}  // namespace simexit
