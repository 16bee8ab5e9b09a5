#include "simexit/service/staff_service.hpp"

#include <algorithm>
#include <map>

#include "simexit/common/crypto.hpp"
#include "simexit/common/log.hpp"
#include "simexit/common/password.hpp"

namespace simexit {
namespace {

tl::unexpected<Error> OperatorNotFound() {
  return Fail(ErrorCode::kNotFound, "operator_not_found", "no such operator");
}

tl::unexpected<Error> StaffNotFound() {
  return Fail(ErrorCode::kNotFound, "staff_not_found", "no such staff member");
}

tl::unexpected<Error> InsufficientRole(const std::string& message) {
  return Fail(ErrorCode::kPermissionDenied, "insufficient_role", message);
}

tl::unexpected<Error> InvalidStaff(const std::string& field, const std::string& message) {
  return FailField(ErrorCode::kInvalidArgument, "invalid_staff", field, message);
}

tl::unexpected<Error> InvalidCredentials() {
  return Fail(ErrorCode::kUnauthenticated, "invalid_credentials",
              "the username or the password is wrong");
}

tl::unexpected<Error> AccountLocked() {
  return Fail(ErrorCode::kResourceExhausted, "account_locked",
              "too many wrong passwords: sign-in from here is locked for a while");
}

tl::unexpected<Error> Unauthenticated() {
  return Fail(ErrorCode::kUnauthenticated, "unauthenticated",
              "a valid bearer token or API key is required");
}

bool IsAdmin(const Caller& caller) {
  return caller.kind == CallerKind::kAdmin || caller.kind == CallerKind::kSystem;
}

bool MaySeeOperator(const Caller& caller, std::int64_t operator_id) {
  return caller.kind != CallerKind::kHolder && caller.MaySee(operator_id, "", 0);
}

// Admin staff (operator 0) are seen by admins only.
bool MaySeeStaff(const Caller& caller, const StaffRecord& staff) {
  if (staff.operator_id == 0) return IsAdmin(caller);
  return MaySeeOperator(caller, staff.operator_id);
}

std::string ToLowerAscii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

bool ValidUsername(const std::string& username) {
  return username.size() >= 3 && username.size() <= 64 &&
         username.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") == std::string::npos;
}

std::size_t CodePoints(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

Result<void> ValidatePassword(const std::string& password) {
  if (CodePoints(password) < static_cast<std::size_t>(StaffService::kMinPasswordLength)) {
    return InvalidStaff("password", "password must be at least " +
                                        std::to_string(StaffService::kMinPasswordLength) +
                                        " characters");
  }
  if (password.size() > StaffService::kMaxPasswordBytes) {
    return InvalidStaff("password", "password is limited to " +
                                        std::to_string(StaffService::kMaxPasswordBytes) + " bytes");
  }
  return {};
}

Result<void> ValidateNewStaff(const NewStaff& staff) {
  if (!ValidUsername(staff.username)) {
    return InvalidStaff("username",
                        "username must be 3 to 64 characters of a-z, 0-9, '.', '_' and '-'");
  }
  const bool has_text = staff.full_name.find_first_not_of(' ') != std::string::npos;
  bool has_control = false;
  for (char c : staff.full_name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) has_control = true;
  }
  if (!has_text || staff.full_name.size() > 200 || has_control) {
    return InvalidStaff("full_name",
                        "full_name must be 1 to 200 bytes of text without control characters");
  }
  if (staff.password) return ValidatePassword(*staff.password);
  return {};
}

Result<void> AppendAudit(StoreTx& tx, const std::string& actor, const std::string& action,
                         const std::string& subject, const std::string& detail,
                         const std::string& request_id, UnixSeconds at) {
  AuditRecord record;
  record.actor = actor;
  record.action = action;
  record.subject = subject;
  record.detail = detail;
  record.request_id = request_id;
  record.at = at;
  SIMEXIT_TRY(tx.AppendAudit(record));
  return {};
}

std::string StaffSubject(std::int64_t id) { return "staff:" + std::to_string(id); }

// The record as callers see it: no hash, and the operator's code.
Result<StaffView> ViewOf(StoreTx& tx, StaffRecord staff) {
  StaffView view;
  if (staff.operator_id != 0) {
    SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(staff.operator_id));
    view.operator_code = op.code;
  }
  staff.password_hash.clear();
  view.staff = std::move(staff);
  return view;
}

// The staff member `id`, when `caller` may manage them.
Result<StaffRecord> ManagedStaff(StoreTx& tx, const Caller& caller, std::int64_t id) {
  Result<StaffRecord> staff = tx.GetStaff(id);
  if (!staff) {
    if (staff.error().code == ErrorCode::kNotFound) return StaffNotFound();
    return staff;
  }
  if (!MaySeeStaff(caller, *staff)) return StaffNotFound();
  if (!caller.Can(Permission::kManageStaff)) {
    return InsufficientRole("your role may not manage staff");
  }
  return staff;
}

// A staff member the caller reads: themselves, or anyone they may manage.
Result<StaffView> ReadableView(StoreTx& tx, const Caller& caller, StaffRecord staff) {
  const bool self = caller.staff_id != 0 && caller.staff_id == staff.id;
  if (!self) {
    if (!MaySeeStaff(caller, staff)) return StaffNotFound();
    if (!caller.Can(Permission::kManageStaff)) {
      return InsufficientRole("your role may not read other staff members' accounts");
    }
  }
  return ViewOf(tx, std::move(staff));
}

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
  if (t.address_locked_until) return Attempt::kLocked;
  if (t.failed_on_account >= StaffService::kMaxFailedLoginsPerAccount && !t.known_address) {
    return Attempt::kAccountLimited;
  }
  if (password_ok) return Attempt::kOk;
  if (t.failed_from_address + 1 >= StaffService::kMaxFailedLogins) return Attempt::kLockedNow;
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
      if (rehashed) detail += ", rehashed";
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

std::string StaffService::GeneratePassword() {
  // No look-alikes (0/O, 1/l/I): the password is read off a screen and typed.
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string password;
  for (int i = 0; i < kGeneratedPasswordLength; ++i) {
    password += kAlphabet[ctx_.random.Uniform(static_cast<std::uint32_t>(kAlphabet.size()))];
  }
  return password;
}

Result<CreatedStaff> StaffService::AddStaff(const Caller& caller, const std::string& operator_code,
                                            const NewStaff& staff) {
  // Who may add whom where, and whether the input is good, before paying for
  // a hash.
  SIMEXIT_ASSIGN_OR_RETURN(
      std::int64_t operator_id,
      TransactValue<std::int64_t>(ctx_.store, [&](StoreTx& tx) -> Result<std::int64_t> {
        std::int64_t id = 0;
        if (operator_code.empty()) {
          if (staff.role != StaffRole::kAdmin) {
            return InvalidStaff("operator", "staff other than admins belong to an operator");
          }
          if (!IsAdmin(caller)) return InsufficientRole("only admins may add admins");
        } else {
          Result<OperatorRecord> op = tx.GetOperatorByCode(operator_code);
          if (!op) {
            if (op.error().code == ErrorCode::kNotFound) return OperatorNotFound();
            return Fail(op.error());
          }
          if (!MaySeeOperator(caller, op->id)) return OperatorNotFound();
          if (!caller.Can(Permission::kManageStaff)) {
            return InsufficientRole("your role may not manage staff");
          }
          if (staff.role == StaffRole::kAdmin) {
            if (!IsAdmin(caller)) return InsufficientRole("only admins may add admins");
            return InvalidStaff("role", "admins belong to no operator; add them without one");
          }
          id = op->id;
        }
        SIMEXIT_TRY(ValidateNewStaff(staff));
        SIMEXIT_ASSIGN_OR_RETURN(std::optional<StaffRecord> taken,
                                 tx.FindStaffByUsername(staff.username));
        if (taken) {
          return FailField(ErrorCode::kAlreadyExists, "duplicate", "username",
                           "this username is taken");
        }
        return id;
      }));

  CreatedStaff out;
  const std::string password = staff.password ? *staff.password : GeneratePassword();
  if (!staff.password) out.password = password;
  SIMEXIT_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));

  const UnixSeconds now = ctx_.clock.Now();
  StaffRecord record;
  record.operator_id = operator_id;
  record.username = staff.username;
  record.full_name = staff.full_name;
  record.role = staff.role;
  record.password_hash = hash;
  record.created_at = now;
  record.updated_at = now;
  SIMEXIT_ASSIGN_OR_RETURN(
      StaffView view, TransactValue<StaffView>(ctx_.store, [&](StoreTx& tx) -> Result<StaffView> {
        Result<std::int64_t> id = tx.InsertStaff(record);
        if (!id) {
          if (id.error().code == ErrorCode::kAlreadyExists) {
            return FailField(ErrorCode::kAlreadyExists, "duplicate", "username",
                             "this username is taken");
          }
          return Fail(id.error());
        }
        record.id = *id;
        const std::string detail = std::string("role ") + ToString(record.role) +
                                   (operator_code.empty() ? "" : ", operator " + operator_code);
        SIMEXIT_TRY(AppendAudit(tx, caller.actor, "staff_added", StaffSubject(*id), detail,
                                CurrentRequestId(), now));
        return ViewOf(tx, record);
      }));
  out.staff = std::move(view);
  return out;
}

