#pragma once
// Result<T>: the value or the reason it could not be produced.
//
// Expected failures (bad input, unknown subscriber, peer down) are values, not
// exceptions. ErrorCode says what the caller should do next (after
// absl::StatusCode); `code` in the HTTP problem document is the finer,
// stable machine-readable problem code (e.g. "invalid_msisdn").

#include <string>
#include <tl/expected.hpp>
#include <utility>

namespace simexit {

enum class ErrorCode {
  kInvalidArgument,     // Bad input. Do not retry. HTTP 400/422.
  kUnauthenticated,     // Missing or wrong credentials. HTTP 401.
  kPermissionDenied,    // Authenticated but not allowed. HTTP 403.
  kNotFound,            // The thing does not exist (or is not the caller's). HTTP 404.
  kAlreadyExists,       // A conflicting thing exists. HTTP 409.
  kFailedPrecondition,  // State forbids it. Do not retry until fixed. HTTP 409.
  kResourceExhausted,   // Rate or attempt limit reached. HTTP 429.
  kUnavailable,         // Peer or database down or timed out. Retry with back-off. HTTP 503.
  kInternal,            // A bug or a broken invariant. HTTP 500.
};

const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  // The stable machine-readable slug clients branch on, e.g. "invalid_iin":
  // the `code` member of the HTTP problem (docs/problems.md).
  std::string problem_code;
  std::string message;  // for humans; never contains secrets or document numbers
  // The request field the error is about ("document.expiry_date"), when one
  // is to blame; sent as the problem's "field" member. Empty otherwise.
  std::string field = {};
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> Fail(ErrorCode code, std::string problem_code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(problem_code), std::move(message)});
}

// A failure blamed on one input field (see Error::field).
inline tl::unexpected<Error> FailField(ErrorCode code, std::string problem_code, std::string field,
                                       std::string message) {
  return tl::unexpected<Error>(
      Error{code, std::move(problem_code), std::move(message), std::move(field)});
}

inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

}  // namespace simexit

// Propagation macros (after abseil's RETURN_IF_ERROR / ASSIGN_OR_RETURN), for
// functions that return a Result of any type.
//
//   SIMEXIT_TRY(tx.UpdateLine(line));                 // returns the error, if any
//   SIMEXIT_ASSIGN_OR_RETURN(LineRecord line, tx.GetLine(id));
//   SIMEXIT_ASSIGN_OR_RETURN(auto parsed, Msisdn::Parse(text));
//
// `expr` is evaluated once. The left-hand side of SIMEXIT_ASSIGN_OR_RETURN is
// a declaration or an assignable expression; a type with a comma in it needs
// `auto` or an alias (it is a macro argument).
// Each expansion names its temporary after __COUNTER__, so nested uses (a
// SIMEXIT_TRY inside a lambda passed to another) never shadow each other.
#define SIMEXIT_RESULT_CONCAT_INNER_(a, b) a##b
#define SIMEXIT_RESULT_CONCAT_(a, b) SIMEXIT_RESULT_CONCAT_INNER_(a, b)

#define SIMEXIT_TRY(expr) \
  SIMEXIT_TRY_IMPL_(SIMEXIT_RESULT_CONCAT_(simexit_try_result_, __COUNTER__), expr)
#define SIMEXIT_TRY_IMPL_(tmp, expr)                                     \
  do {                                                                   \
    auto&& tmp = (expr);                                                 \
    if (!tmp) {                                                          \
      return ::tl::unexpected<::simexit::Error>(std::move(tmp.error())); \
    }                                                                    \
  } while (false)

#define SIMEXIT_ASSIGN_OR_RETURN(lhs, expr) \
  SIMEXIT_ASSIGN_OR_RETURN_IMPL_(SIMEXIT_RESULT_CONCAT_(simexit_result_, __COUNTER__), lhs, expr)
#define SIMEXIT_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)                 \
  auto tmp = (expr);                                                   \
  if (!tmp) {                                                          \
    return ::tl::unexpected<::simexit::Error>(std::move(tmp.error())); \
  }                                                                    \
  lhs = std::move(*tmp)
