#pragma once
// gmock matchers for Result<T> (after abseil's IsOk / StatusIs):
//
//   EXPECT_THAT(service.Get(caller, id), IsOk());
//   EXPECT_THAT(service.Create(caller, cmd), IsError(ErrorCode::kFailedPrecondition));
//   EXPECT_THAT(service.Create(caller, cmd),
//               IsError(ErrorCode::kFailedPrecondition, "debt_outstanding"));
//
// Failures print the error's code, reason, field and message.

#include <gmock/gmock.h>

#include <ostream>
#include <string>

#include "simexit/common/result.hpp"

namespace simexit {

inline void PrintTo(const Error& error, std::ostream* os) {
  // gmock passes no stream when it only needs the verdict (Matches()).
  if (os == nullptr) {
    return;
  }
  *os << "Error{" << ErrorCodeName(error.code) << ", \"" << error.problem_code << "\"";
  if (!error.field.empty()) {
    *os << ", field \"" << error.field << "\"";
  }
  *os << ", \"" << error.message << "\"}";
}

namespace testing {

MATCHER(IsOk, "is a value") {
  if (arg.has_value()) {
    return true;
  }
  *result_listener << "is an error: ";
  *result_listener << ::testing::PrintToString(arg.error());
  return false;
}

MATCHER_P(IsError, code,
          std::string(negation ? "is not" : "is") + " an error with code " +
              ::simexit::ErrorCodeName(code)) {
  if (arg.has_value()) {
    *result_listener << "is a value";
    return false;
  }
  if (arg.error().code != code) {
    *result_listener << "is ";
    *result_listener << ::testing::PrintToString(arg.error());
    return false;
  }
  return true;
}

MATCHER_P2(IsError, code, reason,
           std::string(negation ? "is not" : "is") + " an error with code " +
               ::simexit::ErrorCodeName(code) + " and reason \"" + std::string(reason) + "\"") {
  if (arg.has_value()) {
    *result_listener << "is a value";
    return false;
  }
  if (arg.error().code != code || arg.error().problem_code != std::string(reason)) {
    *result_listener << "is ";
    *result_listener << ::testing::PrintToString(arg.error());
    return false;
  }
  return true;
}

}  // namespace testing
}  // namespace simexit
