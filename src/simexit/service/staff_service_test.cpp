// Staff accounts and sign-in, on the real SQLite store (in memory).
// Every password hash or check costs ~0.1 s (Argon2id): tests make few.

#include "simexit/service/staff_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <array>

#include "simexit/adapters/sqlite/sqlite_store.hpp"
#include "simexit/common/clock.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/common/password.hpp"
#include "simexit/service/auth_service.hpp"
#include "simexit/service/operator_service.hpp"
#include "simexit/testing/fakes.hpp"
#include "simexit/testing/matchers.hpp"
#include "simexit/testing/service_world.hpp"
#include "simexit/testing/values.hpp"

namespace simexit {
namespace {

using testing::IsError;
using testing::IsOk;

constexpr UnixSeconds kStart = testing::kTestStart;  // 2026-09-21
constexpr const char* kPassword = "correct horse battery";
const ClientAddress kHere = *ClientAddress::Parse("192.0.2.1");

class StaffServiceTest : public ::testing::Test {
 protected:
  StaffServiceTest() : auth_(ctx_, HashHex("sk_admin_test")), operators_(ctx_), staff_(ctx_) {
    EXPECT_TRUE(world_.migrated);
    Result<OperatorRecord> kcell = operators_.CreateOperator("kcell", "Kcell", Policy{}, "ru");
    EXPECT_TRUE(kcell);
    kcell_id_ = kcell->id;
    Result<OperatorRecord> beeline =
        operators_.CreateOperator("beeline", "Beeline", Policy{}, "kk");
    EXPECT_TRUE(beeline);
    beeline_id_ = beeline->id;
  }

  // Adds a staff member as the CLI would, with kPassword.
  StaffView Add(const std::string& op, const std::string& username, const std::string& role) {
    NewStaff staff{username, "Test Person", *ParseStaffRole(role), std::string(kPassword)};
    Result<CreatedStaff> created = staff_.AddStaff(Caller::System("cli"), op, staff);
    EXPECT_THAT(created, IsOk());
    EXPECT_TRUE(created->password.empty());  // chosen, so not echoed
    return created->staff;
  }

  StaffRecord Stored(std::int64_t id) {
    return *TransactValue<StaffRecord>(*store_, [&](StoreTx& tx) { return tx.GetStaff(id); });
  }

  std::vector<AuditRecord> Audit(const std::string& subject) {
    return *TransactValue<std::vector<AuditRecord>>(
        *store_, [&](StoreTx& tx) { return tx.ListAudit(subject, 100); });
  }

  static std::string Reason(const Result<StaffSignedIn>& r) {
    return r ? "ok" : r.error().problem_code;
  }

