#include "simexit/api/problem.hpp"

#include <boost/json/serialize.hpp>
#include <string>
#include <utility>

#include "simexit/api/problem_catalogue.hpp"
#include "simexit/common/log.hpp"

namespace simexit::api {
namespace {

const char* TitleFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "Invalid request";
    case ErrorCode::kUnauthenticated:
      return "Authentication required";
    case ErrorCode::kPermissionDenied:
      return "Permission denied";
    case ErrorCode::kNotFound:
      return "Not found";
    case ErrorCode::kAlreadyExists:
      return "Already exists";
    case ErrorCode::kFailedPrecondition:
      return "Not allowed in the current state";
    case ErrorCode::kResourceExhausted:
      return "Too many requests";
    case ErrorCode::kUnavailable:
      return "Service temporarily unavailable";
    case ErrorCode::kInternal:
      return "Internal error";
  }
  return "Internal error";
}

// The title of a problem whose status is not its ErrorCode's usual one
// (the HTTP server's own 405, 413, 431 and 501).
const char* TitleFor(const ProblemType& type) {
  if (type.status == HttpStatusFor(type.error_code)) {
    return TitleFor(type.error_code);
  }
  switch (type.status) {
    case 405:
      return "Method not allowed";
    case 413:
      return "Request body too large";
    case 431:
      return "Request headers too large";
    case 501:
      return "Not implemented";
    default:
      return TitleFor(type.error_code);
  }
}

// Problems that tell the client when to come back: a full disk is not freed in
// a second, so clients wait half a minute instead of hammering the server; a
// busy database is free again in a moment; a database that cannot be reached
// (a PostgreSQL restart or fail-over) takes a few seconds.
constexpr std::pair<std::string_view, std::string_view> kRetryAfter[] = {
    {"storage_full", "30"},
    {"database_busy", "1"},
    {"database_unavailable", "5"},
    {"store_unavailable", "5"},
};

void AddRetryAfter(std::string_view code, HttpResponse& response) {
  for (const auto& [problem, seconds] : kRetryAfter) {
    if (problem == code) {
      response.headers.emplace_back("Retry-After", std::string(seconds));
    }
  }
}

}  // namespace

HttpResponse Problem(unsigned status, std::string_view code, std::string_view title,
                     std::string_view detail, const boost::json::object& extra) {
  boost::json::object body;
  std::string type(kProblemTypePrefix);
  type.append(code);
  body["type"] = type;
  body["title"] = title;
  body["status"] = status;
  body["detail"] = detail;
  body["code"] = code;
  body["request_id"] = CurrentRequestId();
  for (const auto& member : extra) {
    if (!body.contains(member.key())) {
      body[member.key()] = member.value();
    }
  }
  HttpResponse response;
  response.status = status;
  response.content_type = std::string(kProblemContentType);
  response.body = boost::json::serialize(body);
  return response;
}

unsigned HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
      return 409;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse ProblemFromError(const Error& error) {
  const std::string_view code =
      error.problem_code.empty() ? std::string_view(ErrorCodeName(error.code)) : error.problem_code;
  const ProblemType* type = FindProblemType(code, error.code);
  if (type == nullptr) {
    // problem_catalogue_test keeps this from happening; answer as the
    // ErrorCode says and leave a trace to add the entry.
    LogWarn("problem_not_in_catalogue",
            {{"code", code}, {"error_code", ErrorCodeName(error.code)}});
  }
  if (error.code == ErrorCode::kInternal) {
    LogError("internal_error", {{"reason", code}, {"message", error.message}});
    return Problem(500, code, TitleFor(error.code),
                   "An internal error occurred. Quote the request id when reporting it.");
  }
  boost::json::object extra;
  if (!error.field.empty()) {
    extra["field"] = error.field;
  }
  HttpResponse response =
      type == nullptr
          ? Problem(HttpStatusFor(error.code), code, TitleFor(error.code), error.message, extra)
          : Problem(type->status, code, TitleFor(*type), error.message, extra);
  AddRetryAfter(code, response);
  return response;
}

HttpResponse ProblemFor(std::string_view code, std::string_view detail,
                        const boost::json::object& extra) {
  const ProblemType* type = FindProblemType(code);
  if (type == nullptr) {
    LogWarn("problem_not_in_catalogue", {{"code", code}});
    return Problem(500, code, TitleFor(ErrorCode::kInternal), detail, extra);
  }
  return Problem(type->status, code, TitleFor(*type), detail, extra);
}

HttpResponse Json(unsigned status, const boost::json::value& value) {
  HttpResponse response;
  response.status = status;
  response.content_type = "application/json";
  response.body = boost::json::serialize(value);
  return response;
}

}  // namespace simexit::api
