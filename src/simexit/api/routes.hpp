#pragma once
// The /v1 HTTP API: maps requests to use cases and results to JSON or
// RFC 9457 problems. Described route by route in docs/openapi.yaml.

#include <string>

#include "simexit/api/router.hpp"
#include "simexit/certificate/signer.hpp"
#include "simexit/service/auth_service.hpp"
#include "simexit/service/operator_service.hpp"
#include "simexit/service/staff_service.hpp"
#include "simexit/service/termination_service.hpp"
#include "simexit/service/upload_service.hpp"

namespace simexit::api {

struct ApiServices {
  AuthService& auth;
  TerminationService& terminations;
  OperatorService& operators;
  StaffService& staff;
  UploadService& uploads;
  const CertificateSigner& signer;
};

// Registers every route on a new Router. `services` must outlive it.
Router BuildRouter(ApiServices& services);

// The staff routes (routes_staff.cpp): sign-in, sign-out, and managing an
// operator's staff. Called by BuildRouter.
void AddStaffRoutes(Router& router, ApiServices& s);
// The operator routes (routes_operators.cpp): list, create and read
// operators, set a policy, issue API keys. Called by BuildRouter.
void AddOperatorRoutes(Router& router, ApiServices& s);
// POST /v1/uploads, GET /v1/uploads/{id}, GET /v1/uploads/{id}/content
// (routes_uploads.cpp). The server must allow POST /v1/uploads bodies up to
// uploads.max_bytes (HttpServerOptions::body_limit_rules).
void AddUploadRoutes(Router& router, ApiServices& services);

// The operator's dashboard and the retry of its failed work
// (routes_dashboard.cpp): GET /v1/dashboard, POST /v1/jobs/{id}/retry,
// POST /v1/sms/{id}/retry.
void AddDashboardRoutes(Router& router, ApiServices& services);

// The OpenAPI document served at /v1/openapi.yaml (docs/openapi.yaml, embedded
// at build time).
extern const char* const kOpenApiYaml;

}  // namespace simexit::api
