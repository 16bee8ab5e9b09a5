#pragma once
// What staff_service.cpp (accounts) and staff_sign_in.cpp (sign-in, lock-out,
// sign-out) share. Internal to service/.

#include <cstdint>
#include <string>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/ports/store.hpp"
#include "simexit/service/staff_service.hpp"

namespace simexit::staff_internal {

// kUnauthenticated "invalid_credentials": wrong password or unknown username, alike.
tl::unexpected<Error> InvalidCredentials();
// kResourceExhausted "account_locked".
tl::unexpected<Error> AccountLocked();
// kUnauthenticated "unauthenticated": no such session, or an ended one.
tl::unexpected<Error> Unauthenticated();

// Usernames compare without ASCII case.
std::string ToLowerAscii(std::string text);
bool ValidUsername(const std::string& username);

// Appends one audit record in `tx`, to the audit chain of `operator_id` (the
// staff member's operator; 0 for an admin or an unknown username).
Result<void> AppendAudit(StoreTx& tx, const std::string& actor, const std::string& action,
                         const std::string& subject, const std::string& detail,
                         const std::string& request_id, UnixSeconds at, std::int64_t operator_id);

// The audit subject of staff member `id`: "staff:<id>".
std::string StaffSubject(std::int64_t id);

// The record as callers see it: no hash, and the operator's code.
Result<StaffView> ViewOf(StoreTx& tx, StaffRecord staff);

}  // namespace simexit::staff_internal
