#include "simexit/api/request_json.hpp"

namespace simexit::api {

Result<boost::json::value> ParseBody(std::string_view body, bool allow_empty, bool object_only) {
  if (body.empty() && allow_empty) {
    return boost::json::value(boost::json::object{});
  }
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument, "malformed_json",
                "the request body is not valid JSON: " + ec.message());
  }
  if (object_only && !value.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "malformed_json",
                "the request body must be a JSON object");
  }
  return value;
}

EmptyCommand tag_invoke(boost::json::value_to_tag<EmptyCommand>, const boost::json::value& value) {
  const ObjectReader r(value, {});
  return EmptyCommand{};
}

void RefuseValue(std::string reason, std::string message) {
  throw DecodeError(Error{ErrorCode::kInvalidArgument, std::move(reason), std::move(message)});
}

ObjectReader::ObjectReader(const boost::json::value& value,
                           std::initializer_list<std::string_view> allowed) {
  if (!value.is_object()) {
    RefuseValue("invalid_field", "field '{field}' must be an object");
  }
  object_ = &value.get_object();
  for (const auto& member : *object_) {
    bool known = false;
    for (std::string_view name : allowed) {
      known = known || member.key() == name;
    }
    if (!known) {
      const std::string key(member.key());
      throw DecodeError(
          Error{ErrorCode::kInvalidArgument, "unknown_field", "unknown field '" + key + "'", key});
    }
  }
}

void ObjectReader::Blame(DecodeError& e, std::string_view name) {
  std::string& field = e.error().field;
  if (field.empty()) {
    field = std::string(name);
  } else if (field.front() == '[') {
    field = std::string(name) + field;
  } else {
    field = std::string(name) + "." + field;
  }
}

void ObjectReader::Missing(std::string_view name) {
  throw DecodeError(Error{ErrorCode::kInvalidArgument, "invalid_field",
                          "field '{field}' is required", std::string(name)});
}

std::string StringOf(const boost::json::value& value, std::size_t max_size) {
  if (!value.is_string()) {
    RefuseValue("invalid_field", "field '{field}' must be a string");
  }
  if (value.get_string().size() > max_size) {
    RefuseValue("invalid_field", "field '{field}' is too long");
  }
  return std::string(value.get_string());
}

std::optional<std::string> ObjectReader::OptionalString(std::string_view name,
                                                        std::size_t max_size) const {
  return OptionalWith(name,
                      [max_size](const boost::json::value& v) { return StringOf(v, max_size); });
}

std::string ObjectReader::RequiredString(std::string_view name, std::size_t max_size) const {
  return RequiredWith(name,
                      [max_size](const boost::json::value& v) { return StringOf(v, max_size); });
}

}  // namespace simexit::api
