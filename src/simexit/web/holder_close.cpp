// The holder's closing step: the close form and its confirmation page
// (holder_close.hpp).

#include "simexit/web/holder_close.hpp"

#include "simexit/api/termination_json.hpp"
#include "simexit/common/random.hpp"
#include "simexit/domain/termination.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::web {
namespace {

using api::HttpResponse;

const char* RefundExample(RefundMethod method) {
  switch (method) {
    case RefundMethod::kBankCard:
      return "4400 4300 1234 5671";
    case RefundMethod::kIban:
      return "KZ86125KZT5004100100";
    case RefundMethod::kOtherLine:
      return "+7 701 123 45 67";
  }
  return "";
}

}  // namespace

std::string RefundMethodText(const PageContext& ctx, std::string_view method) {
  if (auto key = MessageKey::Find("refund_method." + std::string(method))) {
    return std::string(ctx.T(*key));
  }
  return std::string(method);
}

HttpResponse ClosePage(api::ApiServices& s, const PageContext& ctx, const Caller& caller,
                       const CloseForm& form, const std::optional<FieldError>& error,
                       unsigned status) {
  Result<QuoteView> quote = s.terminations.Quote(caller, caller.msisdn, Channel::kOnline);
  if (!quote) {
    return Redirect(ctx, "/my/line");
  }
  Html main;
  main << "<h1>" << Text(ctx.F("web.close.title", {{"msisdn", caller.msisdn.e164()}})) << "</h1>"
       << Alert(error, {"close_date", "refund_method", "refund_destination", "contact_msisdn"})
       << "<div class=\"card quote\">" << QuoteWords(ctx, quote->quote) << "</div>"
       << "<form class=\"card\" method=\"post\" action=\"/my/close/review\" novalidate>"
       << ctx.CsrfField() << "<fieldset><legend>" << Text(ctx.T("web.close.when"))
       << "</legend><label class=\"choice\"><input type=\"radio\" name=\"when\" value=\"now\"";
  if (form.when != "date") {
    main << " checked";
  }
  main << "> " << Text(ctx.T("web.close.now"))
       << "</label><label class=\"choice\"><input type=\"radio\" name=\"when\" value=\"date\"";
  if (form.when == "date") {
    main << " checked";
  }
  main << "> " << Text(ctx.T("web.close.on_date")) << "</label>"
       << InputField(ctx,
                     {"close_date", "web.close.date", MessageKey("web.close.date_hint"), "date",
                      form.close_date, ""},
                     error)
       << "</fieldset><fieldset><legend>" << Text(ctx.T("web.close.refund")) << "</legend><p "
       << "class=\"hint\" id=\"refund-hint\">" << Text(ctx.T("web.close.refund_hint")) << "</p>";
  if (const std::optional<FieldError> mine = ErrorOn(error, "refund_method")) {
    main << "<p class=\"error\" id=\"refund_method-error\" data-code=\"" << Text(mine->code)
         << "\">" << Text(mine->text) << "</p>";
  }
  for (RefundMethod method : quote->line.op.policy.refund_methods) {
    const std::string name = ToString(method);
    main << "<label class=\"choice\"><input type=\"radio\" name=\"refund_method\" value=\""
         << Text(name) << "\" data-example=\"" << Text(RefundExample(method)) << "\"";
    if (form.refund_method == name) {
      main << " checked";
    }
    main << "> " << Text(RefundMethodText(ctx, name)) << "</label>";
  }
  main << InputField(ctx,
                     {"refund_destination", "web.close.destination",
                      MessageKey("web.close.destination_hint"), "text", form.refund_destination,
                      "autocomplete=\"off\""},
                     error)
       << "</fieldset><fieldset><legend>" << Text(ctx.T("web.close.contact")) << "</legend>"
       << InputField(
              ctx,
              {"contact_msisdn", "web.close.contact_number", MessageKey("web.close.contact_hint"),
               "tel", form.contact_msisdn, "autocomplete=\"tel\" inputmode=\"tel\""},
              error)
       << "</fieldset><button type=\"submit\">" << Text(ctx.T("web.close.continue"))
       << "</button><a class=\"button secondary\" href=\"/my/line\">" << Text(ctx.T("web.back"))
       << "</a></form>";
  return Page(ctx, ctx.T("web.close.heading"), main, status);
}

HttpResponse ReviewPage(api::ApiServices& s, const PageContext& ctx, const Caller& caller,
                        const CloseForm& form, const CreateTerminationCommand& command) {
  Result<QuoteView> quote = s.terminations.Quote(caller, command.msisdn, Channel::kOnline);
  if (!quote) {
    return Redirect(ctx, "/my/line");
  }
  static SodiumRandom random;
  Html main;
  main << "<h1>" << Text(ctx.T("web.review.title")) << "</h1><div class=\"card\"><dl><dt>"
       << Text(ctx.T("web.line.number")) << "</dt><dd>" << Text(caller.msisdn.e164()) << "</dd><dt>"
       << Text(ctx.T("web.close.when")) << "</dt><dd id=\"review-when\">";
  if (command.scheduled_for) {
    main << Text(FormatDateTime(*command.scheduled_for, TimeZoneOf(quote->line)));
  } else {
    main << Text(ctx.T("web.review.now"));
  }
  main << "</dd>";
  if (command.refund) {
    main << "<dt>" << Text(ctx.T("web.close.refund")) << "</dt><dd id=\"review-refund\">"
         << Text(RefundMethodText(ctx, ToString(command.refund->method))) << ": "
         << Text(command.refund->destination) << "</dd>";
  }
  main << "<dt>" << Text(ctx.T("web.close.contact")) << "</dt><dd id=\"review-contact\">";
  if (command.contact_msisdn) {
    main << Text(command.contact_msisdn->e164());
  } else {
    main << Text(ctx.T("web.review.no_contact"));
  }
  main << "</dd></dl></div><div class=\"card quote\">" << QuoteWords(ctx, quote->quote)
       << "</div><p class=\"alert\">" << Text(ctx.T("web.review.warning"))
       << "</p><form method=\"post\" action=\"/my/close\">" << ctx.CsrfField() << form.Hidden()
       << "<input type=\"hidden\" name=\"attempt\" value=\"" << Text(random.Hex(12)) << "\">"
       << "<button type=\"submit\" name=\"action\" value=\"confirm\" class=\"danger\">"
       << Text(ctx.T("web.review.confirm")) << "</button><button type=\"submit\" name=\"action\" "
       << "value=\"edit\" class=\"secondary\">" << Text(ctx.T("web.review.change"))
       << "</button></form>";
  return Page(ctx, ctx.T("web.review.title"), main);
}

}  // namespace simexit::web