  testing::ServiceWorld world_;
  std::unique_ptr<SqliteStore>& store_ = world_.store;
  testing::FakeHlr& hlr_ = world_.hlr;
  testing::MemorySmsGateway& sms_ = world_.sms;
  ManualClock& clock_ = world_.clock;
  Random& random_ = world_.random;
  CertificateSigner& signer_ = world_.signer;
  ServiceContext& ctx_ = world_.ctx;
  AuthService auth_;
  OperatorService operators_;
  StaffService staff_;
  std::int64_t kcell_id_ = 0;
  std::int64_t beeline_id_ = 0;
};

TEST_F(StaffServiceTest, SignInOpensAShiftLongStaffSession) {
  StaffView aigerim = Add("kcell", "aigerim", "agent_store");
  EXPECT_EQ(aigerim.operator_code, "kcell");
  EXPECT_TRUE(aigerim.staff.password_hash.empty());
  EXPECT_EQ(Stored(aigerim.staff.id).password_hash.rfind("$argon2id$", 0), 0u);

  Result<StaffSignedIn> in =
      staff_.Login("Aigerim", kPassword, kHere, "req-1");  // case-insensitive
  ASSERT_THAT(in, IsOk());
  EXPECT_EQ(in->token.rfind("ss_", 0), 0u);
  EXPECT_EQ(in->token.size(), 3u + 64u);
  EXPECT_EQ(in->expires_at, kStart + 8 * kSecondsPerHour);
  EXPECT_EQ(in->staff.staff.username, "aigerim");
  EXPECT_TRUE(in->staff.staff.password_hash.empty());
  EXPECT_EQ(Stored(aigerim.staff.id).last_login_at, kStart);

  Result<Caller> caller = auth_.Authenticate(in->token);
  ASSERT_THAT(caller, IsOk());
  EXPECT_EQ(caller->kind, CallerKind::kStaff);
  EXPECT_EQ(caller->staff_id, aigerim.staff.id);
  EXPECT_EQ(caller->operator_id, kcell_id_);
  EXPECT_EQ(caller->role, StaffRole::kAgentStore);
  EXPECT_EQ(caller->actor, "staff:" + std::to_string(aigerim.staff.id));

  clock_.Advance(8 * kSecondsPerHour);
  Result<Caller> expired = auth_.Authenticate(in->token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().problem_code, "unauthenticated");

  // The audit trail has the addition and the sign-in, and never the secrets.
  std::vector<AuditRecord> audit = Audit("staff:" + std::to_string(aigerim.staff.id));
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "staff_login_ok");
  EXPECT_EQ(audit[0].request_id, "req-1");
  EXPECT_EQ(audit[1].action, "staff_added");
  EXPECT_EQ(audit[1].actor, "cli");
  for (const AuditRecord& a : audit) {
    EXPECT_EQ(a.detail.find(kPassword), std::string::npos);
    EXPECT_EQ(a.detail.find(in->token), std::string::npos);
  }
}

TEST_F(StaffServiceTest, FiveWrongPasswordsLockTheAddressForFifteenMinutes) {
  StaffView s = Add("kcell", "aigerim", "agent_store");
  for (int i = 1; i <= 4; ++i) {
    EXPECT_EQ(Reason(staff_.Login("aigerim", "wrong password " + std::to_string(i), kHere, "")),
              "invalid_credentials");
  }
  EXPECT_EQ(Stored(s.staff.id).failed_logins, 4);
  Result<StaffSignedIn> fifth = staff_.Login("aigerim", "wrong password 5", kHere, "");
  ASSERT_FALSE(fifth);
  EXPECT_THAT(fifth, IsError(ErrorCode::kResourceExhausted, "account_locked"));
  EXPECT_EQ(Stored(s.staff.id).locked_until, kStart + 15 * kSecondsPerMinute);

  // Locked: even the right password is refused, and the lock is not extended.
  clock_.Advance(15 * kSecondsPerMinute - 1);
  EXPECT_EQ(Reason(staff_.Login("aigerim", kPassword, kHere, "")), "account_locked");
  EXPECT_EQ(Stored(s.staff.id).locked_until, kStart + 15 * kSecondsPerMinute);

  clock_.Advance(1);
  EXPECT_EQ(Reason(staff_.Login("aigerim", kPassword, kHere, "")), "ok");
  StaffRecord after = Stored(s.staff.id);
  EXPECT_EQ(after.failed_logins, 0);
  EXPECT_FALSE(after.locked_until);

  std::vector<AuditRecord> audit = Audit("staff:" + std::to_string(s.staff.id));
  ASSERT_GE(audit.size(), 3u);
  EXPECT_EQ(audit[0].action, "staff_login_ok");
  EXPECT_EQ(audit[1].action, "staff_login_locked");
  EXPECT_EQ(audit[2].action, "staff_locked");
}

TEST_F(StaffServiceTest, ALockedAddressDoesNotLockOutTheSameUserElsewhere) {
  // Anyone who knows a username can lock it only for their own address.
  StaffView s = Add("kcell", "aigerim", "agent_store");
  const ClientAddress attacker = *ClientAddress::Parse("198.51.100.7");
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(staff_.Login("aigerim", "guess", attacker, ""));
  }
  EXPECT_EQ(Reason(staff_.Login("aigerim", kPassword, attacker, "")), "account_locked");
  // Her counter signs in; a typo there counts from her address only.
  EXPECT_EQ(Reason(staff_.Login("aigerim", "typo", kHere, "")), "invalid_credentials");
  EXPECT_EQ(Reason(staff_.Login("aigerim", kPassword, kHere, "")), "ok");
  EXPECT_EQ(Reason(staff_.Login("aigerim", kPassword, attacker, "")), "account_locked");

