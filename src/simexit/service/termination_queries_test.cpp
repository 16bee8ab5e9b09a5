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

TEST_F(ChannelTest, FindLinesByIccidOrDocumentWithinTheCallersOperator) {
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  Result<LineView> first = terminations_.GetLine(agent, Number("+77011234567"));
  ASSERT_THAT(first, IsOk());

  LineSearch by_iccid;
  by_iccid.iccid = first->line.iccid;
  Result<std::vector<LineView>> found = terminations_.FindLines(agent, by_iccid, 20);
  ASSERT_THAT(found, IsOk());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->at(0).line.msisdn.e164(), "+77011234567");
  ASSERT_TRUE(found->at(0).holder.has_value());
  EXPECT_EQ(found->at(0).op.code, "kcell");

  // Spaces and case do not matter; another operator's lines of the same
  // document are not there, nor is the line for another operator's staff.
  LineSearch by_document;
  by_document.holder_document = " 9001 0130 0017 ";
  found = terminations_.FindLines(agent, by_document, 20);
  ASSERT_THAT(found, IsOk());
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ(found->at(0).line.msisdn.e164(), "+77011234567");
  EXPECT_EQ(found->at(1).line.msisdn.e164(), "+77011234568");
  EXPECT_EQ(terminations_.FindLines(agent, by_document, 1)->size(), 1u);
  EXPECT_TRUE(terminations_.FindLines(Staff(11, StaffRole::kAgentStore, beeline_id_), by_iccid, 20)
                  ->empty());
  EXPECT_EQ(
      terminations_.FindLines(Staff(11, StaffRole::kAgentStore, beeline_id_), by_document, 20)
          ->size(),
      1u);
  EXPECT_TRUE(terminations_.FindLines(agent, LineSearch{}, 20)->empty());
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
