#pragma once
// Store contract: AuditChainRepository: every audit record and termination
// event is a link of its operator's chain, written with it.
// Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

// Two operators' records interleaved: each operator's links form their own
// chain from the genesis hash, each link hashing its record and the link before.
TEST_P(StoreContractTest, AuditRecordsAndEventsChainPerOperator) {
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.ListChains(); }).empty());
  TerminationRecord t = SeedTermination("trm_chain", "0001");
  const std::int64_t op = t.operator_id;
  const std::int64_t other =
      Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("beeline")); });

  AuditRecord a;
  a.actor = "staff:3";
  a.action = "policy_changed";
  a.subject = "operator:kcell";
  a.detail = "fee 1000 → 1200";  // not ASCII: the canonical form keeps UTF-8
  a.at = 100;
  a.operator_id = op;
  const std::int64_t a1 = Tx([&](StoreTx& tx) { return tx.AppendAudit(a); });
  a.operator_id = other;
  a.subject = "operator:beeline";
  const std::int64_t a2 = Tx([&](StoreTx& tx) { return tx.AppendAudit(a); });
  TerminationEventRecord e;
  e.termination_id = t.id;
  e.event = "created";
  e.actor = "holder:1";
  e.channel = "online";
  e.at = 101;
  const std::int64_t e1 = Tx([&](StoreTx& tx) { return tx.AppendEvent(e); });
  a.operator_id = 0;
  a.subject = "+77019999999";
  const std::int64_t a3 = Tx([&](StoreTx& tx) { return tx.AppendAudit(a); });

  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.ListChains(); }),
            (std::vector<std::int64_t>{0, op, other}));
  const std::vector<ChainLink> mine = Tx([&](StoreTx& tx) { return tx.ListChainLinks(op, 0, 10); });
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].kind, kChainedAudit);
  EXPECT_EQ(mine[0].record_id, a1);
  EXPECT_EQ(mine[0].at, 100);
  EXPECT_EQ(mine[0].prev_hash, kChainGenesis);
  AuditRecord first = a;
  first.id = a1;
  first.operator_id = op;
  first.subject = "operator:kcell";
  EXPECT_EQ(mine[0].record_json, *ChainRecordJson(first));
  EXPECT_EQ(mine[0].hash, ChainHash(kChainGenesis, *ChainRecordJson(first)));
  EXPECT_EQ(mine[1].kind, kChainedEvent);
  EXPECT_EQ(mine[1].record_id, e1);
  EXPECT_EQ(mine[1].prev_hash, mine[0].hash);
  TerminationEventRecord stored = e;
  stored.id = e1;
  EXPECT_EQ(mine[1].record_json, *ChainRecordJson(stored, op));
  EXPECT_EQ(mine[1].hash, ChainHash(mine[0].hash, *ChainRecordJson(stored, op)));
  EXPECT_LT(mine[0].seq, mine[1].seq);

  const std::vector<ChainLink> theirs =
      Tx([&](StoreTx& tx) { return tx.ListChainLinks(other, 0, 10); });
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(theirs[0].record_id, a2);
  EXPECT_EQ(theirs[0].prev_hash, kChainGenesis);
  const std::vector<ChainLink> nobody =
      Tx([&](StoreTx& tx) { return tx.ListChainLinks(0, 0, 10); });
  ASSERT_EQ(nobody.size(), 1u);
  EXPECT_EQ(nobody[0].record_id, a3);

  // Paging: after the first link, at most one.
  const std::vector<ChainLink> page =
      Tx([&](StoreTx& tx) { return tx.ListChainLinks(op, mine[0].seq, 1); });
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].seq, mine[1].seq);
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.ListUnchainedRecords(10); }).empty());
  // The record keeps the operator it was written for.
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.ListAudit("operator:kcell", 1); })[0].operator_id, op);
}

// A failed transaction leaves neither the record nor its link: the chain goes
// on from the last committed link.
TEST_P(StoreContractTest, AuditChainRollsBackWithItsRecord) {
  AuditRecord a;
  a.actor = "holder";
  a.action = "otp_sent";
  a.subject = "+77011234567";
  a.at = 5;
  Tx([&](StoreTx& tx) { return tx.AppendAudit(a); });
  Result<void> failed = store_->Transact([&](StoreTx& tx) -> Result<void> {
    Must(tx.AppendAudit(a));
    return Fail(ErrorCode::kPermissionDenied, "custom_reason", "roll back");
  });
  EXPECT_FALSE(failed);
  Tx([&](StoreTx& tx) { return tx.AppendAudit(a); });
  const std::vector<ChainLink> links = Tx([](StoreTx& tx) { return tx.ListChainLinks(0, 0, 10); });
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[1].prev_hash, links[0].hash);
  EXPECT_TRUE(links[1].record_json.has_value());
}

}  // namespace simexit::testing
