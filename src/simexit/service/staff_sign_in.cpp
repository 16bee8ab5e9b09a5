// Staff sign-in with a password, its lock-out, and sign-out (the contract is
// StaffService::Login / Logout in staff_service.hpp; docs/security.md says
// why the lock-out is per username and address).

#include "simexit/common/crypto.hpp"
#include "simexit/common/log.hpp"
#include "simexit/common/password.hpp"
#include "simexit/service/staff_internal.hpp"
#include "simexit/service/staff_service.hpp"

namespace simexit {
namespace {

using namespace staff_internal;

// ---------------------------------------------------------------- lock-out

enum class Attempt { kOk, kWrong, kLockedNow, kLocked, kAccountLimited };

constexpr const char* kActionOk = "staff_login_ok";
constexpr const char* kActionWrong = "staff_login_wrong";
constexpr const char* kActionLockedNow = "staff_locked";
constexpr const char* kActionLocked = "staff_login_locked";
// Records a manager or the CLI writes about an account: each clears its locks.
const std::vector<std::string> kClearingActions = {"staff_added", "staff_enabled", "staff_disabled",
                                                   "staff_password_reset"};

// What the audit trail says about sign-in to one username (`subject`) from one
// address, at `now`. Known and unknown usernames are read alike, so their
// answers cannot be told apart.
struct Throttle {
  int failed_from_address = 0;  // consecutive wrong passwords from the address
  std::optional<UnixSeconds> address_locked_until;
  int failed_on_account = 0;   // consecutive wrong passwords, any address, in the window
  bool known_address = false;  // signed in successfully from it lately
};

// The detail of the sign-in records of one address: "from <address>" ("from
// -" without a network peer); a successful sign-in that upgraded the hash
// adds ", rehashed".
std::string FromDetail(const ClientAddress& from) {
  return "from " + (from.empty() ? std::string("-") : from.text());
}

Result<Throttle> ReadThrottle(StoreTx& tx, const std::string& subject, const ClientAddress& from,
                              UnixSeconds now) {
  const std::string detail = FromDetail(from);
  const std::vector<std::string> ok_details = {detail, detail + ", rehashed"};
  const auto tally = [&](std::vector<std::string> actions, std::vector<std::string> details,
                         std::int64_t after_id, UnixSeconds since) {
    return tx.TallyAudit(
        AuditQuery{subject, std::move(actions), std::move(details), after_id, since});
  };
  Throttle out;
  SIMEXIT_ASSIGN_OR_RETURN(AuditTally cleared, tally(kClearingActions, {}, 0, 0));
  // This address: wrong passwords since its last success or lock.
  SIMEXIT_ASSIGN_OR_RETURN(AuditTally ok_here,
                           tally({kActionOk}, ok_details, cleared.newest_id, 0));
  SIMEXIT_ASSIGN_OR_RETURN(AuditTally lock_here,
                           tally({kActionLockedNow}, {detail}, cleared.newest_id, 0));
  if (lock_here.newest_id > ok_here.newest_id &&
      now < lock_here.newest_at + StaffService::kLockSeconds) {
    out.address_locked_until = lock_here.newest_at + StaffService::kLockSeconds;
  }
  const std::int64_t base = std::max({cleared.newest_id, ok_here.newest_id, lock_here.newest_id});
  SIMEXIT_ASSIGN_OR_RETURN(AuditTally wrong_here, tally({kActionWrong}, {detail}, base, 0));
  out.failed_from_address = wrong_here.count;
  // The account: wrong passwords from anywhere since its last success, in the window.
  SIMEXIT_ASSIGN_OR_RETURN(AuditTally ok_any, tally({kActionOk}, {}, cleared.newest_id, 0));
  SIMEXIT_ASSIGN_OR_RETURN(
      AuditTally wrong_any,
      tally({kActionWrong, kActionLockedNow}, {}, std::max(cleared.newest_id, ok_any.newest_id),
            now - StaffService::kAccountWindowSeconds));
  out.failed_on_account = wrong_any.count;
  // A known address stays known across password resets.
  SIMEXIT_ASSIGN_OR_RETURN(AuditTally known, tally({kActionOk}, ok_details, 0,
                                                   now - StaffService::kKnownAddressSeconds));
  out.known_address = known.count > 0;
  return out;
}

// One sign-in attempt against the throttle (see staff_service.hpp).
Attempt Decide(const Throttle& t, bool password_ok) {
  if (t.address_locked_until) {
    return Attempt::kLocked;
  }
  if (t.failed_on_account >= StaffService::kMaxFailedLoginsPerAccount && !t.known_address) {
    return Attempt::kAccountLimited;
  }
  if (password_ok) {
    return Attempt::kOk;
  }
  if (t.failed_from_address + 1 >= StaffService::kMaxFailedLogins) {
    return Attempt::kLockedNow;
  }
  return Attempt::kWrong;
}

const char* ActionFor(Attempt attempt) {
  switch (attempt) {
    case Attempt::kOk:
      return kActionOk;
    case Attempt::kWrong:
      return kActionWrong;
    case Attempt::kLockedNow:
      return kActionLockedNow;
    case Attempt::kLocked:
    case Attempt::kAccountLimited:
      return kActionLocked;
  }
  return kActionWrong;
}

std::string AttemptDetail(Attempt attempt, const Throttle& t, const ClientAddress& from,
                          bool rehashed) {
  std::string detail = FromDetail(from);
  switch (attempt) {
    case Attempt::kOk:
      if (rehashed) {
        detail += ", rehashed";
      }
      break;
    case Attempt::kLocked:
      detail += ", until " + FormatRfc3339(*t.address_locked_until);
      break;
    case Attempt::kAccountLimited:
      detail += ", account limit";
      break;
    case Attempt::kWrong:
    case Attempt::kLockedNow:
      break;
  }
  return detail;
}

}  // namespace

Result<StaffSignedIn> StaffService::Login(const std::string& username_text,
                                          const std::string& password, const ClientAddress& from,
                                          const std::string& request_id) {
  const std::string username = ToLowerAscii(username_text);
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<StaffRecord> found,
                           TransactValue<std::optional<StaffRecord>>(
                               ctx_.store, [&](StoreTx& tx) -> Result<std::optional<StaffRecord>> {
                                 if (!ValidUsername(username))
                                   return std::optional<StaffRecord>();  // cannot exist
                                 return tx.FindStaffByUsername(username);
                               }));

