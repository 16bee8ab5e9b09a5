#include "simexit/domain/one_time_code.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "simexit/common/crypto.hpp"

namespace simexit {
namespace {

// Hands out the digits and hex strings it was given, in order.
class ScriptedRandom final : public Random {
 public:
  ScriptedRandom(std::vector<std::uint32_t> digits, std::vector<std::string> hex)
      : digits_(std::move(digits)), hex_(std::move(hex)) {}
  std::uint32_t Uniform(std::uint32_t upper_bound) override {
    return digits_.at(next_digit_++) % upper_bound;
  }
  std::string Hex(std::size_t bytes) override {
    std::string out = hex_.at(next_hex_++);
    out.resize(2 * bytes, '0');
    return out;
  }

 private:
  std::vector<std::uint32_t> digits_;
  std::vector<std::string> hex_;
  std::size_t next_digit_ = 0;
  std::size_t next_hex_ = 0;
};

TEST(OneTimeCodeTest, GeneratesDigitsOfTheAskedLengthAndASalt) {
  ScriptedRandom random({1, 2, 3, 4, 5, 6}, {"ab"});
  OneTimeCode c = OneTimeCode::Generate(random, 6);
  EXPECT_EQ(c.code, "123456");
  EXPECT_EQ(c.salt, "ab" + std::string(30, '0'));
  EXPECT_EQ(c.hash, HashOneTimeCode(c.salt, c.code));
}

TEST(OneTimeCodeTest, HashKeepsTheStoredFormatOfSaltColonCode) {
  // Sign-in challenges and phone confirmations were stored as
  // HashHex(salt + ":" + code): existing rows must keep verifying.
  EXPECT_EQ(HashOneTimeCode("salt", "123456"), HashHex("salt:123456"));
  EXPECT_EQ(HashOneTimeCode("salt", "123456").size(), 64u);
}

TEST(OneTimeCodeTest, VerifiesOnlyTheRightCodeWithItsSalt) {
  const std::string stored = HashHex("s1:4321");
  EXPECT_TRUE(VerifyOneTimeCode("s1", "4321", stored));
  EXPECT_FALSE(VerifyOneTimeCode("s1", "4322", stored));
  EXPECT_FALSE(VerifyOneTimeCode("s2", "4321", stored));
  EXPECT_FALSE(VerifyOneTimeCode("s1", "", stored));
  EXPECT_FALSE(VerifyOneTimeCode("s1", "4321", ""));
}

TEST(ConfirmationTokenShapeTest, OnlyCfAnd32LowerHex) {
  EXPECT_TRUE(IsConfirmationTokenShape("cf_0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(IsConfirmationTokenShape("cf_0123456789abcdef0123456789abcde"));
  EXPECT_FALSE(IsConfirmationTokenShape("cf_0123456789abcdef0123456789abcdef0"));
  EXPECT_FALSE(IsConfirmationTokenShape("cf_0123456789ABCDEF0123456789abcdef"));
  EXPECT_FALSE(IsConfirmationTokenShape("xx_0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(IsConfirmationTokenShape("cf_0123456789abcdef0123456789abc\"><"));
  EXPECT_FALSE(IsConfirmationTokenShape(""));
}

TEST(OneTimeCodeTest, NothingToCheckAgainstIsNeverRight) {
  EXPECT_FALSE(VerifyOneTimeCodeAgainstNothing("000000"));
  EXPECT_FALSE(VerifyOneTimeCodeAgainstNothing(""));
}

}  // namespace
}  // namespace simexit
