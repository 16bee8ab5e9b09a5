#pragma once
// Error responses as RFC 9457 problem details (application/problem+json), and
// plain JSON responses.
//
// Problem body: {"type": "https://simexit.dev/problems/<code>", "title",
// "status", "detail", "code", "request_id", ...extra}. `code` is the stable
// machine-readable reason clients branch on; `title` and `detail` are for
// humans and may change. request_id is CurrentRequestId() ("" outside a
// request), so a user can quote it to support.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "simexit/api/http_server.hpp"
#include "simexit/common/result.hpp"

namespace simexit::api {

inline constexpr std::string_view kProblemTypePrefix = "https://simexit.dev/problems/";
inline constexpr std::string_view kProblemContentType = "application/problem+json";

// Prefer ProblemFromError or ProblemFor, which take the status from the
// catalogue. `extra` members are added after the standard ones; an extra member named
// like a standard one is ignored (the standard member wins).
HttpResponse Problem(unsigned status, std::string_view code, std::string_view title,
                     std::string_view detail, const boost::json::object& extra = {});

// kInvalidArgument 400, kUnauthenticated 401, kPermissionDenied 403,
// kNotFound 404, kAlreadyExists 409, kFailedPrecondition 409,
// kResourceExhausted 429, kUnavailable 503, kInternal 500.
unsigned HttpStatusFor(ErrorCode code);

// Problem for an error: code = error.problem_code (or ErrorCodeName(error.code)
// when the reason is empty), detail = error.message, status from the
// catalogue entry for (code, error.code) (problem_catalogue.hpp); a pair not
// in the catalogue is logged and answered with HttpStatusFor(error.code).
// error.field, when set, is added as "field" (the request field to blame).
// "storage_full" carries the header Retry-After: 30; the store's other outages
// too: "database_busy" 1, "database_unavailable" and "store_unavailable" 5.
// kInternal errors are logged (reason and message) and answered with a generic
// detail so internals never leak to clients.
HttpResponse ProblemFromError(const Error& error);

// Problem for a code the API answers by itself (route_not_found,
// method_not_allowed, body_too_large...): status and title from the code's
// first catalogue entry. A code not in the catalogue is logged and answered
// 500 (a bug: problem_catalogue_test catches it first).
HttpResponse ProblemFor(std::string_view code, std::string_view detail,
                        const boost::json::object& extra = {});

// `status` with content type application/json and the serialized value.
HttpResponse Json(unsigned status, const boost::json::value& value);

}  // namespace simexit::api
