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

namespace simexit::api {

struct ApiServices {
  AuthService& auth;
  TerminationService& terminations;
  OperatorService& operators;
  StaffService& staff;
  const CertificateSigner& signer;
};

// Registers every route on a new Router. `services` must outlive it.
Router BuildRouter(ApiServices& services);

// The staff routes (routes_staff.cpp): sign-in, sign-out, and managing an
// operator's staff. Called by BuildRouter.
void AddStaffRoutes(Router& router, ApiServices& s);

// The OpenAPI document served at /v1/openapi.yaml (docs/openapi.yaml, embedded
// at build time).
extern const char* const kOpenApiYaml;

}  // namespace simexit::api
