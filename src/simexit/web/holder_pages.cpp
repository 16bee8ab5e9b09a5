// The holder's self-service pages under /my: number -> SMS code -> signed in;
// the line, its balances and the settlement in plain words; closing now or on
// a date with an explicit confirmation step; the request's timeline, cancel,
// and the certificate. Forms are decoded with the API's decoders and handed
// to the same services as /v1 (no rule lives here).

#include <boost/json.hpp>

#include "simexit/api/pdf_responses.hpp"
#include "simexit/api/problem.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/api/termination_json.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/common/random.hpp"
#include "simexit/domain/termination.hpp"
#include "simexit/web/forms.hpp"
#include "simexit/web/holder_close.hpp"
#include "simexit/web/page.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::web {

// The settlement in plain words.
Html QuoteWords(const PageContext& ctx, const SettlementQuote& q) {
  Html h;
  auto say = [&](MessageKey key, Money amount) {
    h << "<p>" << Text(ctx.F(key, {{"amount", FormatMoney(amount)}})) << "</p>";
  };
  if (q.outstanding_charges.IsPositive()) {
    say("web.quote.charges", q.outstanding_charges);
  }
  if (q.fee.IsPositive()) {
    say("web.quote.fee", q.fee);
  } else {
    h << "<p>" << Text(ctx.T("web.quote.no_fee")) << "</p>";
  }
  if (q.applied_from_balance.IsPositive()) {
    say("web.quote.applied", q.applied_from_balance);
  }
  if (q.amount_due.IsPositive()) {
    say("web.quote.due", q.amount_due);
  }
  if (q.refund.IsPositive()) {
    say("web.quote.refund", q.refund);
  }
  if (q.forfeited_main.IsPositive()) {
    say("web.quote.below_minimum", q.forfeited_main);
  }
  if (q.forfeited_bonus.IsPositive()) {
    say("web.quote.bonus", q.forfeited_bonus);
  }
  if (!q.amount_due.IsPositive() && !q.refund.IsPositive()) {
    h << "<p>" << Text(ctx.T("web.quote.nothing")) << "</p>";
  }
  return h;
}

std::string TimeZoneOf(const LineView& view) {
  return view.holder && !view.holder->time_zone.empty() ? view.holder->time_zone : kDefaultTimeZone;
}

