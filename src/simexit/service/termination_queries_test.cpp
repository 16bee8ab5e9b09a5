// Reading lines and quotes within the caller's reach.

#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

TEST_F(TerminationFlowTest, OperatorCannotSeeAnotherOperatorsLine) {
  const Caller beeline = Caller::Operator(beeline_id_, 2);
  Result<LineView> line = terminations_.GetLine(beeline, Number("+77011234567"));
  ASSERT_THAT(line, IsError(ErrorCode::kNotFound, "line_not_found"));
  CreateTerminationCommand request = StoreRequest("+77011234567");
  Result<CreatedTermination> created = terminations_.Create(beeline, request, std::nullopt);
  ASSERT_THAT(created, IsError(ErrorCode::kNotFound, "line_not_found"));
}

TEST_F(TerminationFlowTest, HolderCannotSeeAnotherLine) {
  Caller holder = SignIn("+77011234567");
  Result<LineView> line = terminations_.GetLine(holder, Number("+77011234568"));
  ASSERT_THAT(line, IsError(ErrorCode::kNotFound, "line_not_found"));
}

TEST_F(ChannelTest, ChannelFeeIsCharged) {
  Result<OperatorRecord> op = operators_.GetOperator(Caller::Admin(0), "kcell");
  Policy policy = op->policy;
  policy.channel_fees[Channel::kStore] = Money::Tiyn(1'000'00);
  ASSERT_TRUE(operators_.SetPolicy(Caller::Admin(0), "kcell", policy));
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  EXPECT_EQ(terminations_.Quote(agent, Number("+77011234567"), Channel::kStore)->quote.fee,
            Money::Tiyn(1'000'00));
  EXPECT_EQ(terminations_.Quote(agent, Number("+77011234567"), Channel::kOnline)->quote.fee,
            Money::Tiyn(500'00));
}

}  // namespace
}  // namespace simexit
