#pragma once
// The holder's closing step under /my/close: the form (when, refund,
// contact), its confirmation page, and the helpers the other holder pages
// share with it. Internal to web/.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "simexit/api/route_helpers.hpp"
#include "simexit/web/forms.hpp"
#include "simexit/web/page.hpp"

namespace simexit::web {

// What the close form holds, as typed.
struct CloseForm {
  std::string when = "now";  // "now" or "date"
  std::string close_date;    // YYYY-MM-DD
  std::string refund_method;
  std::string refund_destination;
  std::string contact_msisdn;  // optional: where the notices after closure go

  static CloseForm From(const Form& form) {
    CloseForm f;
    f.when = Field(form, "when") == "date" ? "date" : "now";
    f.close_date = Field(form, "close_date");
    f.refund_method = Field(form, "refund_method");
    f.refund_destination = Field(form, "refund_destination");
    f.contact_msisdn = Field(form, "contact_msisdn");
    return f;
  }

  // The body POST /v1/terminations would get for it.
  boost::json::object RequestJson(const std::string& msisdn) const {
    boost::json::object body{{"msisdn", msisdn}};
    if (when == "date") {
      body["scheduled_for"] = close_date;
    }
    if (!refund_method.empty() || !refund_destination.empty()) {
      body["refund"] =
          boost::json::object{{"method", refund_method}, {"destination", refund_destination}};
    }
    if (!contact_msisdn.empty()) {
      body["contact_msisdn"] = contact_msisdn;
    }
    return body;
  }

  Html Hidden() const {
    Html h;
    h << "<input type=\"hidden\" name=\"when\" value=\"" << Text(when) << "\">"
      << "<input type=\"hidden\" name=\"close_date\" value=\"" << Text(close_date) << "\">"
      << "<input type=\"hidden\" name=\"refund_method\" value=\"" << Text(refund_method) << "\">"
      << "<input type=\"hidden\" name=\"refund_destination\" value=\"" << Text(refund_destination)
      << "\"><input type=\"hidden\" name=\"contact_msisdn\" value=\"" << Text(contact_msisdn)
      << "\">";
    return h;
  }
};

// The settlement in plain words.
Html QuoteWords(const PageContext& ctx, const SettlementQuote& q);

// Where a holder's times are shown when the holder has no zone of their own.
inline constexpr const char* kDefaultTimeZone = "Asia/Almaty";

// The holder's time zone, else kDefaultTimeZone.
std::string TimeZoneOf(const LineView& view);

// A refund method's name in the page's language.
std::string RefundMethodText(const PageContext& ctx, std::string_view method);

// The close form with the quote; `error` shown next to the field it names.
api::HttpResponse ClosePage(api::ApiServices& s, const PageContext& ctx, const Caller& caller,
                            const CloseForm& form, const std::optional<FieldError>& error,
                            unsigned status = 200);

// The explicit confirmation step before the request is made.
api::HttpResponse ReviewPage(api::ApiServices& s, const PageContext& ctx, const Caller& caller,
                             const CloseForm& form, const CreateTerminationCommand& command);

}  // namespace simexit::web
