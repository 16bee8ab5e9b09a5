#pragma once
// Strict reading of JSON request bodies: the body must be an object, only the
// listed fields may appear, and each must have the expected type. Failures are
// 400 problems with code "malformed_json", "unknown_field" or "invalid_field"
// naming the field.

#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit::api {

// Parses `body` as a JSON object whose keys are all in `allowed`. An empty body
// is an empty object when `allow_empty`.
Result<boost::json::object> ParseObject(std::string_view body,
                                        std::initializer_list<std::string_view> allowed,
                                        bool allow_empty = false);

// A required string field. "invalid_field" when absent or not a string.
Result<std::string> RequiredString(const boost::json::object& object, std::string_view field);
// An optional string field (absent or null -> nullopt).
Result<std::optional<std::string>> OptionalString(const boost::json::object& object,
                                                  std::string_view field);

}  // namespace simexit::api