  // Each attempt's record names its address; refused ones say why.
  std::vector<AuditRecord> audit = Audit("staff:" + std::to_string(s.staff.id));
  ASSERT_GE(audit.size(), 9u);
  EXPECT_EQ(audit[0].action, "staff_login_locked");
  EXPECT_EQ(audit[0].detail,
            "from 198.51.100.7, until " + FormatRfc3339(kStart + 15 * kSecondsPerMinute));
  EXPECT_EQ(audit[1].action, "staff_login_ok");
  EXPECT_EQ(audit[1].detail, "from 192.0.2.1");
  EXPECT_EQ(audit[2].action, "staff_login_wrong");
  EXPECT_EQ(audit[2].detail, "from 192.0.2.1");
  EXPECT_EQ(audit[4].action, "staff_locked");
  EXPECT_EQ(audit[4].detail, "from 198.51.100.7");
}

TEST_F(StaffServiceTest, UnknownUsernamesAreThrottledPerAddressLikeRealOnes) {
  const ClientAddress other = *ClientAddress::Parse("2001:db8::1");
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(staff_.Login("nobody", "guess", kHere, ""));
  }
  EXPECT_EQ(Reason(staff_.Login("nobody", "guess", kHere, "")), "account_locked");
  EXPECT_EQ(Reason(staff_.Login("nobody", "guess", other, "")), "invalid_credentials");
}

// The bound across addresses: wrong passwords from many addresses (written to
// the audit trail directly: 100 sign-ins would take 10 s of hashing).
class StaffAccountBoundTest : public StaffServiceTest {
 protected:
  void WrongFromManyAddresses(const std::string& subject, int count) {
    ASSERT_TRUE(store_->Transact([&](StoreTx& tx) -> Result<void> {
      for (int i = 0; i < count; ++i) {
        AuditRecord record;
        record.actor = subject;
        record.action = "staff_login_wrong";
        record.subject = subject;
        record.detail = "from 203.0.113." + std::to_string(i % 250);
        record.at = clock_.Now();
        SIMEXIT_TRY(tx.AppendAudit(record));
      }
      return {};
    }));
  }
};

TEST_F(StaffAccountBoundTest, ManyAddressesGetAtMostTheAccountBoundButKnownAddressesSignIn) {
  StaffView s = Add("kcell", "aigerim", "agent_store");
  const std::string subject = "staff:" + std::to_string(s.staff.id);
  ASSERT_EQ(Reason(staff_.Login("aigerim", kPassword, kHere, "")), "ok");  // her counter
  clock_.Advance(60);
  WrongFromManyAddresses(subject, StaffService::kMaxFailedLoginsPerAccount - 1);
  const ClientAddress fresh = *ClientAddress::Parse("198.51.100.9");
  // The 100th wrong password is still counted; then new addresses are refused,
  // even with the right password.
  EXPECT_EQ(Reason(staff_.Login("aigerim", "guess", fresh, "")), "invalid_credentials");
  EXPECT_EQ(Reason(staff_.Login("aigerim", kPassword, fresh, "")), "account_locked");
  EXPECT_EQ(Audit(subject)[0].detail, "from 198.51.100.9, account limit");
  // Her usual address is not.
  EXPECT_EQ(Reason(staff_.Login("aigerim", kPassword, kHere, "")), "ok");
  // Her sign-in starts a fresh count.
  EXPECT_EQ(Reason(staff_.Login("aigerim", kPassword, fresh, "")), "ok");
}

