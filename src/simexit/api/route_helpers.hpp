#pragma once
// Pieces every group of routes uses: the caller from the Authorization header,
// and the JSON views of terminations.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "simexit/api/problem.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/common/client_address.hpp"
#include "simexit/common/clock.hpp"
#include "simexit/domain/iin.hpp"

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
  if (bearer.empty()) {
    return Unauthenticated();
  }
  Result<Caller> caller = s.auth.Authenticate(bearer);
  if (!caller) {
    return ProblemFromError(caller.error());
  }
  return fn(*caller);
}

boost::json::value TimeOrNull(const std::optional<UnixSeconds>& t);
// "YYYY-MM-DD", or null when there is no date.
boost::json::value DateOrNull(const std::optional<CivilDate>& d);

// The history of a termination or a reactivation, oldest first: each event
// with its actor, channel, detail and time, and the states it moved between.
template <typename EventRecord>
boost::json::array EventsJson(const std::vector<EventRecord>& records) {
  boost::json::array events;
  for (const EventRecord& e : records) {
    boost::json::object event{{"event", e.event},
                              {"actor", e.actor},
                              {"channel", e.channel},
                              {"detail", e.detail},
                              {"at", FormatRfc3339(e.at)}};
    if (!e.from_state.empty()) {
      event["from"] = e.from_state;
    }
    if (!e.to_state.empty()) {
      event["to"] = e.to_state;
    }
    events.push_back(std::move(event));
  }
  return events;
}

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

// The Idempotency-Key header of a create call, scoped to the caller, with a
// hash of the request it came with; nullopt without the header. Errors:
// kInvalidArgument "invalid_idempotency_key" (over 200 characters).
Result<std::optional<IdempotencyKey>> IdempotencyKeyOf(const HttpRequest& request,
                                                       const Caller& caller);

// Review decisions and queue, phone confirmations, application forms.
void AddChannelRoutes(Router& router, ApiServices& s);

}  // namespace simexit::api
