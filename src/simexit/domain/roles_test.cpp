#include "simexit/domain/roles.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

TEST(RolesTest, NamesRoundTrip) {
  for (StaffRole role : kAllStaffRoles) {
    EXPECT_EQ(ParseStaffRole(ToString(role)), role);
  }
  EXPECT_EQ(ParseStaffRole("Admin"), std::nullopt);
  EXPECT_EQ(ParseStaffRole(""), std::nullopt);
}

TEST(RolesTest, AgentsOnlyOpenTheirOwnChannels) {
  EXPECT_TRUE(RoleAllows(StaffRole::kAgentStore, Permission::kOpenStore));
  EXPECT_FALSE(RoleAllows(StaffRole::kAgentStore, Permission::kOpenPhone));
  EXPECT_FALSE(RoleAllows(StaffRole::kAgentStore, Permission::kOpenMail));
  EXPECT_TRUE(RoleAllows(StaffRole::kAgentPhone, Permission::kOpenPhone));
  EXPECT_FALSE(RoleAllows(StaffRole::kAgentPhone, Permission::kOpenStore));
  EXPECT_TRUE(RoleAllows(StaffRole::kBackOffice, Permission::kOpenMail));
  EXPECT_FALSE(RoleAllows(StaffRole::kBackOffice, Permission::kOpenStore));
}

TEST(RolesTest, OnlyBackOfficeAndAdminsReview) {
  EXPECT_FALSE(RoleAllows(StaffRole::kAgentStore, Permission::kReview));
  EXPECT_FALSE(RoleAllows(StaffRole::kAgentPhone, Permission::kReview));
  EXPECT_TRUE(RoleAllows(StaffRole::kBackOffice, Permission::kReview));
  EXPECT_TRUE(RoleAllows(StaffRole::kOperatorAdmin, Permission::kReview));
}

TEST(RolesTest, OnlyAdminsManageStaffAndPolicyAndExportTheAudit) {
  for (StaffRole role : {StaffRole::kAgentStore, StaffRole::kAgentPhone, StaffRole::kBackOffice}) {
    EXPECT_FALSE(RoleAllows(role, Permission::kManageStaff)) << ToString(role);
    EXPECT_FALSE(RoleAllows(role, Permission::kManagePolicy)) << ToString(role);
    EXPECT_FALSE(RoleAllows(role, Permission::kExportAudit)) << ToString(role);
    EXPECT_FALSE(RoleAllows(role, Permission::kRetryFailed)) << ToString(role);
    EXPECT_FALSE(RoleAllows(role, Permission::kRecordActivity)) << ToString(role);
  }
  for (Permission p : kAllPermissions) {
    EXPECT_TRUE(RoleAllows(StaffRole::kOperatorAdmin, p)) << ToString(p);
    EXPECT_TRUE(RoleAllows(StaffRole::kAdmin, p)) << ToString(p);
  }
}

TEST(RolesTest, PaymentsAtTheCounterOnly) {
  EXPECT_TRUE(RoleAllows(StaffRole::kAgentStore, Permission::kRecordPayment));
  EXPECT_FALSE(RoleAllows(StaffRole::kAgentPhone, Permission::kRecordPayment));
  EXPECT_FALSE(RoleAllows(StaffRole::kBackOffice, Permission::kRecordPayment));
}

TEST(RolesTest, PermissionToOpenFollowsTheChannel) {
  EXPECT_EQ(PermissionToOpen(Channel::kOnline), std::nullopt);
  EXPECT_EQ(PermissionToOpen(Channel::kStore), Permission::kOpenStore);
  EXPECT_EQ(PermissionToOpen(Channel::kProxy), Permission::kOpenStore);
  EXPECT_EQ(PermissionToOpen(Channel::kPhone), Permission::kOpenPhone);
  EXPECT_EQ(PermissionToOpen(Channel::kMail), Permission::kOpenMail);
}

}  // namespace
}  // namespace simexit
