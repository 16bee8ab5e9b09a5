#pragma once
// Operators' staff: accounts, password sign-in, and staff sessions.
//
// Confinement (as everywhere, see caller.hpp): a caller sees the staff of the
// operators it may see; an operator_admin (or any caller with
// Permission::kManageStaff) manages the staff of its own operator only; admin
// staff (operator 0) are seen and managed only by admins and the CLI. Another
// operator's data answers kNotFound "operator_not_found" / "staff_not_found",
// never kPermissionDenied; kPermissionDenied "insufficient_role" is only for
// the caller's own operator.
//
// Sign-in: passwords are Argon2id hashes (common/password.hpp). Wrong
// passwords are throttled per username and client address, so that nobody can
// lock a known username out for everyone (NIST SP 800-63B, 5.2.2):
//  - per address: after kMaxFailedLogins consecutive wrong passwords for a
//    username from one address, sign-in to that username from that address
//    is locked for kLockSeconds. Other addresses are not affected;
//  - per account, the bound across addresses: once kMaxFailedLoginsPerAccount
//    wrong passwords (from any address, since the account's last successful
//    sign-in) fall within kAccountWindowSeconds, the account is refused to
//    every address it has not been signed in from successfully within
//    kKnownAddressSeconds, until older failures leave the window. The staff's
//    usual addresses (their counter, their office) keep working, and a guesser
//    gets at most kMaxFailedLoginsPerAccount guesses per window whatever the
//    number of addresses it has.
// The state is read from the audit trail (each attempt's record names its
// address), for known and unknown usernames alike. A manager's disable,
// enable or password reset (and the CLI's) clears both. The staff row's
// failed_logins / locked_until mirror it for display: wrong passwords across
// addresses, and the end of the newest address lock.
// Answers, decided so that a username's existence is never revealed:
//  - right password, enabled, not throttled: a session ("ss_" token, kSessionSeconds);
//  - wrong password, unknown username, or a disabled account (right password
//    or not): kUnauthenticated "invalid_credentials". Each counts as a wrong attempt, also
//    for unknown usernames, and every path verifies one Argon2id hash, so none
//    answers faster than another;
//  - the kMaxFailedLogins-th wrong attempt from an address, every attempt from
//    a locked address, and every attempt refused by the account bound (right
//    password or not): kResourceExhausted "account_locked". Refused attempts
//    neither count nor extend a lock. Unknown usernames are throttled the same
//    way, so a lock says nothing about existence either.
// Usernames are matched case-insensitively at sign-in (stored lower case).
//
// Audit (AuditRecord, never a password, token or hash): "staff_added",
// "staff_disabled", "staff_enabled", "staff_password_reset" (actor: the
// caller), "staff_login_ok", "staff_login_wrong", "staff_locked" (the wrong
// attempt that locked its address), "staff_login_locked" (an attempt refused),
// "staff_logout" (actor "staff:<id>"). Sign-in records' detail is "from
// <address>" ("from -" without one), then ", rehashed" (an upgraded hash),
// ", until <RFC 3339>" (refused: the address lock) or ", account limit"
// (refused: the account bound). Subject "staff:<id>"; for an unknown
// username "unknown_staff:<first 16 hex of its hash>", so repeated guesses can
// be correlated without storing what was typed (it may be a password).

#include <optional>
#include <string>
#include <vector>

#include "simexit/common/client_address.hpp"
#include "simexit/common/password.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/roles.hpp"
#include "simexit/service/caller.hpp"
#include "simexit/service/context.hpp"

namespace simexit {

struct NewStaff {
  std::string username;   // 3-64 of [a-z0-9._-]
  std::string full_name;  // 1-200 bytes, no control characters
  StaffRole role = StaffRole::kAgentStore;
  // At least kMinPasswordLength characters (UTF-8 code points), at most
  // kMaxPasswordBytes bytes. nullopt: generate one.
  std::optional<std::string> password;
};

// A staff member as callers see it: the record without its password hash,
// and the operator's code ("" for admins).
struct StaffView {
  StaffRecord staff;  // password_hash always empty
  std::string operator_code;
};

struct CreatedStaff {
  StaffView staff;
  std::string password;  // the generated password (shown once); "" when the caller chose it
};

struct PasswordReset {
  StaffView staff;
  std::string password;  // the generated password (shown once); "" when the caller chose it
};

struct StaffSignedIn {
  std::string token;  // bearer token "ss_<64 hex>" (returned once, stored hashed)
  UnixSeconds expires_at = 0;
  StaffView staff;
};

class StaffService {
 public:
  // `hashing`: where password hashes run (not owned; outlives this). nullptr
  // hashes on the caller's thread (tests, CLI).
  explicit StaffService(ServiceContext& ctx, PasswordHashPool* hashing = nullptr)
      : ctx_(ctx), hashing_(hashing) {}