TEST_F(StaffAccountBoundTest, TheBoundEndsWhenTheFailuresLeaveTheWindowOrOnReset) {
  const std::string subject = "unknown_staff:" + HashHex("nobody").substr(0, 16);
  WrongFromManyAddresses(subject, StaffService::kMaxFailedLoginsPerAccount);
  EXPECT_EQ(Reason(staff_.Login("nobody", "guess", kHere, "")), "account_locked");
  clock_.Advance(StaffService::kAccountWindowSeconds);
  EXPECT_EQ(Reason(staff_.Login("nobody", "guess", kHere, "")), "account_locked");
  clock_.Advance(1);
  EXPECT_EQ(Reason(staff_.Login("nobody", "guess", kHere, "")), "invalid_credentials");

  StaffView s = Add("kcell", "aigerim", "agent_store");
  const std::string staff_subject = "staff:" + std::to_string(s.staff.id);
  WrongFromManyAddresses(staff_subject, StaffService::kMaxFailedLoginsPerAccount);
  EXPECT_EQ(Reason(staff_.Login("aigerim", kPassword, kHere, "")), "account_locked");
  Result<PasswordReset> reset =
      staff_.ResetPassword(Caller::System("cli"), s.staff.id, std::string(kPassword));
  ASSERT_THAT(reset, IsOk());
  EXPECT_EQ(Reason(staff_.Login("aigerim", kPassword, kHere, "")), "ok");
}

TEST_F(StaffServiceTest, WrongPasswordCountResetsOnSuccess) {
  // Only consecutive wrong passwords count toward the lock.
  StaffView s = Add("kcell", "aigerim", "agent_store");
  ASSERT_FALSE(staff_.Login("aigerim", "not the password", kHere, ""));
  ASSERT_EQ(Stored(s.staff.id).failed_logins, 1);
  ASSERT_TRUE(staff_.Login("aigerim", kPassword, kHere, ""));
  EXPECT_EQ(Stored(s.staff.id).failed_logins, 0);
}

TEST_F(StaffServiceTest, UnknownUsernamesAnswerAndLockLikeRealOnes) {
  for (int i = 1; i <= 4; ++i) {
    EXPECT_EQ(Reason(staff_.Login("nobody", "some password", kHere, "")), "invalid_credentials");
  }
  EXPECT_EQ(Reason(staff_.Login("nobody", "some password", kHere, "")), "account_locked");
  clock_.Advance(15 * kSecondsPerMinute - 1);
  EXPECT_EQ(Reason(staff_.Login("NOBODY", "some password", kHere, "")), "account_locked");
  clock_.Advance(1);
  EXPECT_EQ(Reason(staff_.Login("nobody", "some password", kHere, "")), "invalid_credentials");

  // Recorded under a hash of the username, never what was typed.
  const std::string subject = "unknown_staff:" + HashHex("nobody").substr(0, 16);
  std::vector<AuditRecord> audit = Audit(subject);
  ASSERT_EQ(audit.size(), 7u);
  EXPECT_EQ(audit[0].action, "staff_login_wrong");
  EXPECT_EQ(audit[1].action, "staff_login_locked");
  EXPECT_EQ(audit[2].action, "staff_locked");
  for (const AuditRecord& a : audit) {
    EXPECT_EQ(a.detail.find("nobody"), std::string::npos);
    EXPECT_EQ(a.detail.find("some password"), std::string::npos);
  }
  // A name that could not even be a username is still answered the same way.
  EXPECT_EQ(Reason(staff_.Login("x", "some password", kHere, "")), "invalid_credentials");
}

TEST_F(StaffServiceTest, DisabledAccountCannotSignInAndItsSessionsEnd) {
  StaffView boss = Add("kcell", "boss", "operator_admin");
  StaffView agent = Add("kcell", "agent", "agent_phone");
  Result<StaffSignedIn> in = staff_.Login("agent", kPassword, kHere, "");
  ASSERT_TRUE(in);
  ASSERT_TRUE(auth_.Authenticate(in->token));

  const Caller boss_caller = Caller::Staff(boss.staff.id, kcell_id_, StaffRole::kOperatorAdmin);
  Result<StaffView> disabled = staff_.DisableStaff(boss_caller, agent.staff.id);
  ASSERT_THAT(disabled, IsOk());
  EXPECT_TRUE(disabled->staff.disabled);

  Result<Caller> after = auth_.Authenticate(in->token);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().problem_code, "unauthenticated");
  // The right password answers like a wrong one.
  EXPECT_EQ(Reason(staff_.Login("agent", kPassword, kHere, "")), "invalid_credentials");

  std::vector<AuditRecord> audit = Audit("staff:" + std::to_string(agent.staff.id));
  ASSERT_GE(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "staff_login_wrong");
  EXPECT_EQ(audit[1].action, "staff_disabled");
  EXPECT_EQ(audit[1].actor, "staff:" + std::to_string(boss.staff.id));

  // Nobody disables themselves.
  Result<StaffView> self = staff_.DisableStaff(boss_caller, boss.staff.id);
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().problem_code, "cannot_disable_self");
}

