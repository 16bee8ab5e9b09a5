#include "simexit/api/commands.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <initializer_list>

#include "simexit/domain/roles.hpp"

namespace simexit::api {
namespace {

namespace json = boost::json;

// The object, when `json` is one whose members are all in `allowed`.
Result<const json::object*> ObjectWithOnly(const json::value& json,
                                           std::initializer_list<std::string_view> allowed) {
  if (!json.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "malformed_json",
                "the request body must be a JSON object");
  }
  for (const auto& member : json.as_object()) {
    if (std::find(allowed.begin(), allowed.end(), member.key()) == allowed.end()) {
      return FailField(ErrorCode::kInvalidArgument, "unknown_field", std::string(member.key()),
                       "unknown field '" + std::string(member.key()) + "'");
    }
  }
  return &json.as_object();
}

// A string member; absent or null is nullopt.
Result<std::optional<std::string>> OptionalString(const json::object& object,
                                                  std::string_view field) {
  const json::value* v = object.if_contains(field);
  if (v == nullptr || v->is_null()) {
    return std::optional<std::string>();
  }
  if (!v->is_string()) {
    return FailField(ErrorCode::kInvalidArgument, "invalid_field", std::string(field),
                     "field '" + std::string(field) + "' must be a string");
  }
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::string> RequiredString(const json::object& object, std::string_view field) {
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<std::string> text, OptionalString(object, field));
  if (!text) {
    return FailField(ErrorCode::kInvalidArgument, "invalid_field", std::string(field),
                     "field '" + std::string(field) + "' is required");
  }
  return std::move(*text);
}

}  // namespace

Result<json::value> ParseJsonValue(std::string_view body, bool empty_allowed) {
  if (body.empty() && empty_allowed) {
    return json::value(json::object());
  }
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument, "malformed_json",
                "the request body is not valid JSON: " + ec.message());
  }
  return value;
}

Result<LoginCommand> tag_invoke(json::value_to_tag<Result<LoginCommand>>, const json::value& in) {
  SIMEXIT_ASSIGN_OR_RETURN(const json::object* body, ObjectWithOnly(in, {"username", "password"}));
  LoginCommand command;
  SIMEXIT_ASSIGN_OR_RETURN(command.username, RequiredString(*body, "username"));
  SIMEXIT_ASSIGN_OR_RETURN(command.password, RequiredString(*body, "password"));
  return command;
}

Result<ResetPasswordCommand> tag_invoke(json::value_to_tag<Result<ResetPasswordCommand>>,
                                        const json::value& in) {
  SIMEXIT_ASSIGN_OR_RETURN(const json::object* body, ObjectWithOnly(in, {"password"}));
  ResetPasswordCommand command;
  SIMEXIT_ASSIGN_OR_RETURN(command.password, OptionalString(*body, "password"));
  return command;
}

Result<EmptyCommand> tag_invoke(json::value_to_tag<Result<EmptyCommand>>, const json::value& in) {
  SIMEXIT_TRY(ObjectWithOnly(in, {}));
  return EmptyCommand{};
}

Result<CreateApiKeyCommand> tag_invoke(json::value_to_tag<Result<CreateApiKeyCommand>>,
                                       const json::value& in) {
  SIMEXIT_ASSIGN_OR_RETURN(const json::object* body, ObjectWithOnly(in, {"label"}));
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<std::string> label, OptionalString(*body, "label"));
  return CreateApiKeyCommand{label.value_or("")};
}

}  // namespace simexit::api

namespace simexit {

namespace json = boost::json;

Result<NewStaff> tag_invoke(json::value_to_tag<Result<NewStaff>>, const json::value& in) {
  SIMEXIT_ASSIGN_OR_RETURN(const json::object* body,
                           api::ObjectWithOnly(in, {"username", "full_name", "role", "password"}));
  NewStaff staff;
  SIMEXIT_ASSIGN_OR_RETURN(staff.username, api::RequiredString(*body, "username"));
  SIMEXIT_ASSIGN_OR_RETURN(staff.full_name, api::RequiredString(*body, "full_name"));
  SIMEXIT_ASSIGN_OR_RETURN(const std::string role, api::RequiredString(*body, "role"));
  const std::optional<StaffRole> parsed = ParseStaffRole(role);
  if (!parsed) {
    return FailField(ErrorCode::kInvalidArgument, "invalid_staff", "role",
                     "role must be one of agent_store, agent_phone, back_office, "
                     "operator_admin, admin");
  }
  staff.role = *parsed;
  SIMEXIT_ASSIGN_OR_RETURN(staff.password, api::OptionalString(*body, "password"));
  return staff;
}

Result<NewOperator> tag_invoke(json::value_to_tag<Result<NewOperator>>, const json::value& in) {
  SIMEXIT_ASSIGN_OR_RETURN(const json::object* body,
                           api::ObjectWithOnly(in, {"code", "name", "default_language", "policy"}));
  NewOperator op;
  SIMEXIT_ASSIGN_OR_RETURN(op.code, api::RequiredString(*body, "code"));
  SIMEXIT_ASSIGN_OR_RETURN(op.name, api::RequiredString(*body, "name"));
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<std::string> language,
                           api::OptionalString(*body, "default_language"));
  op.default_language = language.value_or("ru");
  if (const json::value* policy = body->if_contains("policy"); policy != nullptr) {
    SIMEXIT_ASSIGN_OR_RETURN(op.policy, Policy::FromJson(*policy));
  }
  return op;
}

Result<Policy> tag_invoke(json::value_to_tag<Result<Policy>>, const json::value& in) {
  return Policy::FromJson(in);
}

}  // namespace simexit
