// The operator routes (administration): list, create and read operators, set
// an operator's policy, and issue its API keys. Confinement and errors are
// OperatorService's (service/operator_service.hpp); creating operators and API
// keys is for admins only.

#include <boost/json.hpp>

#include "simexit/api/problem.hpp"
#include "simexit/api/request_json.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/api/routes.hpp"

namespace simexit::api {
namespace {

namespace json = boost::json;

json::object OperatorJson(const OperatorRecord& op) {
  return json::object{{"code", op.code},
                      {"name", op.name},
                      {"default_language", op.default_language},
                      {"policy", op.policy.ToJson()},
                      {"created_at", FormatRfc3339(op.created_at)}};
}

HttpResponse AdminOnly() {
  // Not 403: operator keys learn nothing about admin routes beyond "not here".
  return Problem(404, "route_not_found", "Not found", "no such resource");
}

}  // namespace

void AddOperatorRoutes(Router& router, ApiServices& s) {
  router.Add("GET", "/v1/operators", [&s](const HttpRequest& request, const PathParams&) {
    return WithCaller(s, request, [&](const Caller& caller) {
      if (caller.kind == CallerKind::kHolder) return AdminOnly();
      Result<std::vector<OperatorRecord>> ops = s.operators.ListOperators(caller);
      if (!ops) return ProblemFromError(ops.error());
      json::array items;
      for (const OperatorRecord& op : *ops) items.push_back(OperatorJson(op));
      return Json(200, json::object{{"items", std::move(items)}});
    });
  });

  router.Add("POST", "/v1/operators", [&s](const HttpRequest& request, const PathParams&) {
    return WithCaller(s, request, [&](const Caller& caller) {
      if (caller.kind != CallerKind::kAdmin) return AdminOnly();
      Result<json::object> body =
          ParseObject(request.body, {"code", "name", "default_language", "policy"});
      if (!body) return ProblemFromError(body.error());
      Result<std::string> code = RequiredString(*body, "code");
      if (!code) return ProblemFromError(code.error());
      Result<std::string> name = RequiredString(*body, "name");
      if (!name) return ProblemFromError(name.error());
      Result<std::optional<std::string>> language = OptionalString(*body, "default_language");
      if (!language) return ProblemFromError(language.error());
      Policy policy;
      if (const json::value* p = body->if_contains("policy"); p != nullptr) {
        Result<Policy> parsed = Policy::FromJson(*p);
        if (!parsed) return ProblemFromError(parsed.error());
        policy = *parsed;
      }
      Result<OperatorRecord> op =
          s.operators.CreateOperator(*code, *name, policy, language->value_or("ru"));
      if (!op) return ProblemFromError(op.error());
      return Json(201, OperatorJson(*op));
    });
  });

  router.Add("GET", "/v1/operators/{code}", [&s](const HttpRequest& request, const PathParams& p) {
    return WithCaller(s, request, [&](const Caller& caller) {
      if (caller.kind == CallerKind::kHolder) return AdminOnly();
      Result<OperatorRecord> op = s.operators.GetOperator(caller, p.at("code"));
      if (!op) return ProblemFromError(op.error());
      return Json(200, OperatorJson(*op));
    });
  });

  router.Add("PUT", "/v1/operators/{code}/policy",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 // Admins, and an operator_admin for its own operator: the
                 // service confines it (another operator's code is 404).
                 if (caller.kind == CallerKind::kHolder) return AdminOnly();
                 boost::system::error_code ec;
                 json::value body = json::parse(request.body, ec);
                 if (ec) {
                   return Problem(400, "malformed_json", "Malformed JSON",
                                  "the request body is not valid JSON");
                 }
                 Result<Policy> policy = Policy::FromJson(body);
                 if (!policy) return ProblemFromError(policy.error());
                 Result<OperatorRecord> op = s.operators.SetPolicy(caller, p.at("code"), *policy);
                 if (!op) return ProblemFromError(op.error());
                 return Json(200, OperatorJson(*op));
               });
             });

  router.Add("POST", "/v1/operators/{code}/api-keys",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind != CallerKind::kAdmin) return AdminOnly();
                 Result<json::object> body = ParseObject(request.body, {"label"}, true);
                 if (!body) return ProblemFromError(body.error());
                 Result<std::optional<std::string>> label = OptionalString(*body, "label");
                 if (!label) return ProblemFromError(label.error());
                 Result<OperatorRecord> op = s.operators.GetOperator(caller, p.at("code"));
                 if (!op) return ProblemFromError(op.error());
                 Result<CreatedApiKey> key = s.auth.CreateApiKey(op->id, label->value_or(""));
                 if (!key) return ProblemFromError(key.error());
                 return Json(201, json::object{{"id", key->id},
                                               {"key", key->key},
                                               {"prefix", key->prefix},
                                               {"operator", op->code}});
               });
             });

}

}  // namespace simexit::api
