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

}  // namespace simexit::testing
