#pragma once
// Store contract: AuditRepository: the general audit trail.
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

TEST_P(StoreContractTest, TallyAuditCountsBySubjectActionDetailIdAndTime) {
  AuditRecord a;
  a.actor = "anonymous";
  a.subject = "staff:1";
  const auto append = [&](const char* action, const char* detail, UnixSeconds at) {
    a.action = action;
    a.detail = detail;
    a.at = at;
    return Tx([&](StoreTx& tx) { return tx.AppendAudit(a); });
  };
  const std::int64_t first = append("staff_login_wrong", "from 192.0.2.1", 10);
  append("staff_login_wrong", "from 192.0.2.2", 20);
  const std::int64_t ok = append("staff_login_ok", "from 192.0.2.1, rehashed", 30);
  const std::int64_t last = append("staff_login_wrong", "from \"q\"\\", 40);
  a.subject = "staff:2";
  append("staff_login_wrong", "from 192.0.2.1", 50);

  const auto tally = [&](std::vector<std::string> actions, std::vector<std::string> details = {},
                         std::int64_t after_id = 0, UnixSeconds since = 0) {
    const AuditQuery q{"staff:1", std::move(actions), std::move(details), after_id, since};
    return Tx([&](StoreTx& tx) { return tx.TallyAudit(q); });
  };
  AuditTally all = tally({"staff_login_wrong", "staff_login_ok"});
  EXPECT_EQ(all.count, 4);
  EXPECT_EQ(all.newest_id, last);
  EXPECT_EQ(all.newest_at, 40);
  EXPECT_EQ(tally({"staff_login_wrong"}).count, 3);
  EXPECT_EQ(tally({"staff_login_wrong"}, {"from 192.0.2.1"}).newest_id, first);
  EXPECT_EQ(tally({"staff_login_wrong"}, {"from \"q\"\\"}).count, 1);
  EXPECT_EQ(tally({"staff_login_ok"}, {"from 192.0.2.1", "from 192.0.2.1, rehashed"}).newest_id,
            ok);
  EXPECT_EQ(tally({"staff_login_wrong"}, {}, ok).count, 1);
  EXPECT_EQ(tally({"staff_login_wrong"}, {}, 0, 20).count, 2);
  const AuditTally none = tally({"staff_locked"});
  EXPECT_EQ(none.count, 0);
  EXPECT_EQ(none.newest_id, 0);
  EXPECT_EQ(none.newest_at, 0);
}

}  // namespace simexit::testing
