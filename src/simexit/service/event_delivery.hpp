#pragma once
// Delivering events to webhook endpoints: the worker's deliver_webhook step
// (docs/events.md).
//
// One delivery is one event to one endpoint. Each attempt POSTs the event's
// CloudEvents JSON with the headers
//   Content-Type: application/cloudevents+json
//   Simexit-Event-Id: evt_<id>        the same on every attempt: de-duplicate on it
//   Simexit-Timestamp: <Unix seconds> when this attempt was signed
//   Simexit-Signature: v1,<base64 HMAC-SHA256(secret, timestamp + "." + body)>
// A 2xx answer delivers it. Anything else (another status, no connection, no
// answer within webhooks.timeout_ms) schedules the next attempt after
// backoff_base_seconds * 2^(attempts-1), capped at backoff_max_seconds; after
// max_attempts the delivery is dead: listed with its last error and retryable
// by hand (WebhookService::RetryDelivery).
//
// Order: of the deliveries to one endpoint with one ordering key (one
// termination), only the earliest pending one is attempted; when it ends,
// delivered or dead, the next one's job is queued in the same transaction.
//
// At least once: the outcome is recorded after the POST, so a crash between
// the two repeats the POST when the job's lease expires, with the same event
// id. A removed endpoint's pending deliveries end dead ("webhook_removed").

#include <cstdint>

#include "simexit/common/result.hpp"
#include "simexit/service/context.hpp"
#include "simexit/service/fault_hook.hpp"

namespace simexit {

class EventDelivery {
 public:
  explicit EventDelivery(ServiceContext& ctx, FaultHook fault = {})
      : ctx_(ctx), fault_(std::move(fault)) {}

  // The deliver_webhook step for delivery `id`: one attempt, when the
  // delivery is pending, due, and first of its order; otherwise nothing.
  // Errors: those of the store only (an endpoint's failure is recorded on the
  // delivery, and its next attempt is a job of its own).
  Result<void> Deliver(std::int64_t id);

  // Seconds before the attempt after `attempts` failed ones.
  static UnixSeconds BackoffSeconds(int attempts, const WebhookSettings& settings);

 private:
  ServiceContext& ctx_;
  FaultHook fault_;
};

}  // namespace simexit
