// BulkTerminationService: a bulk closure is checked whole, stored, and opened
// by its job in batches, each line an ordinary termination (channel system).

#include "simexit/service/bulk_terminations.hpp"

#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using testing::IsError;

class BulkTerminationTest : public TerminationFlowTest {
 protected:
  // Empty kcell lines +7701200nnnn, n = 0..count-1 (nothing to settle).
  std::vector<std::string> AddEmptyLines(int count) {
    std::vector<std::string> numbers;
    for (int n = 0; n < count; ++n) {
      const std::string msisdn = "+7701200" + std::to_string(10000 + n).substr(1);
      AddLine("kcell", msisdn, "00101000100" + std::to_string(10000 + n).substr(1), Money::Zero(),
              Money::Zero(), Money::Zero());
      numbers.push_back(msisdn);
    }
    return numbers;
  }

  BulkTerminationView View(const std::string& id) {
    Result<BulkTerminationView> view = bulk_.Get(kcell_key_, "kcell", id, 100);
    EXPECT_TRUE(view) << view.error().message;
    return *view;
  }

  std::int64_t CountBatchJobs() {
    return TransactValue<std::int64_t>(*store_,
                                       [](StoreTx& tx) -> Result<std::int64_t> {
                                         JobFilter filter;
                                         filter.kind = "open_bulk_terminations";
                                         SIMEXIT_ASSIGN_OR_RETURN(std::vector<JobRecord> jobs,
                                                                  tx.ListJobs(filter));
                                         return static_cast<std::int64_t>(jobs.size());
                                       })
        .value();
  }

  BulkTerminationService bulk_{ctx_};
  Caller kcell_key_ = Caller::Operator(kcell_id_, 5);
};

TEST_F(BulkTerminationTest, EveryLineBecomesAnOrdinaryTerminationThroughChannelSystem) {
  std::vector<std::string> numbers = AddEmptyLines(3);
  numbers.push_back("8 701 123 4568");  // owes 1,200 KZT: waits for the payment
  Result<BulkSubmission> submitted = bulk_.Submit(kcell_key_, "kcell", {numbers, "contract_ended"});
  ASSERT_TRUE(submitted) << submitted.error().message;
  ASSERT_TRUE(submitted->refused.empty());
  const std::string id = submitted->bulk.id;
  EXPECT_EQ(submitted->bulk.line_count, 4);
  EXPECT_EQ(submitted->bulk.requested_by, "api_key:5");
  EXPECT_EQ(View(id).progress, (BulkProgress{.total = 4, .done = 0, .failed = 0, .pending = 4}));

  RunJobs();

  EXPECT_EQ(View(id).progress, (BulkProgress{.total = 4, .done = 3, .failed = 0, .pending = 1}));
  for (int n = 0; n < 3; ++n) {
    const LineRecord line = LineOf(numbers[static_cast<std::size_t>(n)]);
    EXPECT_EQ(line.status, LineStatus::kQuarantined);
    EXPECT_THAT(hlr_.Lookup(line.imsi), IsError(ErrorCode::kNotFound, "hlr_unknown_subscriber"));
  }
  TerminationFilter terminated;
  terminated.state = TerminationState::kTerminated;
  Result<std::vector<TerminationRecord>> closed = TransactValue<std::vector<TerminationRecord>>(
      *store_, [&](StoreTx& tx) { return tx.ListTerminations(terminated); });
  ASSERT_TRUE(closed);
  ASSERT_EQ(closed->size(), 3u);
  for (const TerminationRecord& t : *closed) {
    EXPECT_EQ(t.channel, Channel::kSystem);
    EXPECT_EQ(t.reason, "contract_ended");
    EXPECT_EQ(t.requested_by, "api_key:5");
    EXPECT_FALSE(t.certificate_serial.empty()) << t.id;
  }
  const std::int64_t owing_line = LineOf("+77011234568").id;
  Result<std::optional<TerminationRecord>> owing = TransactValue<std::optional<TerminationRecord>>(
      *store_, [&](StoreTx& tx) { return tx.FindOpenTermination(owing_line); });
  ASSERT_TRUE(owing && owing->has_value());
  EXPECT_EQ((*owing)->state, TerminationState::kAwaitingPayment);
}

TEST_F(BulkTerminationTest, ALineThatCannotCloseIsAFailureNamedByNumberAndReason) {
  std::vector<std::string> numbers = AddEmptyLines(2);
  ASSERT_TRUE(terminations_.Create(kcell_key_, StoreRequest(numbers[1]), std::nullopt));
  Result<BulkSubmission> submitted =
      bulk_.Submit(kcell_key_, "kcell", {numbers, "suspected_fraud"});
  ASSERT_TRUE(submitted && submitted->refused.empty());

  ASSERT_TRUE(bulk_.OpenBatch(submitted->bulk.id));

  BulkTerminationView view = View(submitted->bulk.id);
  EXPECT_EQ(view.progress.failed, 1);
  EXPECT_THAT(view.failures, ElementsAre(AllOf(Field(&BulkFailure::msisdn, Number(numbers[1])),
                                               Field(&BulkFailure::code, "termination_exists"))));
  // A second run of the same batch opens nothing twice.
  ASSERT_TRUE(bulk_.OpenBatch(submitted->bulk.id));
  EXPECT_EQ(View(submitted->bulk.id).progress, view.progress);
}