TEST_F(StaffServiceTest, EnabledAgainSignsInWithTheSamePassword) {
  StaffView boss = Add("kcell", "boss", "operator_admin");
  StaffView agent = Add("kcell", "agent", "agent_phone");
  const Caller boss_caller = Caller::Staff(boss.staff.id, kcell_id_, StaffRole::kOperatorAdmin);
  ASSERT_TRUE(staff_.DisableStaff(boss_caller, agent.staff.id));
  EXPECT_EQ(Reason(staff_.Login("agent", kPassword, kHere, "")), "invalid_credentials");
  // Another operator's admin does not find the account; an agent may not enable.
  const Caller beeline_admin = Caller::Staff(999, beeline_id_, StaffRole::kOperatorAdmin);
  EXPECT_EQ(staff_.EnableStaff(beeline_admin, agent.staff.id).error().problem_code,
            "staff_not_found");
  const Caller agent_caller = Caller::Staff(boss.staff.id + 100, kcell_id_, StaffRole::kAgentStore);
  EXPECT_EQ(staff_.EnableStaff(agent_caller, agent.staff.id).error().problem_code,
            "insufficient_role");
  Result<StaffView> enabled = staff_.EnableStaff(boss_caller, agent.staff.id);
  ASSERT_THAT(enabled, IsOk());
  EXPECT_FALSE(enabled->staff.disabled);
  EXPECT_EQ(Reason(staff_.Login("agent", kPassword, kHere, "")), "ok");
  EXPECT_EQ(Audit("staff:" + std::to_string(agent.staff.id))[1].action, "staff_enabled");
}

