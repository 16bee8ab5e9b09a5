// Number recycling (docs/number-recycling.md):
//  - CAMARA Number Recycling v0.2.0 (release r2.2), POST
//    /number-recycling/v0.2/check, with CAMARA's own error body
//    {status, code, message} and the x-correlator header echoed; and
//    POST /number-recycling/v0.2/check-batch, simexit's extension for up to
//    1,000 numbers at once. Clients authenticate with their "nrc_" key.
//  - /v1 administration: the clients of an operator, their recorded checks,
//    and the disconnection report (problem+json like every /v1 route).

#include "simexit/api/routes_number_recycling.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <string_view>

#include "simexit/api/problem.hpp"
#include "simexit/api/request_json.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/api/routes.hpp"

namespace simexit::api {
namespace {

namespace json = boost::json;

// CAMARA's XCorrelator pattern: ^[a-zA-Z0-9-_:;.\/<>{}]{0,256}$
bool IsCorrelator(std::string_view text) {
  constexpr std::string_view kPunctuation = "-_:;./<>{}";
  if (text.size() > 256) {
    return false;
  }
  for (const char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && kPunctuation.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// CAMARA's PhoneNumber pattern: ^\+[1-9][0-9]{4,14}$
bool IsPhoneNumber(std::string_view text) {
  if (text.size() < 6 || text.size() > 16 || text[0] != '+' || text[1] < '1' || text[1] > '9') {
    return false;
  }
  for (const char c : text.substr(2)) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

struct CheckBody {
  std::optional<std::string> phone_number;
  CivilDate specified_date;
};

struct BatchBody {
  std::vector<std::string> phone_numbers;
  CivilDate specified_date;
};

std::string PhoneNumberOf(const json::value& v) {
  std::string text = StringOf(v, 64);
  if (!IsPhoneNumber(text)) {
    RefuseValue("invalid_phone_number",
                "{field} must be E.164 with a leading '+' (^\\+[1-9][0-9]{4,14}$)");
  }
  return text;
}

CivilDate SpecifiedDateOf(const json::value& v) {
  Result<CivilDate> date = ParseIsoDate(StringOf(v, 32));
  if (!date) {
    RefuseValue("invalid_date", "{field} must be a calendar date YYYY-MM-DD");
  }
  return *date;
}

CheckBody tag_invoke(json::value_to_tag<CheckBody>, const json::value& in) {
  const ObjectReader r(in, {"phoneNumber", "specifiedDate"});
  CheckBody out;
  out.specified_date = r.RequiredWith("specifiedDate", SpecifiedDateOf);
  out.phone_number = r.OptionalWith("phoneNumber", PhoneNumberOf);
  return out;
}

BatchBody tag_invoke(json::value_to_tag<BatchBody>, const json::value& in) {
  const ObjectReader r(in, {"phoneNumbers", "specifiedDate"});
  BatchBody out;
  out.specified_date = r.RequiredWith("specifiedDate", SpecifiedDateOf);
  out.phone_numbers = r.RequiredWith("phoneNumbers", [](const json::value& v) {
    if (!v.is_array() || v.as_array().empty()) {
      RefuseValue("invalid_field", "{field} must be a non-empty array of phone numbers");
    }
    std::vector<std::string> numbers;
    for (const json::value& item : v.as_array()) {
      numbers.push_back(PhoneNumberOf(item));
    }
    return numbers;
  });
  return out;
}

// An answer in CAMARA's ErrorInfo form, with the x-correlator echoed.
HttpResponse CamaraError(unsigned status, std::string_view code, std::string_view message,
                         const std::string& correlator) {
  HttpResponse response =
      Json(status, json::object{{"status", status}, {"code", code}, {"message", message}});
  if (!correlator.empty()) {
    response.headers.emplace_back("x-correlator", correlator);
  }
  return response;
}

// A service error in CAMARA's terms.
HttpResponse CamaraErrorFor(const Error& error, const std::string& correlator) {
  switch (error.code) {
    case ErrorCode::kUnauthenticated:
      return CamaraError(401, "UNAUTHENTICATED",
                         "Request not authenticated due to missing, invalid, or expired "
                         "credentials. A new authentication is required.",
                         correlator);
    case ErrorCode::kPermissionDenied:
      return CamaraError(403, "PERMISSION_DENIED",
                         "Client does not have sufficient permissions to perform this action",
                         correlator);
    case ErrorCode::kInvalidArgument:
      if (error.problem_code == "recycling_date_in_future") {
        return CamaraError(400, "OUT_OF_RANGE", "specifiedDate must not be in the future",
                           correlator);
      }
      return CamaraError(400, "INVALID_ARGUMENT", error.message, correlator);
    case ErrorCode::kResourceExhausted:
      return CamaraError(429, "TOO_MANY_REQUESTS",
                         "Either out of resource quota or reaching rate limiting.", correlator);
    case ErrorCode::kUnavailable:
      return CamaraError(503, "UNAVAILABLE", "Service Unavailable.", correlator);
    default:
      // Logged with the request id; internals never reach the client.
      ProblemFromError(error);
      return CamaraError(500, "INTERNAL", "Unknown server error. Typically a server bug.",
                         correlator);
  }
}

HttpResponse NotFoundAnswer(const std::string& correlator) {
  return CamaraError(404, "IDENTIFIER_NOT_FOUND", "Phone number not found.", correlator);
}

HttpResponse NoDataAnswer(const std::string& correlator) {
  return CamaraError(422, "SERVICE_NOT_APPLICABLE",
                     "The service is not available for the provided phone number: its "
                     "history does not reach back to specifiedDate",
                     correlator);
}

// The batch's answer for one number (CAMARA's body or its ErrorInfo).
json::object BatchItem(const std::string& number, RecyclingAnswer answer) {
  json::object item{{"phoneNumber", number}};
  switch (answer) {
    case RecyclingAnswer::kRecycled:
    case RecyclingAnswer::kNotRecycled:
      item["phoneNumberRecycled"] = answer == RecyclingAnswer::kRecycled;
      break;
    case RecyclingAnswer::kNotFound:
      item["error"] = json::object{{"status", 404},
                                   {"code", "IDENTIFIER_NOT_FOUND"},
                                   {"message", "Phone number not found."}};
      break;
    case RecyclingAnswer::kNoData:
      item["error"] = json::object{{"status", 422},
                                   {"code", "SERVICE_NOT_APPLICABLE"},
                                   {"message", "The history does not reach back to specifiedDate"}};
      break;
  }
  return item;
}

// The steps both check routes share: the correlator, the client, the body.
// Answers `done` with the client and the decoded body, or the CAMARA error.
template <typename Body, typename Fn>
HttpResponse WithCheck(NumberRecyclingService& recycling, AuthService& auth,
                       const HttpRequest& request, Fn&& done) {
  const std::string correlator = request.Header("x-correlator");
  if (!IsCorrelator(correlator)) {
    // Not echoed: it is not a correlator CAMARA allows.
    return CamaraError(400, "INVALID_ARGUMENT",
                       "x-correlator must match ^[a-zA-Z0-9-_:;.\\/<>{}]{0,256}$", "");
  }
  const std::string bearer = BearerOf(request);
  Result<NumberRecyclingClientRecord> client = recycling.Authenticate(bearer);
  if (!client) {
    // simexit's own credentials are known but carry no number recycling scope.
    if (bearer.rfind("nrc_", 0) != 0 && !bearer.empty() && auth.Authenticate(bearer)) {
      return CamaraErrorFor(Error{ErrorCode::kPermissionDenied, "recycling_scope_missing", ""},
                            correlator);
    }
    return CamaraErrorFor(client.error(), correlator);
  }
  Result<Body> body = DecodeBody<Body>(request.body);
  if (!body) {
    return CamaraError(400, "INVALID_ARGUMENT", body.error().message, correlator);
  }
  return done(*client, *body, correlator);
}

HttpResponse Checked(NumberRecyclingService& recycling, const NumberRecyclingClientRecord& client,
                     const RecyclingCheck& check, const std::string& correlator,
                     const std::function<HttpResponse(const std::vector<RecyclingAnswer>&)>& ok) {
  std::chrono::seconds retry_after{0};
  Result<std::vector<RecyclingAnswer>> answers = recycling.Check(client, check, &retry_after);
  if (!answers) {
    HttpResponse refused = CamaraErrorFor(answers.error(), correlator);
    if (answers.error().code == ErrorCode::kResourceExhausted) {
      refused.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
    }
    return refused;
  }
  HttpResponse response = ok(*answers);
  if (!correlator.empty()) {
    response.headers.emplace_back("x-correlator", correlator);
  }
  return response;
}

json::object ClientJson(const RecyclingClientView& v) {
  json::array scopes;
  for (const std::string& scope : v.client.scopes) {
    scopes.emplace_back(scope);
  }
  return json::object{{"id", v.client.id},
                      {"operator", v.operator_code},
                      {"name", v.client.name},
                      {"prefix", v.client.prefix},
                      {"scopes", std::move(scopes)},
                      {"created_by", v.client.created_by},
                      {"created_at", FormatRfc3339(v.client.created_at)},
                      {"revoked_at", TimeOrNull(v.client.revoked_at)}};
}

struct NewClientBody {
  std::string name;
  std::optional<std::vector<std::string>> scopes;
};

NewClientBody tag_invoke(json::value_to_tag<NewClientBody>, const json::value& in) {
  const ObjectReader r(in, {"name", "scopes"});
  NewClientBody out;
  out.name = r.RequiredString("name", 1000);
  out.scopes = r.OptionalWith("scopes", [](const json::value& v) {
    if (!v.is_array()) {
      RefuseValue("invalid_field", "{field} must be an array of scope names");
    }
    std::vector<std::string> scopes;
    for (const json::value& item : v.as_array()) {
      scopes.push_back(StringOf(item, 100));
    }
    return scopes;
  });
  return out;
}

Result<std::int64_t> ClientIdOf(const std::string& text) {
  std::int64_t id = 0;
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return Fail(ErrorCode::kNotFound, "recycling_client_not_found",
                "no such number recycling client");
  }
  id = std::stoll(text);
  return id;
}

HttpResponse NotHere() { return ProblemFor("route_not_found", "no such resource"); }

}  // namespace

void AddNumberRecyclingRoutes(Router& router, ApiServices& s, NumberRecyclingService& recycling) {
  router.Add("POST", "/number-recycling/v0.2/check",
             [&s, &recycling](const HttpRequest& request, const PathParams&) {
               return WithCheck<CheckBody>(
                   recycling, s.auth, request,
                   [&](const NumberRecyclingClientRecord& client, const CheckBody& body,
                       const std::string& correlator) {
                     // A two-legged key identifies no number: it must be given.
                     if (!body.phone_number) {
                       return CamaraError(422, "MISSING_IDENTIFIER",
                                          "The phone number cannot be identified", correlator);
                     }
                     RecyclingCheck check{{*body.phone_number}, body.specified_date, correlator};
                     return Checked(recycling, client, check, correlator,
                                    [&](const std::vector<RecyclingAnswer>& answers) {
                                      switch (answers.front()) {
                                        case RecyclingAnswer::kNotFound:
                                          return NotFoundAnswer("");
                                        case RecyclingAnswer::kNoData:
                                          return NoDataAnswer("");
                                        default:
                                          return Json(
                                              200, json::object{{"phoneNumberRecycled",
                                                                 answers.front() ==
                                                                     RecyclingAnswer::kRecycled}});
                                      }
                                    });
                   });
             });

  router.Add("POST", "/number-recycling/v0.2/check-batch",
             [&s, &recycling](const HttpRequest& request, const PathParams&) {
               return WithCheck<BatchBody>(
                   recycling, s.auth, request,
                   [&](const NumberRecyclingClientRecord& client, const BatchBody& body,
                       const std::string& correlator) {
                     if (body.phone_numbers.size() >
                         static_cast<std::size_t>(NumberRecyclingLimits::kMaxBatch)) {
                       return CamaraError(400, "OUT_OF_RANGE",
                                          "phoneNumbers holds at most 1000 numbers", correlator);
                     }
                     RecyclingCheck check{body.phone_numbers, body.specified_date, correlator};
                     return Checked(
                         recycling, client, check, correlator,
                         [&](const std::vector<RecyclingAnswer>& answers) {
                           json::array results;
                           for (std::size_t i = 0; i < answers.size(); ++i) {
                             results.push_back(BatchItem(body.phone_numbers[i], answers[i]));
                           }
                           return Json(200, json::object{{"results", std::move(results)}});
                         });
                   });
             });

  router.Add("POST", "/v1/operators/{code}/number-recycling-clients",
             [&s, &recycling](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind == CallerKind::kHolder) {
                   return NotHere();
                 }
                 Result<NewClientBody> body = DecodeBody<NewClientBody>(request.body);
                 if (!body) {
                   return ProblemFromError(body.error());
                 }
                 NewRecyclingClient command{p.at("code"), body->name};
                 if (body->scopes) {
                   command.scopes = *body->scopes;
                 }
                 Result<CreatedRecyclingClient> created = recycling.CreateClient(caller, command);
                 if (!created) {
                   return ProblemFromError(created.error());
                 }
                 json::object out = ClientJson(RecyclingClientView{created->client, p.at("code")});
                 out["key"] = created->key;
                 return Json(201, out);
               });
             });

