#include "simexit/domain/msisdn.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace simexit {
namespace {

using ::testing::HasSubstr;

class NormalisesTest : public ::testing::TestWithParam<const char*> {};

TEST_P(NormalisesTest, ToE164) {
  auto msisdn = Msisdn::Parse(GetParam());
  ASSERT_TRUE(msisdn.has_value()) << GetParam() << ": " << msisdn.error().message;
  EXPECT_EQ(msisdn->e164(), "+77011234567");
}

INSTANTIATE_TEST_SUITE_P(AllInputForms, NormalisesTest,
                         ::testing::Values("8 (701) 123-45-67", "+7 (701) 123-45-67", "87011234567",
                                           "7011234567", "+7 701 123 45 67", "+77011234567",
                                           "77011234567", "8-701-123-45-67", "8.701.123.45.67",
                                           " +7 701 1234567 "));

class MobileCodeTest : public ::testing::TestWithParam<const char*> {};

TEST_P(MobileCodeTest, Accepted) {
  const std::string code = GetParam();
  auto msisdn = Msisdn::Parse("+7" + code + "1234567");
  ASSERT_TRUE(msisdn.has_value()) << code << ": " << msisdn.error().message;
  EXPECT_EQ(msisdn->def_code(), code);
}

// libphonenumber 8.12.57 MOBILE ranges for KZ (facts-kz.md §2.4).
INSTANTIATE_TEST_SUITE_P(KazakhstanMobile, MobileCodeTest,
                         ::testing::Values("700", "701", "702", "705", "706", "707", "708", "747",
                                           "760", "761", "762", "763", "764", "771", "775", "776",
                                           "777", "778", "785"));

struct Refused {
  const char* text;
  const char* message_part;
};

class RefusedTest : public ::testing::TestWithParam<Refused> {};

TEST_P(RefusedTest, WithReason) {
  const Refused& c = GetParam();
  auto msisdn = Msisdn::Parse(c.text);
  ASSERT_FALSE(msisdn.has_value()) << c.text << " -> " << msisdn->e164();
  EXPECT_EQ(msisdn.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(msisdn.error().problem_code, "invalid_msisdn");
  EXPECT_THAT(msisdn.error().message, HasSubstr(c.message_part)) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Ranges, RefusedTest,
    ::testing::Values(
        Refused{"+79161234567", "+7 916 is a Russian number range, not Kazakhstan"},
        Refused{"89161234567", "+7 916 is a Russian number range, not Kazakhstan"},
        Refused{"9161234567", "+7 916 is a Russian number range, not Kazakhstan"},
        Refused{"+74951234567", "+7 495 is a Russian number range"},
        Refused{"+78001234567", "+7 800 is a Russian number range"},
        Refused{"+70001234567", "+7 000 is a Kazakhstan range with no mobile numbers"},
        Refused{"+76001234567", "+7 600 is a Kazakhstan range with no mobile numbers"},
        Refused{"+71001234567", "+7 100 is not an assigned number range"},
        Refused{"+77172123456", "717 is a Kazakhstan fixed-line (geographic) code"},
        Refused{"+77271234567", "727 is a Kazakhstan fixed-line (geographic) code"},
        Refused{"+77101234567", "710 is a Kazakhstan fixed-line"},
        Refused{"+77291234567", "729 is a Kazakhstan fixed-line"},
        Refused{"+77511234567", "751 is a Kazakhstan VoIP code, not a mobile code"},
        Refused{"+77031234567", "703 is not a Kazakhstan mobile code"},
        Refused{"+77041234567", "704 is not a Kazakhstan mobile code"},
        Refused{"+77091234567", "709 is not a Kazakhstan mobile code"},
        Refused{"+77401234567", "740 is not a Kazakhstan mobile code"},
        Refused{"+77701234567", "770 is not a Kazakhstan mobile code"},
        Refused{"+77721234567", "772 is not a Kazakhstan mobile code"},
        Refused{"+77791234567", "779 is not a Kazakhstan mobile code"},
        Refused{"+77801234567", "780 is not a Kazakhstan mobile code"},
        Refused{"+77891234567", "789 is not a Kazakhstan mobile code"},
        Refused{"+77651234567", "765 is not a Kazakhstan mobile code"}));

INSTANTIATE_TEST_SUITE_P(
    Shape, RefusedTest,
    ::testing::Values(
        Refused{"+7701123456", "10 digits after +7 (got 9)"},
        Refused{"+770112345678", "10 digits after +7 (got 11)"},
        Refused{"+7", "10 digits after +7 (got 0)"}, Refused{"701123456", "(got 9)"},
        Refused{"770112345678", "(got 12)"}, Refused{"8701123456", "after the trunk prefix 8"},
        Refused{"97011234567", "must start with 7 (country code) or 8 (trunk prefix)"},
        Refused{"", "empty"}, Refused{" ( ) - ", "empty"}, Refused{"+", "empty"},
        Refused{"+7 701 ABC 45 67", "only digits"},
        Refused{"+7 701 123 45 67 ext 12", "only digits"},
        Refused{"7O11234567", "only digits"},  // letter O
        Refused{"7+7011234567", "only digits"}, Refused{"++77011234567", "only digits"},
        Refused{"+997 701 123 4567", "+997 is not in use"},
        Refused{"+9977011234567", "+997 is not in use"},
        Refused{"+447011234567", "+4 is not the Kazakhstan country code"},
        Refused{"+87011234567", "+8 is not the Kazakhstan country code"}));

TEST(MsisdnTest, Accessors) {
  auto msisdn = Msisdn::Parse("8 (747) 765-43-21");
  ASSERT_TRUE(msisdn.has_value());
  EXPECT_EQ(msisdn->e164(), "+77477654321");
  EXPECT_EQ(msisdn->digits(), "77477654321");
  EXPECT_EQ(msisdn->def_code(), "747");
  EXPECT_EQ(msisdn->Formatted(), "+7 747 765 4321");
}

TEST(MsisdnTest, SubscriberNumberMayBeAnySevenDigits) {
  EXPECT_EQ(Msisdn::Parse("+77000000000")->e164(), "+77000000000");
  EXPECT_EQ(Msisdn::Parse("+77859999999")->e164(), "+77859999999");
}

TEST(MsisdnTest, EqualityOnNormalisedForm) {
  EXPECT_EQ(*Msisdn::Parse("87011234567"), *Msisdn::Parse("+7 (701) 123-45-67"));
  EXPECT_FALSE(*Msisdn::Parse("87011234567") == *Msisdn::Parse("87011234568"));
}

}  // namespace
}  // namespace simexit