TEST_F(StaffServiceTest, ResetPasswordEndsSessionsAndClearsTheLock) {
  StaffView s = Add("kcell", "aigerim", "agent_store");
  Result<StaffSignedIn> in = staff_.Login("aigerim", kPassword, kHere, "");
  ASSERT_TRUE(in);
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(staff_.Login("aigerim", "not the password", kHere, ""));
  }
  ASSERT_TRUE(Stored(s.staff.id).locked_until);

  Result<PasswordReset> reset = staff_.ResetPassword(Caller::System("cli"), s.staff.id, {});
  ASSERT_THAT(reset, IsOk());
  EXPECT_EQ(reset->password.size(), 20u);
  EXPECT_FALSE(Stored(s.staff.id).locked_until);
  EXPECT_EQ(Stored(s.staff.id).failed_logins, 0);
  EXPECT_FALSE(auth_.Authenticate(in->token));

  EXPECT_EQ(Reason(staff_.Login("aigerim", kPassword, kHere, "")), "invalid_credentials");
  EXPECT_EQ(Reason(staff_.Login("aigerim", reset->password, kHere, "")), "ok");
  std::vector<AuditRecord> audit = Audit("staff:" + std::to_string(s.staff.id));
  bool found = false;
  for (const AuditRecord& a : audit) {
    EXPECT_EQ(a.detail.find(reset->password), std::string::npos);
    if (a.action == "staff_password_reset") {
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(StaffServiceTest, ChosenPasswordOnResetIsValidatedAndNotEchoed) {
  StaffView s = Add("kcell", "aigerim", "agent_store");
  Result<PasswordReset> short_one =
      staff_.ResetPassword(Caller::System("cli"), s.staff.id, std::string("too short"));
  ASSERT_FALSE(short_one);
  EXPECT_EQ(short_one.error().problem_code, "invalid_staff");
  EXPECT_EQ(short_one.error().field, "password");
  Result<PasswordReset> reset =
      staff_.ResetPassword(Caller::System("cli"), s.staff.id, std::string("a brand new secret"));
  ASSERT_TRUE(reset);
  EXPECT_TRUE(reset->password.empty());
}

TEST_F(StaffServiceTest, LogoutEndsTheSession) {
  Add("kcell", "aigerim", "agent_store");
  Result<StaffSignedIn> in = staff_.Login("aigerim", kPassword, kHere, "");
  ASSERT_TRUE(in);
  ASSERT_TRUE(staff_.Logout(in->token));
  EXPECT_FALSE(auth_.Authenticate(in->token));
  Result<void> again = staff_.Logout(in->token);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().problem_code, "unauthenticated");
  EXPECT_FALSE(staff_.Logout("ss_" + std::string(64, '0')));
  EXPECT_FALSE(staff_.Logout("st_whatever"));
  std::vector<AuditRecord> audit = Audit("staff:" + std::to_string(in->staff.staff.id));
  EXPECT_EQ(audit[0].action, "staff_logout");
}

TEST_F(StaffServiceTest, OperatorAdminIsConfinedToItsOperator) {
  StaffView boss = Add("kcell", "boss", "operator_admin");
  StaffView other = Add("beeline", "other", "agent_store");
  const Caller kcell_admin = Caller::Staff(boss.staff.id, kcell_id_, StaffRole::kOperatorAdmin);
  NewStaff newcomer{"newcomer", "New Comer", StaffRole::kBackOffice, std::nullopt};

  // Another operator is "not found", never "forbidden".
  Result<CreatedStaff> there = staff_.AddStaff(kcell_admin, "beeline", newcomer);
  ASSERT_FALSE(there);
  EXPECT_THAT(there, IsError(ErrorCode::kNotFound, "operator_not_found"));
  for (Result<StaffView> r : {staff_.DisableStaff(kcell_admin, other.staff.id),
                              staff_.GetStaff(kcell_admin, other.staff.id)}) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().problem_code, "staff_not_found");
  }
  Result<PasswordReset> reset = staff_.ResetPassword(kcell_admin, other.staff.id, {});
  ASSERT_FALSE(reset);
  EXPECT_EQ(reset.error().problem_code, "staff_not_found");
  Result<std::vector<StaffView>> beeline_list = staff_.ListStaff(kcell_admin, "beeline");
  ASSERT_FALSE(beeline_list);
  EXPECT_EQ(beeline_list.error().problem_code, "operator_not_found");

  // Its own operator: allowed, with a generated password shown once.
  Result<CreatedStaff> here = staff_.AddStaff(kcell_admin, "kcell", newcomer);
  ASSERT_THAT(here, IsOk());
  EXPECT_EQ(here->password.size(), 20u);
  EXPECT_EQ(here->staff.staff.operator_id, kcell_id_);
  Result<std::vector<StaffView>> mine = staff_.ListStaff(kcell_admin, "");
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 2u);
  for (const StaffView& v : *mine) {
    EXPECT_EQ(v.operator_code, "kcell");
  }
  Result<std::vector<StaffView>> all = staff_.ListStaff(Caller::System("cli"), "");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
}

TEST_F(StaffServiceTest, OnlyManagersManageStaff) {
  StaffView agent = Add("kcell", "agent", "agent_store");
  StaffView colleague = Add("kcell", "colleague", "back_office");
  const Caller agent_caller = Caller::Staff(agent.staff.id, kcell_id_, StaffRole::kAgentStore);
  NewStaff newcomer{"newcomer", "New Comer", StaffRole::kAgentStore, std::nullopt};

  Result<CreatedStaff> added = staff_.AddStaff(agent_caller, "kcell", newcomer);
  ASSERT_FALSE(added);
  EXPECT_THAT(added, IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  Result<StaffView> disabled = staff_.DisableStaff(agent_caller, colleague.staff.id);
  ASSERT_FALSE(disabled);
  EXPECT_EQ(disabled.error().problem_code, "insufficient_role");
  // Everyone reads their own account, not their colleagues'.
  EXPECT_TRUE(staff_.GetStaff(agent_caller, agent.staff.id));
  EXPECT_EQ(staff_.GetStaff(agent_caller, colleague.staff.id).error().problem_code,
            "insufficient_role");

  // An operator's API key runs its systems, not its staff.
  Result<CreatedStaff> by_key = staff_.AddStaff(Caller::Operator(kcell_id_, 1), "kcell", newcomer);
  ASSERT_FALSE(by_key);
  EXPECT_EQ(by_key.error().problem_code, "insufficient_role");
  Result<CreatedStaff> other_key =
      staff_.AddStaff(Caller::Operator(beeline_id_, 2), "kcell", newcomer);
  ASSERT_FALSE(other_key);
  EXPECT_EQ(other_key.error().problem_code, "operator_not_found");
  Result<CreatedStaff> holder =
      staff_.AddStaff(Caller::Holder(1, testing::TestMsisdn("+77011234567")), "kcell", newcomer);
  ASSERT_FALSE(holder);
  EXPECT_EQ(holder.error().problem_code, "operator_not_found");
  Result<CreatedStaff> unknown = staff_.AddStaff(Caller::Admin(0), "nosuch", newcomer);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().problem_code, "operator_not_found");
}

