#include "simexit/domain/termination.hpp"

#include <cstddef>
#include <string>

namespace simexit {
namespace {

// Names are indexed by the enumerator's value; the arrays above list every
// enumerator in declaration order, which the static_asserts below pin down.
constexpr std::array<const char*, 11> kStateNames = {
    "submitted",        "verified",       "in_review",  "approved", "scheduled", "settling",
    "awaiting_payment", "deprovisioning", "terminated", "rejected", "cancelled"};

constexpr std::array<const char*, 11> kEventNames = {"verify",
                                                     "send_to_review",
                                                     "approve",
                                                     "reject",
                                                     "schedule",
                                                     "start_settlement",
                                                     "await_payment",
                                                     "payment_received",
                                                     "start_deprovisioning",
                                                     "complete",
                                                     "cancel"};

// Verb phrases for "cannot <phrase> a termination that is <state>".
constexpr std::array<const char*, 11> kEventPhrases = {"verify",
                                                       "send to review",
                                                       "approve",
                                                       "reject",
                                                       "schedule",
                                                       "start settlement of",
                                                       "await payment for",
                                                       "record a payment for",
                                                       "start deprovisioning of",
                                                       "complete",
                                                       "cancel"};

// How a state reads in a sentence ("awaiting payment", "in review").
constexpr std::array<const char*, 11> kStatePhrases = {
    "submitted",        "verified",       "in review",  "approved", "scheduled", "settling",
    "awaiting payment", "deprovisioning", "terminated", "rejected", "cancelled"};

constexpr std::array<const char*, 6> kChannelNames = {"online", "store", "proxy",
                                                      "phone",  "mail",  "system"};

constexpr std::array<const char*, 5> kLineStatusNames = {"active", "barred", "terminated",
                                                         "quarantined", "available"};

template <typename Enum, std::size_t N>
constexpr bool ListedInOrder(const std::array<Enum, N>& all) {
  for (std::size_t i = 0; i < N; ++i) {
    if (static_cast<std::size_t>(all[i]) != i) {
      return false;
    }
  }
  return true;
}
static_assert(ListedInOrder(kAllTerminationStates));
static_assert(ListedInOrder(kAllTerminationEvents));
static_assert(ListedInOrder(kAllChannels));
static_assert(ListedInOrder(kAllLineStatuses));

constexpr bool NoDuplicateRows() {
  for (std::size_t i = 0; i < kTerminationTransitions.size(); ++i) {
    for (std::size_t j = i + 1; j < kTerminationTransitions.size(); ++j) {
      if (kTerminationTransitions[i].from == kTerminationTransitions[j].from &&
          kTerminationTransitions[i].event == kTerminationTransitions[j].event) {
        return false;
      }
    }
  }
  return true;
}
static_assert(NoDuplicateRows(), "each (from, event) pair must appear at most once");

template <typename Enum>
std::size_t Index(Enum value) {
  return static_cast<std::size_t>(value);
}

template <typename Enum, std::size_t N>
std::optional<Enum> ParseName(const std::array<Enum, N>& all,
                              const std::array<const char*, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (text == names[i]) {
      return all[i];
    }
  }
  return std::nullopt;
}

const TerminationTransition* FindRow(TerminationState from, TerminationEvent event) {
  for (const TerminationTransition& row : kTerminationTransitions) {
    if (row.from == from && row.event == event) {
      return &row;
    }
  }
  return nullptr;
}

}  // namespace

const char* ToString(TerminationState state) { return kStateNames[Index(state)]; }

std::optional<TerminationState> ParseTerminationState(std::string_view text) {
  return ParseName(kAllTerminationStates, kStateNames, text);
}

const char* ToString(TerminationEvent event) { return kEventNames[Index(event)]; }

std::optional<TerminationEvent> ParseTerminationEvent(std::string_view text) {
  return ParseName(kAllTerminationEvents, kEventNames, text);
}

Result<TerminationState> Transition(TerminationState from, TerminationEvent event) {
  if (const TerminationTransition* row = FindRow(from, event); row != nullptr) {
    return row->to;
  }
  return Fail(ErrorCode::kFailedPrecondition, "illegal_transition",
              std::string("cannot ") + kEventPhrases[Index(event)] + " a termination that is " +
                  kStatePhrases[Index(from)]);
}

std::vector<TerminationEvent> AllowedEvents(TerminationState state) {
  std::vector<TerminationEvent> events;
  for (const TerminationTransition& row : kTerminationTransitions) {
    if (row.from == state) {
      events.push_back(row.event);
    }
  }
  return events;
}

bool IsFinal(TerminationState state) {
  return state == TerminationState::kTerminated || state == TerminationState::kRejected ||
         state == TerminationState::kCancelled;
}

bool IsCancellable(TerminationState state) {
  return FindRow(state, TerminationEvent::kCancel) != nullptr;
}

const char* ToString(Channel channel) { return kChannelNames[Index(channel)]; }

std::optional<Channel> ParseChannel(std::string_view text) {
  return ParseName(kAllChannels, kChannelNames, text);
}

const char* ToString(LineStatus status) { return kLineStatusNames[Index(status)]; }

std::optional<LineStatus> ParseLineStatus(std::string_view text) {
  return ParseName(kAllLineStatuses, kLineStatusNames, text);
}

}  // namespace simexit
