// JSON request bodies, through the real router and routes (BuildRouter over
// the fuzz runtime's services, as `simexit serve` wires them) without sockets:
// the first input byte chooses the caller's credential (low two bits: none,
// the admin key, the Kcell operator key of the fuzz runtime) and a route that reads a JSON
// body (the other bits), the rest is the body. Property: bad bodies are the
// client's fault, never a 500 (an exception or an internal error escaping a
// route).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>

#include "fuzz_runtime.hpp"
#include "simexit/api/http_server.hpp"
#include "simexit/api/router.hpp"
#include "simexit/api/routes.hpp"

namespace {

struct Route {
  const char* method;
  const char* path;
};

// Routes with a JSON body (docs/openapi.yaml), minus those that hash a
// password (fuzz_runtime.hpp). Termination and staff ids are made up: what is fuzzed is the body.
constexpr Route kRoutes[] = {
    {"POST", "/v1/auth/otp"},
    {"POST", "/v1/auth/otp/verify"},
    {"POST", "/v1/terminations"},
    {"POST", "/v1/terminations/trm_000000000000000000000001/cancel"},
    {"POST", "/v1/terminations/trm_000000000000000000000001/payments"},
    {"POST", "/v1/terminations/trm_000000000000000000000001/confirm"},
    {"POST", "/v1/terminations/trm_000000000000000000000001/confirmation/resend"},
    {"POST", "/v1/confirmations/token"},
    {"POST", "/v1/operators"},
    {"PUT", "/v1/operators/kcell/policy"},
    {"POST", "/v1/operators/kcell/api-keys"},
    {"POST", "/v1/staff/1/disable"},
    {"POST", "/v1/staff/1/enable"},
    {"POST", "/v1/staff/logout"},
};
constexpr std::size_t kRouteCount = sizeof(kRoutes) / sizeof(kRoutes[0]);

simexit::api::Router& FuzzRouter() {
  static simexit::app::Runtime& rt = simexit::fuzz::FuzzRuntime();
  static simexit::api::ApiServices services{*rt.auth,  *rt.terminations, *rt.operators,
                                            *rt.staff, *rt.uploads,      *rt.signer};
  static simexit::api::Router router = simexit::api::BuildRouter(services);
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Route& route = kRoutes[(data[0] >> 2) % kRouteCount];
  simexit::api::HttpRequest request;
  request.method = route.method;
  request.target = route.path;
  request.path = route.path;
  request.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  request.headers["content-type"] = "application/json";
  switch (data[0] & 3) {
    case 1:
      request.headers["authorization"] = std::string("Bearer ") + simexit::fuzz::kAdminKey;
      break;
    case 2:
      request.headers["authorization"] = "Bearer " + simexit::fuzz::World().kcell_api_key;
      break;
    default:
      break;
  }
  request.request_id = "fuzz";
  request.remote_address = "127.0.0.1";
  const simexit::api::HttpResponse response = FuzzRouter().Dispatch(request);
  if (response.status == 500) {
    std::cerr << "fuzz: " << route.method << " " << route.path << " answered " << response.status
              << ": " << response.body << "\n";
    std::abort();
  }
  return 0;
}
