#pragma once
// Store contract: HolderSignInRepository (holders' sign-in codes and sessions). Part
// of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

TEST_P(StoreContractTest, SignInCodesLatestCountAndUpdate) {
  const Msisdn msisdn = TestMsisdn("+77010000001");
  EXPECT_FALSE(Tx([&](StoreTx& tx) { return tx.LatestSignInCode(msisdn); }));
  SignInCodeRecord c{.msisdn = msisdn,
                     .code_hash = "aa",
                     .salt = "01",
                     .created_at = 100,
                     .expires_at = 400,
                     .consumed_at = std::nullopt};
  c.id = Tx([&](StoreTx& tx) { return tx.InsertSignInCode(c); });
  SignInCodeRecord newer = c;
  newer.code_hash = "bb";
  newer.created_at = 200;
  newer.id = Tx([&](StoreTx& tx) { return tx.InsertSignInCode(newer); });
  Tx([&](StoreTx& tx) {
    return tx.InsertSignInCode({.msisdn = TestMsisdn("+77010000002"),
                                .code_hash = "cc",
                                .salt = "02",
                                .created_at = 300,
                                .consumed_at = std::nullopt});
  });
  std::optional<SignInCodeRecord> latest =
      Tx([&](StoreTx& tx) { return tx.LatestSignInCode(msisdn); });
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->id, newer.id);
  EXPECT_EQ(latest->code_hash, "bb");
  EXPECT_EQ(latest->max_attempts, 5);
  EXPECT_FALSE(latest->consumed_at.has_value());
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.CountSignInCodesSince(msisdn, 100); }), 2);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.CountSignInCodesSince(msisdn, 101); }), 1);

  newer.attempts = 2;
  newer.consumed_at = 250;
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.UpdateSignInCode(newer));
    return true;
  });
  latest = Tx([&](StoreTx& tx) { return tx.LatestSignInCode(msisdn); });
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->attempts, 2);
  EXPECT_EQ(latest->consumed_at, 250);
  SignInCodeRecord ghost = newer;
  ghost.id = 99999;
  Error missing = TxError([&](StoreTx& tx) -> Result<bool> {
    Result<void> r = tx.UpdateSignInCode(ghost);
    if (!r) {
      return Fail(r.error());
    }
    return true;
  });
  EXPECT_EQ(missing.problem_code, "not_found");
}

TEST_P(StoreContractTest, SessionsRoundTrip) {
  LineRecord line = SeedLine();
  SessionRecord s{.token_hash = "deadbeef",
                  .holder_id = line.holder_id,
                  .msisdn = line.msisdn,
                  .created_at = 10,
                  .expires_at = 20};
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertSession(s));
    return true;
  });
  std::optional<SessionRecord> got = Tx([](StoreTx& tx) { return tx.FindSession("deadbeef"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, s);
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindSession("cafe"); }));
  Error dup = TxError([&](StoreTx& tx) -> Result<bool> {
    Result<void> r = tx.InsertSession(s);
    if (!r) {
      return Fail(r.error());
    }
    return true;
  });
  EXPECT_EQ(dup.problem_code, "duplicate");
}

TEST_P(StoreContractTest, RevokeSessionDeletesOnlyThatSession) {
  LineRecord line = SeedLine();
  const SessionRecord a{.token_hash = "aaaa",
                        .holder_id = line.holder_id,
                        .msisdn = line.msisdn,
                        .created_at = 10,
                        .expires_at = 20};
  SessionRecord b = a;
  b.token_hash = "bbbb";
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertSession(a));
    Must(tx.InsertSession(b));
    return true;
  });
  Tx([](StoreTx& tx) -> Result<bool> {
    Must(tx.RevokeSession("aaaa"));
    return true;
  });
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindSession("aaaa"); }));
  std::optional<SessionRecord> other = Tx([](StoreTx& tx) { return tx.FindSession("bbbb"); });
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(*other, b);
  Error again = TxError([](StoreTx& tx) -> Result<bool> {
    Result<void> r = tx.RevokeSession("aaaa");
    if (!r) {
      return Fail(r.error());
    }
    return true;
  });
  EXPECT_EQ(again.problem_code, "not_found");
}

TEST_P(StoreContractTest, SweepSignInCodesTakesOnlyOldExpiredCodesAmongTheOldest) {
  const auto insert = [&](const char* msisdn, UnixSeconds created, UnixSeconds expires) {
    SignInCodeRecord code;
    code.msisdn = TestMsisdn(msisdn);
    code.code_hash = "aa";
    code.salt = "bb";
    code.created_at = created;
    code.expires_at = expires;
    return Tx([&](StoreTx& tx) { return tx.InsertSignInCode(code); });
  };
  insert("+77011234567", 100, 400);    // old and expired: goes
  insert("+77011234568", 100, 5000);   // old but not expired: stays
  insert("+77011234569", 3000, 3300);  // expired but young: stays
  insert("+77011234570", 200, 500);    // old and expired, but beyond a batch of 3: stays
  const auto count = [&](const char* msisdn) {
    return Tx([&](StoreTx& tx) { return tx.CountSignInCodesSince(TestMsisdn(msisdn), 0); });
  };
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.SweepSignInCodes(1000, 4000, 3); }), 1);
  EXPECT_EQ(count("+77011234567"), 0);
  EXPECT_EQ(count("+77011234568"), 1);
  EXPECT_EQ(count("+77011234569"), 1);
  EXPECT_EQ(count("+77011234570"), 1);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.SweepSignInCodes(1000, 4000, 3); }), 1);
  EXPECT_EQ(count("+77011234570"), 0);
}

}  // namespace simexit::testing