TEST_F(StaffServiceTest, AdminsBelongToNoOperatorAndOnlyAdminsAddThem) {
  StaffView boss = Add("kcell", "boss", "operator_admin");
  const Caller kcell_admin = Caller::Staff(boss.staff.id, kcell_id_, StaffRole::kOperatorAdmin);
  NewStaff admin{"root.user", "Root User", StaffRole::kAdmin, std::nullopt};

  Result<CreatedStaff> by_operator_admin = staff_.AddStaff(kcell_admin, "kcell", admin);
  ASSERT_FALSE(by_operator_admin);
  EXPECT_EQ(by_operator_admin.error().problem_code, "insufficient_role");
  Result<CreatedStaff> no_operator = staff_.AddStaff(kcell_admin, "", admin);
  ASSERT_FALSE(no_operator);
  EXPECT_EQ(no_operator.error().problem_code, "insufficient_role");

  Result<CreatedStaff> with_operator = staff_.AddStaff(Caller::Admin(0), "kcell", admin);
  ASSERT_FALSE(with_operator);
  EXPECT_EQ(with_operator.error().problem_code, "invalid_staff");
  EXPECT_EQ(with_operator.error().field, "role");

  NewStaff agent{"agent", "Agent", StaffRole::kAgentStore, std::nullopt};
  Result<CreatedStaff> orphan = staff_.AddStaff(Caller::Admin(0), "", agent);
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().field, "operator");

  Result<CreatedStaff> created = staff_.AddStaff(Caller::Admin(0), "", admin);
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->staff.staff.operator_id, 0);
  EXPECT_EQ(created->staff.operator_code, "");
  // Admin staff are invisible to operators' staff.
  EXPECT_EQ(staff_.GetStaff(kcell_admin, created->staff.staff.id).error().problem_code,
            "staff_not_found");

  // Signed in, an admin is an admin caller.
  Result<StaffSignedIn> in = staff_.Login("root.user", created->password, kHere, "");
  ASSERT_THAT(in, IsOk());
  Result<Caller> caller = auth_.Authenticate(in->token);
  ASSERT_TRUE(caller);
  EXPECT_EQ(caller->kind, CallerKind::kAdmin);
  EXPECT_EQ(caller->staff_id, created->staff.staff.id);
}

TEST_F(StaffServiceTest, UsernamesAreUnique) {
  Add("kcell", "aigerim", "agent_store");
  NewStaff again{"aigerim", "Another Aigerim", StaffRole::kAgentStore, std::nullopt};
  Result<CreatedStaff> dup = staff_.AddStaff(Caller::System("cli"), "beeline", again);
  ASSERT_FALSE(dup);
  EXPECT_THAT(dup, IsError(ErrorCode::kAlreadyExists, "duplicate"));
  EXPECT_EQ(dup.error().field, "username");
}