  // One Argon2id verification on every path (~0.1 s), outside any transaction
  // so it holds no database lock. Unknown usernames verify against a dummy
  // hash: same cost, never a match.
  // On the hashing pool when there is one: 64 MiB per hash, so their number
  // is bounded, and a burst of sign-ins cannot occupy every request thread.
  bool password_ok = false;
  std::optional<std::string> rehash;
  std::string hash;  // the one checked
  const auto check = [&] {
    // The dummy hash is made on the first sign-in of the process, whoever it
    // is for, so that unknown usernames do not pay for it alone.
    hash = found ? found->password_hash : DummyPasswordHash();
    password_ok = VerifyPassword(hash, password) && found.has_value();
    if (password_ok && !found->disabled && PasswordNeedsRehash(hash)) {
      // Stored with older limits: upgrade while the password is at hand.
      if (Result<std::string> fresh = HashPassword(password)) {
        rehash = *fresh;
      }
    }
  };
  if (hashing_ == nullptr) {
    check();
  } else {
    SIMEXIT_TRY(hashing_->Run(check));
  }

  const UnixSeconds now = ctx_.clock.Now();
  struct Outcome {
    Attempt attempt = Attempt::kWrong;
    StaffSignedIn session;
  };
  SIMEXIT_ASSIGN_OR_RETURN(
      Outcome outcome, TransactValue<Outcome>(ctx_.store, [&](StoreTx& tx) -> Result<Outcome> {
        Outcome out;
        // Unknown usernames are recorded under a hash of what was typed (it may
        // be a password), so repeated guesses can be correlated.
        const std::string subject =
            found ? StaffSubject(found->id) : "unknown_staff:" + HashHex(username).substr(0, 16);
        SIMEXIT_ASSIGN_OR_RETURN(Throttle throttle, ReadThrottle(tx, subject, from, now));
        if (!found) {
          out.attempt = Decide(throttle, false);
          SIMEXIT_TRY(AppendAudit(tx, "anonymous", ActionFor(out.attempt), subject,
                                  AttemptDetail(out.attempt, throttle, from, false), request_id,
                                  now, /*operator_id=*/0));
          return out;
        }
        // Re-read: another sign-in may have counted a failure meanwhile.
        SIMEXIT_ASSIGN_OR_RETURN(StaffRecord staff, tx.GetStaff(found->id));
        // A password changed since the check proves nothing; a disabled account
        // never signs in but is counted like any other.
        const bool ok = password_ok && !staff.disabled && staff.password_hash == hash;
        out.attempt = Decide(throttle, ok);
        // The row shows the account's state (the audit trail decides): wrong
        // passwords from any address, and the end of the newest address lock.
        switch (out.attempt) {
          case Attempt::kOk:
            staff.failed_logins = 0;
            staff.locked_until.reset();
            staff.last_login_at = now;
            if (rehash) staff.password_hash = *rehash;
            break;
          case Attempt::kWrong:
            staff.failed_logins = throttle.failed_on_account + 1;
            break;
          case Attempt::kLockedNow:
            staff.failed_logins = throttle.failed_on_account + 1;
            staff.locked_until = now + kLockSeconds;
            break;
          case Attempt::kLocked:
          case Attempt::kAccountLimited:
            break;
        }
        if (out.attempt != Attempt::kLocked && out.attempt != Attempt::kAccountLimited) {
          SIMEXIT_TRY(tx.UpdateStaff(staff));
        }
        if (out.attempt == Attempt::kOk) {
          out.session.token = "ss_" + ctx_.random.Hex(32);
          out.session.expires_at = now + kSessionSeconds;
          StaffSessionRecord session;
          session.token_hash = HashHex(out.session.token);
          session.staff_id = staff.id;
          session.created_at = now;
          session.expires_at = out.session.expires_at;
          SIMEXIT_TRY(tx.InsertStaffSession(session));
          SIMEXIT_ASSIGN_OR_RETURN(StaffView view, ViewOf(tx, staff));
          out.session.staff = std::move(view);
        }
        SIMEXIT_TRY(AppendAudit(tx, subject, ActionFor(out.attempt), subject,
                                AttemptDetail(out.attempt, throttle, from, rehash.has_value()),
                                request_id, now, staff.operator_id));
        return out;
      }));
  switch (outcome.attempt) {
    case Attempt::kOk:
      return std::move(outcome.session);
    case Attempt::kWrong:
      return InvalidCredentials();
    case Attempt::kLockedNow:
    case Attempt::kLocked:
    case Attempt::kAccountLimited:
      return AccountLocked();
  }
  return InvalidCredentials();
}

Result<void> StaffService::Logout(const std::string& token) {
  if (token.rfind("ss_", 0) != 0) {
    return Unauthenticated();
  }
  const std::string hash = HashHex(token);
  const UnixSeconds now = ctx_.clock.Now();
  return ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(std::optional<StaffSessionRecord> session, tx.FindStaffSession(hash));
    if (!session || session->revoked_at || session->expires_at <= now) {
      return Unauthenticated();
    }
    SIMEXIT_TRY(tx.RevokeStaffSession(hash, now));
    SIMEXIT_ASSIGN_OR_RETURN(StaffRecord staff, tx.GetStaff(session->staff_id));
    const std::string who = StaffSubject(session->staff_id);
    return AppendAudit(tx, who, "staff_logout", who, "", CurrentRequestId(), now,
                       staff.operator_id);
  });
}

}  // namespace simexit