TEST_F(BulkTerminationTest, OpensInBatchesEachQueuingTheNext) {
  const std::vector<std::string> numbers = AddEmptyLines(kBulkBatchLines + 5);
  Result<BulkSubmission> submitted =
      bulk_.Submit(kcell_key_, "kcell", {numbers, "operator_decision"});
  ASSERT_TRUE(submitted && submitted->refused.empty());
  EXPECT_EQ(CountBatchJobs(), 1);
  ASSERT_TRUE(bulk_.OpenBatch(submitted->bulk.id));
  EXPECT_EQ(CountBatchJobs(), 2);
  Result<std::vector<BulkLineRecord>> pending = TransactValue<std::vector<BulkLineRecord>>(
      *store_, [&](StoreTx& tx) { return tx.ListPendingBulkLines(submitted->bulk.id, 1000); });
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->size(), 5u);
  EXPECT_EQ(pending->front().position, kBulkBatchLines);

  RunJobs();

  EXPECT_EQ(View(submitted->bulk.id).progress.done, kBulkBatchLines + 5);
  EXPECT_EQ(CountBatchJobs(), 2);  // the last batch queued no other
}

TEST_F(BulkTerminationTest, BadNumbersAreNamedByRowAndNothingIsCreated) {
  const std::vector<std::string> numbers = AddEmptyLines(2);
  Result<BulkSubmission> submitted =
      bulk_.Submit(kcell_key_, "kcell",
                   {{numbers[0], "not a number", "+77051234567", numbers[1],
                     "8" + numbers[0].substr(2), "+77019999999"},
                    "contract_ended"});
  ASSERT_TRUE(submitted) << submitted.error().message;
  EXPECT_THAT(submitted->refused,
              ElementsAre(AllOf(Field(&BulkNumberProblem::row, 1u),
                                Field(&BulkNumberProblem::code, "invalid_msisdn")),
                          AllOf(Field(&BulkNumberProblem::row, 2u),  // beeline's
                                Field(&BulkNumberProblem::code, "unknown_msisdn")),
                          AllOf(Field(&BulkNumberProblem::row, 4u),
                                Field(&BulkNumberProblem::code, "duplicate_msisdn")),
                          AllOf(Field(&BulkNumberProblem::row, 5u),
                                Field(&BulkNumberProblem::code, "unknown_msisdn"))));
  EXPECT_EQ(CountBatchJobs(), 0);
  RunJobs();
  EXPECT_EQ(LineOf(numbers[0]).status, LineStatus::kActive);
}

TEST_F(BulkTerminationTest, RefusesWhatTheCallerMayNotDoOrTooMuch) {
  const std::vector<std::string> numbers = AddEmptyLines(1);
  EXPECT_THAT(bulk_.Submit(Caller::Staff(3, kcell_id_, StaffRole::kAgentStore), "kcell",
                           {numbers, "contract_ended"}),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  EXPECT_THAT(bulk_.Submit(Caller::Staff(4, kcell_id_, StaffRole::kOperatorAdmin), "kcell",
                           {numbers, "contract_ended"}),
              testing::IsOk());
  EXPECT_THAT(bulk_.Submit(Caller::Operator(beeline_id_, 6), "kcell", {numbers, "contract_ended"}),
              IsError(ErrorCode::kNotFound, "operator_not_found"));
  EXPECT_THAT(bulk_.Submit(kcell_key_, "kcell", {numbers, "dormant"}),
              IsError(ErrorCode::kInvalidArgument, "invalid_reason_code"));
  EXPECT_THAT(bulk_.Submit(kcell_key_, "kcell", {{}, "contract_ended"}),
              IsError(ErrorCode::kInvalidArgument, "invalid_field"));
  EXPECT_THAT(
      bulk_.Submit(kcell_key_, "kcell",
                   {std::vector<std::string>(kMaxBulkNumbers + 1, numbers[0]), "contract_ended"}),
      IsError(ErrorCode::kInvalidArgument, "too_many_bulk_numbers"));
  EXPECT_EQ(CountBatchJobs(), 1);
}

TEST_F(BulkTerminationTest, AnotherOperatorsBulkIsNotFound) {
  const std::vector<std::string> numbers = AddEmptyLines(1);
  Result<BulkSubmission> submitted = bulk_.Submit(kcell_key_, "kcell", {numbers, "contract_ended"});
  ASSERT_TRUE(submitted);
  EXPECT_THAT(bulk_.Get(Caller::Operator(beeline_id_, 6), "beeline", submitted->bulk.id, 10),
              IsError(ErrorCode::kNotFound, "bulk_termination_not_found"));
  EXPECT_THAT(bulk_.Get(Caller::Operator(beeline_id_, 6), "kcell", submitted->bulk.id, 10),
              IsError(ErrorCode::kNotFound, "operator_not_found"));
}

TEST_F(BulkTerminationTest, TheSystemChannelIsNotOpenedOneByOne) {
  CreateTerminationCommand command = OnlineRequest("+77011234567");
  command.channel = Channel::kSystem;
  EXPECT_THAT(terminations_.Create(kcell_key_, command, std::nullopt),
              IsError(ErrorCode::kInvalidArgument, "invalid_channel"));
}

}  // namespace
}  // namespace simexit