TEST_F(StaffServiceTest, BadInputNamesTheField) {
  struct Case {
    NewStaff staff;
    const char* field;
  };
  const std::string ok_password = "long enough password";
  const std::vector<Case> cases = {
      {{"ab", "Name", StaffRole::kAgentStore, ok_password}, "username"},
      {{std::string(65, 'a'), "Name", StaffRole::kAgentStore, ok_password}, "username"},
      {{"Aigerim", "Name", StaffRole::kAgentStore, ok_password}, "username"},
      {{"ai gerim", "Name", StaffRole::kAgentStore, ok_password}, "username"},
      {{"aigerim", "", StaffRole::kAgentStore, ok_password}, "full_name"},
      {{"aigerim", "   ", StaffRole::kAgentStore, ok_password}, "full_name"},
      {{"aigerim", std::string(201, 'x'), StaffRole::kAgentStore, ok_password}, "full_name"},
      {{"aigerim", "Line\nBreak", StaffRole::kAgentStore, ok_password}, "full_name"},
      {{"aigerim", "Name", StaffRole::kAgentStore, std::string("elevenchars")}, "password"},
      // 11 Cyrillic letters are 22 bytes but 11 characters: too short.
      {{"aigerim", "Name", StaffRole::kAgentStore, std::string("пароль12345")}, "password"},
      {{"aigerim", "Name", StaffRole::kAgentStore, std::string(1025, 'p')}, "password"},
  };
  for (const Case& c : cases) {
    Result<CreatedStaff> r = staff_.AddStaff(Caller::System("cli"), "kcell", c.staff);
    ASSERT_FALSE(r) << c.staff.username << " / " << c.field;
    EXPECT_EQ(r.error().problem_code, "invalid_staff") << c.field;
    EXPECT_EQ(r.error().field, c.field) << c.staff.username << " " << r.error().message;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  Result<std::vector<StaffView>> none = staff_.ListStaff(Caller::System("cli"), "");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(StaffServiceTest, WeakStoredHashIsUpgradedAtSignIn) {
  StaffView s = Add("kcell", "aigerim", "agent_store");
  char weak[crypto_pwhash_STRBYTES];
  ASSERT_EQ(
      crypto_pwhash_str_alg(weak, kPassword, std::strlen(kPassword), crypto_pwhash_OPSLIMIT_MIN,
                            crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13),
      0);
  StaffRecord record = Stored(s.staff.id);
  record.password_hash = weak;
  ASSERT_TRUE(store_->Transact([&](StoreTx& tx) { return tx.UpdateStaff(record); }));
  ASSERT_TRUE(PasswordNeedsRehash(Stored(s.staff.id).password_hash));

  ASSERT_TRUE(staff_.Login("aigerim", kPassword, kHere, ""));
  const std::string upgraded = Stored(s.staff.id).password_hash;
  EXPECT_NE(upgraded, weak);
  EXPECT_FALSE(PasswordNeedsRehash(upgraded));
  EXPECT_TRUE(VerifyPassword(upgraded, kPassword));
}

TEST_F(StaffServiceTest, OperatorAdminSetsItsOwnPolicyOnly) {
  StaffView boss = Add("kcell", "boss", "operator_admin");
  const Caller kcell_admin = Caller::Staff(boss.staff.id, kcell_id_, StaffRole::kOperatorAdmin);
  const Caller agent = Caller::Staff(boss.staff.id + 100, kcell_id_, StaffRole::kAgentStore);
  Policy policy;
  policy.quarantine_days = 120;

  Result<OperatorRecord> own = operators_.SetPolicy(kcell_admin, "kcell", policy);
  ASSERT_THAT(own, IsOk());
  EXPECT_EQ(own->policy.quarantine_days, 120);
  std::vector<AuditRecord> audit = Audit("operator:kcell");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "policy_changed");
  EXPECT_EQ(audit[0].actor, kcell_admin.actor);

  Result<OperatorRecord> other = operators_.SetPolicy(kcell_admin, "beeline", policy);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().problem_code, "operator_not_found");
  Result<OperatorRecord> lacking = operators_.SetPolicy(agent, "kcell", policy);
  ASSERT_FALSE(lacking);
  EXPECT_EQ(lacking.error().problem_code, "insufficient_role");
  Result<OperatorRecord> key =
      operators_.SetPolicy(Caller::Operator(kcell_id_, 1), "kcell", policy);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().problem_code, "insufficient_role");
}

}  // namespace
}  // namespace simexit
