#pragma once
// Store contract: StaffRepository (staff and their sessions). Part of the suite in
// store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

TEST_P(StoreContractTest, StaffRoundTripsUpdatesAndIsUniqueByUsername) {
  std::int64_t op = Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("kcell")); });
  StaffRecord agent = SampleStaff(op, "aigerim.s", StaffRole::kAgentStore);
  agent.id = Tx([&](StoreTx& tx) { return tx.InsertStaff(agent); });
  StaffRecord admin = SampleStaff(0, "root", StaffRole::kAdmin);
  admin.disabled = true;
  admin.failed_logins = 3;
  admin.locked_until = 1'700'000'900;
  admin.last_login_at = 1'699'999'000;
  admin.id = Tx([&](StoreTx& tx) { return tx.InsertStaff(admin); });
  EXPECT_NE(agent.id, admin.id);

  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetStaff(agent.id); }), agent);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetStaff(admin.id); }), admin);
  std::optional<StaffRecord> found = Tx([](StoreTx& tx) { return tx.FindStaffByUsername("root"); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, admin);
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindStaffByUsername("nobody"); }).has_value());

  agent.role = StaffRole::kBackOffice;
  agent.full_name = "Aigerim S.";
  agent.password_hash = "$argon2id$new";
  agent.disabled = true;
  agent.failed_logins = 5;
  agent.locked_until = 1'700'003'600;
  agent.last_login_at = 1'700'000'500;
  agent.updated_at = 1'700'004'000;
  TxDo([&](StoreTx& tx) { return tx.UpdateStaff(agent); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetStaff(agent.id); }), agent);
  agent.locked_until.reset();
  agent.failed_logins = 0;
  TxDo([&](StoreTx& tx) { return tx.UpdateStaff(agent); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetStaff(agent.id); }), agent);

  StaffRecord twin = SampleStaff(op, "aigerim.s", StaffRole::kAgentPhone);
  Error dup = TxError([&](StoreTx& tx) { return tx.InsertStaff(twin); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.problem_code, "duplicate");
  StaffRecord renamed = admin;
  renamed.username = "aigerim.s";
  Error rename = TxDoError([&](StoreTx& tx) { return tx.UpdateStaff(renamed); });
  EXPECT_EQ(rename.problem_code, "duplicate");

  Error missing = TxError([](StoreTx& tx) { return tx.GetStaff(424242); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.problem_code, "staff_not_found");
  StaffRecord ghost = agent;
  ghost.id = 424242;
  Error update = TxDoError([&](StoreTx& tx) { return tx.UpdateStaff(ghost); });
  EXPECT_EQ(update.code, ErrorCode::kNotFound);
  EXPECT_EQ(update.problem_code, "staff_not_found");
}

TEST_P(StoreContractTest, ListStaffFiltersByOperatorInIdOrder) {
  std::int64_t kcell = Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("kcell")); });
  std::int64_t tele2 = Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("tele2")); });
  std::int64_t a = Tx(
      [&](StoreTx& tx) { return tx.InsertStaff(SampleStaff(kcell, "a", StaffRole::kAgentStore)); });
  std::int64_t b = Tx([&](StoreTx& tx) {
    return tx.InsertStaff(SampleStaff(tele2, "b", StaffRole::kOperatorAdmin));
  });
  std::int64_t c = Tx(
      [&](StoreTx& tx) { return tx.InsertStaff(SampleStaff(kcell, "c", StaffRole::kAgentPhone)); });
  std::int64_t root =
      Tx([&](StoreTx& tx) { return tx.InsertStaff(SampleStaff(0, "root", StaffRole::kAdmin)); });
  auto ids = [&](std::optional<std::int64_t> op) {
    std::vector<std::int64_t> out;
    for (const StaffRecord& s : Tx([&](StoreTx& tx) { return tx.ListStaff(op); })) {
      out.push_back(s.id);
    }
    return out;
  };
  EXPECT_EQ(ids(kcell), (std::vector<std::int64_t>{a, c}));
  EXPECT_EQ(ids(tele2), (std::vector<std::int64_t>{b}));
  EXPECT_EQ(ids(std::nullopt), (std::vector<std::int64_t>{a, b, c, root}));
  EXPECT_TRUE(ids(tele2 + 1000).empty());
}

TEST_P(StoreContractTest, StaffSessionsRoundTripAndRevoke) {
  std::int64_t op = Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("kcell")); });
  std::int64_t alice = Tx([&](StoreTx& tx) {
    return tx.InsertStaff(SampleStaff(op, "alice", StaffRole::kAgentStore));
  });
  std::int64_t bob = Tx(
      [&](StoreTx& tx) { return tx.InsertStaff(SampleStaff(op, "bob", StaffRole::kBackOffice)); });
  auto session = [](const std::string& hash, std::int64_t staff_id, UnixSeconds created_at,
                    std::optional<UnixSeconds> revoked_at = std::nullopt) {
    StaffSessionRecord s;
    s.token_hash = hash;
    s.staff_id = staff_id;
    s.created_at = created_at;
    s.expires_at = created_at + 90;
    s.revoked_at = revoked_at;
    return s;
  };
  StaffSessionRecord s1 = session("h1", alice, 10);
  StaffSessionRecord s2 = session("h2", alice, 11);
  StaffSessionRecord s3 = session("h3", alice, 12, 15);
  StaffSessionRecord s4 = session("h4", bob, 13);
  TxDo([&](StoreTx& tx) -> Result<void> {
    for (const StaffSessionRecord* s : {&s1, &s2, &s3, &s4}) {
      Must(tx.InsertStaffSession(*s));
    }
    return {};
  });
  auto find = [&](const std::string& hash) {
    return Tx([&](StoreTx& tx) { return tx.FindStaffSession(hash); });
  };
  std::optional<StaffSessionRecord> got = find("h1");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, s1);  // not revoked
  EXPECT_EQ(find("h3"), s3);
  EXPECT_FALSE(find("nope").has_value());

  Error dup = TxDoError([&](StoreTx& tx) { return tx.InsertStaffSession(s1); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.problem_code, "duplicate");

  // Logout revokes one session; a second logout keeps the first time.
  TxDo([](StoreTx& tx) { return tx.RevokeStaffSession("h1", 20); });
  EXPECT_EQ(find("h1")->revoked_at, std::optional<UnixSeconds>(20));
  TxDo([](StoreTx& tx) { return tx.RevokeStaffSession("h1", 25); });
  EXPECT_EQ(find("h1")->revoked_at, std::optional<UnixSeconds>(20));
  EXPECT_FALSE(find("h2")->revoked_at.has_value());
  Error missing = TxDoError([](StoreTx& tx) { return tx.RevokeStaffSession("nope", 20); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);

  // Disabling alice revokes her open sessions only; revoked ones keep their time.
  TxDo([&](StoreTx& tx) { return tx.RevokeStaffSessions(alice, 30); });
  EXPECT_EQ(find("h1")->revoked_at, std::optional<UnixSeconds>(20));
  EXPECT_EQ(find("h2")->revoked_at, std::optional<UnixSeconds>(30));
  EXPECT_EQ(find("h3")->revoked_at, std::optional<UnixSeconds>(15));
  EXPECT_FALSE(find("h4")->revoked_at.has_value());
  // Nothing to revoke is not an error.
  TxDo([&](StoreTx& tx) { return tx.RevokeStaffSessions(424242, 30); });
}

}  // namespace simexit::testing
