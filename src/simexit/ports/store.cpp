#include "simexit/ports/store.hpp"

namespace simexit {

const char* ToString(LineKind kind) { return kind == LineKind::kEsim ? "esim" : "physical"; }

std::optional<LineKind> ParseLineKind(std::string_view text) {
  if (text == "physical") return LineKind::kPhysical;
  if (text == "esim") return LineKind::kEsim;
  return std::nullopt;
}

const char* ToString(JobState state) {
  switch (state) {
    case JobState::kPending:
      return "pending";
    case JobState::kRunning:
      return "running";
    case JobState::kDone:
      return "done";
    case JobState::kDead:
      return "dead";
  }
  return "pending";
}

std::optional<JobState> ParseJobState(std::string_view text) {
  for (JobState s : {JobState::kPending, JobState::kRunning, JobState::kDone, JobState::kDead}) {
    if (text == ToString(s)) return s;
  }
  return std::nullopt;
}

const char* ToString(SmsState state) {
  switch (state) {
    case SmsState::kQueued:
      return "queued";
    case SmsState::kSubmitted:
      return "submitted";
    case SmsState::kDelivered:
      return "delivered";
    case SmsState::kFailed:
      return "failed";
    case SmsState::kExpired:
      return "expired";
  }
  return "queued";
}

std::optional<SmsState> ParseSmsState(std::string_view text) {
  for (SmsState s : {SmsState::kQueued, SmsState::kSubmitted, SmsState::kDelivered,
                     SmsState::kFailed, SmsState::kExpired}) {
    if (text == ToString(s)) return s;
  }
  return std::nullopt;
}

}  // namespace simexit
