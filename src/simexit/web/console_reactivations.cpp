// Reactivations in the console (docs/reactivation.md), the same service calls
// as the /v1/reactivations routes, so another operator's is "not found":
//   GET  /console/reactivations/new?msisdn=  the form, from a quarantined
//        line's card: how the application came (store: decided at once; mail:
//        with its postmark, decided by a second person), the former holder's
//        document, the new SIM
//   POST /console/reactivations  turns the form into the body POST
//        /v1/reactivations takes, decodes it with the API's decoder and calls
//        ReactivationService::Open; a problem shows next to its field
//   GET  /console/reactivations[?state=]  the operator's, newest first
//   GET  /console/reactivations/{id}  one, with its timeline and, while a
//        posted application waits, the decision (approve, or reject with a
//        reason) for a reviewer who did not open it (four eyes)
//   POST /console/reactivations/{id}/decision

#include <algorithm>
#include <boost/json.hpp>

#include "simexit/api/reactivation_json.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/common/random.hpp"
#include "simexit/common/time_zone.hpp"
#include "simexit/web/console_documents.hpp"
#include "simexit/web/console_shell.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::web {
namespace {

namespace json = boost::json;
using api::HttpRequest;
using api::HttpResponse;
using api::PathParams;

constexpr int kListLength = 200;

std::string ReactivationPath(const std::string& id) { return "/console/reactivations/" + id; }

std::string ReactivationStateText(const PageContext& ctx, ReactivationState state) {
  if (auto key = MessageKey::Find(std::string("reactivation_state.") + ToString(state))) {
    return std::string(ctx.T(*key));
  }
  return ToString(state);
}

// The channels the staff member may take a reactivation through.
std::vector<Channel> ChannelsOf(const StaffMember& me) {
  std::vector<Channel> channels;
  if (me.May(Permission::kOpenStore)) {
    channels.push_back(Channel::kStore);
  }
  if (me.May(Permission::kOpenMail)) {
    channels.push_back(Channel::kMail);
  }
  return channels;
}

// The body POST /v1/reactivations would get from the form.
json::object OpenJson(const Form& form) {
  json::object body{{"msisdn", Field(form, "msisdn")},
                    {"channel", Field(form, "channel")},
                    {"document", DocumentJson(form, "document_")}};
  for (const char* member : {"iccid", "imsi", "postmarked_on"}) {
    if (const std::string value = Field(form, member); !value.empty()) {
      body[member] = value;
    }
  }
  return body;
}

HttpResponse OpenPage(api::ApiServices& s, const PageContext& ctx, const StaffMember& me,
                      const Form& form, const std::optional<FieldError>& error,
                      unsigned status = 200) {
  static SodiumRandom random;
  const std::string msisdn = Field(form, "msisdn");
  const std::string title = ctx.F("console.rea.title", {{"msisdn", msisdn}});
  Html main = ConsoleTop(ctx, me);
  Result<Msisdn> number = Msisdn::Parse(msisdn);
  Result<LineView> view =
      number ? s.terminations.GetLine(me.caller, *number) : Result<LineView>(Fail(number.error()));
  if (!view) {
    main << ProblemAlert(ctx, view.error().problem_code) << SearchForm(ctx, LineQuery{});
    return ConsolePage(ctx, title, main, api::HttpStatusFor(view.error().code));
  }
  const std::vector<Channel> channels = ChannelsOf(me);
  main << LineCard(ctx, me, *view);
  if (channels.empty()) {
    main << ProblemAlert(ctx, "insufficient_role");
    return ConsolePage(ctx, title, main, 403);
  }
  const std::string chosen =
      Field(form, "channel").empty() ? ToString(channels.front()) : Field(form, "channel");
  main << Alert(error, {"channel", "document_kind", "document_number", "document_country",
                        "document_full_name", "document_iin", "document_birth_date",
                        "document_expiry_date", "document_mrz", "postmarked_on", "iccid", "imsi"})
       << "<form class=\"card request\" id=\"reactivation\" method=\"post\" "
          "action=\"/console/reactivations\" novalidate>"
       << ctx.CsrfField() << "<input type=\"hidden\" name=\"msisdn\" value=\"" << Text(msisdn)
       << "\"><input type=\"hidden\" name=\"attempt\" value=\""
       << Text(Field(form, "attempt").empty() ? random.Hex(12) : Field(form, "attempt")) << "\"><p>"
       << Text(ctx.T("console.rea.intro")) << "</p><fieldset><legend>"
       << Text(ctx.T("console.rea.channel")) << "</legend>";
  if (const std::optional<FieldError> on_channel = ErrorOn(error, "channel")) {
    main << "<p class=\"error\" id=\"channel-error\" data-code=\"" << Text(on_channel->code)
         << "\">" << Text(on_channel->text) << "</p>";
  }
  for (Channel channel : channels) {
    const std::string name = ToString(channel);
    main << "<label class=\"choice\"><input type=\"radio\" name=\"channel\" value=\"" << Text(name)
         << "\"" << (chosen == name ? Markup(" checked") : "") << "> "
         << Text(ctx.T(channel == Channel::kStore ? MessageKey("console.rea.store")
                                                  : MessageKey("console.rea.mail")))
         << "</label>";
  }
  if (me.May(Permission::kOpenMail)) {
    main << InputField(ctx,
                       {"postmarked_on", "console.mail.postmarked_on", std::nullopt, "date",
                        Field(form, "postmarked_on")},
                       error);
  }
  main << "</fieldset>" << DocumentFields(ctx, form, "document_", error) << "<fieldset><legend>"
       << Text(ctx.T("console.rea.sim")) << "</legend><p class=\"hint\" id=\"sim-hint\">"
       << Text(ctx.T("console.rea.sim_hint")) << "</p>"
       << InputField(ctx,
                     {"iccid", "console.rea.iccid", std::nullopt, "text", Field(form, "iccid"),
                      "inputmode=\"numeric\" autocomplete=\"off\""},
                     error)
       << InputField(ctx,
                     {"imsi", "console.rea.imsi", std::nullopt, "text", Field(form, "imsi"),
                      "inputmode=\"numeric\" autocomplete=\"off\""},
                     error)
       << "</fieldset><button type=\"submit\">" << Text(ctx.T("console.rea.submit"))
       << "</button></form>";
  return ConsolePage(ctx, title, main, status);
}

HttpResponse ListPage(const PageContext& ctx, const StaffMember& me,
                      ReactivationService& reactivations, std::optional<ReactivationState> state) {
  Html main = ConsoleTop(ctx, me);
  main << "<p class=\"filters\"><a href=\"/console/reactivations\""
       << (state ? Markup("") : Markup(" aria-current=\"page\"")) << ">"
       << Text(ctx.T("console.rea.all")) << "</a> · <a "
       << "href=\"/console/reactivations?state=pending_review\""
       << (state ? Markup(" aria-current=\"page\"") : Markup("")) << ">"
       << Text(ReactivationStateText(ctx, ReactivationState::kPendingReview)) << "</a></p>";
  Result<std::vector<ReactivationRecord>> list = reactivations.List(me.caller, state, kListLength);
  if (!list) {
    main << ProblemAlert(ctx, list.error().problem_code);
    return ConsolePage(ctx, ctx.T("console.nav.reactivations"), main,
                       api::HttpStatusFor(list.error().code));
  }
  if (list->empty()) {
    main << "<p id=\"reactivations-empty\">" << Text(ctx.T("console.rea.empty")) << "</p>";
    return ConsolePage(ctx, ctx.T("console.nav.reactivations"), main);
  }
  main << QueueTableHead(ctx, "reactivations",
                         {"console.rea.id", "console.t.number", "console.t.channel",
                          "console.rea.opened", "console.t.state"});
  for (const ReactivationRecord& r : *list) {
    main << "<tr data-id=\"" << Text(r.id) << "\" data-state=\"" << Text(ToString(r.state))
         << "\"><td><a href=\"" << Text(ReactivationPath(r.id)) << "\">" << Text(r.id)
         << "</a></td><td>" << Text(r.msisdn.e164()) << "</td><td>"
         << Text(ChannelText(ctx, r.channel)) << "</td><td>"
         << Text(FormatDateTime(r.created_at, kConsoleTimeZone)) << "</td><td>"
         << Text(ReactivationStateText(ctx, r.state)) << "</td></tr>";
  }
  main << "</tbody></table>";
  return ConsolePage(ctx, ctx.T("console.nav.reactivations"), main);
}

Html Timeline(const PageContext& ctx, const std::vector<ReactivationEventRecord>& events) {
  Html h;
  h << "<h2>" << Text(ctx.T("console.t.timeline"))
    << "</h2><ol class=\"timeline\" id=\"timeline\">";
  for (const ReactivationEventRecord& e : events) {
    std::string what = e.event;
    if (std::optional<ReactivationState> to = ParseReactivationState(e.to_state)) {
      what = ReactivationStateText(ctx, *to);
    } else if (auto key = MessageKey::Find("console.rea.event." + e.event)) {
      what = ctx.T(*key);
    }
    h << TimelineEntry(e.at, what, e.actor, e.detail);
  }
  h << "</ol>";
  return h;
}

// The decision on a posted application that waits, for a reviewer.
Html DecisionForm(const PageContext& ctx, const StaffMember& me, const ReactivationRecord& r,
                  const std::optional<FieldError>& error) {
  Html h;
  if (r.state != ReactivationState::kPendingReview || !me.May(Permission::kReview)) {
    return h;
  }
  h << "<section class=\"card\" id=\"review\"><h2>" << Text(ctx.T("console.rea.decision"))
    << "</h2>";
  if (r.requested_by == me.caller.actor) {
    h << "<p class=\"alert\" id=\"four-eyes\" data-code=\"review_own_request\">"
      << Text(ctx.T("error.review_own_request")) << "</p>";
  }
  h << "<form method=\"post\" action=\"" << Text(ReactivationPath(r.id)) << "/decision\">"
    << ctx.CsrfField()
    << InputField(ctx,
                  {"reason", "console.rea.reject_reason", std::nullopt, "text", "",
                   "autocomplete=\"off\" maxlength=\"500\""},
                  error)
    << "<button type=\"submit\" name=\"decision\" value=\"approve\">"
    << Text(ctx.T("console.review.approve"))
    << "</button><button type=\"submit\" name=\"decision\" value=\"reject\" class=\"danger\">"
    << Text(ctx.T("console.review.reject")) << "</button></form></section>";
  return h;
}

HttpResponse DetailPage(const PageContext& ctx, const StaffMember& me,
                        ReactivationService& reactivations, const std::string& id,
                        const std::optional<FieldError>& error = std::nullopt,
                        unsigned status = 200) {
  Html main = ConsoleTop(ctx, me);
  Result<ReactivationDetail> detail = reactivations.Get(me.caller, id);
  if (!detail) {
    main << ProblemAlert(ctx, detail.error().problem_code);
    return ConsolePage(ctx, ctx.T("console.nav.reactivations"), main,
                       api::HttpStatusFor(detail.error().code));
  }
  const ReactivationRecord& r = detail->reactivation;
  const std::string iccid = r.iccid.digits();
  main << Alert(error, {"reason"}) << "<div class=\"card\" id=\"reactivation\"><dl><dt>"
       << Text(ctx.T("console.t.state")) << "</dt><dd id=\"state\" data-state=\""
       << Text(ToString(r.state)) << "\">" << Text(ReactivationStateText(ctx, r.state))
       << "</dd><dt>" << Text(ctx.T("console.t.number"))
       << "</dt><dd><a href=\"/console/lines?msisdn=" << Text(UrlComponent(r.msisdn.e164()))
       << "\">" << Text(r.msisdn.e164()) << "</a></dd>"
       << DetailRow(ctx, "console.t.channel", ChannelText(ctx, r.channel))
       << DetailRow(ctx, "console.t.requested_by", r.requested_by)
       << DetailRow(ctx, "console.rea.opened", FormatDateTime(r.created_at, kConsoleTimeZone))
       << "<dt>" << Text(ctx.T("console.rea.closed_by")) << "</dt><dd><a href=\""
       << Text(TerminationPath(r.termination_id)) << "\">" << Text(r.termination_id) << "</a></dd>"
       << DetailRow(ctx, "console.rea.deadline", FormatDateTime(detail->deadline, kConsoleTimeZone))
       << "<dt>" << Text(ctx.T("console.rea.sim")) << "</dt><dd id=\"sim\">"
       << Text(r.new_sim ? ctx.F("console.rea.new_sim",
                                 {{"last4", iccid.substr(iccid.size() -
                                                         std::min<std::size_t>(4, iccid.size()))}})
                         : std::string(ctx.T("console.rea.old_sim")))
       << "</dd>";
  if (r.postmarked_on) {
    main << DetailRow(ctx, "console.t.postmark", r.postmarked_on->ToString());
  }
  if (!r.reviewed_by.empty()) {
    main << DetailRow(ctx, "console.t.reviewed_by", r.reviewed_by);
  }
  if (!r.reason.empty()) {
    main << DetailRow(ctx, "console.rea.reason", r.reason);
  }
  main << "</dl></div>" << DecisionForm(ctx, me, r, error) << Timeline(ctx, detail->events);
  return ConsolePage(ctx, ctx.F("console.rea.title", {{"msisdn", r.msisdn.e164()}}), main, status);
}

}  // namespace

