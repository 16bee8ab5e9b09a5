// Phone requests: the holder confirms by code or link; agents resend codes.

#include "simexit/common/clock.hpp"
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
  EXPECT_EQ(created->confirmation->expires_at, clock_.Now() + 30 * kSecondsPerMinute);
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
  // Used: answered like a wrong code (docs/security.md).
  EXPECT_THAT(terminations_.ConfirmByCode(id, code),
              IsError(ErrorCode::kUnauthenticated, "invalid_code"));
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
  clock_.Advance(31 * kSecondsPerMinute);
  Result<TerminationRecord> late = terminations_.ConfirmByCode(id, code);
  ASSERT_THAT(late, IsError(ErrorCode::kUnauthenticated, "invalid_code"));
  RunJobs();
  TerminationRecord t = Reload(id);
  EXPECT_EQ(t.state, TerminationState::kCancelled);
  EXPECT_EQ(t.reason_code, "confirmation_expired");
  EXPECT_THAT(terminations_.ConfirmByCode(id, code),
              IsError(ErrorCode::kUnauthenticated, "invalid_code"));
  EXPECT_TRUE(hlr_.Has("001010000000001"));
}

TEST_F(ChannelTest, ResentCodeReplacesTheOldOneAndMovesTheWindow) {
  const Caller agent = Staff(11, StaffRole::kAgentPhone);
  Result<CreatedTermination> created = OpenPhoneRequest(agent);
  ASSERT_THAT(created, IsOk());
  const std::string id = created->termination.id;
  const std::string first = LastConfirmationCode();
  clock_.Advance(20 * kSecondsPerMinute);
  Result<PendingConfirmation> resent = terminations_.ResendConfirmation(agent, id);
  ASSERT_THAT(resent, IsOk());
  const std::string second = LastConfirmationCode();
  clock_.Advance(20 * kSecondsPerMinute);
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

std::string LinkTokenIn(const std::string& text) {
  const std::size_t at = text.find("/confirm/cf_");
  return at == std::string::npos ? "" : text.substr(at + 9, 35);
}

// An anonymous caller learns whether a code (or link) confirmed the request,
// and nothing else: an unknown request, one with no confirmation, an expired,
// used or burnt code all answer exactly like a wrong code.
TEST_F(ChannelTest, AnonymousConfirmationSaysNothingButWhetherTheCodeIsRight) {
  const Caller agent = Staff(11, StaffRole::kAgentPhone);
  Result<CreatedTermination> created = OpenPhoneRequest(agent);
  ASSERT_THAT(created, IsOk());
  const std::string id = created->termination.id;
  const std::string code = LastConfirmationCode();
  const std::string token = LinkTokenIn(sms_.sent().back().text);
  ASSERT_EQ(token.size(), 35u) << sms_.sent().back().text;
  const std::string wrong = code == "000000" ? "111111" : "000000";

  const Result<TerminationRecord> reference = terminations_.ConfirmByCode(id, wrong);
  ASSERT_THAT(reference, IsError(ErrorCode::kUnauthenticated, "invalid_code"));
  auto like_wrong = [&](const Result<TerminationRecord>& r, const char* what) {
    ASSERT_FALSE(r) << what;
    EXPECT_EQ(r.error().code, reference.error().code) << what;
    EXPECT_EQ(r.error().problem_code, reference.error().problem_code) << what;
    EXPECT_EQ(r.error().field, reference.error().field) << what;
    EXPECT_EQ(r.error().message, reference.error().message) << what;
  };
  like_wrong(terminations_.ConfirmByCode("trm_000000000000000000000000", code), "unknown id");
  Result<CreatedTermination> store = terminations_.Create(
      Staff(10, StaffRole::kAgentStore), StoreRequest("+77011234568"), std::nullopt);
  ASSERT_THAT(store, IsOk());
  like_wrong(terminations_.ConfirmByCode(store->termination.id, code), "no confirmation");

  // Burnt: even the right code answers like a wrong one.
  for (int i = 0; i < 4; ++i) {
    like_wrong(terminations_.ConfirmByCode(id, wrong), "wrong");
  }
  like_wrong(terminations_.ConfirmByCode(id, code), "burnt");

  // Expired, after a resend that unburns: the right code, and the link.
  ASSERT_THAT(terminations_.ResendConfirmation(agent, id), IsOk());
  const std::string fresh = LastConfirmationCode();
  const std::string fresh_token = LinkTokenIn(sms_.sent().back().text);
  clock_.Advance(31 * kSecondsPerMinute);
  like_wrong(terminations_.ConfirmByCode(id, fresh), "expired");

  const Result<TerminationRecord> unknown_link =
      terminations_.ConfirmByLink("cf_00000000000000000000000000000000");
  ASSERT_THAT(unknown_link, IsError(ErrorCode::kNotFound, "confirmation_not_found"));
  for (const std::string& t :
       {fresh_token, token, std::string("cf_<script>"), std::string("../../etc/passwd")}) {
    Result<TerminationRecord> r = terminations_.ConfirmByLink(t);
    ASSERT_FALSE(r) << t;
    EXPECT_EQ(r.error().problem_code, unknown_link.error().problem_code) << t;
    EXPECT_EQ(r.error().message, unknown_link.error().message) << t;
  }
}

}  // namespace
}  // namespace simexit
