#pragma once
// Decoding JSON request bodies, once, at the edge, into typed commands: the
// one way every route reads a body.
//
//   Result<LoginCommand> login = DecodeBody<LoginCommand>(request.body);
//
// DecodeBody<T> parses the body and converts it with Boost.JSON's value_to<T>.
// A type T is decodable when a
//     T tag_invoke(boost::json::value_to_tag<T>, const boost::json::value&)
// is found by ADL: termination_json.hpp has those of the termination and
// sign-in routes, commands.hpp those of the staff and operator routes. A
// decoder reads an object with ObjectReader (only the listed members may
// appear, each of the expected type) and refuses input by throwing DecodeError;
// Decode catches it, so no exception leaves here.
//
// Every failure is kInvalidArgument and names its field (Error::field, the
// problem's "field": "refund.destination", "upload_ids[2]"):
//  - "malformed_json": not JSON, or not an object where an object is due;
//  - "unknown_field": a member the command does not have;
//  - "invalid_field": a member missing or of the wrong type;
//  - the value's own problem code for typed members ("invalid_msisdn",
//    "invalid_staff", "invalid_policy"...).

#include <boost/json.hpp>
#include <exception>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "simexit/common/result.hpp"

namespace simexit::api {

// A decoder's refusal. `error.field` is relative to the value being decoded
// ("" for the value itself); ObjectReader prefixes the member names on the
// way out. "{field}" in `error.message` becomes the full field path.
class DecodeError : public std::exception {
 public:
  explicit DecodeError(Error error) : error_(std::move(error)) {}
  const char* what() const noexcept override { return error_.problem_code.c_str(); }
  Error& error() { return error_; }

 private:
  Error error_;
};

// Throws DecodeError{kInvalidArgument, reason, message} about the value being
// decoded.
[[noreturn]] void RefuseValue(std::string reason, std::string message);

// The value a domain parser produced, or its refusal thrown as the decoder's.
template <typename T>
T OrRefuse(Result<T> parsed) {
  if (!parsed) {
    throw DecodeError(std::move(parsed.error()));
  }
  return std::move(*parsed);
}

// The members of a JSON object being decoded. Every member must be in
// `allowed` ("unknown_field"); a value that is not an object is
// "invalid_field" ("field '<name>' must be an object").
class ObjectReader {
 public:
  ObjectReader(const boost::json::value& value, std::initializer_list<std::string_view> allowed);

  // Member `name` decoded by `decode(const json::value&)`; absent or null ->
  // nullopt. A DecodeError from `decode` gets `name` prefixed to its field.
  template <typename Fn>
  auto OptionalWith(std::string_view name, Fn&& decode) const
      -> std::optional<decltype(decode(std::declval<const boost::json::value&>()))> {
    const boost::json::value* v = object_->if_contains(name);
    if (v == nullptr || v->is_null()) {
      return std::nullopt;
    }
    try {
      return decode(*v);
    } catch (DecodeError& e) {
      Blame(e, name);
      throw;
    }
  }
  // Same; absent or null is "invalid_field" ("field '<name>' is required").
  template <typename Fn>
  auto RequiredWith(std::string_view name, Fn&& decode) const {
    auto value = OptionalWith(name, std::forward<Fn>(decode));
    if (!value) {
      Missing(name);
    }
    return std::move(*value);
  }

  // Member `name` as T (value_to<T>, so T's tag_invoke).
  template <typename T>
  std::optional<T> Optional(std::string_view name) const {
    return OptionalWith(name,
                        [](const boost::json::value& v) { return boost::json::value_to<T>(v); });
  }
  template <typename T>
  T Required(std::string_view name) const {
    return RequiredWith(name,
                        [](const boost::json::value& v) { return boost::json::value_to<T>(v); });
  }

  // String members, at most `max_size` bytes ("invalid_field" otherwise).
  std::optional<std::string> OptionalString(std::string_view name,
                                            std::size_t max_size = 100'000) const;
  std::string RequiredString(std::string_view name, std::size_t max_size = 100'000) const;

  const boost::json::object& object() const { return *object_; }

 private:
  static void Blame(DecodeError& e, std::string_view name);
  [[noreturn]] static void Missing(std::string_view name);

  const boost::json::object* object_;
};

// The string value itself ("invalid_field" "field '<name>' must be a string").
std::string StringOf(const boost::json::value& value, std::size_t max_size = 100'000);

// `value` decoded as T. Errors: the decoder's, with the full field path.
template <typename T>
Result<T> Decode(const boost::json::value& value) {
  try {
    return boost::json::value_to<T>(value);
  } catch (DecodeError& e) {
    Error error = std::move(e.error());
    for (std::size_t at = error.message.find("{field}"); at != std::string::npos;
         at = error.message.find("{field}", at + error.field.size())) {
      error.message.replace(at, 7, error.field);
    }
    return Fail(std::move(error));
  }
}

// Whether an empty body stands for {} (commands whose members are all
// optional); a route may also decide per call (DecodeBody's `allow_empty`).
template <typename T>
inline constexpr bool kEmptyBodyAllowed = false;

// Whether the body may be JSON other than an object, so that the decoder says
// what it expected instead of "malformed_json" (the policy decoder answers
// "invalid_policy" for an array).
template <typename T>
inline constexpr bool kAnyJsonBody = false;

// The request body as JSON ("malformed_json" when it is not valid JSON, or,
// with `object_only`, not an object). An empty body is {} when `allow_empty`.
Result<boost::json::value> ParseBody(std::string_view body, bool allow_empty = false,
                                     bool object_only = true);

// A body that must be empty or {} (POST .../disable, .../confirmation/resend).
struct EmptyCommand {};
EmptyCommand tag_invoke(boost::json::value_to_tag<EmptyCommand>, const boost::json::value& value);
template <>
inline constexpr bool kEmptyBodyAllowed<EmptyCommand> = true;

// ParseBody, then Decode<T>.
template <typename T>
Result<T> DecodeBody(std::string_view body, bool allow_empty = kEmptyBodyAllowed<T>) {
  SIMEXIT_ASSIGN_OR_RETURN(boost::json::value value,
                           ParseBody(body, allow_empty, !kAnyJsonBody<T>));
  return Decode<T>(value);
}

}  // namespace simexit::api
