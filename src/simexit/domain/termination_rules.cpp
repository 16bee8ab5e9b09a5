#include "simexit/domain/termination_rules.hpp"

#include "simexit/domain/review.hpp"

namespace simexit {

Result<void> CheckChannelForHolder(Channel channel) {
  if (channel != Channel::kOnline) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_channel",
                "a holder signed in by SMS code can only use the online channel");
  }
  return {};
}

Result<void> CheckScheduleWindow(std::int64_t at, std::int64_t now) {
  if (at <= now) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_schedule",
                "scheduled_for must be in the future");
  }
  if (at > now + kMaxScheduleAheadSeconds) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_schedule",
                "scheduled_for may be at most a year ahead");
  }
  return {};
}

Result<void> CheckRefundNotToClosingLine(RefundMethod method, std::string_view destination,
                                         std::string_view closing_msisdn) {
  if (method == RefundMethod::kOtherLine && destination == closing_msisdn) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_refund",
                "the refund cannot go to the line being closed");
  }
  return {};
}

Result<void> CheckRoleMayOpen(StaffRole role, Channel channel) {
  if (channel == Channel::kSystem) {
    return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
                "system requests are opened by simexit itself (the dormancy sweep)");
  }
  std::optional<Permission> needed = PermissionToOpen(channel);
  if (!needed) {
    return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
                "online requests are made by the line's holder, signed in by SMS code");
  }
  if (!RoleAllows(role, *needed)) {
    return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
                std::string("the ") + ToString(role) + " role cannot open " + ToString(channel) +
                    " requests");
  }
  return {};
}

Result<void> CheckChannelAllowed(const Policy& policy, Channel channel) {
  if (!policy.AllowsChannel(channel)) {
    return Fail(ErrorCode::kPermissionDenied, "channel_not_allowed",
                std::string("the operator does not accept terminations through the ") +
                    ToString(channel) + " channel");
  }
  return {};
}

Result<void> CheckLineOpenable(LineStatus status) {
  if (status != LineStatus::kActive && status != LineStatus::kBarred) {
    return Fail(ErrorCode::kFailedPrecondition, "line_not_active",
                std::string("the line is ") + ToString(status));
  }
  return {};
}

Result<void> CheckDebtAllowsChannel(Channel channel, const SettlementQuote& quote,
                                    const Policy& policy) {
  if (channel == Channel::kOnline && quote.amount_due.IsPositive() && !policy.allow_debt_online) {
    return Fail(ErrorCode::kFailedPrecondition, "debt_outstanding",
                "the line owes " + quote.amount_due.ToDecimalString() +
                    " KZT; pay it or close the line in a store");
  }
  return {};
}

Result<void> CheckRefundInstructed(const SettlementQuote& quote,
                                   std::optional<RefundMethod> method) {
  if (quote.refund.IsPositive() && !method) {
    return Fail(ErrorCode::kFailedPrecondition, "refund_method_required",
                "the line has " + quote.refund.ToDecimalString() +
                    " KZT to refund: give refund.method and refund.destination");
  }
  return {};
}

Result<void> CheckRefundMethodAllowed(const Policy& policy, RefundMethod method) {
  if (!policy.AllowsRefund(method)) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_refund",
                std::string("the operator does not refund by ") + ToString(method));
  }
  return {};
}

Result<void> CheckReviewDecision(bool approve, std::string_view reason_code,
                                 std::string_view reason) {
  if (!approve && reason_code.empty()) {
    return FailField(ErrorCode::kInvalidArgument, "reason_code_required", "reason_code",
                     "a rejection needs a reason_code the holder is told about");
  }
  if (!reason_code.empty() && !IsReviewReasonCode(reason_code)) {
    std::string known;
    for (std::string_view code : kReviewReasonCodes) {
      known += (known.empty() ? "" : ", ") + std::string(code);
    }
    return FailField(ErrorCode::kInvalidArgument, "invalid_reason_code", "reason_code",
                     "reason_code must be one of " + known);
  }
  if (reason_code == "other" && reason.empty()) {
    return FailField(ErrorCode::kInvalidArgument, "reason_required", "reason",
                     "reason_code other needs a reason text the holder can read");
  }
  return {};
}

}  // namespace simexit
