#pragma once
// Store contract: The general audit trail.
// Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

TEST_P(StoreContractTest, AuditTrailAppendsAndListsNewestFirst) {
  AuditRecord a;
  a.actor = "holder";
  a.action = "otp_sent";
  a.subject = "+77011234567";
  a.request_id = "r1";
  a.at = 5;
  Tx([&](StoreTx& tx) { return tx.AppendAudit(a); });
  a.action = "otp_verified";
  a.at = 6;
  Tx([&](StoreTx& tx) { return tx.AppendAudit(a); });
  a.subject = "+77011234568";
  Tx([&](StoreTx& tx) { return tx.AppendAudit(a); });
  std::vector<AuditRecord> list = Tx([&](StoreTx& tx) { return tx.ListAudit("+77011234567", 10); });
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].action, "otp_verified");
  EXPECT_EQ(list[1].action, "otp_sent");
  EXPECT_EQ(list[1].request_id, "r1");
  EXPECT_EQ(list[1].at, 5);
}

}  // namespace simexit::testing
