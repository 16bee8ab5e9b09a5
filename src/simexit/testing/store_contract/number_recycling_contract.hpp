#pragma once
// Store contract: NumberRecyclingRepository: number recycling clients, their
// checks, number history and disconnections.
// Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {
namespace number_recycling_contract {

inline NumberRecyclingClientRecord SampleClient(std::int64_t operator_id, const std::string& hash) {
  NumberRecyclingClientRecord c;
  c.operator_id = operator_id;
  c.name = "Bank " + hash;
  c.key_hash = hash;
  c.prefix = "nrc_kcell_ab12";
  c.scopes = {"number-recycling:check"};
  c.created_by = "staff:7";
  c.created_at = 1'700'000'000;
  return c;
}

inline TerminationEventRecord Move(const TerminationRecord& t, const std::string& to,
                                   UnixSeconds at) {
  TerminationEventRecord e;
  e.termination_id = t.id;
  e.event = to == "terminated" ? "complete" : "start";
  e.from_state = "deprovisioning";
  e.to_state = to;
  e.actor = "worker";
  e.channel = "store";
  e.at = at;
  return e;
}

}  // namespace number_recycling_contract

TEST_P(StoreContractTest, RecyclingClientsRoundTripAndRevoke) {
  using namespace number_recycling_contract;
  LineRecord line = SeedLine();
  NumberRecyclingClientRecord a = SampleClient(line.operator_id, "hash-a");
  a.id = Tx([&](StoreTx& tx) { return tx.InsertRecyclingClient(a); });
  NumberRecyclingClientRecord b = SampleClient(line.operator_id, "hash-b");
  b.scopes = {};
  b.id = Tx([&](StoreTx& tx) { return tx.InsertRecyclingClient(b); });
  EXPECT_GT(b.id, a.id);

  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetRecyclingClient(a.id); }), a);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.FindRecyclingClient("hash-b"); }), b);
  EXPECT_FALSE(Tx([&](StoreTx& tx) { return tx.FindRecyclingClient("hash-c"); }).has_value());
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListRecyclingClients(line.operator_id); }),
            (std::vector<NumberRecyclingClientRecord>{a, b}));
  EXPECT_TRUE(
      Tx([&](StoreTx& tx) { return tx.ListRecyclingClients(line.operator_id + 1); }).empty());
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListRecyclingClients(std::nullopt); }).size(), 2u);

  TxDo([&](StoreTx& tx) { return tx.RevokeRecyclingClient(a.id, 1'700'000'500); });
  TxDo([&](StoreTx& tx) { return tx.RevokeRecyclingClient(a.id, 1'700'000'900); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetRecyclingClient(a.id); }).revoked_at,
            std::optional<UnixSeconds>(1'700'000'500));

  EXPECT_EQ(TxError([&](StoreTx& tx) { return tx.InsertRecyclingClient(a); }).problem_code,
            "duplicate");
  EXPECT_EQ(TxError([](StoreTx& tx) { return tx.GetRecyclingClient(999); }).problem_code,
            "recycling_client_not_found");
  EXPECT_EQ(TxDoError([](StoreTx& tx) { return tx.RevokeRecyclingClient(999, 1); }).problem_code,
            "recycling_client_not_found");
}

TEST_P(StoreContractTest, RecyclingChecksAreAppendedAndListedNewestFirst) {
  using namespace number_recycling_contract;
  LineRecord line = SeedLine();
  std::int64_t client = Tx([&](StoreTx& tx) {
    return tx.InsertRecyclingClient(SampleClient(line.operator_id, "hash-a"));
  });
  std::vector<NumberRecyclingCheckRecord> checks = {
      {0, client, line.operator_id, "+77010000001", CivilDate{2024, 1, 2},
       RecyclingAnswer::kRecycled, "corr-1", "req-1", 100},
      {0, client, line.operator_id, "+4915112345678", CivilDate{2024, 1, 2},
       RecyclingAnswer::kNotFound, "", "req-1", 100},
      {0, client, line.operator_id, "+77010000002", CivilDate{2020, 1, 1}, RecyclingAnswer::kNoData,
       "", "req-2", 200},
      {0, client, line.operator_id, "+77010000003", CivilDate{2025, 5, 5},
       RecyclingAnswer::kNotRecycled, "", "req-3", 300},
  };
  TxDo([&](StoreTx& tx) { return tx.AppendRecyclingChecks(checks); });
  std::vector<NumberRecyclingCheckRecord> got =
      Tx([&](StoreTx& tx) { return tx.ListRecyclingChecks(client, 3); });
  ASSERT_EQ(got.size(), 3u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    NumberRecyclingCheckRecord expected = checks[checks.size() - 1 - i];
    expected.id = got[i].id;
    EXPECT_EQ(got[i], expected);
  }
  EXPECT_GT(got[0].id, got[1].id);
  EXPECT_TRUE(Tx([&](StoreTx& tx) { return tx.ListRecyclingChecks(client + 1, 10); }).empty());
}

TEST_P(StoreContractTest, NumberHistoryComesFromTheLineAndItsCompletedTerminations) {
  using namespace number_recycling_contract;
  EXPECT_FALSE(
      Tx([](StoreTx& tx) { return tx.FindNumberHistory(TestMsisdn("+77010000001")); }).has_value());
  LineRecord line = SeedLine("0001");
  NumberHistory history =
      Tx([&](StoreTx& tx) { return tx.FindNumberHistory(line.msisdn); }).value_or(NumberHistory{});
  EXPECT_EQ(history, (NumberHistory{line.operator_id, line.status, line.created_at, std::nullopt}));

  // An open termination is no disconnection; completed ones are, the latest counts.
  TerminationRecord open = SampleTermination("trm_open", line);
  TerminationRecord first = SampleTermination("trm_first", line);
  first.state = TerminationState::kTerminated;
  TerminationRecord second = SampleTermination("trm_second", line);
  second.state = TerminationState::kTerminated;
  TxDo([&](StoreTx& tx) -> Result<void> {
    Must(tx.InsertTermination(first));
    Must(tx.InsertTermination(second));
    Must(tx.InsertTermination(open));
    Must(tx.AppendEvent(Move(first, "terminated", 1'700'100'000)));
    Must(tx.AppendEvent(Move(second, "deprovisioning", 1'700'900'000)));
    Must(tx.AppendEvent(Move(second, "terminated", 1'700'200'000)));
    Must(tx.AppendEvent(Move(open, "deprovisioning", 1'700'300'000)));
    return {};
  });
  history = Tx([&](StoreTx& tx) { return tx.FindNumberHistory(line.msisdn); }).value();
  EXPECT_EQ(history.last_disconnected_at, std::optional<UnixSeconds>(1'700'200'000));

  // Another number's terminations are not this number's history.
  LineRecord other = SeedLine("0002");
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.FindNumberHistory(other.msisdn); })
                .value()
                .last_disconnected_at,
            std::nullopt);
}

TEST_P(StoreContractTest, DisconnectionsListEachNumberOnceAtItsLatestSince) {
  using namespace number_recycling_contract;
  LineRecord a = SeedLine("0001");
  LineRecord b = SeedLine("0002");
  TerminationRecord a1 = SampleTermination("trm_a1", a);
  TerminationRecord a2 = SampleTermination("trm_a2", a);
  TerminationRecord b1 = SampleTermination("trm_b1", b);
  for (TerminationRecord* t : {&a1, &a2, &b1}) {
    t->state = TerminationState::kTerminated;
  }
  TxDo([&](StoreTx& tx) -> Result<void> {
    for (const TerminationRecord* t : {&a1, &a2, &b1}) {
      Must(tx.InsertTermination(*t));
    }
    Must(tx.AppendEvent(Move(a1, "terminated", 1000)));
    Must(tx.AppendEvent(Move(a2, "terminated", 3000)));
    Must(tx.AppendEvent(Move(b1, "terminated", 2000)));
    return {};
  });
  std::vector<DisconnectionRecord> all =
      Tx([](StoreTx& tx) { return tx.ListDisconnections(std::nullopt, 0); });
  EXPECT_EQ(all, (std::vector<DisconnectionRecord>{{b.msisdn, b.operator_id, 2000},
                                                   {a.msisdn, a.operator_id, 3000}}));
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.ListDisconnections(std::nullopt, 2500); }),
            (std::vector<DisconnectionRecord>{{a.msisdn, a.operator_id, 3000}}));
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListDisconnections(a.operator_id, 0); }).size(), 2u);
  EXPECT_TRUE(Tx([&](StoreTx& tx) { return tx.ListDisconnections(a.operator_id + 1, 0); }).empty());
}

}  // namespace simexit::testing