Result<StaffView> StaffService::DisableStaff(const Caller& caller, std::int64_t staff_id) {
  return SetDisabled(caller, staff_id, true);
}

Result<StaffView> StaffService::EnableStaff(const Caller& caller, std::int64_t staff_id) {
  return SetDisabled(caller, staff_id, false);
}

Result<StaffView> StaffService::SetDisabled(const Caller& caller, std::int64_t staff_id,
                                            bool disabled) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<StaffView>(ctx_.store, [&](StoreTx& tx) -> Result<StaffView> {
    SIMEXIT_ASSIGN_OR_RETURN(StaffRecord staff, ManagedStaff(tx, caller, staff_id));
    // Nobody locks themselves out by mistake; another manager (or the CLI) can.
    if (disabled && caller.staff_id == staff_id) {
      return Fail(ErrorCode::kFailedPrecondition, "cannot_disable_self",
                  "you cannot disable your own account");
    }
    staff.disabled = disabled;
    staff.failed_logins = 0;
    staff.locked_until.reset();
    staff.updated_at = now;
    SIMEXIT_TRY(tx.UpdateStaff(staff));
    // Sessions end on disable; enabling starts none (the person signs in again).
    SIMEXIT_TRY(tx.RevokeStaffSessions(staff_id, now));
    SIMEXIT_TRY(AppendAudit(tx, caller.actor, disabled ? "staff_disabled" : "staff_enabled",
                            StaffSubject(staff_id), "", CurrentRequestId(), now));
    return ViewOf(tx, staff);
  });
}

