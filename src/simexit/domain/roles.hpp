#pragma once
// Who works a termination, and what each of them may do.
//
// Staff belong to one operator (admins to none) and have exactly one role.
// Permissions are a fixed table, so "may a phone agent approve?" has one
// answer everywhere. Tenancy (staff see only their operator's data) is not a
// permission: it is applied to every query (service/caller.hpp).

#include <array>
#include <optional>
#include <string_view>

#include "simexit/domain/termination.hpp"

namespace simexit {

enum class StaffRole {
  kAgentStore,     // store counter: identity documents, proxies, payments at the counter
  kAgentPhone,     // call centre: phone requests confirmed by the holder's SMS code
  kBackOffice,     // posted applications, scans, the review queue
  kOperatorAdmin,  // everything at one operator, including its staff and policy
  kAdmin,          // simexit's own administrators: every operator
};

inline constexpr std::array<StaffRole, 5> kAllStaffRoles = {
    StaffRole::kAgentStore, StaffRole::kAgentPhone, StaffRole::kBackOffice,
    StaffRole::kOperatorAdmin, StaffRole::kAdmin};

// "agent_store", "agent_phone", "back_office", "operator_admin", "admin".
const char* ToString(StaffRole role);
std::optional<StaffRole> ParseStaffRole(std::string_view text);

enum class Permission {
  kViewLines,       // find lines, quotes, terminations, application forms
  kOpenStore,       // store and proxy requests (documents checked at the counter)
  kOpenPhone,       // phone requests (the holder confirms by SMS code)
  kOpenMail,        // posted applications
  kUpload,          // upload scans
  kReview,          // approve or reject requests in review
  kRecordPayment,   // take a payment at the counter
  kCancel,          // cancel an open request
  kManageStaff,     // add, disable, reset staff of the operator
  kManagePolicy,    // change the operator's policy
  kExportAudit,     // export the operator's signed audit trail (docs/audit.md)
  kRetryFailed,     // retry the operator's dead-lettered jobs and failed SMS
  kRecordActivity,  // report the paid activity of the operator's lines (dormancy)
  kCloseInBulk,     // close many of the operator's lines at once (channel system)
};

inline constexpr std::array<Permission, 14> kAllPermissions = {
    Permission::kViewLines,      Permission::kOpenStore,   Permission::kOpenPhone,
    Permission::kOpenMail,       Permission::kUpload,      Permission::kReview,
    Permission::kRecordPayment,  Permission::kCancel,      Permission::kManageStaff,
    Permission::kManagePolicy,   Permission::kRetryFailed, Permission::kExportAudit,
    Permission::kRecordActivity, Permission::kCloseInBulk};

// "view_lines", "open_store", ... (snake case of the enumerator).
const char* ToString(Permission permission);

// The role table:
//   agent_store     view_lines open_store upload record_payment cancel
//   agent_phone     view_lines open_phone cancel
//   back_office     view_lines open_mail upload review cancel
//   operator_admin  everything (the only staff role with manage_staff,
//                   manage_policy, retry_failed, export_audit,
//                   record_activity and close_in_bulk)
//   admin           everything
bool RoleAllows(StaffRole role, Permission permission);

// The permission needed to open a request through `channel` (online requests
// are opened by holders themselves: nullopt; system closures need
// close_in_bulk).
std::optional<Permission> PermissionToOpen(Channel channel);

}  // namespace simexit
