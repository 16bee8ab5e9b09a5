#include "simexit/api/routes_reactivations.hpp"

#include <boost/json.hpp>

#include "simexit/api/reactivation_json.hpp"
#include "simexit/api/request_json.hpp"
#include "simexit/api/route_helpers.hpp"

namespace simexit::api {

namespace json = boost::json;

void AddReactivationRoutes(Router& router, ApiServices& s, ReactivationService& reactivations) {
  router.Add(
      "POST", "/v1/reactivations",
      [&s, &reactivations](const HttpRequest& request, const PathParams&) {
        return WithCaller(s, request, [&](const Caller& caller) {
          Result<OpenReactivationCommand> command =
              DecodeBody<OpenReactivationCommand>(request.body);
          if (!command) {
            return ProblemFromError(command.error());
          }
          Result<std::optional<IdempotencyKey>> idempotency = IdempotencyKeyOf(request, caller);
          if (!idempotency) {
            return ProblemFromError(idempotency.error());
          }
          Result<OpenedReactivation> opened = reactivations.Open(caller, *command, *idempotency);
          if (!opened) {
            return ProblemFromError(opened.error());
          }
          HttpResponse response = Json(201, ReactivationJson(opened->reactivation));
          response.headers.emplace_back("Location", "/v1/reactivations/" + opened->reactivation.id);
          if (opened->replayed) {
            response.headers.emplace_back("Idempotent-Replayed", "true");
          }
          return response;
        });
      });

  router.Add("GET", "/v1/reactivations",
             [&s, &reactivations](const HttpRequest& request, const PathParams&) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 std::optional<ReactivationState> state;
                 if (auto it = request.query.find("state"); it != request.query.end()) {
                   state = ParseReactivationState(it->second);
                   if (!state) {
                     return ProblemFromError(
                         Error{ErrorCode::kInvalidArgument, "invalid_query",
                               "state must be a reactivation state, e.g. pending_review", "state"});
                   }
                 }
                 Result<int> limit = ParseLimit(request);
                 if (!limit) {
                   return ProblemFromError(limit.error());
                 }
                 Result<std::vector<ReactivationRecord>> list =
                     reactivations.List(caller, state, *limit);
                 if (!list) {
                   return ProblemFromError(list.error());
                 }
                 json::array items;
                 for (const ReactivationRecord& r : *list) {
                   items.push_back(ReactivationJson(r));
                 }
                 return Json(200, json::object{{"items", std::move(items)}});
               });
             });

  router.Add("GET", "/v1/reactivations/{id}",
             [&s, &reactivations](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<ReactivationDetail> detail = reactivations.Get(caller, p.at("id"));
                 if (!detail) {
                   return ProblemFromError(detail.error());
                 }
                 return Json(200, ReactivationDetailJson(*detail));
               });
             });

  router.Add("POST", "/v1/reactivations/{id}/approve",
             [&s, &reactivations](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<EmptyCommand> body = DecodeBody<EmptyCommand>(request.body);
                 if (!body) {
                   return ProblemFromError(body.error());
                 }
                 Result<ReactivationRecord> r = reactivations.Approve(caller, p.at("id"));
                 if (!r) {
                   return ProblemFromError(r.error());
                 }
                 return Json(200, ReactivationJson(*r));
               });
             });

  router.Add("POST", "/v1/reactivations/{id}/reject",
             [&s, &reactivations](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<RejectReactivation> body = DecodeBody<RejectReactivation>(request.body);
                 if (!body) {
                   return ProblemFromError(body.error());
                 }
                 Result<ReactivationRecord> r =
                     reactivations.Reject(caller, p.at("id"), body->reason);
                 if (!r) {
                   return ProblemFromError(r.error());
                 }
                 return Json(200, ReactivationJson(*r));
               });
             });
}

}  // namespace simexit::api
