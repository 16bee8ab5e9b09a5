// A request in the console (GET /console/terminations/{id}, the same service
// call as GET /v1/terminations/{id}, so another operator's request is "not
// found"): its state, the evidence, the full timeline, and what the staff
// member's role may do with it now: confirm a phone request with the code the
// holder reads out or send a new code, take the payment at the counter,
// cancel, decide a request in review (console_reviews.cpp), print the
// application form.

#include "simexit/web/console_terminations.hpp"

#include <boost/json.hpp>

#include "simexit/api/application_form.hpp"
#include "simexit/api/pdf_responses.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/api/termination_json.hpp"
#include "simexit/domain/review.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::web {
namespace {

namespace json = boost::json;
using api::HttpRequest;
using api::HttpResponse;
using api::PathParams;

Html Evidence(const PageContext& ctx, const TerminationDetail& detail) {
  Html h;
  if (!detail.documents.empty()) {
    h << "<h2>" << Text(ctx.T("console.t.documents")) << "</h2><ul class=\"documents\">";
    for (const DocumentCheckRecord& d : detail.documents) {
      h << "<li>"
        << Text(
               (d.role == "attorney" ? ctx.T("console.doc.attorney") : ctx.T("console.doc.holder")))
        << ": " << Text(ToString(d.kind)) << " " << Text(api::MaskNumber(d.number)) << " "
        << Text(d.country) << ", " << Text(d.full_name) << (d.mrz_checked ? Markup(", MRZ ✓") : "")
        << "</li>";
    }
    h << "</ul>";
  }
  if (detail.power_of_attorney) {
    const PowerOfAttorneyRecord& p = *detail.power_of_attorney;
    h << "<h2>" << Text(ctx.T("console.poa.heading")) << "</h2><dl>"
      << DetailRow(ctx, "console.poa.number", p.number)
      << DetailRow(ctx, "console.poa.issued_on", p.issued_on.ToString())
      << DetailRow(ctx, "console.poa.valid_until", p.valid_until.ToString())
      << DetailRow(ctx, "console.poa.issuer", p.issuer) << "</dl>";
  }
  if (!detail.uploads.empty()) {
    h << "<h2>" << Text(ctx.T("console.t.scans")) << "</h2><ul class=\"scans\">";
    for (const UploadRecord& u : detail.uploads) {
      h << "<li>" << Text(u.file_name.empty() ? u.id : u.file_name) << " (" << Text(u.content_type)
        << ", " << Text(std::to_string(u.size)) << " B)</li>";
    }
    h << "</ul>";
  }
  return h;
}

Html Timeline(const PageContext& ctx, const TerminationDetail& detail) {
  Html h;
  h << "<h2>" << Text(ctx.T("console.t.timeline"))
    << "</h2><ol class=\"timeline\" id=\"timeline\">";
  for (const TerminationEventRecord& e : detail.events) {
    std::string what = e.event;
    if (!e.to_state.empty()) {
      what = StateText(ctx, e.to_state);
    } else if (auto key = MessageKey::Find("event." + e.event)) {
      what = ctx.T(*key);
    }
    h << TimelineEntry(e.at, what, e.actor, e.detail);
  }
  h << "</ol>";
  return h;
}

// The phone request waiting for the holder: the code they read out, a new code.
Html PhoneActions(const PageContext& ctx, const StaffMember& me, const TerminationDetail& detail,
                  const ActionOutcome& outcome) {
  const TerminationRecord& t = detail.termination;
  Html h;
  if (t.channel != Channel::kPhone || t.state != TerminationState::kSubmitted ||
      !detail.confirmation || detail.confirmation->confirmed_at) {
    return h;
  }
  h << "<section class=\"card\" id=\"phone\"><p id=\"phone-waiting\">"
    << Text(ctx.F("console.phone.waiting",
                  {{"time", FormatDateTime(detail.confirmation->expires_at, kConsoleTimeZone)}}))
    << "</p>" << Alert(outcome.error, {"code"}) << "<form method=\"post\" action=\""
    << Text(TerminationPath(t.id)) << "/confirm\">" << ctx.CsrfField()
    << InputField(ctx,
                  {"code", "console.phone.code", std::nullopt, "text", "",
                   "inputmode=\"numeric\" autocomplete=\"off\""},
                  outcome.error)
    << "<button type=\"submit\">" << Text(ctx.T("console.phone.confirm")) << "</button></form>";
  if (me.May(Permission::kOpenPhone)) {
    h << "<form method=\"post\" action=\"" << Text(TerminationPath(t.id)) << "/resend\">"
      << ctx.CsrfField() << "<button type=\"submit\" class=\"secondary\">"
      << Text(ctx.T("console.phone.resend")) << "</button></form>";
  }
  h << "</section>";
  return h;
}

Html PaymentForm(const PageContext& ctx, const StaffMember& me, const TerminationRecord& t,
                 const ActionOutcome& outcome) {
  Html h;
  if (t.state != TerminationState::kAwaitingPayment || !me.May(Permission::kRecordPayment)) {
    return h;
  }
  h << "<section class=\"card\" id=\"payment\"><h2>" << Text(ctx.T("console.t.payment")) << "</h2>";
  if (t.settlement) {
    h << "<p>"
      << Text(ctx.F("console.t.amount_due", {{"amount", FormatMoney(t.settlement->amount_due)}}))
      << "</p>";
  }
  h << "<form method=\"post\" action=\"" << Text(TerminationPath(t.id)) << "/payments\">"
    << ctx.CsrfField()
    << InputField(ctx,
                  {"amount", "console.t.amount", std::nullopt, "text", "",
                   "inputmode=\"decimal\" autocomplete=\"off\""},
                  outcome.action == "payments" ? outcome.error : std::nullopt)
    << "<button type=\"submit\">" << Text(ctx.T("console.t.record_payment"))
    << "</button></form></section>";
  return h;
}

Html CancelForm(const PageContext& ctx, const StaffMember& me, const TerminationRecord& t,
                const ActionOutcome& outcome) {
  Html h;
  if (!Transition(t.state, TerminationEvent::kCancel) || !me.May(Permission::kCancel)) {
    return h;
  }
  h << "<form class=\"card\" id=\"cancel\" method=\"post\" action=\"" << Text(TerminationPath(t.id))
    << "/cancel\">" << ctx.CsrfField()
    << InputField(ctx,
                  {"cancel_reason", "console.t.cancel_reason", std::nullopt, "text", "",
                   "autocomplete=\"off\" maxlength=\"500\""},
                  outcome.action == "cancel" ? outcome.error : std::nullopt)
    << "<button type=\"submit\" class=\"danger\">" << Text(ctx.T("console.t.cancel"))
    << "</button></form>";
  return h;
}

}  // namespace

