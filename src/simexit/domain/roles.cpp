#include "simexit/domain/roles.hpp"

namespace simexit {

const char* ToString(StaffRole role) {
  switch (role) {
    case StaffRole::kAgentStore:
      return "agent_store";
    case StaffRole::kAgentPhone:
      return "agent_phone";
    case StaffRole::kBackOffice:
      return "back_office";
    case StaffRole::kOperatorAdmin:
      return "operator_admin";
    case StaffRole::kAdmin:
      return "admin";
  }
  return "agent_store";
}

std::optional<StaffRole> ParseStaffRole(std::string_view text) {
  for (StaffRole role : kAllStaffRoles) {
    if (text == ToString(role)) {
      return role;
    }
  }
  return std::nullopt;
}

const char* ToString(Permission permission) {
  switch (permission) {
    case Permission::kViewLines:
      return "view_lines";
    case Permission::kOpenStore:
      return "open_store";
    case Permission::kOpenPhone:
      return "open_phone";
    case Permission::kOpenMail:
      return "open_mail";
    case Permission::kUpload:
      return "upload";
    case Permission::kReview:
      return "review";
    case Permission::kRecordPayment:
      return "record_payment";
    case Permission::kCancel:
      return "cancel";
    case Permission::kManageStaff:
      return "manage_staff";
    case Permission::kManagePolicy:
      return "manage_policy";
    case Permission::kExportAudit:
      return "export_audit";
    case Permission::kRetryFailed:
      return "retry_failed";
    case Permission::kRecordActivity:
      return "record_activity";
    case Permission::kCloseInBulk:
      return "close_in_bulk";
  }
  return "view_lines";
}

bool RoleAllows(StaffRole role, Permission permission) {
  switch (role) {
    case StaffRole::kOperatorAdmin:
    case StaffRole::kAdmin:
      return true;
    case StaffRole::kAgentStore:
      return permission == Permission::kViewLines || permission == Permission::kOpenStore ||
             permission == Permission::kUpload || permission == Permission::kRecordPayment ||
             permission == Permission::kCancel;
    case StaffRole::kAgentPhone:
      return permission == Permission::kViewLines || permission == Permission::kOpenPhone ||
             permission == Permission::kCancel;
    case StaffRole::kBackOffice:
      return permission == Permission::kViewLines || permission == Permission::kOpenMail ||
             permission == Permission::kUpload || permission == Permission::kReview ||
             permission == Permission::kCancel;
  }
  return false;
}

std::optional<Permission> PermissionToOpen(Channel channel) {
  switch (channel) {
    case Channel::kOnline:
      return std::nullopt;
    case Channel::kStore:
    case Channel::kProxy:
      return Permission::kOpenStore;
    case Channel::kPhone:
      return Permission::kOpenPhone;
    case Channel::kMail:
      return Permission::kOpenMail;
    case Channel::kSystem:
      return Permission::kCloseInBulk;
  }
  return std::nullopt;
}

}  // namespace simexit
