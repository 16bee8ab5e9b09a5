#include "simexit/domain/contact_msisdn.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

TEST(ContactMsisdn, AnyCountryInE164) {
  for (const auto& [input, e164] : std::initializer_list<std::pair<const char*, const char*>>{
           {"+44 7911 123456", "+447911123456"},
           {"0086 139-1234-5678", "+8613912345678"},
           {"+7 (701) 123-45-67", "+77011234567"},
           {"+1.415.555.0100", "+14155550100"},
           {"+49 15123456", "+4915123456"},
       }) {
    Result<ContactMsisdn> parsed = ContactMsisdn::Parse(input);
    ASSERT_TRUE(parsed) << input << ": " << parsed.error().message;
    EXPECT_EQ(parsed->e164(), e164) << input;
  }
}

TEST(ContactMsisdn, RefusesWhatIsNotAnInternationalNumber) {
  for (const char* input : {"", "+", "87011234567", "7011234567", "+0441234567", "+4412",
                            "+1234567890123456", "+44 7911 12345a", "+44+7911123456",
                            "tel:+447911123456", "+44 7911 123456 0000000000000000000000000"}) {
    Result<ContactMsisdn> parsed = ContactMsisdn::Parse(input);
    ASSERT_FALSE(parsed) << input;
    EXPECT_EQ(parsed.error().problem_code, "invalid_contact_msisdn") << input;
    EXPECT_FALSE(parsed.error().message.empty());
  }
}

}  // namespace
}  // namespace simexit
