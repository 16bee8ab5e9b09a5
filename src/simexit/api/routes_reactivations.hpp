#pragma once
// The reactivation routes (routes_reactivations.cpp, docs/reactivation.md):
//   POST /v1/reactivations                 open one (store or mail; Idempotency-Key)
//   GET  /v1/reactivations                 the caller's operator's, ?state= ?limit=
//   GET  /v1/reactivations/{id}            with its history and window
//   POST /v1/reactivations/{id}/approve    a posted application, four eyes
//   POST /v1/reactivations/{id}/reject     the same, {reason}

#include "simexit/api/router.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/service/reactivation_service.hpp"

namespace simexit::api {

// Registers the routes on `router`; `services` and `reactivations` must
// outlive it.
void AddReactivationRoutes(Router& router, ApiServices& services,
                           ReactivationService& reactivations);

}  // namespace simexit::api
