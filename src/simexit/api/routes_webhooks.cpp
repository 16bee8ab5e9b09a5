// Webhooks for billing and CRM (docs/events.md): operator_admin staff and
// admins register the endpoints of an operator, see their deliveries and
// send dead ones again.
//   POST   /v1/operators/{code}/webhooks                 {url, event_types?} -> 201, secret once
//   GET    /v1/operators/{code}/webhooks
//   DELETE /v1/operators/{code}/webhooks/{id}
//   GET    /v1/operators/{code}/webhook-deliveries?state=dead&limit=N
//   POST   /v1/operators/{code}/webhook-deliveries/{id}/retry

#include "simexit/api/routes_webhooks.hpp"

#include <boost/json.hpp>

#include "simexit/api/problem.hpp"
#include "simexit/api/request_json.hpp"
#include "simexit/api/route_helpers.hpp"

namespace simexit::api {
namespace {

namespace json = boost::json;

struct NewWebhookBody {
  std::string url;
  std::vector<std::string> event_types;
};

NewWebhookBody tag_invoke(json::value_to_tag<NewWebhookBody>, const json::value& in) {
  const ObjectReader r(in, {"url", "event_types"});
  NewWebhookBody out;
  out.url = r.RequiredString("url", 4096);
  std::optional<std::vector<std::string>> types =
      r.OptionalWith("event_types", [](const json::value& v) {
        if (!v.is_array()) {
          RefuseValue("invalid_field", "{field} must be an array of event type names");
        }
        std::vector<std::string> names;
        for (const json::value& item : v.as_array()) {
          names.push_back(StringOf(item, 200));
        }
        return names;
      });
  out.event_types = types.value_or(std::vector<std::string>{});
  return out;
}

// A path id: digits, or the resource is not found (`code`).
Result<std::int64_t> IdOf(const std::string& text, const char* code, const char* what) {
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return Fail(ErrorCode::kNotFound, code, std::string("no such ") + what);
  }
  return std::stoll(text);
}

json::object WebhookJson(const WebhookView& v) {
  json::array types;
  for (const std::string& type : v.endpoint.event_types) {
    types.push_back(json::value(type));
  }
  return json::object{{"id", v.endpoint.id},
                      {"operator", v.operator_code},
                      {"url", v.endpoint.url},
                      {"event_types", std::move(types)},
                      {"created_by", v.endpoint.created_by},
                      {"created_at", FormatRfc3339(v.endpoint.created_at)}};
}

json::object DeliveryJson(const WebhookDeliveryView& v) {
  const WebhookDeliveryRecord& d = v.delivery;
  return json::object{{"id", d.id},
                      {"webhook_id", d.endpoint_id},
                      {"event_id", v.event_id},
                      {"event_type", v.event_type},
                      {"subject", v.subject},
                      {"state", ToString(d.state)},
                      {"attempts", d.attempts},
                      {"next_attempt_at", FormatRfc3339(d.next_attempt_at)},
                      {"last_error", d.last_error},
                      {"created_at", FormatRfc3339(d.created_at)},
                      {"delivered_at", d.delivered_at ? json::value(FormatRfc3339(*d.delivered_at))
                                                      : json::value(nullptr)}};
}

HttpResponse NotHere() { return ProblemFor("route_not_found", "no such resource"); }

}  // namespace

void AddWebhookRoutes(Router& router, ApiServices& s, WebhookService& webhooks) {
  router.Add("POST", "/v1/operators/{code}/webhooks",
             [&s, &webhooks](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind == CallerKind::kHolder) {
                   return NotHere();
                 }
                 Result<NewWebhookBody> body = DecodeBody<NewWebhookBody>(request.body);
                 if (!body) {
                   return ProblemFromError(body.error());
                 }
                 Result<WebhookUrl> url = WebhookUrl::Parse(body->url);
                 if (!url) {
                   Error error = url.error();
                   error.field = "url";
                   return ProblemFromError(error);
                 }
                 Result<CreatedWebhook> created =
                     webhooks.Register(caller, NewWebhook{p.at("code"), *url, body->event_types});
                 if (!created) {
                   return ProblemFromError(created.error());
                 }
                 json::object out = WebhookJson(WebhookView{created->endpoint, p.at("code")});
                 out["secret"] = created->secret;
                 return Json(201, out);
               });
             });

  router.Add("GET", "/v1/operators/{code}/webhooks",
             [&s, &webhooks](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind == CallerKind::kHolder) {
                   return NotHere();
                 }
                 Result<std::vector<WebhookView>> all = webhooks.List(caller, p.at("code"));
                 if (!all) {
                   return ProblemFromError(all.error());
                 }
                 json::array items;
                 for (const WebhookView& v : *all) {
                   items.push_back(WebhookJson(v));
                 }
                 return Json(200, json::object{{"items", std::move(items)}});
               });
             });

  router.Add("DELETE", "/v1/operators/{code}/webhooks/{id}",
             [&s, &webhooks](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind == CallerKind::kHolder) {
                   return NotHere();
                 }
                 Result<std::int64_t> id = IdOf(p.at("id"), "webhook_not_found", "webhook");
                 if (!id) {
                   return ProblemFromError(id.error());
                 }
                 Result<WebhookView> removed = webhooks.Remove(caller, p.at("code"), *id);
                 if (!removed) {
                   return ProblemFromError(removed.error());
                 }
                 return Json(200, WebhookJson(*removed));
               });
             });

  router.Add("GET", "/v1/operators/{code}/webhook-deliveries",
             [&s, &webhooks](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind == CallerKind::kHolder) {
                   return NotHere();
                 }
                 HttpResponse problem;
                 std::optional<int> limit = LimitQuery(request, &problem);
                 if (!limit) {
                   return problem;
                 }
                 std::optional<WebhookDeliveryState> state;
                 if (auto q = request.query.find("state"); q != request.query.end()) {
                   state = ParseWebhookDeliveryState(q->second);
                   if (!state) {
                     return ProblemFor("invalid_query",
                                       "state must be one of pending, delivered, dead");
                   }
                 }
                 Result<std::vector<WebhookDeliveryView>> all =
                     webhooks.Deliveries(caller, p.at("code"), state, *limit);
                 if (!all) {
                   return ProblemFromError(all.error());
                 }
                 json::array items;
                 for (const WebhookDeliveryView& v : *all) {
                   items.push_back(DeliveryJson(v));
                 }
                 return Json(200, json::object{{"items", std::move(items)}});
               });
             });

  router.Add("POST", "/v1/operators/{code}/webhook-deliveries/{id}/retry",
             [&s, &webhooks](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind == CallerKind::kHolder) {
                   return NotHere();
                 }
                 if (Result<EmptyCommand> body = DecodeBody<EmptyCommand>(request.body); !body) {
                   return ProblemFromError(body.error());
                 }
                 Result<std::int64_t> id =
                     IdOf(p.at("id"), "webhook_delivery_not_found", "webhook delivery");
                 if (!id) {
                   return ProblemFromError(id.error());
                 }
                 Result<WebhookDeliveryView> retried =
                     webhooks.RetryDelivery(caller, p.at("code"), *id);
                 if (!retried) {
                   return ProblemFromError(retried.error());
                 }
                 return Json(200, DeliveryJson(*retried));
               });
             });
}

}  // namespace simexit::api