HttpResponse TerminationPage(api::ApiServices& s, const PageContext& ctx, const StaffMember& me,
                             const std::string& id, const ActionOutcome& outcome) {
  Result<TerminationDetail> detail = s.terminations.Get(me.caller, id);
  Html main = ConsoleTop(ctx, me);
  if (!detail) {
    main << ProblemAlert(ctx, detail.error().problem_code);
    return ConsolePage(ctx, ctx.T("console.title"), main, api::HttpStatusFor(detail.error().code));
  }
  const TerminationRecord& t = detail->termination;
  if (!outcome.notice.empty()) {
    main << "<p class=\"notice\" role=\"status\" id=\"notice\">" << Text(outcome.notice) << "</p>";
  }
  if (outcome.action != "confirm") {
    main << Alert(outcome.error, {"amount", "reason", "reason_code", "cancel_reason"});
  }
  main << "<div class=\"card\" id=\"termination\"><dl><dt>" << Text(ctx.T("console.t.state"))
       << "</dt><dd id=\"state\" data-state=\"" << Text(ToString(t.state)) << "\">"
       << Text(StateText(ctx, ToString(t.state))) << "</dd><dt>" << Text(ctx.T("console.t.number"))
       << "</dt><dd><a href=\"/console/lines?msisdn=" << Text(UrlComponent(t.msisdn.e164()))
       << "\">" << Text(t.msisdn.e164()) << "</a></dd>"
       << DetailRow(ctx, "console.t.channel", ChannelText(ctx, t.channel))
       << DetailRow(ctx, "console.t.requested_by", t.requested_by);
  if (t.review_since && t.state == TerminationState::kInReview) {
    main << "<dt>" << Text(ctx.T("console.review.waiting")) << "</dt><dd>"
         << Text(ctx.F("console.t.waiting_review",
                       {{"time", FormatDateTime(*t.review_since, kConsoleTimeZone)}}))
         << "</dd>";
  }
  if (!t.reviewed_by.empty()) {
    main << DetailRow(ctx, "console.t.reviewed_by", t.reviewed_by);
  }
  if (!t.reason_code.empty()) {
    std::string reason = t.reason_code;
    if (auto key = MessageKey::Find("review_reason." + t.reason_code)) {
      reason = ctx.T(*key);
    }
    main << DetailRow(ctx, "console.t.reason_code", reason);
  }
  if (t.postmarked_on) {
    main << DetailRow(ctx, "console.t.postmark", t.postmarked_on->ToString());
  }
  if (t.scheduled_for) {
    main << DetailRow(ctx, "web.termination.scheduled",
                      FormatDateTime(*t.scheduled_for, kConsoleTimeZone));
  }
  main << "</dl><p><a class=\"button secondary\" id=\"print\" href=\""
       << Text(TerminationPath(t.id)) << "/application-form?lang=" << Text(ToString(ctx.language()))
       << "\" target=\"_blank\">" << Text(ctx.T("console.t.print"))
       << "</a> <a class=\"button secondary\" id=\"print-pdf\" href=\""
       << Text(TerminationPath(t.id))
       << "/application-form.pdf?lang=" << Text(ToString(ctx.language())) << "\">"
       << Text(ctx.T("web.termination.application_pdf")) << "</a>";
  if (!t.certificate_serial.empty()) {
    main << " <a class=\"button secondary\" id=\"certificate-pdf\" href=\""
         << Text(TerminationPath(t.id)) << "/certificate.pdf\">"
         << Text(ctx.T("web.termination.certificate_pdf")) << "</a>";
  }
  main << "</p></div>" << PhoneActions(ctx, me, *detail, outcome) << ReviewForm(ctx, me, t, outcome)
       << PaymentForm(ctx, me, t, outcome) << CancelForm(ctx, me, t, outcome)
       << Evidence(ctx, *detail) << Timeline(ctx, *detail);
  return ConsolePage(ctx, ctx.F("console.t.title", {{"id", t.id}}), main, outcome.status);
}

