#include "simexit/domain/notices.hpp"

#include <gtest/gtest.h>

#include "simexit/domain/policy.hpp"

namespace simexit {
namespace {

TEST(NoticesTest, EveryNoticeHasTextInEveryLanguageAndRoundTripsItsName) {
  for (Notice n : AllNotices()) {
    EXPECT_EQ(ParseNotice(ToString(n)), n);
    for (const char* language : {"zh", "en", "ru", "kk"}) {
      EXPECT_FALSE(RenderNotice(n, language, {}).empty()) << ToString(n) << " " << language;
    }
  }
}

TEST(NoticesTest, RendersPlaceholdersInTheHoldersLanguage) {
  EXPECT_EQ(
      RenderNotice(Notice::kReminder, "kk", {{"msisdn", "+77011234567"}, {"date", "2026-12-01"}}),
      "Еске салу: +77011234567 нөмірі ертең, 2026-12-01, жабылады. Сақтау үшін өтінімді "
      "болдырмаңыз.");
  EXPECT_EQ(RenderNotice(Notice::kCancelled, "de", {{"msisdn", "+77011234567"}}),
            RenderNotice(Notice::kCancelled, "ru", {{"msisdn", "+77011234567"}}));
}

TEST(NoticesTest, OperatorTextsWinForTheirLanguageOnly) {
  const NoticeTemplates own = {{"terminated", {{"en", "Closed {msisdn}. Ref {serial}"}}}};
  const std::map<std::string, std::string> params = {{"msisdn", "+77011234567"},
                                                     {"serial", "SX-1"}};
  EXPECT_EQ(RenderNotice(Notice::kTerminated, "en", params, own), "Closed +77011234567. Ref SX-1");
  EXPECT_EQ(RenderNotice(Notice::kTerminated, "ru", params, own),
            RenderNotice(Notice::kTerminated, "ru", params));
}

TEST(NoticesTest, OperatorTextsAreValidated) {
  EXPECT_TRUE(ValidateNoticeTemplates({{"terminated", {{"kk", "{msisdn} жабылды {serial}"}}}}));
  auto reason = [](const NoticeTemplates& t) {
    Result<void> r = ValidateNoticeTemplates(t);
    EXPECT_FALSE(r);
    return r ? std::string() : r.error().message;
  };
  EXPECT_EQ(reason({{"goodbye", {{"en", "x"}}}}), "sms_templates.goodbye is not a known notice");
  EXPECT_EQ(reason({{"terminated", {{"de", "x"}}}}),
            "sms_templates.terminated: language de is not one of zh, en, ru, kk");
  EXPECT_EQ(reason({{"terminated", {{"en", "at {when}"}}}}),
            "sms_templates.terminated.en uses unknown placeholder {when}");
  EXPECT_EQ(reason({{"sign_in_code", {{"en", "hello"}}}}),
            "sms_templates.sign_in_code.en must contain {code}");
  EXPECT_EQ(reason({{"terminated", {{"en", ""}}}}),
            "sms_templates.terminated.en must be 1 to 1000 bytes");
}

TEST(NoticesTest, PolicyCarriesOperatorTextsThroughJson) {
  Policy policy;
  policy.sms_templates = {{"terminated", {{"en", "Closed {msisdn}"}}}};
  Result<Policy> back = Policy::FromJson(policy.ToJson());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->sms_templates, policy.sms_templates);
  boost::json::object bad = policy.ToJson();
  bad["sms_templates"] = boost::json::object{{"terminated", boost::json::object{{"en", 5}}}};
  Result<Policy> refused = Policy::FromJson(bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().problem_code, "invalid_policy");
}

}  // namespace
}  // namespace simexit
