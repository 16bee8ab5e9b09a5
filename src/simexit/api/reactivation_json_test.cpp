#include "simexit/api/reactivation_json.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "simexit/testing/matchers.hpp"
#include "simexit/testing/values.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

Result<OpenReactivationCommand> Open(std::string_view body) {
  return api::DecodeBody<OpenReactivationCommand>(body);
}

void ExpectRefused(std::string_view body, const char* reason, const char* field) {
  SCOPED_TRACE(body);
  Result<OpenReactivationCommand> command = Open(body);
  ASSERT_THAT(command, IsError(ErrorCode::kInvalidArgument, reason));
  EXPECT_EQ(command.error().field, field);
}

TEST(ReactivationJsonTest, DecodesAPostedApplicationWithANewSim) {
  Result<OpenReactivationCommand> command = Open(R"({
      "msisdn": "87011234567", "channel": "mail",
      "document": {"kind": "iin", "number": "900101300017", "full_name": "TESTOV TEST"},
      "iccid": "8977019999000000011", "imsi": "250999000000014",
      "postmarked_on": "2026-09-15"})");
  ASSERT_THAT(command, IsOk());
  EXPECT_EQ(command->msisdn.e164(), "+77011234567");
  EXPECT_EQ(command->channel, Channel::kMail);
  ASSERT_TRUE(command->document);
  EXPECT_EQ(command->document->number, "900101300017");
  ASSERT_TRUE(command->iccid && command->imsi);
  EXPECT_EQ(command->iccid->digits(), "8977019999000000011");
  EXPECT_EQ(command->imsi->digits(), "250999000000014");
  ASSERT_TRUE(command->postmarked_on);
  EXPECT_EQ(command->postmarked_on->ToString(), "2026-09-15");
}

TEST(ReactivationJsonTest, StoreIsTheDefaultChannelAndTheSimIsOptional) {
  Result<OpenReactivationCommand> command = Open(R"({"msisdn": "+77011234567"})");
  ASSERT_THAT(command, IsOk());
  EXPECT_EQ(command->channel, Channel::kStore);
  EXPECT_FALSE(command->document);
  EXPECT_FALSE(command->iccid);
  EXPECT_FALSE(command->imsi);
  EXPECT_FALSE(command->postmarked_on);
}

TEST(ReactivationJsonTest, RefusesEachBadMemberNamingIt) {
  ExpectRefused(R"({})", "invalid_field", "msisdn");
  ExpectRefused(R"({"msisdn": "+79161234567"})", "invalid_msisdn", "msisdn");
  ExpectRefused(R"({"msisdn": "+77011234567", "channel": "fax"})", "invalid_channel", "channel");
  ExpectRefused(R"({"msisdn": "+77011234567", "iccid": "8977019999000000012"})", "invalid_iccid",
                "iccid");
  ExpectRefused(R"({"msisdn": "+77011234567", "imsi": "25099x"})", "invalid_imsi", "imsi");
  ExpectRefused(R"({"msisdn": "+77011234567", "imsi": 250999000000014})", "invalid_field", "imsi");
  ExpectRefused(R"({"msisdn": "+77011234567", "postmarked_on": "15.09.2026"})", "invalid_postmark",
                "postmarked_on");
  ExpectRefused(R"({"msisdn": "+77011234567", "refund": null})", "unknown_field", "refund");
}

TEST(ReactivationJsonTest, ARejectionReasonIsLimited) {
  Result<api::RejectReactivation> ok =
      api::DecodeBody<api::RejectReactivation>(R"({"reason": "Подпись не совпадает"})");
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->reason, "Подпись не совпадает");
  Result<api::RejectReactivation> none = api::DecodeBody<api::RejectReactivation>("{}");
  ASSERT_THAT(none, IsOk());
  EXPECT_EQ(none->reason, "");
  // 500 Cyrillic characters are 1000 bytes and still fit; 501 do not.
  std::string text;
  for (int i = 0; i < 500; ++i) {
    text += "ж";
  }
  EXPECT_THAT(api::DecodeBody<api::RejectReactivation>(R"({"reason": ")" + text + R"("})"), IsOk());
  Result<api::RejectReactivation> long_reason =
      api::DecodeBody<api::RejectReactivation>(R"({"reason": ")" + text + R"(ж"})");
  ASSERT_THAT(long_reason, IsError(ErrorCode::kInvalidArgument, "text_too_long"));
  EXPECT_EQ(long_reason.error().field, "reason");
}

TEST(ReactivationJsonTest, TheViewMasksTheIccidAndNeverShowsTheImsi) {
  ReactivationRecord r;
  r.id = "rea_1";
  r.msisdn = testing::TestMsisdn("+77011234567");
  r.channel = Channel::kMail;
  r.state = ReactivationState::kPendingReview;
  r.iccid = testing::TestIccid("8977019999000000011");
  r.imsi = testing::TestImsi("250999000000014");
  r.new_sim = true;
  r.requested_by = "staff:7";
  const std::string json = boost::json::serialize(api::ReactivationJson(r));
  EXPECT_EQ(json.find(r.iccid.digits()), std::string::npos);
  EXPECT_EQ(json.find(r.imsi.digits()), std::string::npos);
  EXPECT_NE(json.find("0011"), std::string::npos);
  EXPECT_NE(json.find(R"("state":"pending_review")"), std::string::npos);
  EXPECT_NE(json.find(R"("reviewed_by":null)"), std::string::npos);
}

}  // namespace
}  // namespace simexit
