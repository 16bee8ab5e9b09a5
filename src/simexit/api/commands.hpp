#pragma once
// Typed commands decoded from JSON request bodies, once, at the edge
// (Boost.JSON value_to with tag_invoke), for the staff, operator and upload
// routes. Use cases receive these values and never see the JSON.
//
//   Result<LoginCommand> login = DecodeBody<LoginCommand>(request.body);
//
// Every failure is kInvalidArgument with today's reason codes:
//  - "malformed_json": not JSON, or not an object (where an object is due);
//  - "unknown_field": a member the command does not have (field = its name);
//  - "invalid_field": a member missing or of the wrong type (field = its name);
//  - the domain's own reasons for typed members ("invalid_staff" with field
//    "role" for an unknown role, "invalid_policy" for a policy).
//
// The conversions target Result<T>, so value_to<Result<T>>(value) never
// throws. They live in the namespace of T (ADL finds them there).

#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"
#include "simexit/domain/policy.hpp"
#include "simexit/service/operator_service.hpp"
#include "simexit/service/staff_service.hpp"

namespace simexit::api {

// POST /v1/staff/login
struct LoginCommand {
  std::string username;
  std::string password;
};

// POST /v1/staff/{id}/reset-password (the body may be empty).
struct ResetPasswordCommand {
  std::optional<std::string> password;  // nullopt: generate one
};

// POST /v1/staff/{id}/disable and /enable: an empty body or {}.
struct EmptyCommand {};

// POST /v1/operators/{code}/api-keys (the body may be empty).
struct CreateApiKeyCommand {
  std::string label;  // "" when absent
};

Result<LoginCommand> tag_invoke(boost::json::value_to_tag<Result<LoginCommand>>,
                                const boost::json::value& json);
Result<ResetPasswordCommand> tag_invoke(boost::json::value_to_tag<Result<ResetPasswordCommand>>,
                                        const boost::json::value& json);
Result<EmptyCommand> tag_invoke(boost::json::value_to_tag<Result<EmptyCommand>>,
                                const boost::json::value& json);
Result<CreateApiKeyCommand> tag_invoke(boost::json::value_to_tag<Result<CreateApiKeyCommand>>,
                                       const boost::json::value& json);

// Whether an empty body stands for {} (commands whose members are all optional).
template <typename T>
inline constexpr bool kEmptyBodyAllowed = false;
template <>
inline constexpr bool kEmptyBodyAllowed<ResetPasswordCommand> = true;
template <>
inline constexpr bool kEmptyBodyAllowed<EmptyCommand> = true;
template <>
inline constexpr bool kEmptyBodyAllowed<CreateApiKeyCommand> = true;

// Parses `body` as JSON of any kind ("malformed_json" when it is not JSON), so
// each decoder can say what it expected instead (the policy decoder answers
// invalid_policy for an array).
Result<boost::json::value> ParseJsonValue(std::string_view body, bool empty_allowed);

template <typename T>
Result<T> DecodeBody(std::string_view body) {
  SIMEXIT_ASSIGN_OR_RETURN(boost::json::value json, ParseJsonValue(body, kEmptyBodyAllowed<T>));
  return boost::json::value_to<Result<T>>(json);
}

}  // namespace simexit::api

namespace simexit {

// POST /v1/operators/{code}/staff: {username, full_name, role, password?}.
Result<NewStaff> tag_invoke(boost::json::value_to_tag<Result<NewStaff>>,
                            const boost::json::value& json);
// POST /v1/operators: {code, name, default_language? ("ru"), policy? (defaults)}.
Result<NewOperator> tag_invoke(boost::json::value_to_tag<Result<NewOperator>>,
                               const boost::json::value& json);
// PUT /v1/operators/{code}/policy: the policy document (Policy::FromJson).
Result<Policy> tag_invoke(boost::json::value_to_tag<Result<Policy>>,
                          const boost::json::value& json);

}  // namespace simexit