Result<PasswordReset> StaffService::ResetPassword(const Caller& caller, std::int64_t staff_id,
                                                  const std::optional<std::string>& password) {
  SIMEXIT_TRY(ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_TRY(ManagedStaff(tx, caller, staff_id));
    if (password) {
      return ValidatePassword(*password);
    }
    return {};
  }));

  PasswordReset out;
  const std::string chosen = password ? *password : GeneratePassword();
  if (!password) out.password = chosen;
  SIMEXIT_ASSIGN_OR_RETURN(std::string hash, HashPassword(chosen));

  const UnixSeconds now = ctx_.clock.Now();
  SIMEXIT_ASSIGN_OR_RETURN(
      StaffView view, TransactValue<StaffView>(ctx_.store, [&](StoreTx& tx) -> Result<StaffView> {
        SIMEXIT_ASSIGN_OR_RETURN(StaffRecord staff, ManagedStaff(tx, caller, staff_id));
        staff.password_hash = hash;
        staff.failed_logins = 0;
        staff.locked_until.reset();
        staff.updated_at = now;
        SIMEXIT_TRY(tx.UpdateStaff(staff));
        SIMEXIT_TRY(tx.RevokeStaffSessions(staff_id, now));
        SIMEXIT_TRY(AppendAudit(tx, caller.actor, "staff_password_reset", StaffSubject(staff_id),
                                password ? "chosen" : "generated", CurrentRequestId(), now));
        return ViewOf(tx, staff);
      }));
  out.staff = std::move(view);
  return out;
}

