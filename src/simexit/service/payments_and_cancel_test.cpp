// Cancelling a termination and paying what it owes.

#include "simexit/common/clock.hpp"
#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

TEST_F(TerminationFlowTest, ScheduledTerminationCancelledNeverTouchesHlr) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationCommand request = OnlineRequest("+77011234567");
  request.scheduled_for = kStart + 3 * kSecondsPerDay;
  Result<CreatedTermination> created = terminations_.Create(holder, request, std::nullopt);
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->termination.state, TerminationState::kScheduled);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kScheduled);
  auto pending_kinds = [&] {
    JobFilter filter;
    filter.state = JobState::kPending;
    std::vector<std::string> kinds;
    const std::vector<JobRecord> jobs =
        TransactValue<std::vector<JobRecord>>(*store_, [&](StoreTx& tx) {
          return tx.ListJobs(filter);
        }).value();
    for (const JobRecord& job : jobs) {
      if (job.dedupe_key.find(created->termination.id) != std::string::npos) {
        kinds.push_back(job.kind);
      }
    }
    return kinds;
  };
  EXPECT_THAT(pending_kinds(),
              ::testing::UnorderedElementsAre("start_termination", "send_reminder"));

  Result<TerminationRecord> cancelled =
      terminations_.Cancel(holder, created->termination.id, "staying after all");
  ASSERT_THAT(cancelled, IsOk());
  EXPECT_EQ(cancelled->state, TerminationState::kCancelled);
  // The date and the reminder go with the request.
  EXPECT_THAT(pending_kinds(), ::testing::IsEmpty());
  clock_.Advance(4 * kSecondsPerDay);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kCancelled);
  EXPECT_TRUE(hlr_.Has("001010000000001"));
  EXPECT_EQ(hlr_.remove_calls(), 0);
  EXPECT_EQ(CountPostings(created->termination.id), 0);
  EXPECT_EQ(LineOf("+77011234567").status, LineStatus::kActive);
}

TEST_F(TerminationFlowTest, CancelRefusedOnceDeprovisioningStarted) {
  Caller holder = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created);
  ASSERT_TRUE(workflow_.Settle(created->termination.id));
  Result<TerminationRecord> cancelled = terminations_.Cancel(holder, created->termination.id, "");
  ASSERT_THAT(cancelled, IsError(ErrorCode::kFailedPrecondition, "illegal_transition"));
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kDeprovisioning);
}

TEST_F(TerminationFlowTest, DebtIsCollectedBeforeDeprovisioning) {
  const Caller op = Caller::Operator(kcell_id_, 1);
  CreateTerminationCommand request = StoreRequest("+77011234568");
  request.refund.reset();
  Result<CreatedTermination> created = terminations_.Create(op, request, std::nullopt);
  ASSERT_THAT(created, IsOk());
  RunJobs();
  TerminationRecord t = Reload(created->termination.id);
  ASSERT_EQ(t.state, TerminationState::kAwaitingPayment);
  ASSERT_TRUE(t.settlement);
  EXPECT_EQ(t.settlement->amount_due, Money::Tiyn(1'500'00));  // 1200 + 500 fee - 200
  EXPECT_TRUE(hlr_.Has("001010000000002"));

  Result<TerminationRecord> wrong = terminations_.RecordPayment(op, t.id, Money::Tiyn(100'00));
  ASSERT_THAT(wrong, IsError(ErrorCode::kInvalidArgument, "wrong_amount"));
  ASSERT_TRUE(terminations_.RecordPayment(op, t.id, Money::Tiyn(1'500'00)));
  RunJobs();
  EXPECT_EQ(Reload(t.id).state, TerminationState::kTerminated);
  EXPECT_FALSE(hlr_.Has("001010000000002"));
  EXPECT_EQ(LedgerTotal(), Money::Zero());
  EXPECT_EQ(CountPostings(t.id), 2);  // settlement + payment
}

TEST_F(TerminationFlowTest, CancellingWhileAwaitingPaymentReversesTheSettlement) {
  const Caller op = Caller::Operator(kcell_id_, 1);
  CreateTerminationCommand request = StoreRequest("+77011234568");
  request.refund.reset();
  Result<CreatedTermination> created = terminations_.Create(op, request, std::nullopt);
  ASSERT_THAT(created, IsOk());
  RunJobs();
  ASSERT_EQ(Reload(created->termination.id).state, TerminationState::kAwaitingPayment);
  ASSERT_TRUE(terminations_.Cancel(op, created->termination.id, "customer changed their mind"));
  LineRecord line = LineOf("+77011234568");
  EXPECT_EQ(line.status, LineStatus::kActive);
  EXPECT_EQ(line.main_balance, Money::Tiyn(200'00));
  EXPECT_EQ(line.outstanding_charges, Money::Tiyn(1'200'00));
  EXPECT_EQ(LedgerTotal(), Money::Zero());
  EXPECT_EQ(CountPostings(created->termination.id), 2);  // settlement + its reversal
  EXPECT_TRUE(hlr_.Has("001010000000002"));
  // The line can be closed again later, from its real balances.
  Result<QuoteView> quote = terminations_.Quote(op, Number("+77011234568"), Channel::kStore);
  ASSERT_TRUE(quote);
  EXPECT_EQ(quote->quote.amount_due, Money::Tiyn(1'500'00));
}

}  // namespace
}  // namespace simexit
