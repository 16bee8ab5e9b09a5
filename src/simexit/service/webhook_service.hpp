#pragma once
// Operators' webhook endpoints and their deliveries (docs/events.md): register
// an endpoint for some event types, list and remove endpoints, see the
// deliveries (dead ones above all) and send a dead one again.
//
// Who: admins for any operator, operator_admin staff for their own (and the
// CLI, a system caller). Another operator's endpoint or delivery is not found.
// Every change is an audit record of the operator.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "simexit/common/result.hpp"
#include "simexit/domain/webhook_url.hpp"
#include "simexit/service/caller.hpp"
#include "simexit/service/context.hpp"

namespace simexit {

struct NewWebhook {
  std::string operator_code;
  WebhookUrl url;
  std::vector<std::string> event_types;  // empty: every type
};

struct CreatedWebhook {
  WebhookEndpointRecord endpoint;  // secret cleared
  std::string secret;              // shown once, at creation
};

struct WebhookView {
  WebhookEndpointRecord endpoint;  // secret cleared
  std::string operator_code;
};

struct WebhookDeliveryView {
  WebhookDeliveryRecord delivery;
  std::string event_id;    // CloudEvents id, "evt_<n>"
  std::string event_type;  // the event's type
  std::string subject;     // the event's subject
};

class WebhookService {
 public:
  explicit WebhookService(ServiceContext& ctx) : ctx_(ctx) {}

  // Registers an endpoint with a new secret ("whsec_" + 48 hex). Errors, each
  // before anything is written: kNotFound "operator_not_found" (also another
  // operator's); kPermissionDenied "insufficient_role"; kInvalidArgument
  // "webhook_tls_unsupported" (an https URL: this build delivers over plain
  // HTTP only), "webhook_points_at_self" (the URL reaches this server's own
  // listen address or public URL), "unknown_event_type" (field
  // "event_types": a name not in kEventTypes, or named twice).
  Result<CreatedWebhook> Register(const Caller& caller, const NewWebhook& webhook);

  // The operator's endpoints, by id. Errors as Register's for the operator.
  Result<std::vector<WebhookView>> List(const Caller& caller, const std::string& operator_code);

  // Removes an endpoint: no more deliveries to it; pending ones end dead.
  // Errors: "operator_not_found", "webhook_not_found" (also another
  // operator's, or removed already), "insufficient_role".
  Result<WebhookView> Remove(const Caller& caller, const std::string& operator_code,
                             std::int64_t webhook_id);

  // The operator's deliveries, newest first, in `state` when given.
  Result<std::vector<WebhookDeliveryView>> Deliveries(const Caller& caller,
                                                      const std::string& operator_code,
                                                      std::optional<WebhookDeliveryState> state,
                                                      int limit);

  // Sends a dead delivery again: back to pending, attempts from zero, due
  // now (after the earlier pending events of its order). Errors:
  // "webhook_delivery_not_found" (also another operator's); kFailedPrecondition
  // "delivery_not_dead" (pending or delivered); "webhook_not_found" (its
  // endpoint was removed).
  Result<WebhookDeliveryView> RetryDelivery(const Caller& caller, const std::string& operator_code,
                                            std::int64_t delivery_id);

 private:
  ServiceContext& ctx_;
};

}  // namespace simexit