Result<std::vector<StaffView>> StaffService::ListStaff(const Caller& caller,
                                                       const std::string& operator_code) {
  return TransactValue<std::vector<StaffView>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::vector<StaffView>> {
        std::optional<std::int64_t> operator_id;
        if (!operator_code.empty()) {
          Result<OperatorRecord> op = tx.GetOperatorByCode(operator_code);
          if (!op) {
            if (op.error().code == ErrorCode::kNotFound) return OperatorNotFound();
            return Fail(op.error());
          }
          if (!MaySeeOperator(caller, op->id)) return OperatorNotFound();
          operator_id = op->id;
        } else if (caller.kind == CallerKind::kHolder) {
          return OperatorNotFound();
        } else if (!IsAdmin(caller)) {
          operator_id = caller.operator_id;
        }
        if (!caller.Can(Permission::kManageStaff)) {
          return InsufficientRole("your role may not list staff");
        }
        SIMEXIT_ASSIGN_OR_RETURN(std::vector<StaffRecord> staff, tx.ListStaff(operator_id));
        SIMEXIT_ASSIGN_OR_RETURN(std::vector<OperatorRecord> ops, tx.ListOperators());
        std::map<std::int64_t, std::string> codes;
        for (const OperatorRecord& op : ops) codes[op.id] = op.code;
        std::vector<StaffView> out;
        for (StaffRecord& s : staff) {
          if (!MaySeeStaff(caller, s)) continue;
          StaffView view;
          view.operator_code = s.operator_id == 0 ? "" : codes[s.operator_id];
          s.password_hash.clear();
          view.staff = std::move(s);
          out.push_back(std::move(view));
        }
        return out;
      });
}

Result<StaffView> StaffService::GetStaff(const Caller& caller, std::int64_t staff_id) {
  return TransactValue<StaffView>(ctx_.store, [&](StoreTx& tx) -> Result<StaffView> {
    Result<StaffRecord> staff = tx.GetStaff(staff_id);
    if (!staff) {
      if (staff.error().code == ErrorCode::kNotFound) return StaffNotFound();
      return Fail(staff.error());
    }
    return ReadableView(tx, caller, std::move(*staff));
  });
}

Result<StaffView> StaffService::GetStaffByUsername(const Caller& caller,
                                                   const std::string& username) {
  return TransactValue<StaffView>(ctx_.store, [&](StoreTx& tx) -> Result<StaffView> {
    SIMEXIT_ASSIGN_OR_RETURN(std::optional<StaffRecord> staff,
                             tx.FindStaffByUsername(ToLowerAscii(username)));
    if (!staff) return StaffNotFound();
    return ReadableView(tx, caller, std::move(*staff));
  });
}

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
                                  now));
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
                                request_id, now));
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
  if (token.rfind("ss_", 0) != 0) return Unauthenticated();
  const std::string hash = HashHex(token);
  const UnixSeconds now = ctx_.clock.Now();
  return ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(std::optional<StaffSessionRecord> session, tx.FindStaffSession(hash));
    if (!session || session->revoked_at || session->expires_at <= now) {
      return Unauthenticated();
    }
    SIMEXIT_TRY(tx.RevokeStaffSession(hash, now));
    const std::string who = StaffSubject(session->staff_id);
    return AppendAudit(tx, who, "staff_logout", who, "", CurrentRequestId(), now);
  });
}

}  // namespace simexit
