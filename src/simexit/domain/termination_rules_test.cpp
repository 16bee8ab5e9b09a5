#include "simexit/domain/termination_rules.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "simexit/testing/matchers.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;
using ::testing::HasSubstr;

constexpr std::int64_t kNow = 1'790'000'000;

SettlementQuote Owing(Money amount_due, Money refund) {
  SettlementQuote q;
  q.amount_due = amount_due;
  q.refund = refund;
  return q;
}

TEST(TerminationRulesTest, HoldersUseOnlyTheOnlineChannel) {
  EXPECT_THAT(CheckChannelForHolder(Channel::kOnline), IsOk());
  for (Channel c : {Channel::kStore, Channel::kProxy, Channel::kPhone, Channel::kMail}) {
    EXPECT_THAT(CheckChannelForHolder(c), IsError(ErrorCode::kInvalidArgument, "invalid_channel"));
  }
}

TEST(TerminationRulesTest, ScheduleIsInTheFutureAndAtMostAYearAhead) {
  EXPECT_THAT(CheckScheduleWindow(kNow + 1, kNow), IsOk());
  EXPECT_THAT(CheckScheduleWindow(kNow + kMaxScheduleAheadSeconds, kNow), IsOk());
  Result<void> now = CheckScheduleWindow(kNow, kNow);
  EXPECT_THAT(now, IsError(ErrorCode::kInvalidArgument, "invalid_schedule"));
  EXPECT_THAT(now.error().message, HasSubstr("future"));
  EXPECT_THAT(CheckScheduleWindow(kNow - 10, kNow),
              IsError(ErrorCode::kInvalidArgument, "invalid_schedule"));
  Result<void> late = CheckScheduleWindow(kNow + kMaxScheduleAheadSeconds + 1, kNow);
  EXPECT_THAT(late, IsError(ErrorCode::kInvalidArgument, "invalid_schedule"));
  EXPECT_THAT(late.error().message, HasSubstr("a year"));
}

TEST(TerminationRulesTest, RefundCannotGoToTheLineBeingClosed) {
  EXPECT_THAT(CheckRefundNotToClosingLine(RefundMethod::kOtherLine, "+77011234567", "+77011234567"),
              IsError(ErrorCode::kInvalidArgument, "invalid_refund"));
  EXPECT_THAT(CheckRefundNotToClosingLine(RefundMethod::kOtherLine, "+77011234568", "+77011234567"),
              IsOk());
  EXPECT_THAT(CheckRefundNotToClosingLine(RefundMethod::kIban, "+77011234567", "+77011234567"),
              IsOk());
}

