#include "simexit/api/routes_bulk_terminations.hpp"

#include <boost/json.hpp>

#include "simexit/api/problem.hpp"
#include "simexit/api/request_json.hpp"
#include "simexit/api/route_helpers.hpp"

namespace simexit::api {

namespace json = boost::json;

namespace {

// Failures listed in one answer; the counts cover them all.
constexpr int kFailuresShown = 10'000;

// Holders learn nothing about operator routes beyond "not here", as on the
// other operator routes (routes_operators.cpp).
HttpResponse NotForHolders() { return ProblemFor("route_not_found", "no such resource"); }

json::object BulkJson(const BulkTerminationRecord& bulk, const std::string& operator_code) {
  return json::object{{"id", bulk.id},
                      {"operator", operator_code},
                      {"reason_code", bulk.reason_code},
                      {"requested_by", bulk.requested_by},
                      {"total", bulk.line_count},
                      {"created_at", FormatRfc3339(bulk.created_at)}};
}

// 400 invalid_bulk_numbers, naming each refused number: its index in
// "msisdns", the number as given, a code and why.
HttpResponse NumbersRefused(const BulkTerminationCommand& command,
                            const std::vector<BulkNumberProblem>& refused) {
  json::array numbers;
  for (const BulkNumberProblem& problem : refused) {
    numbers.push_back(json::object{{"row", problem.row},
                                   {"msisdn", problem.msisdn},
                                   {"code", problem.code},
                                   {"detail", problem.message}});
  }
  return ProblemFor("invalid_bulk_numbers",
                    std::to_string(refused.size()) + " of " +
                        std::to_string(command.msisdns.size()) +
                        " numbers are refused; nothing was created",
                    json::object{{"numbers", std::move(numbers)}});
}

}  // namespace

BulkTerminationBody tag_invoke(json::value_to_tag<BulkTerminationBody>, const json::value& in) {
  const ObjectReader r(in, {"reason_code", "msisdns"});
  BulkTerminationBody body;
  body.command.reason_code = r.RequiredString("reason_code", 64);
  body.command.msisdns = r.RequiredWith("msisdns", [](const json::value& v) {
    if (!v.is_array()) {
      RefuseValue("invalid_field", "{field} must be an array of numbers");
    }
    std::vector<std::string> numbers;
    numbers.reserve(v.get_array().size());
    for (const json::value& item : v.get_array()) {
      if (!item.is_string() || item.get_string().size() > 64) {
        RefuseValue("invalid_field", "{field} must hold strings of at most 64 bytes (element " +
                                         std::to_string(numbers.size()) + " does not)");
      }
      numbers.emplace_back(item.get_string());
    }
    return numbers;
  });
  return body;
}

void AddBulkTerminationRoutes(Router& router, ApiServices& s, BulkTerminationService& bulk) {
  router.Add("POST", "/v1/operators/{code}/bulk-terminations",
             [&s, &bulk](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind == CallerKind::kHolder) {
                   return NotForHolders();
                 }
                 Result<BulkTerminationBody> body = DecodeBody<BulkTerminationBody>(request.body);
                 if (!body) {
                   return ProblemFromError(body.error());
                 }
                 Result<BulkSubmission> submitted =
                     bulk.Submit(caller, p.at("code"), body->command);
                 if (!submitted) {
                   return ProblemFromError(submitted.error());
                 }
                 if (!submitted->refused.empty()) {
                   return NumbersRefused(body->command, submitted->refused);
                 }
                 const std::string location =
                     "/v1/operators/" + p.at("code") + "/bulk-terminations/" + submitted->bulk.id;
                 HttpResponse response = Json(202, BulkJson(submitted->bulk, p.at("code")));
                 response.headers.emplace_back("Location", location);
                 return response;
               });
             });

  router.Add("GET", "/v1/operators/{code}/bulk-terminations/{id}",
             [&s, &bulk](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind == CallerKind::kHolder) {
                   return NotForHolders();
                 }
                 Result<BulkTerminationView> view =
                     bulk.Get(caller, p.at("code"), p.at("id"), kFailuresShown);
                 if (!view) {
                   return ProblemFromError(view.error());
                 }
                 json::object out = BulkJson(view->bulk, view->operator_code);
                 out["done"] = view->progress.done;
                 out["failed"] = view->progress.failed;
                 out["pending"] = view->progress.pending;
                 out["finished"] = view->progress.pending == 0;
                 json::array failures;
                 for (const BulkFailure& f : view->failures) {
                   failures.push_back(json::object{
                       {"msisdn", f.msisdn.e164()}, {"code", f.code}, {"detail", f.detail}});
                 }
                 out["failures"] = std::move(failures);
                 return Json(200, out);
               });
             });
}

}  // namespace simexit::api
