#include "simexit/api/idempotent.hpp"

#include <array>
#include <utility>

#include "simexit/api/problem.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/common/log.hpp"

namespace simexit::api {
namespace {

constexpr std::array kRoutes = {
    IdempotentRoute{"POST", "/v1/terminations/{id}/cancel", true},
    IdempotentRoute{"POST", "/v1/terminations/{id}/payments", true},
    IdempotentRoute{"POST", "/v1/terminations/{id}/approve", true},
    IdempotentRoute{"POST", "/v1/terminations/{id}/reject", true},
    IdempotentRoute{"POST", "/v1/reactivations/{id}/approve", true},
    IdempotentRoute{"POST", "/v1/reactivations/{id}/reject", true},
    IdempotentRoute{"POST", "/v1/terminations/{id}/confirm", false},
    IdempotentRoute{"POST", "/v1/terminations/{id}/confirmation/resend", true},
    IdempotentRoute{"POST", "/v1/confirmations/{token}", false},
    IdempotentRoute{"POST", "/v1/uploads", true},
    IdempotentRoute{"POST", "/v1/operators", true},
    IdempotentRoute{"POST", "/v1/operators/{code}/api-keys", true},
    IdempotentRoute{"POST", "/v1/operators/{code}/staff", true},
    IdempotentRoute{"POST", "/v1/staff/{id}/disable", true},
    IdempotentRoute{"POST", "/v1/staff/{id}/enable", true},
    IdempotentRoute{"POST", "/v1/staff/{id}/reset-password", true},
    IdempotentRoute{"POST", "/v1/operators/{code}/number-recycling-clients", true},
    IdempotentRoute{"POST", "/v1/number-recycling-clients/{id}/revoke", true},
    IdempotentRoute{"POST", "/v1/jobs/{id}/retry", true},
    IdempotentRoute{"POST", "/v1/sms/{id}/retry", true},
    IdempotentRoute{"POST", "/v1/operators/{code}/webhooks", true},
    IdempotentRoute{"POST", "/v1/operators/{code}/webhook-deliveries/{id}/retry", true},
    IdempotentRoute{"POST", "/v1/operators/{code}/bulk-terminations", true},
};

constexpr std::size_t kMaxKeyLength = 200;

// Answers that say "try again later" are not kept: a retry must run.
bool Keeps(const HttpResponse& response) { return response.status < 500 && response.status != 429; }

StoredResponse Stored(const HttpResponse& response) {
  StoredResponse stored{static_cast<int>(response.status), response.content_type, "",
                        response.body};
  for (const auto& [name, value] : response.headers) {
    if (name == "Location") {
      stored.location = value;
    }
  }
  return stored;
}

HttpResponse Replay(const StoredResponse& stored) {
  HttpResponse response;
  response.status = static_cast<unsigned>(stored.status);
  response.content_type = stored.content_type;
  response.body = stored.body;
  if (!stored.location.empty()) {
    response.headers.emplace_back("Location", stored.location);
  }
  response.headers.emplace_back("Idempotent-Replayed", "true");
  return response;
}

HttpResponse InProgress() {
  HttpResponse response =
      ProblemFor("idempotency_request_in_progress",
                 "a request with this Idempotency-Key is still running; retry in a second");
  response.headers.emplace_back("Retry-After", "1");
  return response;
}

HttpResponse Run(IdempotentRequests& requests, const std::string& scope, const std::string& key,
                 const std::string& claim_id, const RouteHandler& handler,
                 const HttpRequest& request, const PathParams& params) {
  HttpResponse response;
  try {
    response = handler(request, params);
  } catch (...) {
    (void)requests.Release(scope, key, claim_id);
    throw;
  }
  Result<void> kept = Keeps(response) ? requests.Finish(scope, key, claim_id, Stored(response))
                                      : requests.Release(scope, key, claim_id);
  if (!kept) {
    // The answer still goes out; the claim turns stale and a retry runs again.
    LogWarn("idempotency_not_stored",
            {{"reason", kept.error().problem_code}, {"message", kept.error().message}});
  }
  return response;
}

}  // namespace

std::span<const IdempotentRoute> IdempotentRoutes() { return kRoutes; }

RouteHandler Idempotent(IdempotencyScopeOf scope_of, IdempotentRequests& requests,
                        RouteHandler handler) {
  return [scope_of = std::move(scope_of), &requests, handler = std::move(handler)](
             const HttpRequest& request, const PathParams& params) -> HttpResponse {
    const std::string key = request.Header("idempotency-key");
    if (key.empty()) {
      return handler(request, params);
    }
    if (key.size() > kMaxKeyLength) {
      return ProblemFromError(Error{ErrorCode::kInvalidArgument, "invalid_idempotency_key",
                                    "Idempotency-Key is limited to 200 characters"});
    }
    const std::optional<std::string> scope = scope_of(request);
    if (!scope) {
      return handler(request, params);
    }
    const std::string hash = HashHex(request.method + " " + request.path + "\n" + request.body);
    Result<IdempotentClaim> claim = requests.Claim(*scope, key, hash);
    if (!claim) {
      return ProblemFromError(claim.error());
    }
    switch (claim->outcome) {
      case IdempotentClaim::Outcome::kReplay:
        return Replay(claim->response);
      case IdempotentClaim::Outcome::kInProgress:
        return InProgress();
      case IdempotentClaim::Outcome::kRun:
        break;
    }
    return Run(requests, *scope, key, claim->claim_id, handler, request, params);
  };
}

void AddIdempotency(Router& router, AuthService& auth, IdempotentRequests& requests) {
  for (const IdempotentRoute& route : kRoutes) {
    IdempotencyScopeOf scope_of;
    if (route.signed_in) {
      scope_of = [&auth](const HttpRequest& request) -> std::optional<std::string> {
        const std::string bearer = BearerOf(request);
        if (bearer.empty()) {
          return std::nullopt;
        }
        Result<Caller> caller = auth.Authenticate(bearer);
        if (!caller) {
          return std::nullopt;
        }
        return caller->actor;
      };
    } else {
      scope_of = [](const HttpRequest& request) -> std::optional<std::string> {
        return "anonymous:" + request.path;
      };
    }
    router.Wrap(route.method, route.pattern, [&](RouteHandler handler) {
      return Idempotent(std::move(scope_of), requests, std::move(handler));
    });
  }
}

}  // namespace simexit::api