TEST(TerminationRulesTest, RolesOpenOnlyTheirChannelsAndNobodyOpensOnline) {
  EXPECT_THAT(CheckRoleMayOpen(StaffRole::kAgentStore, Channel::kStore), IsOk());
  EXPECT_THAT(CheckRoleMayOpen(StaffRole::kAgentStore, Channel::kProxy), IsOk());
  EXPECT_THAT(CheckRoleMayOpen(StaffRole::kAgentPhone, Channel::kPhone), IsOk());
  EXPECT_THAT(CheckRoleMayOpen(StaffRole::kBackOffice, Channel::kMail), IsOk());
  EXPECT_THAT(CheckRoleMayOpen(StaffRole::kAgentPhone, Channel::kStore),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  EXPECT_THAT(CheckRoleMayOpen(StaffRole::kAgentStore, Channel::kMail),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  for (StaffRole role : kAllStaffRoles) {
    EXPECT_THAT(CheckRoleMayOpen(role, Channel::kOnline),
                IsError(ErrorCode::kPermissionDenied, "insufficient_role"))
        << ToString(role);
    // The dormancy sweep's channel is simexit's own, even for admins.
    EXPECT_THAT(CheckRoleMayOpen(role, Channel::kSystem),
                IsError(ErrorCode::kPermissionDenied, "insufficient_role"))
        << ToString(role);
  }
}

TEST(TerminationRulesTest, ChannelMustBeAllowedByPolicy) {
  Policy policy;
  policy.allowed_channels = {Channel::kStore};
  EXPECT_THAT(CheckChannelAllowed(policy, Channel::kStore), IsOk());
  EXPECT_THAT(CheckChannelAllowed(policy, Channel::kOnline),
              IsError(ErrorCode::kPermissionDenied, "channel_not_allowed"));
}

TEST(TerminationRulesTest, OnlyActiveOrBarredLinesAreClosed) {
  EXPECT_THAT(CheckLineOpenable(LineStatus::kActive), IsOk());
  EXPECT_THAT(CheckLineOpenable(LineStatus::kBarred), IsOk());
  for (LineStatus s : {LineStatus::kTerminated, LineStatus::kQuarantined, LineStatus::kAvailable}) {
    EXPECT_THAT(CheckLineOpenable(s), IsError(ErrorCode::kFailedPrecondition, "line_not_active"))
        << ToString(s);
  }
}

TEST(TerminationRulesTest, DebtBlocksOnlineClosureUnlessPolicyAllowsIt) {
  Policy policy;
  const SettlementQuote owing = Owing(Money::Tiyn(1'000'00), Money::Zero());
  Result<void> refused = CheckDebtAllowsChannel(Channel::kOnline, owing, policy);
  EXPECT_THAT(refused, IsError(ErrorCode::kFailedPrecondition, "debt_outstanding"));
  EXPECT_THAT(refused.error().message, HasSubstr("1000.00"));
  EXPECT_THAT(CheckDebtAllowsChannel(Channel::kStore, owing, policy), IsOk());
  EXPECT_THAT(CheckDebtAllowsChannel(Channel::kOnline, Owing(Money::Zero(), Money::Zero()), policy),
              IsOk());
  policy.allow_debt_online = true;
  EXPECT_THAT(CheckDebtAllowsChannel(Channel::kOnline, owing, policy), IsOk());
}

TEST(TerminationRulesTest, MoneyToRefundNeedsARefundMethod) {
  const SettlementQuote refund = Owing(Money::Zero(), Money::Tiyn(2'000'00));
  Result<void> refused = CheckRefundInstructed(refund, std::nullopt);
  EXPECT_THAT(refused, IsError(ErrorCode::kFailedPrecondition, "refund_method_required"));
  EXPECT_THAT(refused.error().message, HasSubstr("2000.00"));
  EXPECT_THAT(CheckRefundInstructed(refund, RefundMethod::kIban), IsOk());
  EXPECT_THAT(CheckRefundInstructed(Owing(Money::Zero(), Money::Zero()), std::nullopt), IsOk());
}

TEST(TerminationRulesTest, RefundMethodMustBeOneThePolicyOffers) {
  Policy policy;
  policy.refund_methods = {RefundMethod::kIban};
  EXPECT_THAT(CheckRefundMethodAllowed(policy, RefundMethod::kIban), IsOk());
  EXPECT_THAT(CheckRefundMethodAllowed(policy, RefundMethod::kBankCard),
              IsError(ErrorCode::kInvalidArgument, "invalid_refund"));
}

TEST(TerminationRulesTest, RejectionNeedsAKnownReasonCodeAndOtherNeedsWords) {
  EXPECT_THAT(CheckReviewDecision(true, "", ""), IsOk());
  EXPECT_THAT(CheckReviewDecision(false, "suspected_fraud", ""), IsOk());
  EXPECT_THAT(CheckReviewDecision(false, "other", "the holder called to withdraw it"), IsOk());
  Result<void> missing = CheckReviewDecision(false, "", "");
  EXPECT_THAT(missing, IsError(ErrorCode::kInvalidArgument, "reason_code_required"));
  EXPECT_EQ(missing.error().field, "reason_code");
  Result<void> unknown = CheckReviewDecision(true, "bored", "");
  EXPECT_THAT(unknown, IsError(ErrorCode::kInvalidArgument, "invalid_reason_code"));
  EXPECT_THAT(unknown.error().message, HasSubstr("suspected_fraud"));
  Result<void> wordless = CheckReviewDecision(false, "other", "");
  EXPECT_THAT(wordless, IsError(ErrorCode::kInvalidArgument, "reason_required"));
  EXPECT_EQ(wordless.error().field, "reason");
}

}  // namespace
}  // namespace simexit
