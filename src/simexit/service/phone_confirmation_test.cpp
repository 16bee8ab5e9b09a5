// Phone requests: the holder confirms by code or link; agents resend codes.

#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

TEST_F(ChannelTest, PhoneRequestWaitsForTheHoldersCode) {
  const Caller agent = Staff(11, StaffRole::kAgentPhone);
  Result<CreatedTermination> created = OpenPhoneRequest(agent);
  ASSERT_THAT(created, IsOk());
  ASSERT_TRUE(created->confirmation);
  EXPECT_TRUE(created->confirmation->sent);
  EXPECT_EQ(created->confirmation->expires_at, clock_.Now() + 30 * 60);
  const std::string id = created->termination.id;
  EXPECT_EQ(created->termination.state, TerminationState::kSubmitted);
  const std::string code = LastConfirmationCode();
  ASSERT_EQ(code.size(), 6u);
  // The outbox keeps the text with the code masked.
  std::vector<SmsRecord> rows = SmsOutbox(ctx_).List(SmsFilter{}).value();
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.front().kind, "phone_request_confirmation");
  EXPECT_EQ(rows.front().text.find(code), std::string::npos);
  // Nothing moves until the holder confirms.
  RunJobs();
  EXPECT_EQ(Reload(id).state, TerminationState::kSubmitted);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  Result<TerminationRecord> refused = terminations_.ConfirmByCode(id, wrong);
  ASSERT_THAT(refused, IsError(ErrorCode::kUnauthenticated, "invalid_code"));
  EXPECT_EQ(Detail(id).confirmation->attempts, 1);
  Result<TerminationRecord> confirmed = terminations_.ConfirmByCode(id, code);
  ASSERT_THAT(confirmed, IsOk());
  EXPECT_EQ(confirmed->state, TerminationState::kInReview);  // phone is reviewed by default
  EXPECT_THAT(terminations_.ConfirmByCode(id, code),
              IsError(ErrorCode::kFailedPrecondition, "already_confirmed"));
  // The phone agent cannot decide it; back office approves.
  EXPECT_THAT(terminations_.Review(agent, id, ReviewDecision{true, "", ""}),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  ASSERT_TRUE(
      terminations_.Review(Staff(12, StaffRole::kBackOffice), id, ReviewDecision{true, "", ""}));
  RunJobs();
  EXPECT_EQ(Reload(id).state, TerminationState::kTerminated);
}

TEST_F(ChannelTest, UnconfirmedPhoneRequestExpires) {
  const Caller agent = Staff(11, StaffRole::kAgentPhone);
  Result<CreatedTermination> created = OpenPhoneRequest(agent);
  ASSERT_THAT(created, IsOk());
  const std::string id = created->termination.id;
  const std::string code = LastConfirmationCode();
  clock_.Advance(31 * 60);
  Result<TerminationRecord> late = terminations_.ConfirmByCode(id, code);
  ASSERT_THAT(late, IsError(ErrorCode::kFailedPrecondition, "confirmation_expired"));
  RunJobs();
  TerminationRecord t = Reload(id);
  EXPECT_EQ(t.state, TerminationState::kCancelled);
  EXPECT_EQ(t.reason_code, "confirmation_expired");
  EXPECT_THAT(terminations_.ConfirmByCode(id, code),
              IsError(ErrorCode::kFailedPrecondition, "confirmation_expired"));
  EXPECT_TRUE(hlr_.Has("001010000000001"));
}

TEST_F(ChannelTest, ResentCodeReplacesTheOldOneAndMovesTheWindow) {
  const Caller agent = Staff(11, StaffRole::kAgentPhone);
  Result<CreatedTermination> created = OpenPhoneRequest(agent);
  ASSERT_THAT(created, IsOk());
  const std::string id = created->termination.id;
  const std::string first = LastConfirmationCode();
  clock_.Advance(20 * 60);
  Result<PendingConfirmation> resent = terminations_.ResendConfirmation(agent, id);
  ASSERT_THAT(resent, IsOk());
  const std::string second = LastConfirmationCode();
  clock_.Advance(20 * 60);
  RunJobs();  // the first window's job finds a newer window and leaves it
  EXPECT_EQ(Reload(id).state, TerminationState::kSubmitted);
  if (first != second) {
    EXPECT_THAT(terminations_.ConfirmByCode(id, first),
                IsError(ErrorCode::kUnauthenticated, "invalid_code"));
  }
  ASSERT_TRUE(terminations_.ConfirmByCode(id, second));
}

TEST_F(ChannelTest, ResendsAreLimited) {
  const Caller agent = Staff(11, StaffRole::kAgentPhone);
  Result<CreatedTermination> created = OpenPhoneRequest(agent);
  ASSERT_THAT(created, IsOk());
  for (int i = 0; i < TerminationService::kMaxConfirmationResends; ++i) {
    ASSERT_TRUE(terminations_.ResendConfirmation(agent, created->termination.id)) << i;
  }
  const std::size_t sent = sms_.sent().size();
  Result<PendingConfirmation> more =
      terminations_.ResendConfirmation(agent, created->termination.id);
  ASSERT_THAT(more, IsError(ErrorCode::kResourceExhausted, "too_many_codes"));
  EXPECT_EQ(sms_.sent().size(), sent);
  // The last code still works.
  ASSERT_TRUE(terminations_.ConfirmByCode(created->termination.id, LastConfirmationCode()));
}

}  // namespace
}  // namespace simexit
