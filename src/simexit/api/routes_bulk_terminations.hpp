#pragma once
// The bulk closure routes (routes_bulk_terminations.cpp, docs/bulk-terminations.md):
//   POST /v1/operators/{code}/bulk-terminations       up to 100,000 numbers and a
//                                                     reason code; 202 with the bulk
//                                                     (Idempotency-Key)
//   GET  /v1/operators/{code}/bulk-terminations/{id}  its progress and failures

#include "simexit/api/router.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/service/bulk_terminations.hpp"

namespace simexit::api {

// The body of POST .../bulk-terminations: {"reason_code": "...", "msisdns": ["..."]}.
// Every element of msisdns must be a string of at most 64 bytes; what it says
// is checked by the service, so that every bad number is named at once.
struct BulkTerminationBody {
  BulkTerminationCommand command;
};

BulkTerminationBody tag_invoke(boost::json::value_to_tag<BulkTerminationBody>,
                               const boost::json::value& json);

// Registers the routes on `router`; `services` and `bulk` must outlive it.
void AddBulkTerminationRoutes(Router& router, ApiServices& services, BulkTerminationService& bulk);

}  // namespace simexit::api
