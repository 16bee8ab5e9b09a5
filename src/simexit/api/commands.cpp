#include "simexit/api/commands.hpp"

#include "simexit/domain/roles.hpp"

namespace simexit::api {

namespace json = boost::json;

LoginCommand tag_invoke(json::value_to_tag<LoginCommand>, const json::value& in) {
  const ObjectReader r(in, {"username", "password"});
  LoginCommand command;
  command.username = r.RequiredString("username");
  command.password = r.RequiredString("password");
  return command;
}

ResetPasswordCommand tag_invoke(json::value_to_tag<ResetPasswordCommand>, const json::value& in) {
  const ObjectReader r(in, {"password"});
  return ResetPasswordCommand{r.OptionalString("password")};
}

CreateApiKeyCommand tag_invoke(json::value_to_tag<CreateApiKeyCommand>, const json::value& in) {
  const ObjectReader r(in, {"label"});
  return CreateApiKeyCommand{r.OptionalString("label").value_or("")};
}

ActivityCommand tag_invoke(json::value_to_tag<ActivityCommand>, const json::value& in) {
  const ObjectReader r(in, {"activity"});
  ActivityCommand command;
  command.activity = r.RequiredWith("activity", [](const json::value& v) {
    if (!v.is_array()) {
      RefuseValue("invalid_field", "{field} must be an array of rows");
    }
    std::vector<ActivityRow> rows;
    rows.reserve(v.get_array().size());
    for (const json::value& item : v.get_array()) {
      const json::object* row = item.if_object();
      const json::value* msisdn = row ? row->if_contains("msisdn") : nullptr;
      const json::value* at = row ? row->if_contains("last_paid_activity_at") : nullptr;
      if (row == nullptr || row->size() != 2 || msisdn == nullptr || !msisdn->is_string() ||
          at == nullptr || !at->is_string() || msisdn->get_string().size() > 64 ||
          at->get_string().size() > 64) {
        rows.push_back({"", "",
                        "a row must be an object of exactly the strings msisdn and "
                        "last_paid_activity_at"});
        continue;
      }
      rows.push_back({std::string(msisdn->get_string()), std::string(at->get_string())});
    }
    return rows;
  });
  return command;
}

}  // namespace simexit::api

namespace simexit {

namespace json = boost::json;
using api::ObjectReader;
using api::OrRefuse;

NewStaff tag_invoke(json::value_to_tag<NewStaff>, const json::value& in) {
  const ObjectReader r(in, {"username", "full_name", "role", "password"});
  NewStaff staff;
  staff.username = r.RequiredString("username");
  staff.full_name = r.RequiredString("full_name");
  staff.role = r.RequiredWith("role", [](const json::value& v) {
    const std::optional<StaffRole> role = ParseStaffRole(api::StringOf(v));
    if (!role) {
      api::RefuseValue("invalid_staff",
                       "role must be one of agent_store, agent_phone, back_office, "
                       "operator_admin, admin");
    }
    return *role;
  });
  staff.password = r.OptionalString("password");
  return staff;
}

NewOperator tag_invoke(json::value_to_tag<NewOperator>, const json::value& in) {
  const ObjectReader r(in, {"code", "name", "default_language", "policy"});
  NewOperator op;
  op.code = r.RequiredString("code");
  op.name = r.RequiredString("name");
  op.default_language = r.OptionalString("default_language").value_or("ru");
  // The policy's own errors name its keys ("otp.length"), as PUT .../policy does.
  if (const json::value* policy = r.object().if_contains("policy"); policy != nullptr) {
    op.policy = OrRefuse(Policy::FromJson(*policy));
  }
  return op;
}

Policy tag_invoke(json::value_to_tag<Policy>, const json::value& in) {
  return OrRefuse(Policy::FromJson(in));
}

}  // namespace simexit
