#pragma once
// Store contract: OperatorRepository: operators and their API keys.
// Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

TEST_P(StoreContractTest, OperatorRoundTripsAndUpdates) {
  OperatorRecord op = SampleOperator("kcell");
  op.id = Tx([&](StoreTx& tx) { return tx.InsertOperator(op); });
  EXPECT_GT(op.id, 0);
  OperatorRecord got = Tx([&](StoreTx& tx) { return tx.GetOperator(op.id); });
  EXPECT_EQ(got, op);

  op.name = "Kcell JSC";
  op.policy.minimum_refund = Money::Tiyn(50'00);
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.UpdateOperator(op));
    return true;
  });
  OperatorRecord by_code = Tx([](StoreTx& tx) { return tx.GetOperatorByCode("kcell"); });
  EXPECT_EQ(by_code.name, "Kcell JSC");
  EXPECT_EQ(by_code.policy.minimum_refund, Money::Tiyn(50'00));

  Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("beeline")); });
  std::vector<OperatorRecord> all = Tx([](StoreTx& tx) { return tx.ListOperators(); });
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].code, "kcell");
  EXPECT_EQ(all[1].code, "beeline");
}

TEST_P(StoreContractTest, OperatorErrors) {
  Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("kcell")); });
  Error dup = TxError([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("kcell")); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.problem_code, "duplicate");
  EXPECT_NE(dup.message.find("operators"), std::string::npos) << dup.message;

  Error missing = TxError([](StoreTx& tx) { return tx.GetOperator(999); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.problem_code, "not_found");
  Error missing_code = TxError([](StoreTx& tx) { return tx.GetOperatorByCode("tele2"); });
  EXPECT_EQ(missing_code.problem_code, "not_found");
  OperatorRecord ghost = SampleOperator("ghost");
  ghost.id = 999;
  Error update = TxError([&](StoreTx& tx) -> Result<bool> {
    Result<void> r = tx.UpdateOperator(ghost);
    if (!r) {
      return Fail(r.error());
    }
    return true;
  });
  EXPECT_EQ(update.problem_code, "not_found");
}

TEST_P(StoreContractTest, ApiKeysRoundTrip) {
  std::int64_t op = Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("kcell")); });
  ApiKeyRecord key{.key_hash = "h-op",
                   .prefix = "sk_kcell_ab12",
                   .role = ApiKeyRole::kOperatorSystem,
                   .operator_id = op,
                   .label = "billing",
                   .disabled = true,
                   .created_at = 5};
  key.id = Tx([&](StoreTx& tx) { return tx.InsertApiKey(key); });
  ApiKeyRecord admin{.key_hash = "h-admin",
                     .prefix = "sk_admin_x",
                     .role = ApiKeyRole::kAdmin,
                     .label = "root",
                     .created_at = 6};
  admin.id = Tx([&](StoreTx& tx) { return tx.InsertApiKey(admin); });

  std::optional<ApiKeyRecord> got = Tx([](StoreTx& tx) { return tx.FindApiKey("h-op"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, key);
  got = Tx([](StoreTx& tx) { return tx.FindApiKey("h-admin"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, admin);  // operator_id 0 round-trips
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindApiKey("nope"); }));
  Error dup = TxError([&](StoreTx& tx) { return tx.InsertApiKey(key); });
  EXPECT_EQ(dup.problem_code, "duplicate");
  EXPECT_NE(dup.message.find("api_keys"), std::string::npos) << dup.message;
}

}  // namespace simexit::testing
