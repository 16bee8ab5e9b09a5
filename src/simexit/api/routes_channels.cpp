// Routes of the channels beyond online: evidence in requests, the review
// queue and decisions, phone confirmations, and the printable application form.

#include <boost/json.hpp>

#include "simexit/api/application_form.hpp"
#include "simexit/api/request_json.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/api/termination_json.hpp"
#include "simexit/domain/one_time_code.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::api {
namespace {

namespace json = boost::json;

// The printed form's language: ?lang=, else the holder's.
const char* HtmlLanguage(const HttpRequest& request, const std::string& fallback) {
  std::string lang = fallback;
  if (auto it = request.query.find("lang"); it != request.query.end()) {
    lang = it->second;
  }
  if (lang == "en") {
    return "en";
  }
  if (lang == "kk") {
    return "kk";
  }
  if (lang == "zh") {
    return "zh";
  }
  return "ru";
}

HttpResponse Html(unsigned status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.body = std::move(body);
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
      "form-action 'self'");
  return response;
}

}  // namespace

void AddChannelRoutes(Router& router, ApiServices& s) {
  for (const bool approve : {true, false}) {
    router.Add(
        "POST", approve ? "/v1/terminations/{id}/approve" : "/v1/terminations/{id}/reject",
        [&s, approve](const HttpRequest& request, const PathParams& p) {
          return WithCaller(s, request, [&](const Caller& caller) {
            // Approving needs no words; rejecting needs a reason_code.
            Result<ReviewDecision> decision = DecodeBody<ReviewDecision>(request.body, approve);
            if (!decision) {
              return ProblemFromError(decision.error());
            }
            decision->approve = approve;
            Result<TerminationRecord> t = s.terminations.Review(caller, p.at("id"), *decision);
            if (!t) {
              return ProblemFromError(t.error());
            }
            return Json(200, TerminationJson(*t));
          });
        });
  }

  router.Add("GET", "/v1/reviews", [&s](const HttpRequest& request, const PathParams&) {
    return WithCaller(s, request, [&](const Caller& caller) {
      if (caller.kind == CallerKind::kHolder) {
        return ProblemFromError(Error{ErrorCode::kNotFound, "route_not_found", "no such resource"});
      }
      Result<int> limit = ParseLimit(request);
      if (!limit) {
        return ProblemFromError(limit.error());
      }
      Result<std::vector<ReviewItem>> queue = s.terminations.ReviewQueue(caller, *limit);
      if (!queue) {
        return ProblemFromError(queue.error());
      }
      json::array items;
      for (const ReviewItem& item : *queue) {
        json::object entry = TerminationJson(item.termination);
        entry["operator"] = item.operator_code;
        entry["waiting_seconds"] = item.waiting_seconds;
        entry["sla_seconds"] = item.sla_seconds;
        entry["overdue"] = item.overdue;
        items.push_back(std::move(entry));
      }
      return Json(200, json::object{{"items", std::move(items)}});
    });
  });

  // The holder's answer to a phone request: no sign-in, the code is the proof.
  router.Add("POST", "/v1/terminations/{id}/confirm",
             [&s](const HttpRequest& request, const PathParams& p) {
               Result<ConfirmationCode> body = DecodeBody<ConfirmationCode>(request.body);
               if (!body) {
                 return ProblemFromError(body.error());
               }
               Result<TerminationRecord> t = s.terminations.ConfirmByCode(p.at("id"), body->code);
               if (!t) {
                 return ProblemFromError(t.error());
               }
               return Json(200, TerminationJson(*t));
             });

  router.Add("POST", "/v1/confirmations/{token}", [&s](const HttpRequest&, const PathParams& p) {
    Result<TerminationRecord> t = s.terminations.ConfirmByLink(p.at("token"));
    if (!t) {
      return ProblemFromError(t.error());
    }
    return Json(
        200,
        json::object{{"id", t->id}, {"msisdn", t->msisdn.e164()}, {"state", ToString(t->state)}});
  });

  // The link in the SMS opens a page with one button; following a link alone
  // (link previews, scanners) changes nothing.
  // A token not of the shape we issue never reaches a page or a lookup.
  router.Add("GET", "/confirm/{token}", [](const HttpRequest& request, const PathParams& p) {
    if (!IsConfirmationTokenShape(p.at("token"))) {
      return web::ConfirmPage(request, "", std::string("confirmation_not_found"), 404);
    }
    return web::ConfirmPage(request, p.at("token"), std::nullopt);
  });
  router.Add("POST", "/confirm/{token}", [&s](const HttpRequest& request, const PathParams& p) {
    if (!IsConfirmationTokenShape(p.at("token"))) {
      return web::ConfirmPage(request, "", std::string("confirmation_not_found"), 404);
    }
    Result<TerminationRecord> t = s.terminations.ConfirmByLink(p.at("token"));
    if (!t) {
      return web::ConfirmPage(request, p.at("token"), t.error().problem_code,
                              HttpStatusFor(t.error().code));
    }
    return web::ConfirmPage(request, p.at("token"), std::string("confirmed"));
  });

  router.Add("POST", "/v1/terminations/{id}/confirmation/resend",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<EmptyCommand> body = DecodeBody<EmptyCommand>(request.body);
                 if (!body) {
                   return ProblemFromError(body.error());
                 }
                 Result<PendingConfirmation> sent =
                     s.terminations.ResendConfirmation(caller, p.at("id"));
                 if (!sent) {
                   return ProblemFromError(sent.error());
                 }
                 return Json(202, json::object{{"status", "sent"},
                                               {"expires_at", FormatRfc3339(sent->expires_at)}});
               });
             });

  router.Add("GET", "/v1/terminations/{id}/application-form",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<ApplicationForm> form = s.terminations.Form(caller, p.at("id"));
                 if (!form) {
                   return ProblemFromError(form.error());
                 }
                 return Html(
                     200, ApplicationFormHtml(*form, HtmlLanguage(request, form->holder.language)));
               });
             });
}

}  // namespace simexit::api
