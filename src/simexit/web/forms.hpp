#pragma once
// What every page's forms share: reading a POSTed form once its CSRF token is
// checked, an API problem shown next to the field it names (in the page's
// language), and labelled inputs that say their hint and error to screen
// readers. Internal to web/.

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"
#include "simexit/domain/messages.hpp"
#include "simexit/web/html.hpp"
#include "simexit/web/page.hpp"

namespace simexit::web {

using Form = std::map<std::string, std::string>;

// An API problem as the page shows it: next to the form field it names, in
// the page's language.
struct FieldError {
  std::string field;  // the form field ("" when it names none)
  std::string code;   // the API's problem code
  std::string text;
};

// The text of a problem code in the page's language ("error.<code>" in the
// catalogue), or the generic text naming the code.
std::string ProblemText(const PageContext& ctx, const std::string& code);

// `error` as the page shows it: the API's field names mapped to the form's
// (scheduled_for -> close_date, refund.* -> refund_method/refund_destination),
// and refund and schedule rules that name no member put on their field.
FieldError ErrorFrom(const PageContext& ctx, const Error& error);

// `error` if it is about `field`.
std::optional<FieldError> ErrorOn(const std::optional<FieldError>& error, std::string_view field);

// The message of an error that names none of `fields`, as an alert above the form.
Html Alert(const std::optional<FieldError>& error, std::initializer_list<std::string_view> fields);

struct Input {
  std::string_view name;
  MessageKey label;
  std::optional<MessageKey> hint;
  Markup type = "text";
  std::string value;
  Markup attributes = "";  // extra attributes, e.g. autocomplete
};

// A labelled input with its hint and, when `error` is about it, its error
// (aria-describedby, aria-invalid).
Html InputField(const PageContext& ctx, const Input& in, const std::optional<FieldError>& error);

// The form of a POST when its CSRF token is this browser's; nullopt otherwise.
std::optional<Form> CheckedForm(const PageContext& ctx);

// The value of a form field, "" when absent.
std::string Field(const Form& form, const std::string& name);

}  // namespace simexit::web
