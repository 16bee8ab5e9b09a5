#pragma once
// The rules a new termination request must meet, as pure functions: each
// returns nothing when the rule holds and the error the caller is answered
// with otherwise. TerminationService::Create applies them in this order:
//
//   CheckChannelForHolder      holders signed in by SMS code use online only
//   CheckScheduleWindow        a date in the future, at most a year ahead
//   CheckRefundNotToClosingLine  a refund to another line, not this one
//   CheckRoleMayOpen           the staff member's role may open the channel
//   CheckChannelAllowed        the operator's policy accepts the channel
//   CheckLineOpenable          the line is active (or barred)
//   CheckDebtAllowsChannel     debt blocks online closure unless policy allows it
//   CheckRefundInstructed      money to refund needs a refund method
//   CheckRefundMethodAllowed   the operator refunds by that method

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/policy.hpp"
#include "simexit/domain/roles.hpp"
#include "simexit/domain/settlement.hpp"
#include "simexit/domain/termination.hpp"

namespace simexit {

// The latest a termination may be scheduled: 366 days ahead.
inline constexpr std::int64_t kMaxScheduleAheadSeconds = 366 * kSecondsPerDay;

// A holder signed in by SMS code speaks only for themselves, online.
// kInvalidArgument "invalid_channel" for any other channel.
Result<void> CheckChannelForHolder(Channel channel);

// `at` (Unix seconds) must be after `now` and at most kMaxScheduleAheadSeconds
// later. kInvalidArgument "invalid_schedule" otherwise.
Result<void> CheckScheduleWindow(std::int64_t at, std::int64_t now);

// A refund to another line must not go to `closing_msisdn` (E.164), the line
// being closed. kInvalidArgument "invalid_refund".
Result<void> CheckRefundNotToClosingLine(RefundMethod method, std::string_view destination,
                                         std::string_view closing_msisdn);

// Whether a staff member with `role` may open a request through `channel`
// (roles.hpp). Online requests are opened by holders only.
// kPermissionDenied "insufficient_role".
Result<void> CheckRoleMayOpen(StaffRole role, Channel channel);

// kPermissionDenied "channel_not_allowed" when the policy does not accept
// terminations through `channel`.
Result<void> CheckChannelAllowed(const Policy& policy, Channel channel);

// Only active and barred lines can be closed. kFailedPrecondition
// "line_not_active" for terminated, quarantined and available numbers.
Result<void> CheckLineOpenable(LineStatus status);

// A line that owes money is closed online only when the policy allows debt
// online (policy.allow_debt_online); otherwise in a store, where it can be
// paid. kFailedPrecondition "debt_outstanding", naming the amount.
Result<void> CheckDebtAllowsChannel(Channel channel, const SettlementQuote& quote,
                                    const Policy& policy);

// Money to refund needs a refund instruction. kFailedPrecondition
// "refund_method_required", naming the amount.
Result<void> CheckRefundInstructed(const SettlementQuote& quote,
                                   std::optional<RefundMethod> method);

// kInvalidArgument "invalid_refund" when the operator does not refund by `method`.
Result<void> CheckRefundMethodAllowed(const Policy& policy, RefundMethod method);

// A reviewer's decision: a rejection needs a reason_code (kInvalidArgument
// "reason_code_required"), a given code must be one of kReviewReasonCodes
// ("invalid_reason_code"), and "other" needs a reason text the holder can read
// ("reason_required"). Each names its field ("reason_code", "reason").
Result<void> CheckReviewDecision(bool approve, std::string_view reason_code,
                                 std::string_view reason);

}  // namespace simexit
