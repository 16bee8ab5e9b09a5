#include "simexit/api/routes.hpp"

#include <boost/json.hpp>

#include "simexit/api/pdf_responses.hpp"
#include "simexit/api/problem.hpp"
#include "simexit/api/request_json.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/api/termination_json.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::api {
namespace {

namespace json = boost::json;

// ---------------------------------------------------------------- views

json::object LineJson(const LineView& view) {
  const LineRecord& l = view.line;
  json::object out{
      {"msisdn", l.msisdn.e164()},
      {"iccid", l.iccid.digits()},
      {"kind", ToString(l.kind)},
      {"status", ToString(l.status)},
      {"operator", json::object{{"code", view.op.code}, {"name", view.op.name}}},
      {"balances", json::object{{"main", l.main_balance.ToDecimalString()},
                                {"bonus", l.bonus_balance.ToDecimalString()},
                                {"outstanding_charges", l.outstanding_charges.ToDecimalString()},
                                {"currency", kCurrency}}},
      {"last_paid_activity_at", l.last_paid_activity_at > 0
                                    ? json::value(FormatRfc3339(l.last_paid_activity_at))
                                    : json::value(nullptr)},
      {"quarantine_until", TimeOrNull(l.quarantine_until)},
  };
  if (view.holder) {
    // Enough for an agent to compare with the document in front of them; the
    // number stays masked.
    out["holder"] = json::object{{"full_name", view.holder->full_name},
                                 {"document_kind", ToString(view.holder->document_kind)},
                                 {"document_number", MaskNumber(view.holder->document_number)},
                                 {"document_country", view.holder->document_country},
                                 {"language", view.holder->language}};
  } else {
    out["holder"] = nullptr;
  }
  if (view.open_termination) {
    out["open_termination"] = json::object{{"id", view.open_termination->id},
                                           {"state", ToString(view.open_termination->state)}};
  } else {
    out["open_termination"] = nullptr;
  }
  return out;
}

// ---------------------------------------------------------------- helpers

// The page people reach when they open the service's URL: what is here, the
// self-service pages (/my, src/simexit/web/) and how to use the API.
constexpr const char* kLandingHtml = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>simexit</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#1b1b1b}code,pre{background:#f3f3f3;padding:.1rem .3rem;border-radius:3px}
pre{padding:.6rem;overflow:auto}</style></head><body>
<h1>simexit</h1>
<p><a href="/my">Close your line (self-service, in zh, en, ru, kk)</a></p>
<p>Close a SIM or eSIM line cleanly: prove who you are, settle the balance, remove the line
from the network, and receive a signed certificate that it is closed.</p>
<p lang="ru">Закрытие номера: подтверждение личности, расчёт баланса, удаление из сети и
подписанная справка о закрытии.</p>
<p lang="kk">Нөмірді жабу: жеке басын растау, балансты есептеу, желіден алып тастау және
қол қойылған анықтама.</p>
<p lang="zh">注销号码：验证身份、结清余额、从网络中删除，并获得签名的注销证明。</p>
<h2>API</h2>
<ul>
<li><a href="/v1/openapi.yaml">/v1/openapi.yaml</a> &mdash; the API description (OpenAPI 3.1)</li>
<li><a href="/v1/health">/v1/health</a> &mdash; service health</li>
<li><a href="/v1/certificates/public-key">/v1/certificates/public-key</a> &mdash; the key that
signs termination certificates (verify them offline with any Ed25519 library)</li>
</ul>
<h2>Close a line</h2>
<pre>POST /v1/auth/otp            {"msisdn": "+77011234567"}     a code arrives by SMS
POST /v1/auth/otp/verify     {"msisdn": ..., "code": ...}  -> bearer token
GET  /v1/lines/{msisdn}/termination-quote
POST /v1/terminations        {"msisdn": ..., "refund": {"method": "iban", "destination": ...}}
GET  /v1/terminations/{id}   state and history; certificate when terminated</pre>
</body></html>
)html";

// ?channel= of a quote; a holder's default is online, anyone else's store.
Result<Channel> QuoteChannel(const HttpRequest& request, const Caller& caller) {
  auto it = request.query.find("channel");
  if (it == request.query.end()) {
    return caller.kind == CallerKind::kHolder ? Channel::kOnline : Channel::kStore;
  }
  std::optional<Channel> channel = ParseChannel(it->second);
  if (!channel) {
    return FailField(ErrorCode::kInvalidArgument, "invalid_query", "channel",
                     "channel must be one of online, store, proxy, phone, mail");
  }
  return *channel;
}

}  // namespace

