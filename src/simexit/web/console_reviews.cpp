// The review queue (GET /console/reviews, TerminationService::ReviewQueue as
// GET /v1/reviews): the operator's requests waiting for review, oldest first,
// with how long each has waited against the SLA and the overdue ones marked;
// and the decision on a request's page (approve, or reject with a reason
// code; TerminationService::Review as POST /v1/terminations/{id}/approve and
// /reject). Whoever opened a request cannot decide it: the page says so
// before, and shows the service's refusal (review_own_request) if tried.

#include <boost/json.hpp>

#include "simexit/api/route_helpers.hpp"
#include "simexit/api/termination_json.hpp"
#include "simexit/domain/review.hpp"
#include "simexit/web/console_terminations.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::web {
namespace {

namespace json = boost::json;
using api::HttpRequest;
using api::HttpResponse;
using api::PathParams;

constexpr int kQueueLength = 200;

std::string Hours(const PageContext& ctx, UnixSeconds seconds) {
  const UnixSeconds tenths = seconds / 360;
  return ctx.F("console.review.hours",
               {{"hours", std::to_string(tenths / 10) + "," + std::to_string(tenths % 10)}});
}

HttpResponse QueuePage(api::ApiServices& s, const PageContext& ctx, const StaffMember& me) {
  Html main = ConsoleTop(ctx, me);
  Result<std::vector<ReviewItem>> queue = s.terminations.ReviewQueue(me.caller, kQueueLength);
  if (!queue) {
    main << ProblemAlert(ctx, queue.error().problem_code);
    return ConsolePage(ctx, ctx.T("console.nav.review"), main,
                       api::HttpStatusFor(queue.error().code));
  }
  if (queue->empty()) {
    main << "<p id=\"queue-empty\">" << Text(ctx.T("console.review.empty")) << "</p>";
    return ConsolePage(ctx, ctx.T("console.nav.review"), main);
  }
  main << QueueTableHead(ctx, "queue",
                         {"console.review.request", "console.t.number", "console.t.channel",
                          "console.review.waiting", "console.review.sla", "console.t.state"});
  for (const ReviewItem& item : *queue) {
    const TerminationRecord& t = item.termination;
    main << "<tr" << (item.overdue ? Markup(" class=\"overdue\"") : "") << " data-id=\""
         << Text(t.id) << "\"><td><a href=\"" << Text(TerminationPath(t.id)) << "\">" << Text(t.id)
         << "</a></td><td>" << Text(t.msisdn.e164()) << "</td><td>"
         << Text(ChannelText(ctx, t.channel)) << "</td><td>"
         << Text(Hours(ctx, item.waiting_seconds)) << "</td><td>"
         << Text(Hours(ctx, item.sla_seconds)) << "</td><td>";
    if (item.overdue) {
      main << "<strong class=\"overdue\">" << Text(ctx.T("console.review.overdue")) << "</strong>";
    } else {
      main << Text(ctx.T("console.review.on_time"));
    }
    main << "</td></tr>";
  }
  main << "</tbody></table>";
  return ConsolePage(ctx, ctx.T("console.nav.review"), main);
}

}  // namespace

Html ReviewForm(const PageContext& ctx, const StaffMember& me, const TerminationRecord& t,
                const ActionOutcome& outcome) {
  Html h;
  if (t.state != TerminationState::kInReview || !me.May(Permission::kReview)) {
    return h;
  }
  const std::optional<FieldError> error =
      outcome.action == "approve" || outcome.action == "reject" ? outcome.error : std::nullopt;
  h << "<section class=\"card\" id=\"review\"><h2>" << Text(ctx.T("console.review.heading"))
    << "</h2>";
  if (t.requested_by == me.caller.actor) {
    h << "<p class=\"alert\" id=\"four-eyes\" data-code=\"review_own_request\">"
      << Text(ctx.T("error.review_own_request")) << "</p>";
  }
  h << "<form method=\"post\" action=\"" << Text(TerminationPath(t.id)) << "/decision\">"
    << ctx.CsrfField();
  const std::optional<FieldError> on_code = ErrorOn(error, "reason_code");
  h << "<label for=\"reason_code\">" << Text(ctx.T("console.review.reason_code")) << "</label>";
  if (on_code) {
    h << "<p class=\"error\" id=\"reason_code-error\" data-code=\"" << Text(on_code->code) << "\">"
      << Text(on_code->text) << "</p>";
  }
  h << "<select id=\"reason_code\" name=\"reason_code\""
    << (on_code ? Markup(" aria-invalid=\"true\" aria-describedby=\"reason_code-error\"") : "")
    << "><option value=\"\">" << Text(ctx.T("console.review.no_reason")) << "</option>";
  for (std::string_view code : kReviewReasonCodes) {
    h << "<option value=\"" << Text(code) << "\">";
    if (auto key = MessageKey::Find("review_reason." + std::string(code))) {
      h << Text(ctx.T(*key));
    }
    h << "</option>";
  }
  h << "</select>"
    << InputField(ctx,
                  {"reason", "console.review.reason", std::nullopt, "text", "",
                   "autocomplete=\"off\" maxlength=\"500\""},
                  error)
    << "<button type=\"submit\" name=\"decision\" value=\"approve\">"
    << Text(ctx.T("console.review.approve"))
    << "</button><button type=\"submit\" name=\"decision\" value=\"reject\" class=\"danger\">"
    << Text(ctx.T("console.review.reject")) << "</button></form></section>";
  return h;
}

void AddConsoleReviewPages(api::Router& router, api::ApiServices& s) {
  router.Add("GET", "/console/reviews", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    return WithStaff(s, ctx, [&](const StaffMember& me) { return QueuePage(s, ctx, me); });
  });

  // One form, two buttons: decision=approve or decision=reject.
  router.Add(
      "POST", "/console/terminations/{id}/decision",
      [&s](const HttpRequest& request, const PathParams& p) {
        const bool approve = ParseForm(request.body).value_or(Form{})["decision"] != "reject";
        return StaffAction(s, request, p.at("id"), approve ? "approve" : "reject",
                           [&](const StaffMember& me, const Form& form) -> Result<std::string> {
                             json::object body;
                             if (!Field(form, "reason_code").empty()) {
                               body["reason_code"] = Field(form, "reason_code");
                             }
                             if (!Field(form, "reason").empty()) {
                               body["reason"] = Field(form, "reason");
                             }
                             SIMEXIT_ASSIGN_OR_RETURN(
                                 ReviewDecision decision,
                                 api::DecodeBody<ReviewDecision>(json::serialize(body), approve));
                             decision.approve = approve;
                             SIMEXIT_TRY(s.terminations.Review(me.caller, p.at("id"), decision));
                             return std::string();
                           });
      });
}

}  // namespace simexit::web