void AddConsoleTerminationPages(api::Router& router, api::ApiServices& s) {
  router.Add("GET", "/console/terminations/{id}",
             [&s](const HttpRequest& request, const PathParams& p) {
               const PageContext ctx(request);
               return WithStaff(s, ctx, [&](const StaffMember& me) {
                 return TerminationPage(s, ctx, me, p.at("id"), ActionOutcome{});
               });
             });

  // The code the holder reads out to the phone agent (no credential is
  // needed for it in the API; here the agent is signed in anyway).
  router.Add("POST", "/console/terminations/{id}/confirm",
             [&s](const HttpRequest& request, const PathParams& p) {
               return StaffAction(
                   s, request, p.at("id"), "confirm",
                   [&](const StaffMember&, const Form& form) -> Result<std::string> {
                     SIMEXIT_ASSIGN_OR_RETURN(
                         api::ConfirmationCode body,
                         api::DecodeBody<api::ConfirmationCode>(
                             json::serialize(json::object{{"code", Field(form, "code")}})));
                     SIMEXIT_TRY(s.terminations.ConfirmByCode(p.at("id"), body.code));
                     return std::string();
                   });
             });

  router.Add(
      "POST", "/console/terminations/{id}/resend",
      [&s](const HttpRequest& request, const PathParams& p) {
        return StaffAction(
            s, request, p.at("id"), "resend",
            [&](const StaffMember& me, const Form&) -> Result<std::string> {
              SIMEXIT_ASSIGN_OR_RETURN(PendingConfirmation sent,
                                       s.terminations.ResendConfirmation(me.caller, p.at("id")));
              return std::string(sent.sent ? "console.phone.resent" : "console.phone.not_sent");
            });
      });

  router.Add("POST", "/console/terminations/{id}/payments",
             [&s](const HttpRequest& request, const PathParams& p) {
               return StaffAction(
                   s, request, p.at("id"), "payments",
                   [&](const StaffMember& me, const Form& form) -> Result<std::string> {
                     SIMEXIT_ASSIGN_OR_RETURN(
                         api::PaymentRequest body,
                         api::DecodeBody<api::PaymentRequest>(
                             json::serialize(json::object{{"amount", Field(form, "amount")}})));
                     SIMEXIT_TRY(s.terminations.RecordPayment(me.caller, p.at("id"), body.amount));
                     return std::string();
                   });
             });

  router.Add("POST", "/console/terminations/{id}/cancel",
             [&s](const HttpRequest& request, const PathParams& p) {
               return StaffAction(
                   s, request, p.at("id"), "cancel",
                   [&](const StaffMember& me, const Form& form) -> Result<std::string> {
                     json::object body;
                     const std::string reason = Field(form, "cancel_reason");
                     if (!reason.empty()) {
                       body["reason"] = reason;
                     }
                     Result<api::CancelRequest> cancel =
                         api::DecodeBody<api::CancelRequest>(json::serialize(body));
                     if (!cancel) {
                       Error error = cancel.error();  // the form's name for the API's "reason"
                       if (error.field == "reason") {
                         error.field = "cancel_reason";
                       }
                       return Fail(std::move(error));
                     }
                     SIMEXIT_TRY(s.terminations.Cancel(me.caller, p.at("id"), cancel->reason));
                     return std::string();
                   });
             });

  // The documents as PDF, as GET /v1/terminations/{id}/application-form.pdf
  // and /certificate.pdf.
  router.Add("GET", "/console/terminations/{id}/application-form.pdf",
             [&s](const HttpRequest& request, const PathParams& p) {
               const PageContext ctx(request);
               return WithStaff(s, ctx, [&](const StaffMember& me) {
                 Result<HttpResponse> pdf =
                     api::ApplicationFormPdf(s, request, me.caller, p.at("id"));
                 if (!pdf) {
                   return TerminationPage(s, ctx, me, p.at("id"), ActionOutcome{});
                 }
                 return std::move(*pdf);
               });
             });
  router.Add("GET", "/console/terminations/{id}/certificate.pdf",
             [&s](const HttpRequest& request, const PathParams& p) {
               const PageContext ctx(request);
               return WithStaff(s, ctx, [&](const StaffMember& me) {
                 Result<HttpResponse> pdf = api::CertificatePdf(s, request, me.caller, p.at("id"));
                 if (!pdf) {
                   return TerminationPage(s, ctx, me, p.at("id"), ActionOutcome{});
                 }
                 return std::move(*pdf);
               });
             });

  // The printable application form, as GET /v1/terminations/{id}/application-form.
  router.Add("GET", "/console/terminations/{id}/application-form",
             [&s](const HttpRequest& request, const PathParams& p) {
               const PageContext ctx(request);
               return WithStaff(s, ctx, [&](const StaffMember& me) {
                 Result<ApplicationForm> form = s.terminations.Form(me.caller, p.at("id"));
                 if (!form) {
                   return TerminationPage(s, ctx, me, p.at("id"), ActionOutcome{});
                 }
                 HttpResponse response;
                 response.content_type = "text/html; charset=utf-8";
                 response.body = api::ApplicationFormHtml(*form, ToString(ctx.language()));
                 response.headers.emplace_back(
                     "Content-Security-Policy",
                     "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
                 response.headers.emplace_back("Cache-Control", "no-store");
                 ctx.AddCookies(response);
                 return response;
               });
             });
}

}  // namespace simexit::web
