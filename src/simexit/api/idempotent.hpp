#pragma once
// Idempotency-Key on the POSTs of the /v1 API that create or change something
// (docs/api.md "Idempotency-Key"). POST /v1/terminations stores its key in its
// own create transaction (routes.cpp IdempotencyKeyOf) and is not listed here;
// every other such POST is wrapped by AddIdempotency:
//  - no header: the route runs as without this;
//  - a header over 200 characters: 400 invalid_idempotency_key;
//  - else the key is claimed for the caller (IdempotentRequests::Claim) with a
//    hash of method, path and body, and
//      run: the route runs; an answer below 500 (other than 429) is stored and
//        returned, a 5xx or 429 drops the claim so that a retry runs again;
//      replay: the stored answer (status, content type, Location, body) with
//        Idempotent-Replayed: true;
//      in progress: 409 idempotency_request_in_progress, Retry-After: 1;
//      another request under the key: 409 idempotency_key_reused.
// The scope of a key is the signed-in caller (Caller::actor); on the routes
// that need no sign-in (a phone confirmation's code or link) it is the path.
// A request whose credential does not authenticate runs as without a key
// (and is refused by the route).

#include <functional>
#include <optional>
#include <span>
#include <string>

#include "simexit/api/router.hpp"
#include "simexit/service/auth_service.hpp"
#include "simexit/service/idempotent_requests.hpp"

namespace simexit::api {

struct IdempotentRoute {
  const char* method;
  const char* pattern;
  bool signed_in;  // false: no sign-in, the key's scope is the path
};

// Every route AddIdempotency wraps (docs/api.md lists the same).
std::span<const IdempotentRoute> IdempotentRoutes();

// Wraps every route of IdempotentRoutes() on `router`; they must all be added
// first (std::invalid_argument otherwise). `auth` and `requests` must outlive
// the router.
void AddIdempotency(Router& router, AuthService& auth, IdempotentRequests& requests);

// The scope of a request's key; nullopt: the route runs as without a key.
using IdempotencyScopeOf = std::function<std::optional<std::string>(const HttpRequest&)>;

// The wrapper of one route (AddIdempotency; tests).
RouteHandler Idempotent(IdempotencyScopeOf scope_of, IdempotentRequests& requests,
                        RouteHandler handler);

}  // namespace simexit::api