Router BuildRouter(ApiServices& s) {
  Router router;

  router.Add("GET", "/", [](const HttpRequest&, const PathParams&) {
    HttpResponse response;
    response.content_type = "text/html; charset=utf-8";
    response.body = kLandingHtml;
    return response;
  });

  router.Add("GET", "/v1/health", [](const HttpRequest&, const PathParams&) {
    return Json(200, json::object{{"status", "ok"}});
  });

  router.Add("GET", "/v1/openapi.yaml", [](const HttpRequest&, const PathParams&) {
    HttpResponse response;
    response.content_type = "application/yaml";
    response.body = kOpenApiYaml;
    return response;
  });

  router.Add("GET", "/v1/certificates/public-key", [&s](const HttpRequest&, const PathParams&) {
    return Json(200, json::object{{"algorithm", "Ed25519"},
                                  {"key_id", s.signer.key_id()},
                                  {"public_key_hex", s.signer.public_key_hex()},
                                  {"public_key_base64", s.signer.public_key_base64()}});
  });

  router.Add("POST", "/v1/auth/otp", [&s](const HttpRequest& request, const PathParams&) {
    Result<SignInCodeRequest> body = DecodeBody<SignInCodeRequest>(request.body);
    if (!body) {
      return ProblemFromError(body.error());
    }
    Result<SignInCodeRequested> sent = s.auth.RequestSignInCode(body->msisdn, ClientOf(request));
    if (!sent) {
      return ProblemFromError(sent.error());
    }
    return Json(202, json::object{{"status", "sent"},
                                  {"expires_in", sent->expires_in_seconds},
                                  {"resend_after", sent->resend_after_seconds}});
  });

  router.Add("POST", "/v1/auth/otp/verify", [&s](const HttpRequest& request, const PathParams&) {
    Result<SignInCodeVerification> body = DecodeBody<SignInCodeVerification>(request.body);
    if (!body) {
      return ProblemFromError(body.error());
    }
    Result<SignedIn> session = s.auth.VerifySignInCode(body->msisdn, body->code);
    if (!session) {
      return ProblemFromError(session.error());
    }
    return Json(200, json::object{{"token", session->token},
                                  {"token_type", "Bearer"},
                                  {"expires_at", FormatRfc3339(session->expires_at)}});
  });

  router.Add("POST", "/v1/auth/logout", [&s](const HttpRequest& request, const PathParams&) {
    const std::string bearer = BearerOf(request);
    if (bearer.empty()) {
      return Unauthenticated();
    }
    if (Result<void> done = s.auth.Logout(bearer); !done) {
      return ProblemFromError(done.error());
    }
    HttpResponse response;
    response.status = 204;
    response.content_type.clear();
    return response;
  });

  router.Add("GET", "/v1/lines/{msisdn}", [&s](const HttpRequest& request, const PathParams& p) {
    return WithCaller(s, request, [&](const Caller& caller) {
      Result<Msisdn> msisdn = Msisdn::Parse(p.at("msisdn"));
      if (!msisdn) {
        return ProblemFromError(msisdn.error());
      }
      Result<LineView> line = s.terminations.GetLine(caller, *msisdn);
      if (!line) {
        return ProblemFromError(line.error());
      }
      return Json(200, LineJson(*line));
    });
  });

  router.Add("GET", "/v1/lines/{msisdn}/termination-quote",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<Msisdn> msisdn = Msisdn::Parse(p.at("msisdn"));
                 if (!msisdn) {
                   return ProblemFromError(msisdn.error());
                 }
                 Result<Channel> channel = QuoteChannel(request, caller);
                 if (!channel) {
                   return ProblemFromError(channel.error());
                 }
                 Result<QuoteView> quote = s.terminations.Quote(caller, *msisdn, *channel);
                 if (!quote) {
                   return ProblemFromError(quote.error());
                 }
                 json::object out = quote->quote.ToJson();
                 out["msisdn"] = quote->line.line.msisdn.e164();
                 out["operator"] = quote->line.op.code;
                 out["channel"] = ToString(*channel);
                 out["refund_methods"] = quote->line.op.policy.ToJson().at("refund_methods");
                 return Json(200, out);
               });
             });

  router.Add("POST", "/v1/terminations", [&s](const HttpRequest& request, const PathParams&) {
    return WithCaller(s, request, [&](const Caller& caller) {
      Result<CreateTerminationCommand> command = DecodeBody<CreateTerminationCommand>(request.body);
      if (!command) {
        return ProblemFromError(command.error());
      }
      Result<std::optional<IdempotencyKey>> idempotency = IdempotencyKeyOf(request, caller);
      if (!idempotency) {
        return ProblemFromError(idempotency.error());
      }
      Result<CreatedTermination> created = s.terminations.Create(caller, *command, *idempotency);
      if (!created) {
        return ProblemFromError(created.error());
      }
      json::object out = TerminationJson(created->termination);
      if (created->confirmation) {
        out["confirmation"] =
            json::object{{"expires_at", FormatRfc3339(created->confirmation->expires_at)},
                         {"sent", created->confirmation->sent}};
      }
      HttpResponse response = Json(201, out);
      response.headers.emplace_back("Location", "/v1/terminations/" + created->termination.id);
      if (created->replayed) {
        response.headers.emplace_back("Idempotent-Replayed", "true");
      }
      return response;
    });
  });

  router.Add("GET", "/v1/terminations", [&s](const HttpRequest& request, const PathParams&) {
    return WithCaller(s, request, [&](const Caller& caller) {
      std::optional<TerminationState> state;
      if (auto it = request.query.find("state"); it != request.query.end()) {
        state = ParseTerminationState(it->second);
        if (!state) {
          return ProblemFromError(Error{ErrorCode::kInvalidArgument, "invalid_query",
                                        "state must be a termination state, e.g. deprovisioning",
                                        "state"});
        }
      }
      Result<int> limit = ParseLimit(request);
      if (!limit) {
        return ProblemFromError(limit.error());
      }
      Result<std::vector<TerminationRecord>> list = s.terminations.List(caller, state, *limit);
      if (!list) {
        return ProblemFromError(list.error());
      }
      json::array items;
      for (const TerminationRecord& t : *list) {
        items.push_back(TerminationJson(t));
      }
      return Json(200, json::object{{"items", std::move(items)}});
    });
  });

  router.Add("GET", "/v1/terminations/{id}", [&s](const HttpRequest& request, const PathParams& p) {
    return WithCaller(s, request, [&](const Caller& caller) {
      Result<TerminationDetail> detail = s.terminations.Get(caller, p.at("id"));
      if (!detail) {
        return ProblemFromError(detail.error());
      }
      return Json(200, DetailJson(*detail));
    });
  });

  router.Add("POST", "/v1/terminations/{id}/cancel",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<CancelRequest> body = DecodeBody<CancelRequest>(request.body);
                 if (!body) {
                   return ProblemFromError(body.error());
                 }
                 Result<TerminationRecord> t =
                     s.terminations.Cancel(caller, p.at("id"), body->reason);
                 if (!t) {
                   return ProblemFromError(t.error());
                 }
                 return Json(200, TerminationJson(*t));
               });
             });

  router.Add("POST", "/v1/terminations/{id}/payments",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<PaymentRequest> body = DecodeBody<PaymentRequest>(request.body);
                 if (!body) {
                   return ProblemFromError(body.error());
                 }
                 Result<TerminationRecord> t =
                     s.terminations.RecordPayment(caller, p.at("id"), body->amount);
                 if (!t) {
                   return ProblemFromError(t.error());
                 }
                 return Json(200, TerminationJson(*t));
               });
             });

  router.Add("GET", "/v1/terminations/{id}/certificate",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<CertificateRecord> cert = s.terminations.Certificate(caller, p.at("id"));
                 if (!cert) {
                   return ProblemFromError(cert.error());
                 }
                 HttpResponse response;
                 response.body = cert->document;
                 response.headers.emplace_back(
                     "Content-Disposition", "attachment; filename=\"" + cert->serial + ".json\"");
                 return response;
               });
             });

  AddDocumentRoutes(router, s);
  AddOperatorRoutes(router, s);
  AddDashboardRoutes(router, s);
  AddChannelRoutes(router, s);
  AddStaffRoutes(router, s);
  AddUploadRoutes(router, s);
  web::AddPageRoutes(router, s);
  return router;
}

}  // namespace simexit::api
