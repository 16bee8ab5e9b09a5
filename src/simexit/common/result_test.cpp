#include "simexit/common/result.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "simexit/testing/matchers.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

Result<int> Half(int n) {
  if (n % 2 != 0) {
    return Fail(ErrorCode::kInvalidArgument, "odd", "not even");
  }
  return n / 2;
}

Result<void> CheckEven(int n) {
  SIMEXIT_TRY(Half(n));
  return {};
}

Result<int> Quarter(int n) {
  SIMEXIT_ASSIGN_OR_RETURN(int half, Half(n));
  SIMEXIT_ASSIGN_OR_RETURN(const int quarter, Half(half));
  return quarter;
}

Result<std::string> Describe(int n) {
  int evaluations = 0;
  SIMEXIT_TRY((++evaluations, Half(n)));
  std::string text;
  SIMEXIT_ASSIGN_OR_RETURN(text, Result<std::string>(std::to_string(evaluations)));
  return text;
}

TEST(ResultMacrosTest, TryPassesValuesAndReturnsErrors) {
  EXPECT_THAT(CheckEven(4), IsOk());
  EXPECT_THAT(CheckEven(3), IsError(ErrorCode::kInvalidArgument, "odd"));
}

TEST(ResultMacrosTest, AssignOrReturnDeclaresAndAssigns) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_THAT(Quarter(6), IsError(ErrorCode::kInvalidArgument, "odd"));
  EXPECT_THAT(Quarter(5), IsError(ErrorCode::kInvalidArgument));
}

TEST(ResultMacrosTest, EvaluatesTheExpressionOnce) { EXPECT_EQ(*Describe(2), "1"); }

TEST(ResultMatchersTest, DescribeMismatches) {
  EXPECT_THAT(Half(3), ::testing::Not(IsOk()));
  EXPECT_THAT(Half(2), ::testing::Not(IsError(ErrorCode::kInvalidArgument)));
  EXPECT_THAT(Half(3), ::testing::Not(IsError(ErrorCode::kNotFound)));
  EXPECT_THAT(Half(3), ::testing::Not(IsError(ErrorCode::kInvalidArgument, "even")));
}

}  // namespace
}  // namespace simexit
