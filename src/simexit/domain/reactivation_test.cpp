#include "simexit/domain/reactivation.hpp"

#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "simexit/testing/values.hpp"

namespace simexit {
namespace {

constexpr std::array<ReactivationState, 7> kAllStates = {
    ReactivationState::kRequested,   ReactivationState::kPendingReview,
    ReactivationState::kApproved,    ReactivationState::kProvisioning,
    ReactivationState::kReactivated, ReactivationState::kRejected,
    ReactivationState::kRefused};
constexpr std::array<ReactivationEvent, 6> kAllEvents = {
    ReactivationEvent::kSendToReview, ReactivationEvent::kApprove,
    ReactivationEvent::kReject,       ReactivationEvent::kStartProvisioning,
    ReactivationEvent::kComplete,     ReactivationEvent::kRefuse};

TEST(ReactivationStateMachineTest, NamesRoundTripAndAreStable) {
  for (ReactivationState s : kAllStates) {
    EXPECT_EQ(ParseReactivationState(ToString(s)), s);
  }
  for (ReactivationEvent e : kAllEvents) {
    EXPECT_EQ(ParseReactivationEvent(ToString(e)), e);
  }
  EXPECT_STREQ(ToString(ReactivationState::kPendingReview), "pending_review");
  EXPECT_STREQ(ToString(ReactivationEvent::kStartProvisioning), "start_provisioning");
  EXPECT_FALSE(ParseReactivationState("Requested"));
  EXPECT_FALSE(ParseReactivationEvent(""));
}

TEST(ReactivationStateMachineTest, StoreAndMailPathsReachReactivated) {
  using S = ReactivationState;
  using E = ReactivationEvent;
  EXPECT_EQ(Transition(S::kRequested, E::kApprove), S::kApproved);
  EXPECT_EQ(Transition(S::kRequested, E::kSendToReview), S::kPendingReview);
  EXPECT_EQ(Transition(S::kPendingReview, E::kApprove), S::kApproved);
  EXPECT_EQ(Transition(S::kPendingReview, E::kReject), S::kRejected);
  EXPECT_EQ(Transition(S::kApproved, E::kStartProvisioning), S::kProvisioning);
  EXPECT_EQ(Transition(S::kProvisioning, E::kComplete), S::kReactivated);
  EXPECT_EQ(Transition(S::kProvisioning, E::kRefuse), S::kRefused);
  EXPECT_EQ(Transition(S::kApproved, E::kRefuse), S::kRefused);
}

TEST(ReactivationStateMachineTest, EveryPairNotInTheTableIsIllegal) {
  std::set<std::pair<ReactivationState, ReactivationEvent>> legal;
  for (const ReactivationTransition& row : kReactivationTransitions) {
    legal.insert({row.from, row.event});
  }
  for (ReactivationState s : kAllStates) {
    for (ReactivationEvent e : kAllEvents) {
      Result<ReactivationState> to = Transition(s, e);
      EXPECT_EQ(to.has_value(), legal.contains({s, e})) << ToString(s) << " " << ToString(e);
      if (!to) {
        EXPECT_EQ(to.error().code, ErrorCode::kFailedPrecondition);
        EXPECT_EQ(to.error().problem_code, "illegal_transition");
      }
    }
  }
  Result<ReactivationState> late =
      Transition(ReactivationState::kPendingReview, ReactivationEvent::kComplete);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().message, "cannot complete a reactivation that is pending review");
}

TEST(ReactivationStateMachineTest, FinalStatesHaveNoEventsAndOthersHaveSome) {
  for (ReactivationState s : kAllStates) {
    EXPECT_EQ(IsFinal(s), AllowedEvents(s).empty()) << ToString(s);
  }
  EXPECT_TRUE(IsFinal(ReactivationState::kReactivated));
  EXPECT_TRUE(IsFinal(ReactivationState::kRefused));
  EXPECT_FALSE(IsFinal(ReactivationState::kProvisioning));
  EXPECT_EQ(
      AllowedEvents(ReactivationState::kPendingReview),
      (std::vector<ReactivationEvent>{ReactivationEvent::kApprove, ReactivationEvent::kReject}));
}

TEST(ReactivationRulesTest, OnlyStoreAndMailChannels) {
  EXPECT_TRUE(CheckReactivationChannel(Channel::kStore));
  EXPECT_TRUE(CheckReactivationChannel(Channel::kMail));
  for (Channel c : {Channel::kOnline, Channel::kPhone, Channel::kProxy}) {
    Result<void> r = CheckReactivationChannel(c);
    ASSERT_FALSE(r) << ToString(c);
    EXPECT_EQ(r.error().problem_code, "invalid_channel");
    EXPECT_EQ(r.error().field, "channel");
  }
}

TEST(ReactivationRulesTest, ZeroDaysDisables) {
  Policy policy;
  EXPECT_TRUE(CheckReactivationEnabled(policy));  // 30 by default
  policy.reactivation_days = 0;
  Result<void> r = CheckReactivationEnabled(policy);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(r.error().problem_code, "reactivation_disabled");
}

TEST(ReactivationRulesTest, WindowIncludesItsLastSecond) {
  const UnixSeconds closed = 1'790'000'000;
  EXPECT_EQ(ReactivationDeadline(closed, 30), closed + 30 * kSecondsPerDay);
  EXPECT_TRUE(CheckWithinWindow(closed, 30, closed));
  EXPECT_TRUE(CheckWithinWindow(closed, 30, closed + 30 * kSecondsPerDay));
  Result<void> late = CheckWithinWindow(closed, 30, closed + 30 * kSecondsPerDay + 1);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(late.error().problem_code, "reactivation_window_closed");
  // 3650 days in seconds needs 64 bits past 2038.
  EXPECT_TRUE(CheckWithinWindow(closed, 3650, closed + 3650LL * 86400));
}

TEST(ReactivationRulesTest, NumberMustStillRestForTheSameHolder) {
  EXPECT_TRUE(CheckNumberQuarantined(LineStatus::kQuarantined, 7, 7));
  const auto code = [](LineStatus status, std::int64_t holder) {
    Result<void> r = CheckNumberQuarantined(status, holder, 7);
    return r ? std::string("ok") : r.error().problem_code;
  };
  EXPECT_EQ(code(LineStatus::kAvailable, 0), "number_released");
  EXPECT_EQ(code(LineStatus::kActive, 9), "number_released");  // another holder has it now
  EXPECT_EQ(code(LineStatus::kActive, 7), "number_not_quarantined");
  EXPECT_EQ(code(LineStatus::kBarred, 7), "number_not_quarantined");
}

TEST(ReactivationRulesTest, PhysicalLinesNeedANewSimAndEsimsMayDownloadAgain) {
  using testing::MustParse;
  const Iccid old_iccid = MustParse<Iccid>("8977010000001000016");
  const Imsi old_imsi = MustParse<Imsi>("401010000001000");
  const Iccid new_iccid = MustParse<Iccid>("8977019999000000011");
  const Imsi new_imsi = MustParse<Imsi>("401019999000001");
  Result<ReactivationSim> esim = ChooseSim(false, old_iccid, old_imsi, std::nullopt, std::nullopt);
  ASSERT_TRUE(esim);
  EXPECT_EQ(*esim, (ReactivationSim{old_iccid, old_imsi, false}));

  Result<ReactivationSim> fresh = ChooseSim(true, old_iccid, old_imsi, new_iccid, new_imsi);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(*fresh, (ReactivationSim{new_iccid, new_imsi, true}));

  Result<ReactivationSim> missing =
      ChooseSim(true, old_iccid, old_imsi, std::nullopt, std::nullopt);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().problem_code, "sim_required");
  EXPECT_EQ(missing.error().field, "iccid");

  Result<ReactivationSim> half = ChooseSim(false, old_iccid, old_imsi, new_iccid, std::nullopt);
  ASSERT_FALSE(half);
  EXPECT_EQ(half.error().problem_code, "sim_required");
  EXPECT_EQ(half.error().field, "imsi");
}

}  // namespace
}  // namespace simexit
