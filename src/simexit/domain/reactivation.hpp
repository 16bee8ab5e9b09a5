#pragma once
// Reactivation: the former holder of a terminated line gets the number back
// while it rests in quarantine (docs/reactivation.md). The SIM is gone, so there
// is no SMS proof: a store agent checks the holder's document at the counter,
// or the back office registers a posted application that a second person
// approves (four eyes).
//
// The life cycle is a finite state machine driven by one explicit table
// (kReactivationTransitions):
//   requested [-send_to_review-> pending_review] -approve-> approved
//   -start_provisioning-> provisioning -complete-> reactivated
// Side exits: reject (from pending_review) -> rejected; refuse (from approved
// or provisioning, when the number can no longer be given back: released
// meanwhile, or the new SIM turned out to be in use) -> refused.
// reactivated, rejected and refused are final.
//
// The rules a reactivation must meet are pure functions below; each returns
// nothing when it holds and the error the caller is answered with otherwise.
// Every string form is stable: it is stored and sent over the API.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/enum_names.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/policy.hpp"
#include "simexit/domain/termination.hpp"

namespace simexit {

enum class ReactivationState {
  kRequested,
  kPendingReview,
  kApproved,
  kProvisioning,
  kReactivated,  // final
  kRejected,     // final
  kRefused,      // final
};

enum class ReactivationEvent {
  kSendToReview,
  kApprove,
  kReject,
  kStartProvisioning,
  kComplete,
  kRefuse,
};

inline constexpr EnumNames<ReactivationState, 7> kReactivationStateNames{{{
    {ReactivationState::kRequested, "requested"},
    {ReactivationState::kPendingReview, "pending_review"},
    {ReactivationState::kApproved, "approved"},
    {ReactivationState::kProvisioning, "provisioning"},
    {ReactivationState::kReactivated, "reactivated"},
    {ReactivationState::kRejected, "rejected"},
    {ReactivationState::kRefused, "refused"},
}}};

inline constexpr EnumNames<ReactivationEvent, 6> kReactivationEventNames{{{
    {ReactivationEvent::kSendToReview, "send_to_review"},
    {ReactivationEvent::kApprove, "approve"},
    {ReactivationEvent::kReject, "reject"},
    {ReactivationEvent::kStartProvisioning, "start_provisioning"},
    {ReactivationEvent::kComplete, "complete"},
    {ReactivationEvent::kRefuse, "refuse"},
}}};

constexpr const char* ToString(ReactivationState state) {
  return kReactivationStateNames.Name(state);
}
constexpr const char* ToString(ReactivationEvent event) {
  return kReactivationEventNames.Name(event);
}
// Exact (case-sensitive) inverses of ToString; nullopt for anything else.
constexpr std::optional<ReactivationState> ParseReactivationState(std::string_view text) {
  return kReactivationStateNames.Parse(text);
}
constexpr std::optional<ReactivationEvent> ParseReactivationEvent(std::string_view text) {
  return kReactivationEventNames.Parse(text);
}

struct ReactivationTransition {
  ReactivationState from;
  ReactivationEvent event;
  ReactivationState to;
};

// The whole state machine: (from, event) pairs not listed here are illegal.
// Each (from, event) pair appears at most once (checked at compile time).
inline constexpr std::array<ReactivationTransition, 8> kReactivationTransitions = {{
    {ReactivationState::kRequested, ReactivationEvent::kSendToReview,
     ReactivationState::kPendingReview},
    {ReactivationState::kRequested, ReactivationEvent::kApprove, ReactivationState::kApproved},
    {ReactivationState::kPendingReview, ReactivationEvent::kApprove, ReactivationState::kApproved},
    {ReactivationState::kPendingReview, ReactivationEvent::kReject, ReactivationState::kRejected},
    {ReactivationState::kApproved, ReactivationEvent::kStartProvisioning,
     ReactivationState::kProvisioning},
    {ReactivationState::kProvisioning, ReactivationEvent::kComplete,
     ReactivationState::kReactivated},
    {ReactivationState::kApproved, ReactivationEvent::kRefuse, ReactivationState::kRefused},
    {ReactivationState::kProvisioning, ReactivationEvent::kRefuse, ReactivationState::kRefused},
}};

// The state `event` leads to from `from`. Errors: kFailedPrecondition
// "illegal_transition" when the table has no row for (from, event), with a
// message like "cannot approve a reactivation that is reactivated".
Result<ReactivationState> Transition(ReactivationState from, ReactivationEvent event);

// The events legal in `state`, in table order (empty for final states).
std::vector<ReactivationEvent> AllowedEvents(ReactivationState state);

// reactivated, rejected and refused: no event leaves them.
bool IsFinal(ReactivationState state);

// ---- Rules --------------------------------------------------------------------

// Only the store (document at the counter) and mail (posted application,
// reviewed) channels exist for a reactivation: the SIM is gone, so nothing can
// be proven by SMS. kInvalidArgument "invalid_channel" (field "channel").
Result<void> CheckReactivationChannel(Channel channel);

// The operator reactivates at all: policy.reactivation_days > 0.
// kFailedPrecondition "reactivation_disabled".
Result<void> CheckReactivationEnabled(const Policy& policy);

// Whether the number still rests in quarantine for the holder of the
// termination that closed it (`closed_holder_id`). Errors kFailedPrecondition:
// "number_released" when it went back to the pool (available) or to another
// holder; "number_not_quarantined" when it is not closed at all (active,
// barred: still in use, or its closure has not finished).
Result<void> CheckNumberQuarantined(LineStatus status, std::int64_t line_holder_id,
                                    std::int64_t closed_holder_id);

// The last moment a number closed at `closed_at` may be reactivated under a
// policy of `reactivation_days`: closed_at + reactivation_days days.
UnixSeconds ReactivationDeadline(UnixSeconds closed_at, int reactivation_days);

// `now` is at or before ReactivationDeadline(closed_at, reactivation_days).
// kFailedPrecondition "reactivation_window_closed" otherwise.
Result<void> CheckWithinWindow(UnixSeconds closed_at, int reactivation_days, UnixSeconds now);

// The SIM the number is given back on. A physical SIM went with the closure
// (handed in or destroyed): a new one is needed. An eSIM profile can be
// downloaded again with the old ICCID and IMSI, or a new one given.
struct ReactivationSim {
  Iccid iccid;
  Imsi imsi;
  bool is_new = false;  // false: the line's old ICCID and IMSI (eSIM re-download)

  bool operator==(const ReactivationSim&) const = default;
};

// The SIM for a line of `kind` whose old SIM was (old_iccid, old_imsi), given
// the new one presented (both or neither of new_iccid/new_imsi). Errors kInvalidArgument:
// "sim_required" (field "iccid" or "imsi") when only one of the two is given, or a physical line is
// given no new SIM.
Result<ReactivationSim> ChooseSim(bool physical, const Iccid& old_iccid, const Imsi& old_imsi,
                                  const std::optional<Iccid>& new_iccid,
                                  const std::optional<Imsi>& new_imsi);

}  // namespace simexit