namespace {

namespace json = boost::json;
using api::HttpRequest;
using api::HttpResponse;
using api::PathParams;

HttpResponse Forbidden(const PageContext& ctx) {
  Html main;
  main << "<h1>" << Text(ctx.T("web.signin.title")) << "</h1><p class=\"alert\" role=\"alert\" "
       << "data-code=\"csrf\">" << Text(ctx.T("error.csrf")) << "</p><p><a href=\"/my\">"
       << Text(ctx.T("web.back")) << "</a></p>";
  return Page(ctx, ctx.T("web.signin.title"), main, 403);
}

// Runs `fn` with the signed-in holder, or sends the browser to sign in.
template <typename Fn>
HttpResponse WithHolder(api::ApiServices& s, const PageContext& ctx, Fn&& fn) {
  if (!ctx.session().empty()) {
    Result<Caller> caller = s.auth.Authenticate(ctx.session());
    if (caller && caller->kind == CallerKind::kHolder) {
      return fn(*caller);
    }
  }
  HttpResponse response = Redirect(ctx, "/my");
  if (!ctx.session().empty()) {
    response.headers.emplace_back("Set-Cookie", ctx.Cookie(kSessionCookie, "", 0));
  }
  return response;
}

// ------------------------------------------------------------------ sign-in

HttpResponse SignInPage(const PageContext& ctx, const std::string& msisdn,
                        const std::optional<FieldError>& error, unsigned status = 200) {
  Html main;
  main << "<h1>" << Text(ctx.T("web.signin.title")) << "</h1><p>" << Text(ctx.T("web.signin.intro"))
       << "</p>" << Alert(error, {"msisdn"})
       << "<form class=\"card\" method=\"post\" action=\"/my/code\" novalidate>" << ctx.CsrfField()
       << InputField(
              ctx,
              {"msisdn", "web.signin.msisdn", MessageKey("web.signin.msisdn_hint"), "tel", msisdn,
               "autocomplete=\"tel\" inputmode=\"tel\" required data-check=\"msisdn\""},
              error)
       << "<p class=\"error\" id=\"msisdn-live\" hidden>" << Text(ctx.T("error.invalid_msisdn"))
       << "</p><button type=\"submit\">" << Text(ctx.T("web.signin.send_code"))
       << "</button></form>";
  return Page(ctx, ctx.T("web.signin.title"), main, status);
}

HttpResponse CodePage(const PageContext& ctx, const std::string& msisdn, int minutes,
                      const std::optional<FieldError>& error, unsigned status = 200) {
  Html main;
  main << "<h1>" << Text(ctx.T("web.code.title")) << "</h1>";
  if (minutes > 0) {
    main << "<p class=\"notice\" role=\"status\">"
         << Text(ctx.F("web.code.sent", {{"msisdn", msisdn}, {"minutes", std::to_string(minutes)}}))
         << "</p>";
  }
  main << Alert(error, {"code"})
       << "<form class=\"card\" method=\"post\" action=\"/my/sign-in\" novalidate>"
       << ctx.CsrfField() << "<input type=\"hidden\" name=\"msisdn\" value=\"" << Text(msisdn)
       << "\">"
       << InputField(ctx,
                     {"code", "web.code.label", std::nullopt, "text", "",
                      "autocomplete=\"one-time-code\" inputmode=\"numeric\" maxlength=\"10\" "
                      "required"},
                     error)
       << "<button type=\"submit\">" << Text(ctx.T("web.code.sign_in"))
       << "</button></form><form method=\"post\" action=\"/my/code\">" << ctx.CsrfField()
       << "<input type=\"hidden\" name=\"msisdn\" value=\"" << Text(msisdn)
       << "\"><input type=\"hidden\" name=\"resend\" value=\"1\"><button type=\"submit\" "
       << "class=\"secondary\">" << Text(ctx.T("web.code.resend"))
       << "</button></form><p><a href=\"/my\">" << Text(ctx.T("web.code.other_number"))
       << "</a></p>";
  return Page(ctx, ctx.T("web.code.title"), main, status);
}

// ------------------------------------------------------------------ the line

std::string StateText(const PageContext& ctx, TerminationState state) {
  if (auto key = MessageKey::Find(std::string("state.") + ToString(state))) {
    return std::string(ctx.T(*key));
  }
  return ToString(state);
}

HttpResponse LinePage(api::ApiServices& s, const PageContext& ctx, const Caller& caller) {
  Result<LineView> view = s.terminations.GetLine(caller, caller.msisdn);
  if (!view) {
    Html main;
    main << "<h1>" << Text(ctx.T("web.line.title")) << "</h1>"
         << Alert(ErrorFrom(ctx, view.error()), {});
    return Page(ctx, ctx.T("web.line.title"), main, api::HttpStatusFor(view.error().code));
  }
  const LineRecord& line = view->line;
  Html main;
  main << "<h1>" << Text(ctx.F("web.line.heading", {{"msisdn", line.msisdn.e164()}}))
       << "</h1><div class=\"card\"><dl><dt>" << Text(ctx.T("web.line.operator")) << "</dt><dd>"
       << Text(view->op.name) << "</dd><dt>" << Text(ctx.T("web.line.status")) << "</dt><dd>";
  if (auto key = MessageKey::Find(std::string("line_status.") + ToString(line.status))) {
    main << Text(ctx.T(*key));
  }
  main << "</dd><dt>" << Text(ctx.T("web.line.main_balance")) << "</dt><dd id=\"main-balance\">"
       << Text(FormatMoney(line.main_balance)) << "</dd><dt>"
       << Text(ctx.T("web.line.bonus_balance")) << "</dt><dd>"
       << Text(FormatMoney(line.bonus_balance)) << "</dd><dt>"
       << Text(ctx.T("web.line.outstanding_charges")) << "</dt><dd>"
       << Text(FormatMoney(line.outstanding_charges)) << "</dd></dl></div>";
  if (view->open_termination) {
    const TerminationRecord& t = *view->open_termination;
    main << "<p class=\"notice\" role=\"status\">"
         << Text(ctx.F("web.line.open_request", {{"state", StateText(ctx, t.state)}}))
         << " <a href=\"/my/terminations/" << Text(t.id) << "\">"
         << Text(ctx.T("web.line.see_request")) << "</a></p>";
  } else if (line.status == LineStatus::kActive) {
    Result<QuoteView> quote = s.terminations.Quote(caller, caller.msisdn, Channel::kOnline);
    main << "<h2>" << Text(ctx.T("web.quote.title")) << "</h2><div class=\"card quote\" "
         << "id=\"quote\">";
    if (quote) {
      main << QuoteWords(ctx, quote->quote);
    } else {
      main << Alert(ErrorFrom(ctx, quote.error()), {});
    }
    main << "<a class=\"button\" href=\"/my/close\">" << Text(ctx.T("web.line.close"))
         << "</a></div>";
    main << "<h2>" << Text(ctx.T("web.checklist.title")) << "</h2><ul class=\"card\" "
         << "id=\"checklist\"><li>" << Text(ctx.T("web.checklist.contacts")) << "</li><li>"
         << Text(ctx.T("web.checklist.sign_ins")) << "</li><li>"
         << Text(ctx.T("web.checklist.balance")) << "</li></ul>";
  }
  Result<std::vector<TerminationRecord>> earlier = s.terminations.List(caller, std::nullopt, 20);
  if (earlier && !earlier->empty()) {
    main << "<h2>" << Text(ctx.T("web.line.requests")) << "</h2><ul>";
    for (const TerminationRecord& t : *earlier) {
      main << "<li><a href=\"/my/terminations/" << Text(t.id) << "\">"
           << Text(FormatDateTime(t.created_at, TimeZoneOf(*view))) << "</a> — "
           << Text(StateText(ctx, t.state)) << "</li>";
    }
    main << "</ul>";
  }
  return Page(ctx, ctx.T("web.line.title"), main);
}

// ------------------------------------------------------------------ a request

HttpResponse TerminationPage(api::ApiServices& s, const PageContext& ctx, const Caller& caller,
                             const std::string& id, const std::optional<FieldError>& error = {},
                             unsigned status = 200) {
  Result<TerminationDetail> detail = s.terminations.Get(caller, id);
  if (!detail) {
    Html main;
    main << "<h1>" << Text(ctx.T("web.termination.not_found")) << "</h1>"
         << Alert(ErrorFrom(ctx, detail.error()), {}) << "<p><a href=\"/my/line\">"
         << Text(ctx.T("web.back")) << "</a></p>";
    return Page(ctx, ctx.T("web.termination.not_found"), main,
                api::HttpStatusFor(detail.error().code));
  }
  const TerminationRecord& t = detail->termination;
  std::string zone = kDefaultTimeZone;
  if (Result<LineView> view = s.terminations.GetLine(caller, caller.msisdn)) {
    zone = TimeZoneOf(*view);
  }
  Html main;
  main << "<h1>" << Text(ctx.F("web.termination.title", {{"msisdn", t.msisdn.e164()}})) << "</h1>"
       << Alert(error, {}) << "<div class=\"card\"><dl><dt>" << Text(ctx.T("web.termination.state"))
       << "</dt><dd id=\"state\" data-state=\"" << Text(ToString(t.state)) << "\">"
       << Text(StateText(ctx, t.state)) << "</dd><dt>" << Text(ctx.T("web.termination.number"))
       << "</dt><dd>" << Text(t.id) << "</dd>";
  if (t.scheduled_for) {
    main << "<dt>" << Text(ctx.T("web.termination.scheduled")) << "</dt><dd>"
         << Text(FormatDateTime(*t.scheduled_for, zone)) << "</dd>";
  }
  if (t.refund) {
    main << "<dt>" << Text(ctx.T("web.close.refund")) << "</dt><dd>"
         << Text(RefundMethodText(ctx, ToString(t.refund->method))) << ": "
         << Text(t.refund->destination) << "</dd>";
  }
  main << "<dt>" << Text(ctx.T("web.close.contact")) << "</dt><dd id=\"contact\">";
  if (t.contact_msisdn) {
    main << Text(t.contact_msisdn->e164());
  } else {
    main << Text(ctx.T("web.review.no_contact"));
  }
  main << "</dd></dl>";
  if (t.settlement) {
    main << QuoteWords(ctx, *t.settlement);
  }
  if (detail->certificate) {
    main << "<p><a class=\"button\" id=\"certificate\" href=\"/my/terminations/" << Text(t.id)
         << "/certificate\" download>" << Text(ctx.T("web.termination.certificate"))
         << "</a> <a class=\"button\" id=\"certificate-pdf\" href=\"/my/terminations/" << Text(t.id)
         << "/certificate.pdf\" download>" << Text(ctx.T("web.termination.certificate_pdf"))
         << "</a></p>";
  }
  if (Transition(t.state, TerminationEvent::kCancel)) {
    main << "<form method=\"post\" action=\"/my/terminations/" << Text(t.id) << "/cancel\">"
         << ctx.CsrfField() << "<button type=\"submit\" class=\"danger\">"
         << Text(ctx.T("web.termination.cancel")) << "</button></form>";
  }
  main << "</div><h2>" << Text(ctx.T("web.termination.timeline")) << "</h2><ol class=\"timeline\">";
  for (const TerminationEventRecord& e : detail->events) {
    std::string what;
    if (!e.to_state.empty()) {
      if (auto key = MessageKey::Find("state." + e.to_state)) {
        what = ctx.T(*key);
      }
    } else if (auto key = MessageKey::Find("event." + e.event)) {
      what = ctx.T(*key);
    }
    if (what.empty()) {
      continue;  // internal steps the holder need not read
    }
    main << "<li><time datetime=\"" << Text(FormatRfc3339(e.at)) << "\">"
         << Text(FormatDateTime(e.at, zone)) << "</time>" << Text(what) << "</li>";
  }
  main << "</ol><p><a href=\"/my/terminations/" << Text(t.id) << "\">"
       << Text(ctx.T("web.termination.refresh")) << "</a> · <a href=\"/my/line\">"
       << Text(ctx.T("web.back")) << "</a></p>";
  return Page(ctx, ctx.F("web.termination.title", {{"msisdn", t.msisdn.e164()}}), main, status);
}

}  // namespace

