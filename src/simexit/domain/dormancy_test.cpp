#include "simexit/domain/dormancy.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

constexpr UnixSeconds kDay = kSecondsPerDay;
constexpr UnixSeconds kLast = 1'790'000'000;  // last paid activity

// dormancy_days 180, dormancy_warning_days 30, dormancy_grace_days 14 (the
// defaults): first warning from day 150, final from day 180, close from 194.
Policy Defaults() { return Policy{}; }

DormancyFacts Idle() {
  DormancyFacts f;
  f.last_paid_activity_at = kLast;
  return f;
}

DormancyDecision At(const DormancyFacts& f, UnixSeconds day) {
  return DecideDormancy(f, Defaults(), kLast + day * kDay);
}

TEST(DormancyTest, PolicyDefaultsAreTheOnesTheseTestsAssume) {
  EXPECT_EQ(Defaults().dormancy_days, 180);
  EXPECT_EQ(Defaults().dormancy_warning_days, 30);
  EXPECT_EQ(Defaults().dormancy_grace_days, 14);
}

TEST(DormancyTest, WarnsTwiceThenCloses) {
  DormancyFacts f = Idle();
  EXPECT_EQ(At(f, 149).step, DormancyStep::kNone);
  EXPECT_EQ(At(f, 149).close_on, kLast + 194 * kDay);  // the plan
  DormancyDecision first = At(f, 150);
  EXPECT_EQ(first.step, DormancyStep::kFirstWarning);
  EXPECT_EQ(first.close_on, kLast + 194 * kDay);
  EXPECT_NE(first.why.find("150 days"), std::string::npos) << first.why;

  f.first_warned_at = kLast + 150 * kDay;
  EXPECT_EQ(At(f, 179).step, DormancyStep::kNone);
  DormancyDecision final = At(f, 180);
  EXPECT_EQ(final.step, DormancyStep::kFinalWarning);
  EXPECT_EQ(final.close_on, kLast + 194 * kDay);

  f.final_warned_at = kLast + 180 * kDay;
  EXPECT_EQ(At(f, 193).step, DormancyStep::kNone);
  DormancyDecision close = At(f, 194);
  EXPECT_EQ(close.step, DormancyStep::kClose);
  EXPECT_EQ(close.close_on, kLast + 194 * kDay);
}

TEST(DormancyTest, ALateSweepMovesTheDatesAndNeverSkipsANotice) {
  DormancyFacts f = Idle();
  // Two years idle, never warned: a first warning, closing W + G days later.
  DormancyDecision first = At(f, 730);
  EXPECT_EQ(first.step, DormancyStep::kFirstWarning);
  EXPECT_EQ(first.close_on, kLast + (730 + 30 + 14) * kDay);
  f.first_warned_at = kLast + 730 * kDay;
  EXPECT_EQ(At(f, 759).step, DormancyStep::kNone);  // the holder gets W days
  EXPECT_EQ(At(f, 760).step, DormancyStep::kFinalWarning);
  // The final warning goes out late: the grace counts from it.
  f.final_warned_at = kLast + 800 * kDay;
  EXPECT_EQ(At(f, 813).step, DormancyStep::kNone);
  EXPECT_EQ(At(f, 814).step, DormancyStep::kClose);
}

TEST(DormancyTest, PaidActivityStopsTheClock) {
  DormancyFacts f = Idle();
  f.first_warned_at = kLast + 150 * kDay;
  f.final_warned_at = kLast + 180 * kDay;
  f.last_paid_activity_at = kLast + 185 * kDay;  // paid after the warnings
  DormancyDecision d = At(f, 200);
  EXPECT_EQ(d.step, DormancyStep::kNone);
  EXPECT_EQ(d.close_on, kLast + (185 + 194) * kDay);  // a new dormancy, from scratch
  EXPECT_EQ(At(f, 185 + 150).step, DormancyStep::kFirstWarning);
}

TEST(DormancyTest, NeverTouchesALineWithAnOpenTermination) {
  DormancyFacts f = Idle();
  f.first_warned_at = kLast + 150 * kDay;
  f.final_warned_at = kLast + 180 * kDay;
  f.open_termination = true;
  for (UnixSeconds day : {150, 180, 194, 1000}) {
    DormancyDecision d = At(f, day);
    EXPECT_EQ(d.step, DormancyStep::kNone) << day;
    EXPECT_EQ(d.close_on, 0) << day;
    EXPECT_EQ(d.why, "has an open termination");
  }
}

TEST(DormancyTest, OnlyActiveLinesWithAHolder) {
  for (LineStatus status : kAllLineStatuses) {
    DormancyFacts f = Idle();
    f.status = status;
    EXPECT_EQ(At(f, 1000).step == DormancyStep::kNone, status != LineStatus::kActive)
        << ToString(status);
  }
  DormancyFacts pooled = Idle();
  pooled.has_holder = false;
  EXPECT_EQ(At(pooled, 1000).step, DormancyStep::kNone);
}

TEST(DormancyTest, AFinalWarningWithoutAFirstDoesNotCount) {
  DormancyFacts f = Idle();
  f.final_warned_at = kLast + 180 * kDay;
  EXPECT_EQ(At(f, 300).step, DormancyStep::kFirstWarning);
}

TEST(DormancyTest, StepNames) {
  EXPECT_STREQ(ToString(DormancyStep::kNone), "none");
  EXPECT_STREQ(ToString(DormancyStep::kFirstWarning), "first_warning");
  EXPECT_STREQ(ToString(DormancyStep::kFinalWarning), "final_warning");
  EXPECT_STREQ(ToString(DormancyStep::kClose), "close");
}

}  // namespace
}  // namespace simexit
