#pragma once
// The bodies of the staff and operator routes, decoded at the edge into typed
// commands (request_json.hpp explains the mechanism and the failures). Use
// cases receive these values and never see the JSON.
//
//   LoginCommand          {username, password}
//   ResetPasswordCommand  {password?}; the body may be empty
//   EmptyCommand          {} or no body (request_json.hpp)
//   CreateApiKeyCommand   {label?}; the body may be empty
//   NewStaff              {username, full_name, role, password?}; an unknown
//                         role is "invalid_staff" naming "role"
//   NewOperator           {code, name, default_language? ("ru"), policy?
//                         (defaults)}; a bad policy is "invalid_policy"
//   Policy                the policy document (Policy::FromJson), which may
//                         be any JSON: the decoder says what it expected

#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>
#include <optional>
#include <string>

#include "simexit/api/request_json.hpp"
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

// POST /v1/operators/{code}/api-keys (the body may be empty).
struct CreateApiKeyCommand {
  std::string label;  // "" when absent
};

// POST /v1/operators/{code}/activity: {"activity": [{"msisdn", "last_paid_activity_at"}...]}.
// An element that is not an object of exactly those two strings is kept as an
// unreadable row (ActivityRow::unreadable), so every bad row is named at once.
struct ActivityCommand {
  std::vector<ActivityRow> activity;
};

LoginCommand tag_invoke(boost::json::value_to_tag<LoginCommand>, const boost::json::value& json);
ActivityCommand tag_invoke(boost::json::value_to_tag<ActivityCommand>,
                           const boost::json::value& json);
ResetPasswordCommand tag_invoke(boost::json::value_to_tag<ResetPasswordCommand>,
                                const boost::json::value& json);
CreateApiKeyCommand tag_invoke(boost::json::value_to_tag<CreateApiKeyCommand>,
                               const boost::json::value& json);

template <>
inline constexpr bool kEmptyBodyAllowed<ResetPasswordCommand> = true;
template <>
inline constexpr bool kEmptyBodyAllowed<CreateApiKeyCommand> = true;
template <>
inline constexpr bool kAnyJsonBody<Policy> = true;

}  // namespace simexit::api

namespace simexit {

// POST /v1/operators/{code}/staff
NewStaff tag_invoke(boost::json::value_to_tag<NewStaff>, const boost::json::value& json);
// POST /v1/operators
NewOperator tag_invoke(boost::json::value_to_tag<NewOperator>, const boost::json::value& json);
// PUT /v1/operators/{code}/policy
Policy tag_invoke(boost::json::value_to_tag<Policy>, const boost::json::value& json);

}  // namespace simexit
