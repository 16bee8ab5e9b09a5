// Sign-in code challenges that no rule reads any more are deleted as new ones
// are made, so asking for codes does not grow the database without bound.

#include "simexit/service/sign_in_sweep.hpp"

#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;

class SignInSweepTest : public TerminationFlowTest {
 protected:
  // Every challenge the number has, consumed or not.
  int Challenges(const std::string& msisdn) {
    return *TransactValue<int>(
        *store_, [&](StoreTx& tx) { return tx.CountSignInCodesSince(Number(msisdn), 0); });
  }
  static std::string Unknown(int i) { return "+7777" + std::to_string(1000000 + i); }
};

TEST_F(SignInSweepTest, ChallengesOlderThanEveryRuleGoAsNewOnesAreMade) {
  constexpr int kOld = 40;
  for (int i = 0; i < kOld; ++i) {
    ASSERT_TRUE(auth_.RequestSignInCode(Number(Unknown(i))));
  }
  ASSERT_EQ(Challenges(Unknown(0)), 1);

  // Within the hour every challenge may still be counted: none goes.
  clock_.Advance(kSignInCodeWindowSeconds - 1);
  ASSERT_TRUE(auth_.RequestSignInCode(Number(Unknown(kOld))));
  EXPECT_EQ(Challenges(Unknown(0)), 1);

  // After it, each new challenge takes up to a batch of the old ones with it.
  clock_.Advance(2);
  const int requests = (kOld + kSignInSweepBatch - 1) / kSignInSweepBatch;
  for (int i = 0; i < requests; ++i) {
    ASSERT_TRUE(auth_.RequestSignInCode(Number(Unknown(100 + i))));
  }
  for (int i = 0; i < kOld; ++i) {
    EXPECT_EQ(Challenges(Unknown(i)), 0) << i;
  }
  EXPECT_EQ(Challenges(Unknown(kOld)), 1);  // its hour is not over
  for (int i = 0; i < requests; ++i) {
    EXPECT_EQ(Challenges(Unknown(100 + i)), 1);
  }
}

TEST_F(SignInSweepTest, TheLimitsStillCountEveryCodeOfTheHour) {
  // Codes per hour and the cool-down, with sweeps in between: the sweep never
  // takes a challenge these rules still read.
  const Msisdn number = Number("+77011234567");
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(auth_.RequestSignInCode(number)) << i;
    ASSERT_TRUE(auth_.RequestSignInCode(Number(Unknown(i))));
    EXPECT_THAT(
        auth_.RequestSignInCode(number),
        IsError(ErrorCode::kResourceExhausted, i < 4 ? "resend_too_soon" : "too_many_codes"));
    clock_.Advance(61);
  }
  clock_.Advance(kSignInCodeWindowSeconds - 5 * 61);  // the first code is 3600 s old
  ASSERT_TRUE(auth_.RequestSignInCode(Number(Unknown(50))));
  EXPECT_THAT(auth_.RequestSignInCode(number),
              IsError(ErrorCode::kResourceExhausted, "too_many_codes"));
  clock_.Advance(1);  // now it is not counted any more, and may go
  EXPECT_TRUE(auth_.RequestSignInCode(number));
  EXPECT_EQ(Challenges("+77011234567"), 5);  // the oldest went, four remain, one new
}

}  // namespace
}  // namespace simexit
