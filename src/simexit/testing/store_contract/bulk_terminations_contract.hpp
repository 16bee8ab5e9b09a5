#pragma once
// Store contract: BulkTerminationRepository.
// Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

inline BulkTerminationRecord SampleBulk(std::int64_t operator_id, std::int64_t line_count) {
  return BulkTerminationRecord{.id = "blk_1",
                               .operator_id = operator_id,
                               .reason_code = "contract_ended",
                               .requested_by = "api_key:3",
                               .line_count = line_count,
                               .created_at = 1'700'000'600};
}

inline BulkLineRecord BulkLineOf(const LineRecord& line) {
  BulkLineRecord b;
  b.msisdn = line.msisdn;
  b.line_id = line.id;
  return b;
}

TEST_P(StoreContractTest, LineOwnersAreFoundInTheOrderAsked) {
  LineRecord first = SeedLine("0001");
  LineRecord second = SeedLine("0002");
  std::vector<LineOwner> owners = Tx([](StoreTx& tx) {
    return tx.FindLineOwners(
        {TestMsisdn("+77010000002"), TestMsisdn("+77019999999"), TestMsisdn("+77010000001")});
  });
  EXPECT_EQ(owners,
            (std::vector<LineOwner>{{TestMsisdn("+77010000002"), second.id, second.operator_id},
                                    {TestMsisdn("+77019999999"), 0, 0},
                                    {TestMsisdn("+77010000001"), first.id, first.operator_id}}));
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.FindLineOwners({}); }).empty());
}

TEST_P(StoreContractTest, BulkTerminationKeepsItsLinesInOrderPending) {
  LineRecord a = SeedLine("0001");
  LineRecord b = SeedLine("0002");
  LineRecord c = SeedLine("0003");
  const BulkTerminationRecord bulk = SampleBulk(a.operator_id, 3);
  TxDo([&](StoreTx& tx) {
    return tx.InsertBulkTermination(bulk, {BulkLineOf(b), BulkLineOf(a), BulkLineOf(c)});
  });
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.GetBulkTermination("blk_1"); }), bulk);
  std::vector<BulkLineRecord> pending =
      Tx([](StoreTx& tx) { return tx.ListPendingBulkLines("blk_1", 2); });
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].position, 0);
  EXPECT_EQ(pending[0].msisdn, b.msisdn);
  EXPECT_EQ(pending[0].line_id, b.id);
  EXPECT_EQ(pending[0].state, BulkLineState::kPending);
  EXPECT_EQ(pending[0].bulk_id, "blk_1");
  EXPECT_EQ(pending[1].position, 1);
  EXPECT_EQ(pending[1].line_id, a.id);
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.GetBulkProgress("blk_1"); }),
            (BulkProgress{.total = 3, .done = 0, .failed = 0, .pending = 3}));

  EXPECT_EQ(TxError([&](StoreTx& tx) -> Result<bool> {
              SIMEXIT_TRY(tx.InsertBulkTermination(bulk, {}));
              return true;
            }).problem_code,
            "duplicate");
  EXPECT_EQ(TxError([](StoreTx& tx) { return tx.GetBulkTermination("blk_2"); }).problem_code,
            "bulk_termination_not_found");
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.GetBulkProgress("blk_2"); }), BulkProgress{});
}

TEST_P(StoreContractTest, BulkProgressFollowsTheLinesAndTheirTerminations) {
  TerminationRecord opened = SeedTermination("trm_a", "0001");
  TerminationRecord ended = SeedTermination("trm_b", "0002");
  LineRecord refused = SeedLine("0003");
  LineRecord waiting = SeedLine("0004");
  LineRecord first_line = Tx([&](StoreTx& tx) { return tx.GetLine(opened.line_id); });
  LineRecord second_line = Tx([&](StoreTx& tx) { return tx.GetLine(ended.line_id); });
  TxDo([&](StoreTx& tx) {
    return tx.InsertBulkTermination(SampleBulk(refused.operator_id, 4),
                                    {BulkLineOf(first_line), BulkLineOf(second_line),
                                     BulkLineOf(refused), BulkLineOf(waiting)});
  });
  BulkLineRecord line;
  line.bulk_id = "blk_1";
  line.state = BulkLineState::kOpened;
  line.position = 0;
  line.termination_id = opened.id;
  EXPECT_TRUE(Tx([&](StoreTx& tx) { return tx.FinishBulkLine(line); }));
  line.position = 1;
  line.termination_id = ended.id;
  EXPECT_TRUE(Tx([&](StoreTx& tx) { return tx.FinishBulkLine(line); }));
  line.position = 2;
  line.termination_id = "";
  line.state = BulkLineState::kFailed;
  line.failure_code = "line_not_active";
  line.failure_detail = "the line is barred";
  EXPECT_TRUE(Tx([&](StoreTx& tx) { return tx.FinishBulkLine(line); }));
  // Finished once: a second finish changes nothing.
  line.failure_code = "other";
  EXPECT_FALSE(Tx([&](StoreTx& tx) { return tx.FinishBulkLine(line); }));
  line.position = 0;
  EXPECT_FALSE(Tx([&](StoreTx& tx) { return tx.FinishBulkLine(line); }));

  std::vector<BulkLineRecord> pending =
      Tx([](StoreTx& tx) { return tx.ListPendingBulkLines("blk_1", 10); });
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].position, 3);
  // Opened but not terminated yet: pending.
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.GetBulkProgress("blk_1"); }),
            (BulkProgress{.total = 4, .done = 0, .failed = 1, .pending = 3}));

  opened.state = TerminationState::kTerminated;
  ended.state = TerminationState::kCancelled;
  TxDo([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_TRY(tx.UpdateTermination(opened));
    return tx.UpdateTermination(ended);
  });
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.GetBulkProgress("blk_1"); }),
            (BulkProgress{.total = 4, .done = 1, .failed = 2, .pending = 1}));
  std::vector<BulkFailure> failures =
      Tx([](StoreTx& tx) { return tx.ListBulkFailures("blk_1", 10); });
  EXPECT_EQ(failures,
            (std::vector<BulkFailure>{
                {1, second_line.msisdn, "termination_cancelled", "termination trm_b was cancelled"},
                {2, refused.msisdn, "line_not_active", "the line is barred"}}));
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.ListBulkFailures("blk_1", 1); }).size(), 1u);
}

TEST_P(StoreContractTest, TerminationThroughTheSystemChannelIsStored) {
  LineRecord line = SeedLine("0001");
  TerminationRecord t = SampleTermination("trm_s", line);
  t.channel = Channel::kSystem;
  TxDo([&](StoreTx& tx) { return tx.InsertTermination(t); });
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.GetTermination("trm_s"); }).channel, Channel::kSystem);
}

}  // namespace simexit::testing
