#include "simexit/domain/dormancy.hpp"

#include <algorithm>

namespace simexit {

const char* ToString(DormancyStep step) {
  switch (step) {
    case DormancyStep::kNone:
      return "none";
    case DormancyStep::kFirstWarning:
      return "first_warning";
    case DormancyStep::kFinalWarning:
      return "final_warning";
    case DormancyStep::kClose:
      return "close";
  }
  return "none";
}

DormancyDecision DecideDormancy(const DormancyFacts& line, const Policy& policy, UnixSeconds now) {
  if (line.status != LineStatus::kActive || !line.has_holder) {
    return {DormancyStep::kNone, 0,
            std::string("not an active line with a holder (") + ToString(line.status) + ")"};
  }
  if (line.open_termination) {
    return {DormancyStep::kNone, 0, "has an open termination"};
  }
  const UnixSeconds last = line.last_paid_activity_at;
  // Warnings from before the latest activity belong to an earlier dormancy.
  auto current = [&](const std::optional<UnixSeconds>& at) {
    return at && *at >= last ? at : std::nullopt;
  };
  const std::optional<UnixSeconds> first = current(line.first_warned_at);
  const std::optional<UnixSeconds> final = first ? current(line.final_warned_at) : std::nullopt;
  const UnixSeconds warning_span = policy.dormancy_warning_days * kSecondsPerDay;
  const UnixSeconds grace = policy.dormancy_grace_days * kSecondsPerDay;
  const std::string idle = "no paid activity for " +
                           std::to_string(std::max<UnixSeconds>(0, now - last) / kSecondsPerDay) +
                           " days";

  UnixSeconds deadline = last + policy.dormancy_days * kSecondsPerDay;
  if (!first) {
    if (now < deadline - warning_span) {
      return {DormancyStep::kNone, deadline + grace, idle};
    }
    deadline = std::max(deadline, now + warning_span);
    return {DormancyStep::kFirstWarning, deadline + grace, idle};
  }
  deadline = std::max(deadline, *first + warning_span);
  if (!final) {
    if (now < deadline) {
      return {DormancyStep::kNone, deadline + grace, idle + ", first warning sent"};
    }
    return {DormancyStep::kFinalWarning, now + grace, idle};
  }
  const UnixSeconds close_on = std::max(deadline, *final) + grace;
  if (now < close_on) {
    return {DormancyStep::kNone, close_on, idle + ", both warnings sent"};
  }
  return {DormancyStep::kClose, close_on, idle + ", both warnings sent"};
}

}  // namespace simexit
