// What every page's forms share (forms.hpp).

#include "simexit/web/forms.hpp"

namespace simexit::web {
namespace {

// The API names fields as its JSON does; the forms name them their own way.
std::string FormFieldOf(const std::string& api_field) {
  if (api_field == "scheduled_for") {
    return "close_date";
  }
  if (api_field == "refund.destination") {
    return "refund_destination";
  }
  if (api_field == "refund" || api_field == "refund.method") {
    return "refund_method";
  }
  return api_field;
}

}  // namespace

std::string ProblemText(const PageContext& ctx, const std::string& code) {
  if (std::optional<MessageKey> key = MessageKey::Find("error." + code)) {
    return std::string(ctx.T(*key));
  }
  return ctx.F("error.generic", {{"code", code}});
}

FieldError ErrorFrom(const PageContext& ctx, const Error& error) {
  std::string field = FormFieldOf(error.field);
  // Rules that are about the refund without naming a member.
  if (field.empty() && (error.problem_code == "refund_method_required")) {
    field = "refund_method";
  }
  if (field.empty() && error.problem_code == "invalid_refund") {
    field = "refund_destination";
  }
  if (field.empty() && error.problem_code == "invalid_schedule") {
    field = "close_date";
  }
  return FieldError{field, error.problem_code, ProblemText(ctx, error.problem_code)};
}

std::optional<FieldError> ErrorOn(const std::optional<FieldError>& error, std::string_view field) {
  if (error && error->field == field) {
    return error;
  }
  return std::nullopt;
}

// The message of an error that names no field of the form, above it.
Html Alert(const std::optional<FieldError>& error, std::initializer_list<std::string_view> fields) {
  Html h;
  if (!error) {
    return h;
  }
  for (std::string_view f : fields) {
    if (error->field == f) {
      return h;
    }
  }
  h << "<p class=\"alert\" role=\"alert\" data-code=\"" << Text(error->code) << "\">"
    << Text(error->text) << "</p>";
  return h;
}

Html InputField(const PageContext& ctx, const Input& in, const std::optional<FieldError>& error) {
  Html h;
  const std::optional<FieldError> mine = ErrorOn(error, in.name);
  h << "<label for=\"" << Text(in.name) << "\">" << Text(ctx.T(in.label));
  if (in.hint) {
    h << "<span class=\"hint\" id=\"" << Text(in.name) << "-hint\">" << Text(ctx.T(*in.hint))
      << "</span>";
  }
  h << "</label>";
  if (mine) {
    h << "<p class=\"error\" id=\"" << Text(in.name) << "-error\" data-code=\"" << Text(mine->code)
      << "\">" << Text(mine->text) << "</p>";
  }
  h << "<input type=\"" << in.type << "\" id=\"" << Text(in.name) << "\" name=\"" << Text(in.name)
    << "\" value=\"" << Text(in.value) << "\" " << in.attributes;
  std::string described;
  if (in.hint) {
    described += std::string(in.name) + "-hint";
  }
  if (mine) {
    described += (described.empty() ? "" : " ") + std::string(in.name) + "-error";
  }
  if (!described.empty()) {
    h << " aria-describedby=\"" << Text(described) << "\"";
  }
  if (mine) {
    h << " aria-invalid=\"true\"";
  }
  h << ">";
  return h;
}

std::optional<Form> CheckedForm(const PageContext& ctx) {
  std::optional<Form> form = ParseForm(ctx.request().body);
  if (!form || !ctx.CsrfValid(*form)) {
    return std::nullopt;
  }
  return form;
}

std::string Field(const Form& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

}  // namespace simexit::web
