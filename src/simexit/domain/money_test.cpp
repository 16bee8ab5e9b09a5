#include "simexit/domain/money.hpp"

#include <gtest/gtest.h>

#include <string>

namespace simexit {
namespace {

std::int64_t ParsedTiyn(std::string_view text) {
  auto money = Money::ParseKzt(text);
  EXPECT_TRUE(money.has_value()) << text;
  return money ? money->tiyn() : -1;
}

void ExpectInvalid(std::string_view text) {
  auto money = Money::ParseKzt(text);
  ASSERT_FALSE(money.has_value()) << text << " -> " << money->tiyn();
  EXPECT_EQ(money.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(money.error().problem_code, "invalid_amount");
}

TEST(MoneyParseKztTest, WholeAndFractionalTenge) {
  EXPECT_EQ(ParsedTiyn("1500"), 150000);
  EXPECT_EQ(ParsedTiyn("1500.5"), 150050);  // one decimal means tens of tiyn
  EXPECT_EQ(ParsedTiyn("1500.50"), 150050);
  EXPECT_EQ(ParsedTiyn("1500.05"), 150005);
  EXPECT_EQ(ParsedTiyn("6.84"), 684);
  EXPECT_EQ(ParsedTiyn("0.01"), 1);
  EXPECT_EQ(ParsedTiyn("0"), 0);
  EXPECT_EQ(ParsedTiyn("0.00"), 0);
  EXPECT_EQ(ParsedTiyn("007"), 700);  // leading zeros are harmless
}

TEST(MoneyParseKztTest, Negatives) {
  EXPECT_EQ(ParsedTiyn("-20.00"), -2000);
  EXPECT_EQ(ParsedTiyn("-0.01"), -1);
  EXPECT_EQ(ParsedTiyn("-150"), -15000);
  EXPECT_EQ(ParsedTiyn("-0"), 0);
  EXPECT_FALSE(Money::ParseKzt("-0")->IsNegative());
}

TEST(MoneyParseKztTest, MagnitudeLimit) {
  EXPECT_EQ(ParsedTiyn("1000000000000"), 100'000'000'000'000);
  EXPECT_EQ(ParsedTiyn("-1000000000000"), -100'000'000'000'000);
  EXPECT_EQ(ParsedTiyn("999999999999.99"), 99'999'999'999'999);
  ExpectInvalid("1000000000001");
  ExpectInvalid("9999999999999");
  ExpectInvalid("10000000000000");        // 14 digits
  ExpectInvalid("99999999999999999999");  // would overflow int64 if accumulated
}

TEST(MoneyParseKztTest, JustOverTheLimitWithTiyn) {
  ExpectInvalid("1000000000000.01");
  ExpectInvalid("-1000000000000.01");
}

TEST(MoneyParseKztTest, RefusesMalformedInput) {
  for (const char* text :
       {"",   "-",  "--1", "+5",   ".5",   "-.5",  "1.",   "1.234", "1.5x",  "1x", "1,50",
        " 1", "1 ", "1e3", "1..2", "1.-2", "0x10", "₸100", "100₸",  "1 500", "NaN"}) {
    ExpectInvalid(text);
  }
}

TEST(MoneyToDecimalStringTest, AlwaysTwoDecimals) {
  EXPECT_EQ(Money::Tiyn(150050).ToDecimalString(), "1500.50");
  EXPECT_EQ(Money::Tiyn(150000).ToDecimalString(), "1500.00");
  EXPECT_EQ(Money::Tiyn(150005).ToDecimalString(), "1500.05");
  EXPECT_EQ(Money::Tiyn(1).ToDecimalString(), "0.01");
  EXPECT_EQ(Money::Tiyn(99).ToDecimalString(), "0.99");
  EXPECT_EQ(Money::Zero().ToDecimalString(), "0.00");
  EXPECT_EQ(Money::Tiyn(100'000'000'000'000).ToDecimalString(), "1000000000000.00");
}

TEST(MoneyToDecimalStringTest, Negatives) {
  EXPECT_EQ(Money::Tiyn(-2000).ToDecimalString(), "-20.00");
  EXPECT_EQ(Money::Tiyn(-1).ToDecimalString(), "-0.01");
  EXPECT_EQ(Money::Tiyn(-99).ToDecimalString(), "-0.99");
  EXPECT_EQ(Money::Tiyn(-150050).ToDecimalString(), "-1500.50");
}

TEST(MoneyToDecimalStringTest, RoundTripsThroughParse) {
  for (std::int64_t tiyn : {0LL, 1LL, -1LL, 10LL, 684LL, -2000LL, 123456750LL, -99999LL}) {
    const Money money = Money::Tiyn(tiyn);
    auto parsed = Money::ParseKzt(money.ToDecimalString());
    ASSERT_TRUE(parsed.has_value()) << money.ToDecimalString();
    EXPECT_EQ(*parsed, money);
  }
}

TEST(MoneyTest, ArithmeticAndComparison) {
  const Money a = Money::Tiyn(1500);
  const Money b = Money::Tiyn(250);
  EXPECT_EQ((a + b).tiyn(), 1750);
  EXPECT_EQ((a - b).tiyn(), 1250);
  EXPECT_EQ((b - a).tiyn(), -1250);
  EXPECT_EQ((-a).tiyn(), -1500);
  Money c = a;
  c += b;
  EXPECT_EQ(c.tiyn(), 1750);
  c -= a;
  EXPECT_EQ(c, b);
  EXPECT_LT(b, a);
  EXPECT_EQ(Min(a, b), b);
  EXPECT_EQ(Max(a, b), a);
  EXPECT_TRUE(Money::Zero().IsZero());
  EXPECT_TRUE((b - a).IsNegative());
  EXPECT_TRUE(a.IsPositive());
  EXPECT_FALSE(Money::Zero().IsPositive());
  EXPECT_FALSE(Money::Zero().IsNegative());
  EXPECT_EQ(Money().tiyn(), 0);
}

TEST(MoneyTest, Currency) { EXPECT_STREQ(kCurrency, "KZT"); }

}  // namespace
}  // namespace simexit
