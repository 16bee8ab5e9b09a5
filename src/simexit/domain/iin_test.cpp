#include "simexit/domain/iin.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace simexit {
namespace {

using ::testing::HasSubstr;

// Vectors from /work/shared/domain/facts-kz.md §1.3 and §7 (synthetic unless noted).

class ValidIinTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ValidIinTest, Parses) {
  auto iin = Iin::Parse(GetParam());
  ASSERT_TRUE(iin.has_value()) << GetParam() << ": " << iin.error().message;
  EXPECT_EQ(iin->digits(), GetParam());
}

INSTANTIATE_TEST_SUITE_P(FactsVectors, ValidIinTest,
                         ::testing::Values("900101300017", "900101300811", "850615400016",
                                           "850615400705", "000229500018", "000229500909",
                                           "120704600010", "120704600108", "991231300013",
                                           "991231300408", "991231200017", "010101500013",
                                           "010101500401",
                                           // Public suites (pass-2 branch and others).
                                           "061211600012", "901123300258", "880515300120",
                                           "950101400012", "921029350851"));

struct InvalidIin {
  const char* text;
  const char* message_part;  // which rule the message must name
};

class InvalidIinTest : public ::testing::TestWithParam<InvalidIin> {};

TEST_P(InvalidIinTest, RefusedWithReason) {
  const InvalidIin& c = GetParam();
  auto iin = Iin::Parse(c.text);
  ASSERT_FALSE(iin.has_value()) << c.text;
  EXPECT_EQ(iin.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(iin.error().problem_code, "invalid_iin");
  EXPECT_THAT(iin.error().message, HasSubstr(c.message_part)) << c.text;
  // The number itself is never echoed.
  if (*c.text != '\0') {
    EXPECT_THAT(iin.error().message, ::testing::Not(HasSubstr(std::string(c.text))));
  }
}

INSTANTIATE_TEST_SUITE_P(FactsVectors, InvalidIinTest,
                         ::testing::Values(
                             // Unassignable: both passes give 10.
                             InvalidIin{"900101300800", "both check-digit passes give 10"},
                             InvalidIin{"850615400780", "both check-digit passes give 10"},
                             InvalidIin{"000229500960", "both check-digit passes give 10"},
                             InvalidIin{"120704600110", "both check-digit passes give 10"},
                             InvalidIin{"991231300410", "both check-digit passes give 10"},
                             InvalidIin{"010101501200", "both check-digit passes give 10"},
                             InvalidIin{"821214240092", "both check-digit passes give 10"},
                             // Bad date for the century (checksum OK).
                             InvalidIin{"000229300015", "not a real date"},  // 1900-02-29
                             InvalidIin{"901301300017", "not a real date"},  // month 13
                             InvalidIin{"900230300019", "not a real date"},  // 30 February
                             InvalidIin{"921529350859", "not a real date"},  // month 15
                             // Century digit outside 1..6 (checksum OK).
                             InvalidIin{"900101700012", "must be 1 to 6"},
                             InvalidIin{"900101000018", "must be 1 to 6"},
                             InvalidIin{"900101900015", "must be 1 to 6"},
                             // Wrong check digit.
                             InvalidIin{"900101300016", "check digit does not match"},
                             InvalidIin{"921029350852", "check digit does not match"},
                             InvalidIin{"901123300255", "check digit does not match"},
                             // Format.
                             InvalidIin{"90010130001", "exactly 12 digits"},
                             InvalidIin{"9001013000170", "exactly 12 digits"},
                             InvalidIin{"90010130001A", "exactly 12 digits"},
                             InvalidIin{"", "exactly 12 digits"},
                             InvalidIin{" 900101300017", "exactly 12 digits"},
                             InvalidIin{"9001-0130001", "exactly 12 digits"}));

TEST(IinTest, BirthDateAndSexFromCenturyDigit) {
  struct Case {
    const char* text;
    CivilDate date;
    Sex sex;
  };
  const Case cases[] = {
      {"900101300017", {1990, 1, 1}, Sex::kMale},     {"850615400016", {1985, 6, 15}, Sex::kFemale},
      {"000229500018", {2000, 2, 29}, Sex::kMale},    {"120704600010", {2012, 7, 4}, Sex::kFemale},
      {"991231200017", {1899, 12, 31}, Sex::kFemale}, {"010101500013", {2001, 1, 1}, Sex::kMale},
  };
  for (const Case& c : cases) {
    auto iin = Iin::Parse(c.text);
    ASSERT_TRUE(iin.has_value()) << c.text;
    EXPECT_EQ(iin->birth_date(), c.date) << c.text;
    EXPECT_EQ(iin->sex(), c.sex) << c.text;
  }
}

TEST(IinTest, CheckDigitFirstPass) {
  EXPECT_EQ(Iin::CheckDigit("90010130001"), 7);
  EXPECT_EQ(Iin::CheckDigit("12070460001"), 0);
}

TEST(IinTest, CheckDigitSecondPass) {
  // facts-kz.md §1.2 worked example: pass 1 sums to 87 (mod 11 = 10), pass 2 to 112 -> 2.
  EXPECT_EQ(Iin::CheckDigit("06121160001"), 2);
  EXPECT_EQ(Iin::CheckDigit("90010130081"), 1);
  EXPECT_EQ(Iin::CheckDigit("00022950090"), 9);
}

TEST(IinTest, CheckDigitUnassignableIsMinusOne) {
  EXPECT_EQ(Iin::CheckDigit("90010130080"), -1);
  EXPECT_EQ(Iin::CheckDigit("82121424009"), -1);
}

TEST(IinTest, CheckDigitRejectsMalformedInput) {
  EXPECT_EQ(Iin::CheckDigit("9001013000"), -1);
  EXPECT_EQ(Iin::CheckDigit("900101300017"), -1);
  EXPECT_EQ(Iin::CheckDigit("9001013000A"), -1);
}

TEST(IinTest, EqualityByDigits) {
  EXPECT_EQ(*Iin::Parse("900101300017"), *Iin::Parse("900101300017"));
  EXPECT_FALSE(*Iin::Parse("900101300017") == *Iin::Parse("900101300811"));
}

TEST(CivilDateTest, ToStringPadsFields) {
  EXPECT_EQ((CivilDate{1990, 1, 1}.ToString()), "1990-01-01");
  EXPECT_EQ((CivilDate{812, 11, 5}.ToString()), "0812-11-05");
}

TEST(CivilDateTest, IsValidKnowsLeapYears) {
  EXPECT_TRUE((CivilDate{2000, 2, 29}.IsValid()));
  EXPECT_TRUE((CivilDate{2024, 2, 29}.IsValid()));
  EXPECT_FALSE((CivilDate{1900, 2, 29}.IsValid()));
  EXPECT_FALSE((CivilDate{2023, 2, 29}.IsValid()));
  EXPECT_FALSE((CivilDate{2023, 4, 31}.IsValid()));
  EXPECT_TRUE((CivilDate{2023, 12, 31}.IsValid()));
  EXPECT_FALSE((CivilDate{2023, 0, 1}.IsValid()));
  EXPECT_FALSE((CivilDate{2023, 1, 0}.IsValid()));
  EXPECT_FALSE((CivilDate{0, 1, 1}.IsValid()));
}

TEST(ParseIsoDateTest, ParsesRealDates) {
  auto date = ParseIsoDate("2024-02-29");
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(*date, (CivilDate{2024, 2, 29}));
  EXPECT_EQ(ParseIsoDate("0001-01-01").value(), (CivilDate{1, 1, 1}));
  EXPECT_EQ(ParseIsoDate("9999-12-31").value(), (CivilDate{9999, 12, 31}));
}

TEST(ParseIsoDateTest, RefusesAnythingElse) {
  for (const char* text :
       {"", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "0000-01-01", "2024-1-01",
        "2024-01-1", "24-01-01", "2024/01/01", "2024-01-01T00:00:00Z", " 2024-01-01", "2024-01-0a",
        "+024-01-01", "2024-01-01 "}) {
    auto date = ParseIsoDate(text);
    ASSERT_FALSE(date.has_value()) << text;
    EXPECT_EQ(date.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(date.error().problem_code, "invalid_date");
  }
}

}  // namespace
}  // namespace simexit