void AddHolderPages(api::Router& router, api::ApiServices& s) {
  router.Add("GET", "/my", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    if (!ctx.session().empty()) {
      if (Result<Caller> caller = s.auth.Authenticate(ctx.session());
          caller && caller->kind == CallerKind::kHolder) {
        return Redirect(ctx, "/my/line");
      }
    }
    return SignInPage(ctx, "", std::nullopt);
  });

  router.Add("POST", "/my/code", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    std::optional<Form> form = CheckedForm(ctx);
    if (!form) {
      return Forbidden(ctx);
    }
    const std::string typed = Field(*form, "msisdn");
    Result<api::SignInCodeRequest> body =
        api::Decode<api::SignInCodeRequest>(json::value(json::object{{"msisdn", typed}}));
    if (!body) {
      return SignInPage(ctx, typed, ErrorFrom(ctx, body.error()), 400);
    }
    Result<SignInCodeRequested> sent =
        s.auth.RequestSignInCode(body->msisdn, api::ClientOf(request));
    if (!sent) {
      const unsigned status = api::HttpStatusFor(sent.error().code);
      // Asking again from the code page: the refusal shows there.
      if (Field(*form, "resend") == "1") {
        FieldError error = ErrorFrom(ctx, sent.error());
        error.field.clear();
        return CodePage(ctx, body->msisdn.e164(), 0, error, status);
      }
      return SignInPage(ctx, typed, ErrorFrom(ctx, sent.error()), status);
    }
    return CodePage(ctx, body->msisdn.e164(), (sent->expires_in_seconds + 59) / 60, std::nullopt);
  });

  router.Add("POST", "/my/sign-in", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    std::optional<Form> form = CheckedForm(ctx);
    if (!form) {
      return Forbidden(ctx);
    }
    const std::string msisdn = Field(*form, "msisdn");
    Result<api::SignInCodeVerification> body = api::Decode<api::SignInCodeVerification>(
        json::value(json::object{{"msisdn", msisdn}, {"code", Field(*form, "code")}}));
    if (!body) {
      FieldError error = ErrorFrom(ctx, body.error());
      if (error.field == "msisdn") {
        return SignInPage(ctx, msisdn, error, 400);
      }
      return CodePage(ctx, msisdn, 0, error, 400);
    }
    Result<SignedIn> session = s.auth.VerifySignInCode(body->msisdn, body->code);
    if (!session) {
      FieldError error = ErrorFrom(ctx, session.error());
      error.field = "code";
      return CodePage(ctx, msisdn, 0, error, api::HttpStatusFor(session.error().code));
    }
    HttpResponse response = Redirect(ctx, "/my/line");
    response.headers.emplace_back("Set-Cookie", ctx.Cookie(kSessionCookie, session->token, -1));
    return response;
  });

  router.Add("POST", "/my/sign-out", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    if (!CheckedForm(ctx)) {
      return Forbidden(ctx);
    }
    // Ended on the server too, so a copy of the cookie signs nobody in; an
    // already ended or expired session leaves nothing to end.
    if (!ctx.session().empty()) {
      (void)s.auth.Logout(ctx.session());
    }
    HttpResponse response = Redirect(ctx, "/my");
    response.headers.emplace_back("Set-Cookie", ctx.Cookie(kSessionCookie, "", 0));
    return response;
  });

  router.Add("GET", "/my/line", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    return WithHolder(s, ctx, [&](const Caller& caller) { return LinePage(s, ctx, caller); });
  });

  router.Add("GET", "/my/close", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    return WithHolder(s, ctx, [&](const Caller& caller) {
      return ClosePage(s, ctx, caller, CloseForm{}, std::nullopt);
    });
  });

  router.Add("POST", "/my/close/review", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    return WithHolder(s, ctx, [&](const Caller& caller) {
      std::optional<Form> form = CheckedForm(ctx);
      if (!form) {
        return Forbidden(ctx);
      }
      const CloseForm close = CloseForm::From(*form);
      Result<CreateTerminationCommand> command = api::Decode<CreateTerminationCommand>(
          json::value(close.RequestJson(caller.msisdn.e164())));
      if (!command) {
        return ClosePage(s, ctx, caller, close, ErrorFrom(ctx, command.error()), 400);
      }
      return ReviewPage(s, ctx, caller, close, *command);
    });
  });

  router.Add("POST", "/my/close", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    return WithHolder(s, ctx, [&](const Caller& caller) {
      std::optional<Form> form = CheckedForm(ctx);
      if (!form) {
        return Forbidden(ctx);
      }
      const CloseForm close = CloseForm::From(*form);
      if (Field(*form, "action") != "confirm") {
        return ClosePage(s, ctx, caller, close, std::nullopt);
      }
      const json::object body = close.RequestJson(caller.msisdn.e164());
      Result<CreateTerminationCommand> command =
          api::Decode<CreateTerminationCommand>(json::value(body));
      if (!command) {
        return ClosePage(s, ctx, caller, close, ErrorFrom(ctx, command.error()), 400);
      }
      // The confirmation step's own key: a second click, or a reload of the
      // POST, returns the request the first one opened.
      std::optional<IdempotencyKey> idempotency;
      if (const std::string attempt = Field(*form, "attempt");
          !attempt.empty() && attempt.size() <= 64) {
        idempotency = IdempotencyKey{caller.actor, "web:" + attempt,
                                     HashHex("POST /v1/terminations\n" + json::serialize(body))};
      }
      Result<CreatedTermination> created = s.terminations.Create(caller, *command, idempotency);
      if (!created) {
        return ClosePage(s, ctx, caller, close, ErrorFrom(ctx, created.error()),
                         api::HttpStatusFor(created.error().code));
      }
      return Redirect(ctx, "/my/terminations/" + created->termination.id);
    });
  });

  router.Add("GET", "/my/terminations/{id}", [&s](const HttpRequest& request, const PathParams& p) {
    const PageContext ctx(request);
    return WithHolder(
        s, ctx, [&](const Caller& caller) { return TerminationPage(s, ctx, caller, p.at("id")); });
  });

  router.Add("POST", "/my/terminations/{id}/cancel",
             [&s](const HttpRequest& request, const PathParams& p) {
               const PageContext ctx(request);
               return WithHolder(s, ctx, [&](const Caller& caller) {
                 if (!CheckedForm(ctx)) {
                   return Forbidden(ctx);
                 }
                 Result<TerminationRecord> t = s.terminations.Cancel(caller, p.at("id"), "");
                 if (!t) {
                   return TerminationPage(s, ctx, caller, p.at("id"), ErrorFrom(ctx, t.error()),
                                          api::HttpStatusFor(t.error().code));
                 }
                 return Redirect(ctx, "/my/terminations/" + t->id);
               });
             });

  // The certificate as PDF, as GET /v1/terminations/{id}/certificate.pdf.
  router.Add("GET", "/my/terminations/{id}/certificate.pdf",
             [&s](const HttpRequest& request, const PathParams& p) {
               const PageContext ctx(request);
               return WithHolder(s, ctx, [&](const Caller& caller) {
                 Result<HttpResponse> pdf = api::CertificatePdf(s, request, caller, p.at("id"));
                 if (!pdf) {
                   return TerminationPage(s, ctx, caller, p.at("id"), ErrorFrom(ctx, pdf.error()),
                                          api::HttpStatusFor(pdf.error().code));
                 }
                 return std::move(*pdf);
               });
             });

  router.Add("GET", "/my/terminations/{id}/certificate",
             [&s](const HttpRequest& request, const PathParams& p) {
               const PageContext ctx(request);
               return WithHolder(s, ctx, [&](const Caller& caller) {
                 Result<CertificateRecord> cert = s.terminations.Certificate(caller, p.at("id"));
                 if (!cert) {
                   return TerminationPage(s, ctx, caller, p.at("id"), ErrorFrom(ctx, cert.error()),
                                          api::HttpStatusFor(cert.error().code));
                 }
                 HttpResponse response;
                 response.body = cert->document;
                 response.headers.emplace_back(
                     "Content-Disposition", "attachment; filename=\"" + cert->serial + ".json\"");
                 response.headers.emplace_back("Cache-Control", "no-store");
                 response.headers.emplace_back("X-Content-Type-Options", "nosniff");
                 return response;
               });
             });
}

}  // namespace simexit::web
