#pragma once
// Pieces every group of routes uses: the caller from the Authorization header,
// and the JSON views of terminations.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "simexit/api/problem.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/common/client_address.hpp"

namespace simexit::api {

// The bearer credential of `Authorization: Bearer ...` ("" when absent).
std::string BearerOf(const HttpRequest& request);

// 401 "unauthenticated".
HttpResponse Unauthenticated();

// The client's address, as services take it: the connection's peer (empty
// when the request came from no network peer, as in tests).
ClientAddress ClientOf(const HttpRequest& request);

// Runs `fn` with the authenticated caller, or answers 401.
template <typename Fn>
HttpResponse WithCaller(ApiServices& s, const HttpRequest& request, Fn&& fn) {
  const std::string bearer = BearerOf(request);
  if (bearer.empty()) return Unauthenticated();
  Result<Caller> caller = s.auth.Authenticate(bearer);
  if (!caller) return ProblemFromError(caller.error());
  return fn(*caller);
}

boost::json::value TimeOrNull(const std::optional<UnixSeconds>& t);

// A termination as the API shows it (lists, creation, decisions).
boost::json::object TerminationJson(const TerminationRecord& t);
// With its history, documents (numbers masked), power of attorney, scans and
// confirmation.
boost::json::object DetailJson(const TerminationDetail& detail);

// "*****0017": all but the last four characters hidden.
std::string MaskNumber(const std::string& number);

// ?limit=1..1000 (default 100). Errors: kInvalidArgument "invalid_query".
Result<int> ParseLimit(const HttpRequest& request);
// Same, with the refusal as a problem in `problem` (nullopt then).
std::optional<int> LimitQuery(const HttpRequest& request, HttpResponse* problem);

// Review decisions and queue, phone confirmations, application forms.
void AddChannelRoutes(Router& router, ApiServices& s);

}  // namespace simexit::api
