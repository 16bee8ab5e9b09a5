// Review decisions and the review queue.

#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

TEST_F(TerminationFlowTest, ReviewedChannelWaitsForApproval) {
  const Caller op = Caller::Operator(kcell_id_, 1);
  CreateTerminationCommand request = ProxyRequest("+77011234567");
  Result<CreatedTermination> created = terminations_.Create(op, request, std::nullopt);
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->termination.state, TerminationState::kInReview);
  RunJobs();
  EXPECT_TRUE(hlr_.Has("001010000000001"));
  // Holders cannot review; another operator cannot see it.
  Caller holder = SignIn("+77011234567");
  EXPECT_THAT(terminations_.Review(holder, created->termination.id, ReviewDecision{true, "", ""}),
              IsError(ErrorCode::kNotFound, "termination_not_found"));
  EXPECT_THAT(terminations_.Review(Caller::Operator(beeline_id_, 2), created->termination.id,
                                   ReviewDecision{true, "", ""}),
              IsError(ErrorCode::kNotFound, "termination_not_found"));
  // Four eyes: the key that opened it cannot decide it.
  EXPECT_THAT(terminations_.Review(op, created->termination.id, ReviewDecision{true, "", ""}),
              IsError(ErrorCode::kFailedPrecondition, "review_own_request"));
  const Caller reviewer = Caller::Operator(kcell_id_, 7);
  Result<TerminationRecord> approved =
      terminations_.Review(reviewer, created->termination.id, ReviewDecision{true, "", ""});
  ASSERT_THAT(approved, IsOk());
  EXPECT_EQ(approved->reviewed_by, "api_key:7");
  EXPECT_EQ(approved->state, TerminationState::kSettling);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
  Result<TerminationRecord> again =
      terminations_.Review(reviewer, created->termination.id, ReviewDecision{true, "", ""});
  ASSERT_THAT(again, IsError(ErrorCode::kFailedPrecondition, "illegal_transition"));
}

TEST_F(TerminationFlowTest, RejectionNeedsAReasonAndTellsTheHolder) {
  const Caller op = Caller::Operator(kcell_id_, 1);
  CreateTerminationCommand request = ProxyRequest("+77011234567");
  Result<CreatedTermination> created = terminations_.Create(op, request, std::nullopt);
  ASSERT_THAT(created, IsOk());
  const Caller reviewer = Caller::Operator(kcell_id_, 7);
  Result<TerminationRecord> no_code =
      terminations_.Review(reviewer, created->termination.id, ReviewDecision{false, "", "why"});
  ASSERT_THAT(no_code, IsError(ErrorCode::kInvalidArgument, "reason_code_required"));
  EXPECT_EQ(no_code.error().field, "reason_code");
  EXPECT_THAT(terminations_.Review(reviewer, created->termination.id,
                                   ReviewDecision{false, "because", "x"}),
              IsError(ErrorCode::kInvalidArgument, "invalid_reason_code"));
  EXPECT_THAT(
      terminations_.Review(reviewer, created->termination.id, ReviewDecision{false, "other", ""}),
      IsError(ErrorCode::kInvalidArgument, "reason_required"));
  Result<TerminationRecord> rejected =
      terminations_.Review(reviewer, created->termination.id,
                           ReviewDecision{false, "other", "signature does not match"});
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->reason_code, "other");
  EXPECT_EQ(rejected->state, TerminationState::kRejected);
  RunJobs();
  EXPECT_EQ(sms_.sent().back().kind, "termination_rejected");
  EXPECT_NE(sms_.sent().back().text.find("signature does not match"), std::string::npos);
  EXPECT_TRUE(hlr_.Has("001010000000001"));
}

TEST_F(ChannelTest, ReviewQueueIsOldestFirstWithItsAge) {
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  Result<CreatedTermination> first =
      terminations_.Create(agent, ProxyRequest("+77011234567"), std::nullopt);
  ASSERT_THAT(first, IsOk());
  clock_.Advance(3600);
  CreateTerminationCommand second_request = ProxyRequest("+77011234568");
  second_request.refund.reset();
  Result<CreatedTermination> second = terminations_.Create(agent, second_request, std::nullopt);
  ASSERT_THAT(second, IsOk());
  clock_.Advance(47 * 3600 + 1);
  Result<std::vector<ReviewItem>> queue =
      terminations_.ReviewQueue(Staff(12, StaffRole::kBackOffice), 100);
  ASSERT_THAT(queue, IsOk());
  ASSERT_EQ(queue->size(), 2u);
  EXPECT_EQ((*queue)[0].termination.id, first->termination.id);
  EXPECT_TRUE((*queue)[0].overdue);
  EXPECT_EQ((*queue)[0].waiting_seconds, 48 * 3600 + 1);
  EXPECT_FALSE((*queue)[1].overdue);
  EXPECT_EQ((*queue)[0].sla_seconds, 48 * 3600);
  // Other operators see none of it; agents cannot see the queue.
  Result<std::vector<ReviewItem>> other =
      terminations_.ReviewQueue(Staff(20, StaffRole::kBackOffice, beeline_id_), 100);
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->empty());
  EXPECT_THAT(terminations_.ReviewQueue(agent, 100),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
}

}  // namespace
}  // namespace simexit
