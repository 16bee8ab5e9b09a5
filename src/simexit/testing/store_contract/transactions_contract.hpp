#pragma once
// Store contract: Migrations and transactions: what every Store guarantees around Transact.
// Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

TEST_P(StoreContractTest, MigrateTwiceIsANoOp) {
  std::vector<int> before = Must(store_->AppliedMigrations());
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(before.front(), 1);
  Must(store_->Migrate());
  Must(store_->Migrate());
  EXPECT_EQ(Must(store_->AppliedMigrations()), before);
}

TEST_P(StoreContractTest, CallbackErrorRollsBackAndIsReturnedUnchanged) {
  Result<void> result = store_->Transact([&](StoreTx& tx) -> Result<void> {
    Must(tx.InsertOperator(SampleOperator("kcell")));
    Must(tx.NextSequence("certificate"));
    return Fail(ErrorCode::kPermissionDenied, "custom_reason", "custom message");
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(result.error().problem_code, "custom_reason");
  EXPECT_EQ(result.error().message, "custom message");
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.ListOperators(); }).empty());
  // The sequence increment was rolled back too.
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.NextSequence("certificate"); }), 1);
}

TEST_P(StoreContractTest, CommittedWritesAreVisibleToLaterTransactions) {
  std::int64_t id = Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("kcell")); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetOperator(id); }).code, "kcell");
}

}  // namespace simexit::testing