  // Adds a staff member to the operator `operator_code` ("" only for role
  // admin, which only admins may add). Errors: kNotFound "operator_not_found"
  // (also for an operator the caller may not see); kPermissionDenied
  // "insufficient_role" (the caller's own operator, but no kManageStaff; or a
  // non-admin adding an admin); kInvalidArgument "invalid_staff" (field
  // "username", "full_name", "role", "password" or "operator");
  // kAlreadyExists "duplicate" (field "username").
  Result<CreatedStaff> AddStaff(const Caller& caller, const std::string& operator_code,
                                const NewStaff& staff);

  // Disables the account: it can no longer sign in and its sessions end now.
  // Clears any lock-out. Idempotent. Errors: kNotFound "staff_not_found" (also
  // for staff the caller may not see), kPermissionDenied "insufficient_role",
  // kFailedPrecondition "cannot_disable_self".
  Result<StaffView> DisableStaff(const Caller& caller, std::int64_t staff_id);
  // Lets a disabled account sign in again (with its current password; reset it
  // if that is not known). Clears any lock-out. Idempotent. Errors: as
  // DisableStaff (without "cannot_disable_self").
  Result<StaffView> EnableStaff(const Caller& caller, std::int64_t staff_id);

  // Sets a new password (`password`, or a generated one), ends every session
  // of the account and clears its lock-out. A disabled account stays disabled.
  // Errors: as DisableStaff (without "cannot_disable_self"), and
  // kInvalidArgument "invalid_staff" (field "password").
  Result<PasswordReset> ResetPassword(const Caller& caller, std::int64_t staff_id,
                                      const std::optional<std::string>& password);

  // The staff of `operator_code`, by id; "" means every operator the caller
  // sees (admins: all, including admin staff). Errors: "operator_not_found",
  // "insufficient_role".
  Result<std::vector<StaffView>> ListStaff(const Caller& caller, const std::string& operator_code);

  // One staff member. Everyone may read their own account; others need
  // kManageStaff. Errors: "staff_not_found", "insufficient_role".
  Result<StaffView> GetStaff(const Caller& caller, std::int64_t staff_id);
  // The same, by username (the CLI's handle). Errors: as GetStaff.
  Result<StaffView> GetStaffByUsername(const Caller& caller, const std::string& username);

  // Password sign-in from `from` (the client's address; empty without a
  // network peer, which then counts as one address); see the top of this
  // file. `request_id` goes into the audit trail. Errors: kUnauthenticated "invalid_credentials",
  // kResourceExhausted "account_locked"; kUnavailable "busy" when the password
  // hashing pool is full (nothing checked; retry).
  Result<StaffSignedIn> Login(const std::string& username, const std::string& password,
                              const ClientAddress& from, const std::string& request_id);

  // Ends the session of `token`. Errors: kUnauthenticated "unauthenticated" when it is
  // not a live staff session.
  Result<void> Logout(const std::string& token);

  static constexpr int kMaxFailedLogins = 5;  // per username and address
  static constexpr int kLockSeconds = 15 * 60;
  static constexpr int kMaxFailedLoginsPerAccount = 100;  // NIST SP 800-63B's bound
  static constexpr int kAccountWindowSeconds = 24 * 60 * 60;
  static constexpr int kKnownAddressSeconds = 30 * 24 * 60 * 60;
  static constexpr int kSessionSeconds = 8 * 60 * 60;  // a shift
  static constexpr int kMinPasswordLength = 12;
  static constexpr std::size_t kMaxPasswordBytes = 1024;
  static constexpr int kGeneratedPasswordLength = 20;

 private:
  std::string GeneratePassword();
  Result<StaffView> SetDisabled(const Caller& caller, std::int64_t staff_id, bool disabled);

  ServiceContext& ctx_;
  PasswordHashPool* hashing_;
};

}  // namespace simexit
