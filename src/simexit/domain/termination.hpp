#pragma once
// The life cycle of a termination (closure) request, and the small enums that
// travel with it: the channel a request came through and the status of a line.
//
// The life cycle is a finite state machine driven by one explicit table
// (kTerminationTransitions). Happy path:
//   submitted -verify-> verified [-send_to_review-> in_review] -approve-> approved
//   [-schedule-> scheduled] -start_settlement-> settling
//   [-await_payment-> awaiting_payment -payment_received-> settling]
//   -start_deprovisioning-> deprovisioning -complete-> terminated
// Side exits: reject (from submitted, verified, in_review) -> rejected;
// cancel (from submitted, verified, in_review, approved, scheduled,
// awaiting_payment) -> cancelled. A termination cannot be cancelled once the
// worker has started settling it or deprovisioning the line, nor once final.
//
// Every string form below is stable: it is stored and sent over the API.

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "simexit/common/result.hpp"

namespace simexit {

enum class TerminationState {
  kSubmitted,
  kVerified,
  kInReview,
  kApproved,
  kScheduled,
  kSettling,
  kAwaitingPayment,
  kDeprovisioning,
  kTerminated,  // final
  kRejected,    // final
  kCancelled,   // final
};

enum class TerminationEvent {
  kVerify,
  kSendToReview,
  kApprove,
  kReject,
  kSchedule,
  kStartSettlement,
  kAwaitPayment,
  kPaymentReceived,
  kStartDeprovisioning,
  kComplete,
  kCancel,
};

inline constexpr std::array<TerminationState, 11> kAllTerminationStates = {
    TerminationState::kSubmitted,       TerminationState::kVerified,
    TerminationState::kInReview,        TerminationState::kApproved,
    TerminationState::kScheduled,       TerminationState::kSettling,
    TerminationState::kAwaitingPayment, TerminationState::kDeprovisioning,
    TerminationState::kTerminated,      TerminationState::kRejected,
    TerminationState::kCancelled,
};

inline constexpr std::array<TerminationEvent, 11> kAllTerminationEvents = {
    TerminationEvent::kVerify,
    TerminationEvent::kSendToReview,
    TerminationEvent::kApprove,
    TerminationEvent::kReject,
    TerminationEvent::kSchedule,
    TerminationEvent::kStartSettlement,
    TerminationEvent::kAwaitPayment,
    TerminationEvent::kPaymentReceived,
    TerminationEvent::kStartDeprovisioning,
    TerminationEvent::kComplete,
    TerminationEvent::kCancel,
};

// "submitted", "verified", "in_review", "approved", "scheduled", "settling",
// "awaiting_payment", "deprovisioning", "terminated", "rejected", "cancelled".
const char* ToString(TerminationState state);
// Exact (case-sensitive) inverse of ToString; nullopt for anything else.
std::optional<TerminationState> ParseTerminationState(std::string_view text);

// "verify", "send_to_review", "approve", "reject", "schedule", "start_settlement",
// "await_payment", "payment_received", "start_deprovisioning", "complete", "cancel".
const char* ToString(TerminationEvent event);
// Exact (case-sensitive) inverse of ToString; nullopt for anything else.
std::optional<TerminationEvent> ParseTerminationEvent(std::string_view text);

struct TerminationTransition {
  TerminationState from;
  TerminationEvent event;
  TerminationState to;
};

// The whole state machine: (from, event) pairs not listed here are illegal.
// Each (from, event) pair appears at most once (checked at compile time).
inline constexpr std::array<TerminationTransition, 20> kTerminationTransitions = {{
    {TerminationState::kSubmitted, TerminationEvent::kVerify, TerminationState::kVerified},
    {TerminationState::kVerified, TerminationEvent::kSendToReview, TerminationState::kInReview},
    {TerminationState::kVerified, TerminationEvent::kApprove, TerminationState::kApproved},
    {TerminationState::kInReview, TerminationEvent::kApprove, TerminationState::kApproved},
    {TerminationState::kApproved, TerminationEvent::kSchedule, TerminationState::kScheduled},
    {TerminationState::kApproved, TerminationEvent::kStartSettlement, TerminationState::kSettling},
    {TerminationState::kScheduled, TerminationEvent::kStartSettlement, TerminationState::kSettling},
    {TerminationState::kSettling, TerminationEvent::kAwaitPayment,
     TerminationState::kAwaitingPayment},
    {TerminationState::kAwaitingPayment, TerminationEvent::kPaymentReceived,
     TerminationState::kSettling},
    {TerminationState::kSettling, TerminationEvent::kStartDeprovisioning,
     TerminationState::kDeprovisioning},
    {TerminationState::kDeprovisioning, TerminationEvent::kComplete, TerminationState::kTerminated},
    {TerminationState::kSubmitted, TerminationEvent::kReject, TerminationState::kRejected},
    {TerminationState::kVerified, TerminationEvent::kReject, TerminationState::kRejected},
    {TerminationState::kInReview, TerminationEvent::kReject, TerminationState::kRejected},
    {TerminationState::kSubmitted, TerminationEvent::kCancel, TerminationState::kCancelled},
    {TerminationState::kVerified, TerminationEvent::kCancel, TerminationState::kCancelled},
    {TerminationState::kInReview, TerminationEvent::kCancel, TerminationState::kCancelled},
    {TerminationState::kApproved, TerminationEvent::kCancel, TerminationState::kCancelled},
    {TerminationState::kScheduled, TerminationEvent::kCancel, TerminationState::kCancelled},
    {TerminationState::kAwaitingPayment, TerminationEvent::kCancel, TerminationState::kCancelled},
}};

// The state `event` leads to from `from`.
// Errors: kFailedPrecondition, problem code "illegal_transition", when the table has
// no row for (from, event); the message reads like
// "cannot cancel a termination that is deprovisioning".
Result<TerminationState> Transition(TerminationState from, TerminationEvent event);

// The events legal in `state`, in table order (empty for final states).
std::vector<TerminationEvent> AllowedEvents(TerminationState state);

// terminated, rejected and cancelled: no event leaves them.
bool IsFinal(TerminationState state);
// True when kCancel is legal in `state`.
bool IsCancellable(TerminationState state);

// How a termination request reached the operator. kSystem is the operator's
// own decision, not a holder's request: the dormancy sweep (docs/dormancy.md)
// and bulk closures (docs/bulk-terminations.md) close lines through it; no
// caller opens one request through it (CheckRoleMayOpen, the API's decoder),
// and no policy lists it in allowed_channels.
enum class Channel { kOnline, kStore, kProxy, kPhone, kMail, kSystem };

inline constexpr std::array<Channel, 6> kAllChannels = {Channel::kOnline, Channel::kStore,
                                                        Channel::kProxy,  Channel::kPhone,
                                                        Channel::kMail,   Channel::kSystem};

// The channels a caller may open a request through: all but kSystem.
inline constexpr std::array<Channel, 5> kRequestChannels = {
    Channel::kOnline, Channel::kStore, Channel::kProxy, Channel::kPhone, Channel::kMail};

// "online", "store", "proxy", "phone", "mail", "system".
const char* ToString(Channel channel);
std::optional<Channel> ParseChannel(std::string_view text);

// The status of a subscriber line (number) in simexit's view.
enum class LineStatus { kActive, kBarred, kTerminated, kQuarantined, kAvailable };

inline constexpr std::array<LineStatus, 5> kAllLineStatuses = {
    LineStatus::kActive, LineStatus::kBarred, LineStatus::kTerminated, LineStatus::kQuarantined,
    LineStatus::kAvailable};

// "active", "barred", "terminated", "quarantined", "available".
const char* ToString(LineStatus status);
std::optional<LineStatus> ParseLineStatus(std::string_view text);

}  // namespace simexit
