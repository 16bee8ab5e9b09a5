#pragma once
// Store contract: IdempotencyRepository.
// Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

TEST_P(StoreContractTest, IdempotencyKeysRoundTripPerScope) {
  IdempotencyRecord r{.scope = "holder:12",
                      .key = "abc",
                      .request_hash = "h1",
                      .termination_id = "trm_1",
                      .created_at = 77};
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertIdempotency(r));
    return true;
  });
  std::optional<IdempotencyRecord> got =
      Tx([](StoreTx& tx) { return tx.FindIdempotency("holder:12", "abc"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, r);
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindIdempotency("holder:13", "abc"); }));
  Error dup = TxError([&](StoreTx& tx) -> Result<bool> {
    Result<void> again = tx.InsertIdempotency(r);
    if (!again) {
      return Fail(again.error());
    }
    return true;
  });
  EXPECT_EQ(dup.problem_code, "duplicate");
  EXPECT_NE(dup.message.find("idempotency_keys"), std::string::npos) << dup.message;
}

// The sweep takes rows created before the cut-off, the oldest first, at most
// `limit`, and leaves the rest.
TEST_P(StoreContractTest, IdempotencySweepTakesTheOldestBeforeTheCutOffUpToTheLimit) {
  Tx([&](StoreTx& tx) -> Result<bool> {
    for (int i = 0; i < 5; ++i) {
      Must(tx.InsertIdempotency(IdempotencyRecord{.scope = "api_key:1",
                                                  .key = "k" + std::to_string(i),
                                                  .request_hash = "h",
                                                  .termination_id = "trm_" + std::to_string(i),
                                                  .created_at = 100 - i}));
    }
    return true;
  });
  // k4 (96) and k3 (97) are the oldest before 99; k2 (98) waits for the next call.
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.SweepIdempotency(99, 2); }), 2);
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindIdempotency("api_key:1", "k4"); }));
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindIdempotency("api_key:1", "k3"); }));
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.FindIdempotency("api_key:1", "k2"); }));
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.SweepIdempotency(99, 16); }), 1);
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.SweepIdempotency(99, 16); }), 0);
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.FindIdempotency("api_key:1", "k1"); }));
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.FindIdempotency("api_key:1", "k0"); }));
}

}  // namespace simexit::testing
