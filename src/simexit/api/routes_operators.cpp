// The operator routes (administration): list, create and read operators, set
// an operator's policy, and issue its API keys. Confinement and errors are
// OperatorService's (service/operator_service.hpp); creating operators and API
// keys is for admins only.

#include <boost/json.hpp>
#include <utility>

#include "simexit/api/commands.hpp"
#include "simexit/api/problem.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/domain/iin.hpp"

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

// ?from=YYYY-MM-DD&to=YYYY-MM-DD, both required.
Result<AuditExportRange> ExportRange(const HttpRequest& request) {
  AuditExportRange range;
  for (auto [name, day] : {std::pair{"from", &range.from}, std::pair{"to", &range.to}}) {
    auto it = request.query.find(name);
    if (it == request.query.end()) {
      return FailField(ErrorCode::kInvalidArgument, "invalid_query", name,
                       std::string(name) + " is required (YYYY-MM-DD)");
    }
    Result<CivilDate> parsed = ParseIsoDate(it->second);
    if (!parsed) {
      return FailField(ErrorCode::kInvalidArgument, "invalid_date", name,
                       std::string(name) + " is not a date YYYY-MM-DD");
    }
    *day = *parsed;
  }
  return range;
}

HttpResponse AdminOnly() {
  // Not 403: operator keys learn nothing about admin routes beyond "not here".
  return ProblemFor("route_not_found", "no such resource");
}

// 400 invalid_activity_rows, naming each refused row: its index in
// "activity", the number as given, a code and why.
HttpResponse ActivityRowsRefused(const std::vector<ActivityRow>& rows,
                                 const std::vector<ActivityRowProblem>& bad) {
  json::array refused;
  for (const ActivityRowProblem& problem : bad) {
    refused.push_back(json::object{{"row", problem.row},
                                   {"msisdn", rows[problem.row].msisdn},
                                   {"code", problem.code},
                                   {"detail", problem.message}});
  }
  return ProblemFor("invalid_activity_rows",
                    std::to_string(bad.size()) + " of " + std::to_string(rows.size()) +
                        " rows are refused; nothing was recorded",
                    json::object{{"rows", std::move(refused)}});
}

}  // namespace

void AddOperatorRoutes(Router& router, ApiServices& s) {
  router.Add("GET", "/v1/operators", [&s](const HttpRequest& request, const PathParams&) {
    return WithCaller(s, request, [&](const Caller& caller) {
      if (caller.kind == CallerKind::kHolder) {
        return AdminOnly();
      }
      Result<std::vector<OperatorRecord>> ops = s.operators.ListOperators(caller);
      if (!ops) {
        return ProblemFromError(ops.error());
      }
      json::array items;
      for (const OperatorRecord& op : *ops) {
        items.push_back(OperatorJson(op));
      }
      return Json(200, json::object{{"items", std::move(items)}});
    });
  });

  router.Add("POST", "/v1/operators", [&s](const HttpRequest& request, const PathParams&) {
    return WithCaller(s, request, [&](const Caller& caller) {
      if (caller.kind != CallerKind::kAdmin) {
        return AdminOnly();
      }
      Result<NewOperator> new_op = DecodeBody<NewOperator>(request.body);
      if (!new_op) {
        return ProblemFromError(new_op.error());
      }
      Result<OperatorRecord> op = s.operators.CreateOperator(*new_op);
      if (!op) {
        return ProblemFromError(op.error());
      }
      return Json(201, OperatorJson(*op));
    });
  });

  router.Add("GET", "/v1/operators/{code}", [&s](const HttpRequest& request, const PathParams& p) {
    return WithCaller(s, request, [&](const Caller& caller) {
      if (caller.kind == CallerKind::kHolder) {
        return AdminOnly();
      }
      Result<OperatorRecord> op = s.operators.GetOperator(caller, p.at("code"));
      if (!op) {
        return ProblemFromError(op.error());
      }
      return Json(200, OperatorJson(*op));
    });
  });

  // The signed audit export (docs/audit.md): the body is the export's exact
  // bytes, its Ed25519 signature rides in a header.
  router.Add("GET", "/v1/operators/{code}/audit-export",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind == CallerKind::kHolder) {
                   return AdminOnly();
                 }
                 Result<AuditExportRange> range = ExportRange(request);
                 if (!range) {
                   return ProblemFromError(range.error());
                 }
                 Result<AuditExport> out =
                     s.operators.ExportAudit(caller, p.at("code"), *range, s.signer);
                 if (!out) {
                   return ProblemFromError(out.error());
                 }
                 HttpResponse response;
                 response.content_type = "application/x-ndjson; charset=utf-8";
                 response.body = std::move(out->jsonl);
                 response.headers.emplace_back("Simexit-Signature", out->signature_base64);
                 response.headers.emplace_back("Simexit-Key-Id", s.signer.key_id());
                 response.headers.emplace_back("Cache-Control", "private, no-store");
                 return response;
               });
             });

  // The paid activity of the operator's lines (docs/dormancy.md): all rows
  // recorded, or none and every bad row named.
  router.Add("POST", "/v1/operators/{code}/activity",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind == CallerKind::kHolder) {
                   return AdminOnly();
                 }
                 Result<ActivityCommand> command = DecodeBody<ActivityCommand>(request.body);
                 if (!command) {
                   return ProblemFromError(command.error());
                 }
                 Result<ActivityReport> report =
                     s.operators.RecordActivity(caller, p.at("code"), command->activity);
                 if (!report) {
                   return ProblemFromError(report.error());
                 }
                 if (!report->bad.empty()) {
                   return ActivityRowsRefused(command->activity, report->bad);
                 }
                 return Json(200, json::object{{"updated", report->updated},
                                               {"unchanged", report->unchanged}});
               });
             });

  router.Add("PUT", "/v1/operators/{code}/policy",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 // Admins, and an operator_admin for its own operator: the
                 // service confines it (another operator's code is 404).
                 if (caller.kind == CallerKind::kHolder) {
                   return AdminOnly();
                 }
                 Result<Policy> policy = DecodeBody<Policy>(request.body);
                 if (!policy) {
                   return ProblemFromError(policy.error());
                 }
                 Result<OperatorRecord> op = s.operators.SetPolicy(caller, p.at("code"), *policy);
                 if (!op) {
                   return ProblemFromError(op.error());
                 }
                 return Json(200, OperatorJson(*op));
               });
             });

  router.Add("POST", "/v1/operators/{code}/api-keys",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind != CallerKind::kAdmin) {
                   return AdminOnly();
                 }
                 Result<CreateApiKeyCommand> command =
                     DecodeBody<CreateApiKeyCommand>(request.body);
                 if (!command) {
                   return ProblemFromError(command.error());
                 }
                 Result<OperatorRecord> op = s.operators.GetOperator(caller, p.at("code"));
                 if (!op) {
                   return ProblemFromError(op.error());
                 }
                 Result<CreatedApiKey> key = s.auth.CreateApiKey(op->id, command->label);
                 if (!key) {
                   return ProblemFromError(key.error());
                 }
                 return Json(201, json::object{{"id", key->id},
                                               {"key", key->key},
                                               {"prefix", key->prefix},
                                               {"operator", op->code}});
               });
             });
}

}  // namespace simexit::api
