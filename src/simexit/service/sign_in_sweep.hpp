#pragma once
// Keeps the rows that sign-ins leave bounded: every request for a sign-in code
// stores a challenge, for customers' numbers and any other number alike
// (docs/security.md), so without a sweep an anonymous client could grow the
// database by one row per request, forever.
//
// A challenge is read by three rules, all within the last hour: the codes per
// hour per number (policy.otp.max_codes_per_hour, counted over 3600 s), the
// resend cool-down (at most 3600 s, policy.cpp) and the code's own lifetime (at
// most 3600 s). A challenge created more than kSignInCodeWindowSeconds ago and
// expired is read by none of them, so it may go: deleting it changes no answer
// (an expired code and no code answer alike). Audit records are never deleted.
//
// Staff sign-in leaves no rows of its own besides the audit trail (its
// throttling reads the audit trail, staff_service.hpp).

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/ports/store.hpp"

namespace simexit {

// The longest window any sign-in-code rule reads (policy.cpp caps each at 3600).
inline constexpr int kSignInCodeWindowSeconds = 3600;
// How many of the oldest challenges one sweep looks at. A sweep runs with every
// new challenge, so the table holds at most the challenges of the last window
// plus this many (each request adds one row and may remove up to this many).
inline constexpr int kSignInSweepBatch = 16;

// Deletes up to kSignInSweepBatch challenges no rule reads any more, in `tx`.
// Returns how many.
Result<std::int64_t> SweepSignInCodes(StoreTx& tx, UnixSeconds now);

}  // namespace simexit
