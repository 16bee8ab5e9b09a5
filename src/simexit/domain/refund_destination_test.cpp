#include "simexit/domain/refund_destination.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

TEST(RefundDestinationTest, CardIsMaskedToLastFour) {
  Result<std::string> r =
      NormaliseRefundDestination(RefundMethod::kBankCard, "4111 1111 1111 1111");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "**** 1111");
}

TEST(RefundDestinationTest, CardWithWrongCheckDigitIsRefused) {
  Result<std::string> r = NormaliseRefundDestination(RefundMethod::kBankCard, "4111111111111112");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().problem_code, "invalid_refund");
  EXPECT_NE(r.error().message.find("check digit"), std::string::npos);
}

TEST(RefundDestinationTest, CardTooShortIsRefused) {
  EXPECT_FALSE(NormaliseRefundDestination(RefundMethod::kBankCard, "411111"));
}

TEST(RefundDestinationTest, ValidKazakhIbanIsAccepted) {
  // Check digits computed by ISO 13616 mod 97 for KZ..125KZT5004100100.
  Result<std::string> r =
      NormaliseRefundDestination(RefundMethod::kIban, "kz86 125k zt50 0410 0100");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "KZ86125KZT5004100100");
}

TEST(RefundDestinationTest, IbanWithWrongCheckDigitsIsRefused) {
  Result<std::string> r = NormaliseRefundDestination(RefundMethod::kIban, "KZ87125KZT5004100100");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("check digits"), std::string::npos);
}

TEST(RefundDestinationTest, KazakhIbanOfWrongLengthIsRefused) {
  Result<std::string> r = NormaliseRefundDestination(RefundMethod::kIban, "KZ86125KZT500410010");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("20 characters"), std::string::npos);
}

TEST(RefundDestinationTest, OtherLineIsNormalised) {
  Result<std::string> r = NormaliseRefundDestination(RefundMethod::kOtherLine, "8 (701) 123-45-67");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "+77011234567");
}

TEST(RefundDestinationTest, OtherLineMustBeKazakhMobile) {
  Result<std::string> r = NormaliseRefundDestination(RefundMethod::kOtherLine, "+79161234567");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().problem_code, "invalid_refund");
}

}  // namespace
}  // namespace simexit
