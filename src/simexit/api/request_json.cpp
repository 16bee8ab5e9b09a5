#include "simexit/api/request_json.hpp"

namespace simexit::api {

Result<boost::json::object> ParseObject(std::string_view body,
                                        std::initializer_list<std::string_view> allowed,
                                        bool allow_empty) {
  if (body.empty() && allow_empty) return boost::json::object{};
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument, "malformed_json",
                "the request body is not valid JSON: " + ec.message());
  }
  if (!value.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "malformed_json",
                "the request body must be a JSON object");
  }
  for (const auto& member : value.as_object()) {
    bool known = false;
    for (std::string_view name : allowed) {
      if (member.key() == name) known = true;
    }
    if (!known) {
      return Fail(ErrorCode::kInvalidArgument, "unknown_field",
                  "unknown field '" + std::string(member.key()) + "'");
    }
  }
  return std::move(value.as_object());
}

Result<std::string> RequiredString(const boost::json::object& object, std::string_view field) {
  const boost::json::value* v = object.if_contains(field);
  if (v == nullptr || v->is_null()) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_field",
                "field '" + std::string(field) + "' is required");
  }
  if (!v->is_string()) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_field",
                "field '" + std::string(field) + "' must be a string");
  }
  return std::string(v->as_string());
}

Result<std::optional<std::string>> OptionalString(const boost::json::object& object,
                                                  std::string_view field) {
  const boost::json::value* v = object.if_contains(field);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_field",
                "field '" + std::string(field) + "' must be a string");
  }
  return std::optional<std::string>(std::string(v->as_string()));
}

}  // namespace simexit::api
