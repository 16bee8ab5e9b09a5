#pragma once
// The web pages served by `simexit serve` beside the /v1 API (docs/web.md).
// Pages hold no rules: they decode forms with the API's decoders and call the
// same services as the /v1 routes.

#include <optional>
#include <string>

#include "simexit/api/router.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/service/reactivation_service.hpp"

namespace simexit::web {

// Every page route: assets, the holder's self-service under /my, the
// operator console under /console. Called by
// api::BuildRouter.
void AddPageRoutes(api::Router& router, api::ApiServices& services);

// The operator console (console_pages.cpp): staff sign-in and sign-out, who
// is signed in; it registers the console's other pages below.
void AddConsolePages(api::Router& router, api::ApiServices& services);
// Lines found by number, ICCID or holder document (console_lines.cpp).
void AddConsoleLinePages(api::Router& router, api::ApiServices& services);
// Requests opened per channel: store, proxy, phone, mail (console_requests.cpp).
void AddConsoleRequestPages(api::Router& router, api::ApiServices& services);
// A request's detail, timeline, phone code, payment, cancel, print (console_terminations.cpp).
void AddConsoleTerminationPages(api::Router& router, api::ApiServices& services);
// The review queue and decisions (console_reviews.cpp).
void AddConsoleReviewPages(api::Router& router, api::ApiServices& services);
// The operator's dashboard and the retry of failed work (console_dashboard.cpp).
void AddConsoleDashboardPages(api::Router& router, api::ApiServices& services);

// Reactivations (console_reactivations.cpp): the form from a quarantined
// line's card, the list, one with its timeline and the four-eyes decision.
// Registered by `simexit serve` beside the /v1/reactivations routes.
void AddConsoleReactivationPages(api::Router& router, api::ApiServices& services,
                                 ReactivationService& reactivations);

// The phone request confirmation page (/confirm/{token}, confirm_page.cpp):
// the button before (`outcome` empty), then "confirmed" or the problem code
// that refused it. The routes are in api/routes_channels.cpp.
api::HttpResponse ConfirmPage(const api::HttpRequest& request, const std::string& token,
                              const std::optional<std::string>& outcome, unsigned status = 200);

// The public certificate check, GET /verify/{serial} (verify_page.cpp).
void AddVerifyPage(api::Router& router, api::ApiServices& services);

// GET /assets/{name}: the stylesheet and script (assets.cpp).
void AddAssetRoutes(api::Router& router);

// The holder's self-service (holder_pages.cpp): sign-in, line and quote,
// closing, the request's timeline, cancel, certificate, sign-out.
void AddHolderPages(api::Router& router, api::ApiServices& services);

}  // namespace simexit::web
