#pragma once
// The webhook routes (routes_webhooks.cpp, docs/events.md): an operator's
// webhook endpoints (register, list, remove) and their deliveries (list, by
// state; retry a dead one), under /v1/operators/{code}/webhooks.

#include "simexit/api/router.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/service/webhook_service.hpp"

namespace simexit::api {

// Registers the routes on `router`; `services` and `webhooks` must outlive it.
void AddWebhookRoutes(Router& router, ApiServices& services, WebhookService& webhooks);

}  // namespace simexit::api
