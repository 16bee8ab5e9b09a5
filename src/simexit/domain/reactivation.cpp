#include "simexit/domain/reactivation.hpp"

#include <cstddef>

namespace simexit {
namespace {

constexpr bool NoDuplicateRows() {
  for (std::size_t i = 0; i < kReactivationTransitions.size(); ++i) {
    for (std::size_t j = i + 1; j < kReactivationTransitions.size(); ++j) {
      if (kReactivationTransitions[i].from == kReactivationTransitions[j].from &&
          kReactivationTransitions[i].event == kReactivationTransitions[j].event) {
        return false;
      }
    }
  }
  return true;
}
static_assert(NoDuplicateRows(), "each (from, event) pair must appear at most once");

const ReactivationTransition* FindRow(ReactivationState from, ReactivationEvent event) {
  for (const ReactivationTransition& row : kReactivationTransitions) {
    if (row.from == from && row.event == event) {
      return &row;
    }
  }
  return nullptr;
}

// Verb phrases for "cannot <phrase> a reactivation that is <state>".
const char* EventPhrase(ReactivationEvent event) {
  switch (event) {
    case ReactivationEvent::kSendToReview:
      return "send to review";
    case ReactivationEvent::kApprove:
      return "approve";
    case ReactivationEvent::kReject:
      return "reject";
    case ReactivationEvent::kStartProvisioning:
      return "start provisioning of";
    case ReactivationEvent::kComplete:
      return "complete";
    case ReactivationEvent::kRefuse:
      return "refuse";
  }
  return "change";
}

const char* StatePhrase(ReactivationState state) {
  return state == ReactivationState::kPendingReview ? "pending review" : ToString(state);
}

}  // namespace

Result<ReactivationState> Transition(ReactivationState from, ReactivationEvent event) {
  if (const ReactivationTransition* row = FindRow(from, event); row != nullptr) {
    return row->to;
  }
  return Fail(
      ErrorCode::kFailedPrecondition, "illegal_transition",
      std::string("cannot ") + EventPhrase(event) + " a reactivation that is " + StatePhrase(from));
}

std::vector<ReactivationEvent> AllowedEvents(ReactivationState state) {
  std::vector<ReactivationEvent> events;
  for (const ReactivationTransition& row : kReactivationTransitions) {
    if (row.from == state) {
      events.push_back(row.event);
    }
  }
  return events;
}

bool IsFinal(ReactivationState state) {
  return state == ReactivationState::kReactivated || state == ReactivationState::kRejected ||
         state == ReactivationState::kRefused;
}

Result<void> CheckReactivationChannel(Channel channel) {
  if (channel == Channel::kStore || channel == Channel::kMail) {
    return {};
  }
  return FailField(ErrorCode::kInvalidArgument, "invalid_channel", "channel",
                   "a reactivation is opened at a store or from a posted application (store, "
                   "mail), not " +
                       std::string(ToString(channel)));
}

Result<void> CheckReactivationEnabled(const Policy& policy) {
  if (policy.reactivation_days > 0) {
    return {};
  }
  return Fail(ErrorCode::kFailedPrecondition, "reactivation_disabled",
              "the operator does not give terminated numbers back (reactivation_days is 0)");
}

Result<void> CheckNumberQuarantined(LineStatus status, std::int64_t line_holder_id,
                                    std::int64_t closed_holder_id) {
  if (status == LineStatus::kAvailable ||
      (status != LineStatus::kQuarantined && line_holder_id != closed_holder_id)) {
    return Fail(ErrorCode::kFailedPrecondition, "number_released",
                "the number has left quarantine and can no longer be given back");
  }
  if (status != LineStatus::kQuarantined) {
    return Fail(ErrorCode::kFailedPrecondition, "number_not_quarantined",
                std::string("the number is ") + ToString(status) +
                    ", not closed and resting in quarantine");
  }
  return {};
}

UnixSeconds ReactivationDeadline(UnixSeconds closed_at, int reactivation_days) {
  return closed_at + static_cast<UnixSeconds>(reactivation_days) * kSecondsPerDay;
}

Result<void> CheckWithinWindow(UnixSeconds closed_at, int reactivation_days, UnixSeconds now) {
  const UnixSeconds deadline = ReactivationDeadline(closed_at, reactivation_days);
  if (now <= deadline) {
    return {};
  }
  return Fail(ErrorCode::kFailedPrecondition, "reactivation_window_closed",
              "the number could be given back until " + FormatRfc3339(deadline) + " (" +
                  std::to_string(reactivation_days) + " days after closure)");
}

Result<ReactivationSim> ChooseSim(bool physical, const Iccid& old_iccid, const Imsi& old_imsi,
                                  const std::optional<Iccid>& new_iccid,
                                  const std::optional<Imsi>& new_imsi) {
  if (new_iccid.has_value() != new_imsi.has_value()) {
    return FailField(ErrorCode::kInvalidArgument, "sim_required", new_iccid ? "imsi" : "iccid",
                     "a new SIM is given by both its ICCID and its IMSI");
  }
  if (new_iccid) {
    return ReactivationSim{*new_iccid, *new_imsi, true};
  }
  if (physical) {
    return FailField(ErrorCode::kInvalidArgument, "sim_required", "iccid",
                     "the line's physical SIM went with its closure: give the ICCID and IMSI "
                     "of the new SIM");
  }
  return ReactivationSim{old_iccid, old_imsi, false};
}

}  // namespace simexit
