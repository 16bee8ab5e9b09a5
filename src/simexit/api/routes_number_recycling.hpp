#pragma once
// The number recycling routes (routes_number_recycling.cpp,
// docs/number-recycling.md): CAMARA's POST /number-recycling/v0.2/check and
// simexit's batch form POST /number-recycling/v0.2/check-batch, answered in
// CAMARA's own error body; and under /v1 the clients of an operator
// (create, list, revoke, their checks) and GET /v1/reports/disconnections.

#include "simexit/api/router.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/service/number_recycling.hpp"

namespace simexit::api {

// Registers the routes on `router`; `services` and `recycling` must outlive it.
void AddNumberRecyclingRoutes(Router& router, ApiServices& services,
                              NumberRecyclingService& recycling);

}  // namespace simexit::api
