#include "simexit/service/staff_service.hpp"

#include <algorithm>
#include <map>

#include "simexit/common/crypto.hpp"
#include "simexit/common/log.hpp"
#include "simexit/common/password.hpp"
#include "simexit/service/staff_internal.hpp"

namespace simexit {
namespace staff_internal {

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

std::string ToLowerAscii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return text;
}

bool ValidUsername(const std::string& username) {
  return username.size() >= 3 && username.size() <= 64 &&
         username.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") == std::string::npos;
}

Result<void> AppendAudit(StoreTx& tx, const std::string& actor, const std::string& action,
                         const std::string& subject, const std::string& detail,
                         const std::string& request_id, UnixSeconds at, std::int64_t operator_id) {
  AuditRecord record;
  record.actor = actor;
  record.action = action;
  record.subject = subject;
  record.detail = detail;
  record.request_id = request_id;
  record.at = at;
  record.operator_id = operator_id;
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

}  // namespace staff_internal

namespace {

using namespace staff_internal;

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

bool IsAdmin(const Caller& caller) {
  return caller.kind == CallerKind::kAdmin || caller.kind == CallerKind::kSystem;
}

bool MaySeeOperator(const Caller& caller, std::int64_t operator_id) {
  return caller.kind != CallerKind::kHolder && caller.MaySee(operator_id, Msisdn(), 0);
}

// Admin staff (operator 0) are seen by admins only.
bool MaySeeStaff(const Caller& caller, const StaffRecord& staff) {
  if (staff.operator_id == 0) {
    return IsAdmin(caller);
  }
  return MaySeeOperator(caller, staff.operator_id);
}

std::size_t CodePoints(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++n;
    }
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
    if (u < 0x20 || u == 0x7F) {
      has_control = true;
    }
  }
  if (!has_text || staff.full_name.size() > 200 || has_control) {
    return InvalidStaff("full_name",
                        "full_name must be 1 to 200 bytes of text without control characters");
  }
  if (staff.password) {
    return ValidatePassword(*staff.password);
  }
  return {};
}

// The staff member `id`, when `caller` may manage them.
Result<StaffRecord> ManagedStaff(StoreTx& tx, const Caller& caller, std::int64_t id) {
  Result<StaffRecord> staff = tx.GetStaff(id);
  if (!staff) {
    if (staff.error().code == ErrorCode::kNotFound) {
      return StaffNotFound();
    }
    return staff;
  }
  if (!MaySeeStaff(caller, *staff)) {
    return StaffNotFound();
  }
  if (!caller.Can(Permission::kManageStaff)) {
    return InsufficientRole("your role may not manage staff");
  }
  return staff;
}

// A staff member the caller reads: themselves, or anyone they may manage.
Result<StaffView> ReadableView(StoreTx& tx, const Caller& caller, StaffRecord staff) {
  const bool self = caller.staff_id != 0 && caller.staff_id == staff.id;
  if (!self) {
    if (!MaySeeStaff(caller, staff)) {
      return StaffNotFound();
    }
    if (!caller.Can(Permission::kManageStaff)) {
      return InsufficientRole("your role may not read other staff members' accounts");
    }
  }
  return ViewOf(tx, std::move(staff));
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
  if (!staff.password) {
    out.password = password;
  }
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
                                CurrentRequestId(), now, record.operator_id));
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
                            StaffSubject(staff_id), "", CurrentRequestId(), now,
                            staff.operator_id));
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
  if (!password) {
    out.password = chosen;
  }
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
                                password ? "chosen" : "generated", CurrentRequestId(), now,
                                staff.operator_id));
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
            if (op.error().code == ErrorCode::kNotFound) {
              return OperatorNotFound();
            }
            return Fail(op.error());
          }
          if (!MaySeeOperator(caller, op->id)) {
            return OperatorNotFound();
          }
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
        for (const OperatorRecord& op : ops) {
          codes[op.id] = op.code;
        }
        std::vector<StaffView> out;
        for (StaffRecord& s : staff) {
          if (!MaySeeStaff(caller, s)) {
            continue;
          }
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
      if (staff.error().code == ErrorCode::kNotFound) {
        return StaffNotFound();
      }
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
    if (!staff) {
      return StaffNotFound();
    }
    return ReadableView(tx, caller, std::move(*staff));
  });
}

}  // namespace simexit
