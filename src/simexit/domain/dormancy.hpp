#pragma once
// Dormant-line reclamation: what the daily sweep does to one line today
// (docs/dormancy.md). Pure: the caller gathers the facts.
//
// With L the line's last paid activity and the operator's policy
// (dormancy_days D, dormancy_warning_days W, dormancy_grace_days G):
//   deadline      = L + D days (at the earliest: the first warning + W days)
//   first warning = from deadline - W days  (notice.dormancy_warning)
//   final warning = from the deadline       (notice.dormancy_final)
//   close         = G days after the later of the deadline and the final
//                   warning (channel system, reason dormant)
// Warnings sent before the latest paid activity do not count: activity stops
// the clock. A line is never closed before both warnings went out, so a late
// sweep moves the dates, never skips a notice. Only active lines with a holder
// and no open termination are considered.

#include <cstdint>
#include <optional>
#include <string>

#include "simexit/common/clock.hpp"
#include "simexit/domain/policy.hpp"
#include "simexit/domain/termination.hpp"

namespace simexit {

// What the sweep knows about one line.
struct DormancyFacts {
  LineStatus status = LineStatus::kActive;
  bool has_holder = true;
  bool open_termination = false;
  UnixSeconds last_paid_activity_at = 0;
  // When the warnings of the current dormancy went out (nullopt: not yet).
  std::optional<UnixSeconds> first_warned_at;
  std::optional<UnixSeconds> final_warned_at;
};

enum class DormancyStep {
  kNone,          // not dormant yet, or not to be touched (see `why`)
  kFirstWarning,  // send notice.dormancy_warning
  kFinalWarning,  // send notice.dormancy_final
  kClose,         // open a termination: channel system, reason dormant
};

// "none", "first_warning", "final_warning", "close".
const char* ToString(DormancyStep step);

struct DormancyDecision {
  DormancyStep step = DormancyStep::kNone;
  // The day the line will be closed if nothing changes (the {date} of the
  // notices); for kNone of a dormant-to-be line, the planned one; 0 for a line
  // the sweep leaves alone.
  UnixSeconds close_on = 0;
  std::string why;  // one line for people: "no paid activity for 200 days"...
};

DormancyDecision DecideDormancy(const DormancyFacts& line, const Policy& policy, UnixSeconds now);

}  // namespace simexit