void AddConsoleReactivationPages(api::Router& router, api::ApiServices& s,
                                 ReactivationService& reactivations) {
  router.Add("GET", "/console/reactivations/new",
             [&s](const HttpRequest& request, const PathParams&) {
               const PageContext ctx(request);
               return WithStaff(s, ctx, [&](const StaffMember& me) {
                 Form form(request.query.begin(), request.query.end());
                 form.erase("attempt");
                 return OpenPage(s, ctx, me, form, std::nullopt);
               });
             });

  router.Add("POST", "/console/reactivations",
             [&s, &reactivations](const HttpRequest& request, const PathParams&) {
               const PageContext ctx(request);
               std::optional<Form> form = CheckedForm(ctx);
               if (!form) {
                 return StaffSignInPage(ctx, "", std::string("csrf"), 403);
               }
               return WithStaff(s, ctx, [&](const StaffMember& me) {
                 const std::string serialized = json::serialize(OpenJson(*form));
                 Result<OpenReactivationCommand> command =
                     api::DecodeBody<OpenReactivationCommand>(serialized);
                 if (!command) {
                   return OpenPage(s, ctx, me, *form, FormError(ctx, command.error()), 400);
                 }
                 std::optional<IdempotencyKey> idempotency;
                 if (const std::string attempt = Field(*form, "attempt");
                     !attempt.empty() && attempt.size() <= 64) {
                   idempotency = IdempotencyKey{me.caller.actor, "console:" + attempt,
                                                HashHex("POST /v1/reactivations\n" + serialized)};
                 }
                 Result<OpenedReactivation> opened =
                     reactivations.Open(me.caller, *command, idempotency);
                 if (!opened) {
                   return OpenPage(s, ctx, me, *form, FormError(ctx, opened.error()),
                                   api::HttpStatusFor(opened.error().code));
                 }
                 return Redirect(ctx, ReactivationPath(opened->reactivation.id));
               });
             });

  router.Add("GET", "/console/reactivations",
             [&s, &reactivations](const HttpRequest& request, const PathParams&) {
               const PageContext ctx(request);
               return WithStaff(s, ctx, [&](const StaffMember& me) {
                 std::optional<ReactivationState> state;
                 if (auto it = request.query.find("state"); it != request.query.end()) {
                   state = ParseReactivationState(it->second);
                 }
                 return ListPage(ctx, me, reactivations, state);
               });
             });

  router.Add("GET", "/console/reactivations/{id}",
             [&s, &reactivations](const HttpRequest& request, const PathParams& p) {
               const PageContext ctx(request);
               return WithStaff(s, ctx, [&](const StaffMember& me) {
                 return DetailPage(ctx, me, reactivations, p.at("id"));
               });
             });

  // One form, two buttons: decision=approve, or decision=reject with a reason.
  router.Add("POST", "/console/reactivations/{id}/decision",
             [&s, &reactivations](const HttpRequest& request, const PathParams& p) {
               const PageContext ctx(request);
               std::optional<Form> form = CheckedForm(ctx);
               if (!form) {
                 return StaffSignInPage(ctx, "", std::string("csrf"), 403);
               }
               return WithStaff(s, ctx, [&](const StaffMember& me) {
                 const std::string& id = p.at("id");
                 Result<ReactivationRecord> decided = [&]() -> Result<ReactivationRecord> {
                   if (Field(*form, "decision") != "reject") {
                     return reactivations.Approve(me.caller, id);
                   }
                   SIMEXIT_ASSIGN_OR_RETURN(
                       const api::RejectReactivation body,
                       api::DecodeBody<api::RejectReactivation>(
                           json::serialize(json::object{{"reason", Field(*form, "reason")}})));
                   return reactivations.Reject(me.caller, id, body.reason);
                 }();
                 if (!decided) {
                   return DetailPage(ctx, me, reactivations, id, ErrorFrom(ctx, decided.error()),
                                     api::HttpStatusFor(decided.error().code));
                 }
                 return Redirect(ctx, ReactivationPath(id));
               });
             });
}

}  // namespace simexit::web