  router.Add("GET", "/v1/number-recycling-clients",
             [&s, &recycling](const HttpRequest& request, const PathParams&) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind == CallerKind::kHolder) {
                   return NotHere();
                 }
                 auto op = request.query.find("operator");
                 Result<std::vector<RecyclingClientView>> clients = recycling.ListClients(
                     caller, op == request.query.end() ? std::string() : op->second);
                 if (!clients) {
                   return ProblemFromError(clients.error());
                 }
                 json::array items;
                 for (const RecyclingClientView& v : *clients) {
                   items.push_back(ClientJson(v));
                 }
                 return Json(200, json::object{{"items", std::move(items)}});
               });
             });

  router.Add("POST", "/v1/number-recycling-clients/{id}/revoke",
             [&s, &recycling](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind == CallerKind::kHolder) {
                   return NotHere();
                 }
                 if (Result<EmptyCommand> body = DecodeBody<EmptyCommand>(request.body); !body) {
                   return ProblemFromError(body.error());
                 }
                 Result<std::int64_t> id = ClientIdOf(p.at("id"));
                 if (!id) {
                   return ProblemFromError(id.error());
                 }
                 Result<RecyclingClientView> revoked = recycling.RevokeClient(caller, *id);
                 if (!revoked) {
                   return ProblemFromError(revoked.error());
                 }
                 return Json(200, ClientJson(*revoked));
               });
             });

  router.Add("GET", "/v1/number-recycling-clients/{id}/checks",
             [&s, &recycling](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 if (caller.kind == CallerKind::kHolder) {
                   return NotHere();
                 }
                 HttpResponse problem;
                 std::optional<int> limit = LimitQuery(request, &problem);
                 if (!limit) {
                   return problem;
                 }
                 Result<std::int64_t> id = ClientIdOf(p.at("id"));
                 if (!id) {
                   return ProblemFromError(id.error());
                 }
                 Result<std::vector<NumberRecyclingCheckRecord>> checks =
                     recycling.ListChecks(caller, *id, *limit);
                 if (!checks) {
                   return ProblemFromError(checks.error());
                 }
                 json::array items;
                 for (const NumberRecyclingCheckRecord& c : *checks) {
                   items.push_back(json::object{{"id", c.id},
                                                {"phoneNumber", c.msisdn},
                                                {"specifiedDate", c.specified_date.ToString()},
                                                {"answer", ToString(c.answer)},
                                                {"correlator", c.correlator},
                                                {"request_id", c.request_id},
                                                {"at", FormatRfc3339(c.at)}});
                 }
                 return Json(200, json::object{{"items", std::move(items)}});
               });
             });

  router.Add(
      "GET", "/v1/reports/disconnections",
      [&s, &recycling](const HttpRequest& request, const PathParams&) {
        return WithCaller(s, request, [&](const Caller& caller) {
          if (caller.kind == CallerKind::kHolder) {
            return NotHere();
          }
          auto since_text = request.query.find("since");
          UnixSeconds since = 0;
          if (since_text == request.query.end() || !ParseIsoDate(since_text->second) ||
              !ParseRfc3339(since_text->second, &since)) {
            return ProblemFromError(Error{ErrorCode::kInvalidArgument, "invalid_query",
                                          "?since=YYYY-MM-DD is required", "since"});
          }
          Result<std::vector<DisconnectionView>> rows = recycling.Disconnections(caller, since);
          if (!rows) {
            return ProblemFromError(rows.error());
          }
          json::array items;
          for (const DisconnectionView& row : *rows) {
            items.push_back(json::object{{"msisdn", row.msisdn},
                                         {"operator", row.operator_code},
                                         {"disconnected_at", FormatRfc3339(row.disconnected_at)}});
          }
          return Json(200, json::object{{"items", std::move(items)}});
        });
      });
}

}  // namespace simexit::api
