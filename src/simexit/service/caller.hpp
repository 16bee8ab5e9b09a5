#pragma once
// Who is asking. Every use case takes a Caller and confines what it reads and
// changes to what that caller may see: a holder sees the line they proved
// possession of, an operator key or an operator's staff member sees that
// operator's lines, an admin (key or staff) sees all.
// Anything outside that is reported as kNotFound, never kPermissionDenied, so
// callers learn nothing about other operators' data.

#include <cstdint>
#include <string>

#include "simexit/domain/msisdn.hpp"
#include "simexit/domain/roles.hpp"

namespace simexit {

// kOperatorSystem: an operator's API key (its own systems); kStaff: a person working for
// one operator, signed in with a password; kAdmin: the admin key, an admin API
// key, or a staff member with the admin role.
enum class CallerKind { kHolder, kOperatorSystem, kStaff, kAdmin, kSystem };

struct Caller {
  CallerKind kind = CallerKind::kSystem;
  std::int64_t holder_id = 0;    // kHolder
  Msisdn msisdn;                 // kHolder: the line signed in with
  std::int64_t operator_id = 0;  // kOperatorSystem, kStaff
  std::int64_t api_key_id = 0;   // kOperatorSystem, kAdmin (0 for the admin key from config)

  // The audit trail's actor: "holder:12", "api_key:3", "staff:7", "admin",
  // "worker", "cli".
  std::string actor = "system";

  std::int64_t staff_id = 0;           // kStaff, and kAdmin signed in as staff
  StaffRole role = StaffRole::kAdmin;  // kStaff (kAdmin for admin staff)

  static Caller Holder(std::int64_t holder_id, Msisdn msisdn) {
    return {CallerKind::kHolder,
            holder_id,
            std::move(msisdn),
            0,
            0,
            "holder:" + std::to_string(holder_id)};
  }
  static Caller Operator(std::int64_t operator_id, std::int64_t api_key_id) {
    return {CallerKind::kOperatorSystem,
            0,
            {},
            operator_id,
            api_key_id,
            "api_key:" + std::to_string(api_key_id)};
  }
  static Caller Admin(std::int64_t api_key_id) {
    return {CallerKind::kAdmin,
            0,
            {},
            0,
            api_key_id,
            api_key_id == 0 ? std::string("admin") : "api_key:" + std::to_string(api_key_id)};
  }
  static Caller System(std::string actor) {
    return {CallerKind::kSystem, 0, {}, 0, 0, std::move(actor)};
  }
  // A signed-in staff member. Admin staff (operator_id 0) become kAdmin.
  static Caller Staff(std::int64_t staff_id, std::int64_t operator_id, StaffRole role) {
    Caller c{role == StaffRole::kAdmin ? CallerKind::kAdmin : CallerKind::kStaff,
             0,
             {},
             role == StaffRole::kAdmin ? 0 : operator_id,
             0,
             "staff:" + std::to_string(staff_id)};
    c.staff_id = staff_id;
    c.role = role;
    return c;
  }

  // Whether this caller may do `permission` at all (tenancy is separate: see
  // MaySee). Holders may do nothing here (their one action, the online
  // request, is not a staff permission); an operator's API key may do
  // everything except manage staff and policy; admins and system may do all.
  bool Can(Permission permission) const {
    switch (kind) {
      case CallerKind::kHolder:
        return false;
      case CallerKind::kOperatorSystem:
        return permission != Permission::kManageStaff && permission != Permission::kManagePolicy;
      case CallerKind::kStaff:
        return RoleAllows(role, permission);
      case CallerKind::kAdmin:
      case CallerKind::kSystem:
        return true;
    }
    return false;
  }
  bool IsStaffOrOperator() const {
    return kind == CallerKind::kOperatorSystem || kind == CallerKind::kStaff;
  }

  // Whether this caller may see a row owned by `owner_operator_id` for the line
  // `line_msisdn` held by `row_holder_id`. A holder sees only rows of the number
  // they signed in with AND of their own holding, so whoever gets a recycled
  // number later never sees the previous holder's terminations.
  bool MaySee(std::int64_t owner_operator_id, const Msisdn& line_msisdn,
              std::int64_t row_holder_id) const {
    switch (kind) {
      case CallerKind::kHolder:
        return line_msisdn == msisdn && row_holder_id == holder_id;
      case CallerKind::kOperatorSystem:
      case CallerKind::kStaff:
        return owner_operator_id == operator_id;
      case CallerKind::kAdmin:
      case CallerKind::kSystem:
        return true;
    }
    return false;
  }
};

}  // namespace simexit
