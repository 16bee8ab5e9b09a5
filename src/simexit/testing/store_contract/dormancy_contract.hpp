#pragma once
// Store contract: DormancyRepository: the dormancy sweep's due lines, its
// warnings and holders' keeps. Part of the suite in store_contract.hpp;
// include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

inline std::vector<Msisdn> Msisdns(const std::vector<DormantLine>& lines) {
  std::vector<Msisdn> out;
  for (const DormantLine& l : lines) {
    out.push_back(l.line.msisdn);
  }
  return out;
}

TEST_P(StoreContractTest, DormantLinesAreTheIdleActiveHeldOnesInActivityOrder) {
  const LineRecord a = SeedActiveLine("0001", 1000);
  const LineRecord b = SeedActiveLine("0002", 500);
  const LineRecord c = SeedActiveLine("0003", 1000);
  SeedActiveLine("0004", 5000);  // not idle long enough
  LineRecord barred = SeedActiveLine("0005", 100);
  barred.status = LineStatus::kBarred;
  LineRecord pooled = SeedActiveLine("0006", 100);
  pooled.holder_id = 0;
  pooled.status = LineStatus::kAvailable;
  TxDo([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_TRY(tx.UpdateLine(barred));
    return tx.UpdateLine(pooled);
  });
  // Another operator's idle line.
  Tx([&](StoreTx& tx) -> Result<bool> {
    const std::int64_t op = Must(tx.InsertOperator(SampleOperator("beeline")));
    LineRecord other = SampleLine(op, Must(tx.InsertHolder(SampleHolder(op))), "0009");
    other.status = LineStatus::kActive;
    other.last_paid_activity_at = 100;
    Must(tx.InsertLine(other));
    return true;
  });

  std::vector<DormantLine> all =
      Tx([&](StoreTx& tx) { return tx.ListDormantLines(a.operator_id, 2000, std::nullopt, 100); });
  EXPECT_EQ(Msisdns(all), (std::vector<Msisdn>{b.msisdn, a.msisdn, c.msisdn}));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1].line, a);
  EXPECT_EQ(all[1].marks, DormancyMarks{});
  EXPECT_FALSE(all[1].open_termination);

  // Pages: after (1000, a.id) comes c only; the limit cuts.
  std::vector<DormantLine> page = Tx([&](StoreTx& tx) {
    return tx.ListDormantLines(a.operator_id, 2000, DormantCursor{1000, a.id}, 100);
  });
  EXPECT_EQ(Msisdns(page), (std::vector<Msisdn>{c.msisdn}));
  std::vector<DormantLine> first =
      Tx([&](StoreTx& tx) { return tx.ListDormantLines(a.operator_id, 2000, std::nullopt, 1); });
  EXPECT_EQ(Msisdns(first), (std::vector<Msisdn>{b.msisdn}));
  // idle_since is inclusive.
  std::vector<DormantLine> upto =
      Tx([&](StoreTx& tx) { return tx.ListDormantLines(a.operator_id, 500, std::nullopt, 100); });
  EXPECT_EQ(Msisdns(upto), (std::vector<Msisdn>{b.msisdn}));
}

TEST_P(StoreContractTest, DormancyWarningsAndKeepsAreRecordedAndRead) {
  const LineRecord a = SeedActiveLine("0001", 1000);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetDormancyMarks(a.id); }), DormancyMarks{});

  TxDo([&](StoreTx& tx) -> Result<void> {
    return tx.RecordDormancyWarning(a.id, a.operator_id, DormancyWarning::kFirst, 1500);
  });
  TxDo([&](StoreTx& tx) -> Result<void> {
    return tx.RecordDormancyWarning(a.id, a.operator_id, DormancyWarning::kFinal, 1600);
  });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetDormancyMarks(a.id); }),
            (DormancyMarks{1500, 1600, std::nullopt}));
  std::vector<DormantLine> listed =
      Tx([&](StoreTx& tx) { return tx.ListDormantLines(a.operator_id, 2000, std::nullopt, 100); });
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].marks, (DormancyMarks{1500, 1600, std::nullopt}));

  // A new first warning starts a new dormancy: the old final one goes.
  TxDo([&](StoreTx& tx) -> Result<void> {
    return tx.RecordDormancyWarning(a.id, a.operator_id, DormancyWarning::kFirst, 1700);
  });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetDormancyMarks(a.id); }),
            (DormancyMarks{1700, std::nullopt, std::nullopt}));

  // A keep only moves forward, and keeps the line off the list while it is
  // later than idle_since.
  TxDo([&](StoreTx& tx) -> Result<void> { return tx.RecordLineKept(a.id, a.operator_id, 1900); });
  TxDo([&](StoreTx& tx) -> Result<void> { return tx.RecordLineKept(a.id, a.operator_id, 1800); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetDormancyMarks(a.id); }),
            (DormancyMarks{1700, std::nullopt, 1900}));
  EXPECT_TRUE(Tx([&](StoreTx& tx) {
                return tx.ListDormantLines(a.operator_id, 1899, std::nullopt, 100);
              }).empty());
  EXPECT_EQ(Tx([&](StoreTx& tx) {
              return tx.ListDormantLines(a.operator_id, 1900, std::nullopt, 100);
            }).size(),
            1u);

  // A keep on a line without marks creates them.
  const LineRecord b = SeedActiveLine("0002", 1000);
  TxDo([&](StoreTx& tx) -> Result<void> { return tx.RecordLineKept(b.id, b.operator_id, 1200); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetDormancyMarks(b.id); }),
            (DormancyMarks{std::nullopt, std::nullopt, 1200}));
}

TEST_P(StoreContractTest, DormantLinesSayWhenAnOpenTerminationHoldsThem) {
  const LineRecord a = SeedActiveLine("0001", 1000);
  TerminationRecord t = SampleTermination("trm_dormant1", a);
  TxDo([&](StoreTx& tx) { return tx.InsertTermination(t); });
  std::vector<DormantLine> listed =
      Tx([&](StoreTx& tx) { return tx.ListDormantLines(a.operator_id, 2000, std::nullopt, 100); });
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0].open_termination);

  t.state = TerminationState::kCancelled;
  TxDo([&](StoreTx& tx) { return tx.UpdateTermination(t); });
  listed =
      Tx([&](StoreTx& tx) { return tx.ListDormantLines(a.operator_id, 2000, std::nullopt, 100); });
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_FALSE(listed[0].open_termination);
}

TEST_P(StoreContractTest, TerminationsMayComeThroughTheSystemChannel) {
  const LineRecord a = SeedActiveLine("0001", 1000);
  TerminationRecord t = SampleTermination("trm_system1", a);
  t.channel = Channel::kSystem;
  t.refund.reset();
  t.reason = "dormant";
  TxDo([&](StoreTx& tx) { return tx.InsertTermination(t); });
  TerminationRecord got = Tx([&](StoreTx& tx) { return tx.GetTermination(t.id); });
  EXPECT_EQ(got.channel, Channel::kSystem);
  EXPECT_EQ(got.reason, "dormant");
}

}  // namespace simexit::testing
