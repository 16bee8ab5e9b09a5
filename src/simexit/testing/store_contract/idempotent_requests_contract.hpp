#pragma once
// Store contract: IdempotentRequestRepository.
// Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

inline IdempotentRequestRecord RunningRequest(std::string claim_id) {
  return IdempotentRequestRecord{.scope = "api_key:3",
                                 .key = "k-1",
                                 .request_hash = "h1",
                                 .state = IdempotentRequestState::kRunning,
                                 .claim_id = std::move(claim_id),
                                 .claimed_at = 100,
                                 .response = {}};
}

TEST_P(StoreContractTest, IdempotentRequestClaimIsUniquePerScopeAndKey) {
  Tx([](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertIdempotentRequest(RunningRequest("c1")));
    return true;
  });
  std::optional<IdempotentRequestRecord> got =
      Tx([](StoreTx& tx) { return tx.FindIdempotentRequest("api_key:3", "k-1"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, RunningRequest("c1"));
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindIdempotentRequest("api_key:4", "k-1"); }));
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindIdempotentRequest("api_key:3", "k-2"); }));
  Error dup = TxError([](StoreTx& tx) -> Result<bool> {
    Result<void> again = tx.InsertIdempotentRequest(RunningRequest("c2"));
    if (!again) {
      return Fail(again.error());
    }
    return true;
  });
  EXPECT_EQ(dup.problem_code, "duplicate");
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.FindIdempotentRequest("api_key:3", "k-1"); })->claim_id,
            "c1");
}

TEST_P(StoreContractTest, IdempotentRequestIsFinishedOnlyUnderItsClaim) {
  Tx([](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertIdempotentRequest(RunningRequest("c1")));
    return true;
  });
  const StoredResponse answer{.status = 201,
                              .content_type = "application/json",
                              .location = "/v1/x/1",
                              .body = R"({"id":"1","name":"Ünï"})"};
  EXPECT_FALSE(Tx([&](StoreTx& tx) {
    return tx.FinishIdempotentRequest("api_key:3", "k-1", "someone-else", answer);
  }));
  EXPECT_TRUE(Tx(
      [&](StoreTx& tx) { return tx.FinishIdempotentRequest("api_key:3", "k-1", "c1", answer); }));
  std::optional<IdempotentRequestRecord> got =
      Tx([](StoreTx& tx) { return tx.FindIdempotentRequest("api_key:3", "k-1"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->state, IdempotentRequestState::kDone);
  EXPECT_EQ(got->response, answer);
  EXPECT_EQ(got->request_hash, "h1");
  // Done: no second answer, no take-over, no release.
  EXPECT_FALSE(Tx(
      [&](StoreTx& tx) { return tx.FinishIdempotentRequest("api_key:3", "k-1", "c1", answer); }));
  EXPECT_FALSE(Tx([](StoreTx& tx) {
    return tx.TakeOverIdempotentRequest("api_key:3", "k-1", "c1", "c2", 500);
  }));
  EXPECT_FALSE(
      Tx([](StoreTx& tx) { return tx.DeleteIdempotentRequest("api_key:3", "k-1", "c1"); }));
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.FindIdempotentRequest("api_key:3", "k-1"); }));
}

TEST_P(StoreContractTest, IdempotentRequestClaimIsTakenOverOnceAndReleasedByItsHolder) {
  Tx([](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertIdempotentRequest(RunningRequest("c1")));
    return true;
  });
  EXPECT_TRUE(Tx([](StoreTx& tx) {
    return tx.TakeOverIdempotentRequest("api_key:3", "k-1", "c1", "c2", 500);
  }));
  // The second taker names a claim that is no longer there.
  EXPECT_FALSE(Tx([](StoreTx& tx) {
    return tx.TakeOverIdempotentRequest("api_key:3", "k-1", "c1", "c3", 501);
  }));
  std::optional<IdempotentRequestRecord> got =
      Tx([](StoreTx& tx) { return tx.FindIdempotentRequest("api_key:3", "k-1"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->claim_id, "c2");
  EXPECT_EQ(got->claimed_at, 500);
  // The old holder can neither finish nor release it.
  EXPECT_FALSE(Tx([](StoreTx& tx) {
    return tx.FinishIdempotentRequest("api_key:3", "k-1", "c1", StoredResponse{200, "", "", ""});
  }));
  EXPECT_FALSE(
      Tx([](StoreTx& tx) { return tx.DeleteIdempotentRequest("api_key:3", "k-1", "c1"); }));
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.DeleteIdempotentRequest("api_key:3", "k-1", "c2"); }));
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindIdempotentRequest("api_key:3", "k-1"); }));
  // Released: the pair can be claimed again.
  Tx([](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertIdempotentRequest(RunningRequest("c4")));
    return true;
  });
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.FindIdempotentRequest("api_key:3", "k-1"); })->claim_id,
            "c4");
}

// The sweep takes rows claimed before the cut-off whatever their state, the
// oldest claim first, at most `limit`, and leaves the rest.
TEST_P(StoreContractTest, IdempotentRequestSweepTakesTheOldestClaimsBeforeTheCutOff) {
  Tx([](StoreTx& tx) -> Result<bool> {
    for (int i = 0; i < 4; ++i) {
      IdempotentRequestRecord r = RunningRequest("c" + std::to_string(i));
      r.key = "k" + std::to_string(i);
      r.claimed_at = 100 - i;
      Must(tx.InsertIdempotentRequest(r));
    }
    // k3 (97) is done, k2 (98) still running: both are swept alike.
    Must(tx.FinishIdempotentRequest("api_key:3", "k3", "c3", StoredResponse{201, "a/b", "", "x"}));
    return true;
  });
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.SweepIdempotentRequests(99, 1); }), 1);
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindIdempotentRequest("api_key:3", "k3"); }));
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.FindIdempotentRequest("api_key:3", "k2"); }));
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.SweepIdempotentRequests(99, 16); }), 1);
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindIdempotentRequest("api_key:3", "k2"); }));
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.FindIdempotentRequest("api_key:3", "k1"); }));
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.FindIdempotentRequest("api_key:3", "k0"); }));
}

}  // namespace simexit::testing
