#include "simexit/domain/termination.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>

namespace simexit {
namespace {

using S = TerminationState;
using E = TerminationEvent;

// The specification, written out independently of kTerminationTransitions so
// that a wrong row in the production table makes these tests fail.
const std::map<std::pair<S, E>, S>& ExpectedTable() {
  static const auto* table = new std::map<std::pair<S, E>, S>{
      {{S::kSubmitted, E::kVerify}, S::kVerified},
      {{S::kVerified, E::kSendToReview}, S::kInReview},
      {{S::kVerified, E::kApprove}, S::kApproved},
      {{S::kInReview, E::kApprove}, S::kApproved},
      {{S::kApproved, E::kSchedule}, S::kScheduled},
      {{S::kApproved, E::kStartSettlement}, S::kSettling},
      {{S::kScheduled, E::kStartSettlement}, S::kSettling},
      {{S::kSettling, E::kAwaitPayment}, S::kAwaitingPayment},
      {{S::kAwaitingPayment, E::kPaymentReceived}, S::kSettling},
      {{S::kSettling, E::kStartDeprovisioning}, S::kDeprovisioning},
      {{S::kDeprovisioning, E::kComplete}, S::kTerminated},
      {{S::kSubmitted, E::kReject}, S::kRejected},
      {{S::kVerified, E::kReject}, S::kRejected},
      {{S::kInReview, E::kReject}, S::kRejected},
      {{S::kSubmitted, E::kCancel}, S::kCancelled},
      {{S::kVerified, E::kCancel}, S::kCancelled},
      {{S::kInReview, E::kCancel}, S::kCancelled},
      {{S::kApproved, E::kCancel}, S::kCancelled},
      {{S::kScheduled, E::kCancel}, S::kCancelled},
      {{S::kAwaitingPayment, E::kCancel}, S::kCancelled},
  };
  return *table;
}

TEST(TerminationTransitionTest, EveryLegalTransitionLeadsToTheSpecifiedState) {
  for (const auto& [key, to] : ExpectedTable()) {
    Result<S> next = Transition(key.first, key.second);
    ASSERT_TRUE(next.has_value()) << ToString(key.first) << " + " << ToString(key.second) << ": "
                                  << next.error().message;
    EXPECT_EQ(*next, to) << ToString(key.first) << " + " << ToString(key.second);
  }
}

TEST(TerminationTransitionTest, EveryOtherPairIsRefusedAsIllegal) {
  int refused = 0;
  for (S from : kAllTerminationStates) {
    for (E event : kAllTerminationEvents) {
      if (ExpectedTable().count({from, event}) != 0) {
        continue;
      }
      Result<S> next = Transition(from, event);
      ASSERT_FALSE(next.has_value())
          << ToString(from) << " + " << ToString(event) << " -> " << ToString(*next);
      EXPECT_EQ(next.error().code, ErrorCode::kFailedPrecondition);
      EXPECT_EQ(next.error().problem_code, "illegal_transition");
      ++refused;
    }
  }
  EXPECT_EQ(refused, 11 * 11 - 20);
}

TEST(TerminationTransitionTest, ProductionTableMatchesTheSpecificationExactly) {
  ASSERT_EQ(kTerminationTransitions.size(), ExpectedTable().size());
  for (const TerminationTransition& row : kTerminationTransitions) {
    auto it = ExpectedTable().find({row.from, row.event});
    ASSERT_NE(it, ExpectedTable().end()) << ToString(row.from) << " + " << ToString(row.event);
    EXPECT_EQ(it->second, row.to);
  }
}

TEST(TerminationTransitionTest, IllegalTransitionMessageNamesEventAndState) {
  Result<S> next = Transition(S::kDeprovisioning, E::kCancel);
  ASSERT_FALSE(next.has_value());
  EXPECT_EQ(next.error().message, "cannot cancel a termination that is deprovisioning");

  next = Transition(S::kSubmitted, E::kStartSettlement);
  ASSERT_FALSE(next.has_value());
  EXPECT_EQ(next.error().message, "cannot start settlement of a termination that is submitted");

  next = Transition(S::kAwaitingPayment, E::kApprove);
  ASSERT_FALSE(next.has_value());
  EXPECT_EQ(next.error().message, "cannot approve a termination that is awaiting payment");
}

TEST(TerminationTransitionTest, SettlingCannotBeCancelled) {
  Result<S> next = Transition(S::kSettling, E::kCancel);
  ASSERT_FALSE(next.has_value());
  EXPECT_EQ(next.error().problem_code, "illegal_transition");
}

TEST(TerminationTransitionTest, HappyPathWithReviewScheduleAndPaymentReachesTerminated) {
  S state = S::kSubmitted;
  for (E event : {E::kVerify, E::kSendToReview, E::kApprove, E::kSchedule, E::kStartSettlement,
                  E::kAwaitPayment, E::kPaymentReceived, E::kStartDeprovisioning, E::kComplete}) {
    Result<S> next = Transition(state, event);
    ASSERT_TRUE(next.has_value()) << next.error().message;
    state = *next;
  }
  EXPECT_EQ(state, S::kTerminated);
}

TEST(TerminationStateTest, FinalStatesAreExactlyTerminatedRejectedCancelled) {
  const std::set<S> finals = {S::kTerminated, S::kRejected, S::kCancelled};
  for (S state : kAllTerminationStates) {
    EXPECT_EQ(IsFinal(state), finals.count(state) != 0) << ToString(state);
    if (IsFinal(state)) {
      EXPECT_TRUE(AllowedEvents(state).empty()) << ToString(state);
    } else {
      EXPECT_FALSE(AllowedEvents(state).empty()) << ToString(state);
    }
  }
}

TEST(TerminationStateTest, CancellableUntilSettlementStarts) {
  const std::set<S> cancellable = {S::kSubmitted, S::kVerified,  S::kInReview,
                                   S::kApproved,  S::kScheduled, S::kAwaitingPayment};
  for (S state : kAllTerminationStates) {
    EXPECT_EQ(IsCancellable(state), cancellable.count(state) != 0) << ToString(state);
  }
}

TEST(TerminationStateTest, AllowedEventsFollowTheTable) {
  EXPECT_EQ(AllowedEvents(S::kVerified),
            (std::vector<E>{E::kSendToReview, E::kApprove, E::kReject, E::kCancel}));
  EXPECT_EQ(AllowedEvents(S::kSettling),
            (std::vector<E>{E::kAwaitPayment, E::kStartDeprovisioning}));
}

TEST(TerminationNamesTest, StateNamesAreStableAndRoundTrip) {
  const std::vector<std::string> expected = {
      "submitted",        "verified",       "in_review",  "approved", "scheduled", "settling",
      "awaiting_payment", "deprovisioning", "terminated", "rejected", "cancelled"};
  ASSERT_EQ(expected.size(), kAllTerminationStates.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(ToString(kAllTerminationStates[i]), expected[i]);
    EXPECT_EQ(ParseTerminationState(expected[i]), kAllTerminationStates[i]);
  }
  EXPECT_EQ(ParseTerminationState("Submitted"), std::nullopt);
  EXPECT_EQ(ParseTerminationState(""), std::nullopt);
  EXPECT_EQ(ParseTerminationState("in review"), std::nullopt);
}

TEST(TerminationNamesTest, EventNamesAreStableAndRoundTrip) {
  const std::vector<std::string> expected = {"verify",
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
  ASSERT_EQ(expected.size(), kAllTerminationEvents.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(ToString(kAllTerminationEvents[i]), expected[i]);
    EXPECT_EQ(ParseTerminationEvent(expected[i]), kAllTerminationEvents[i]);
  }
  EXPECT_EQ(ParseTerminationEvent("CANCEL"), std::nullopt);
  EXPECT_EQ(ParseTerminationEvent("cancelled"), std::nullopt);
}

TEST(TerminationNamesTest, ChannelNamesAreStableAndRoundTrip) {
  const std::vector<std::pair<Channel, std::string>> expected = {
      {Channel::kOnline, "online"}, {Channel::kStore, "store"}, {Channel::kProxy, "proxy"},
      {Channel::kPhone, "phone"},   {Channel::kMail, "mail"},   {Channel::kSystem, "system"}};
  for (const auto& [channel, name] : expected) {
    EXPECT_EQ(ToString(channel), name);
    EXPECT_EQ(ParseChannel(name), channel);
  }
  EXPECT_EQ(ParseChannel("fax"), std::nullopt);
  EXPECT_EQ(ParseChannel("Online"), std::nullopt);
}

TEST(TerminationNamesTest, LineStatusNamesAreStableAndRoundTrip) {
  const std::vector<std::pair<LineStatus, std::string>> expected = {
      {LineStatus::kActive, "active"},
      {LineStatus::kBarred, "barred"},
      {LineStatus::kTerminated, "terminated"},
      {LineStatus::kQuarantined, "quarantined"},
      {LineStatus::kAvailable, "available"}};
  for (const auto& [status, name] : expected) {
    EXPECT_EQ(ToString(status), name);
    EXPECT_EQ(ParseLineStatus(name), status);
  }
  EXPECT_EQ(ParseLineStatus("blocked"), std::nullopt);
}

}  // namespace
}  // namespace simexit
