#include "simexit/service/event_delivery.hpp"

#include <algorithm>

#include "simexit/common/log.hpp"
#include "simexit/service/event_outbox.hpp"

namespace simexit {
namespace {

// What one attempt needs, read in one transaction.
struct Attempt {
  WebhookDeliveryRecord delivery;
  WebhookEndpointRecord endpoint;
  OutboxEventRecord event;
};

// Queues the job of the delivery that goes after `done` in its order, if any.
Result<void> StartNextInOrder(StoreTx& tx, const WebhookDeliveryRecord& done, UnixSeconds now) {
  if (done.ordering_key.empty()) {
    return {};
  }
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<WebhookDeliveryRecord> next,
                           tx.FirstPendingWebhookDelivery(done.endpoint_id, done.ordering_key));
  if (!next) {
    return {};
  }
  return EnqueueDelivery(tx, *next, std::max(now, next->next_attempt_at), now);
}

}  // namespace

UnixSeconds EventDelivery::BackoffSeconds(int attempts, const WebhookSettings& settings) {
  const UnixSeconds cap = std::max(1, settings.backoff_max_seconds);
  UnixSeconds delay = std::max(1, settings.backoff_base_seconds);
  for (int i = 1; i < attempts && delay < cap; ++i) {
    delay *= 2;
  }
  return std::min(delay, cap);
}

Result<void> EventDelivery::Deliver(std::int64_t id) {
  const UnixSeconds start = ctx_.clock.Now();
  std::optional<Attempt> attempt;
  SIMEXIT_TRY(ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    attempt.reset();
    SIMEXIT_ASSIGN_OR_RETURN(WebhookDeliveryRecord d, tx.GetWebhookDelivery(id));
    // Ended, or a job of an earlier schedule (a retry by hand queued another).
    if (d.state != WebhookDeliveryState::kPending || d.next_attempt_at > start) {
      return {};
    }
    if (!d.ordering_key.empty()) {
      SIMEXIT_ASSIGN_OR_RETURN(std::optional<WebhookDeliveryRecord> first,
                               tx.FirstPendingWebhookDelivery(d.endpoint_id, d.ordering_key));
      if (first && first->id != d.id) {
        return {};  // an earlier event goes first; its end queues this one
      }
    }
    SIMEXIT_ASSIGN_OR_RETURN(WebhookEndpointRecord endpoint, tx.GetWebhookEndpoint(d.endpoint_id));
    if (endpoint.removed_at) {
      d.state = WebhookDeliveryState::kDead;
      d.last_error = "webhook_removed: the endpoint was removed";
      d.updated_at = start;
      SIMEXIT_TRY(tx.UpdateWebhookDelivery(d));
      return StartNextInOrder(tx, d, start);
    }
    SIMEXIT_ASSIGN_OR_RETURN(OutboxEventRecord event, tx.GetOutboxEvent(d.event_id));
    attempt = Attempt{std::move(d), std::move(endpoint), std::move(event)};
    return {};
  }));
  if (!attempt) {
    return {};
  }

  WebhookRequest request;
  request.url = attempt->endpoint.url;
  request.body = CloudEventJson(attempt->event);
  request.timeout_ms = ctx_.webhook_settings.timeout_ms;
  const UnixSeconds signed_at = ctx_.clock.Now();
  request.headers = {
      {"Content-Type", "application/cloudevents+json"},
      {"Simexit-Event-Id", CloudEventId(attempt->event.id)},
      {"Simexit-Timestamp", std::to_string(signed_at)},
      {"Simexit-Signature", WebhookSignature(attempt->endpoint.secret, signed_at, request.body)},
  };
  std::string error;
  if (ctx_.webhooks == nullptr) {
    error = "webhook_client_missing: this process sends no webhooks";
  } else {
    Result<int> status = ctx_.webhooks->Post(request);
    if (!status) {
      error = status.error().problem_code + ": " + status.error().message;
    } else if (*status < 200 || *status > 299) {
      error = "http_status: the endpoint answered " + std::to_string(*status);
    }
  }
  if (fault_) {
    fault_("deliver_webhook:after_post");
  }

  const UnixSeconds now = ctx_.clock.Now();
  return ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(WebhookDeliveryRecord d, tx.GetWebhookDelivery(id));
    if (d.state != WebhookDeliveryState::kPending || d.attempts != attempt->delivery.attempts) {
      return {};  // another attempt recorded meanwhile (a retry by hand)
    }
    d.attempts += 1;
    d.updated_at = now;
    if (error.empty()) {
      d.state = WebhookDeliveryState::kDelivered;
      d.last_error.clear();
      d.delivered_at = now;
    } else {
      d.last_error = error;
      LogWarn("webhook delivery failed", {{"delivery_id", std::to_string(d.id)},
                                          {"attempt", std::to_string(d.attempts)},
                                          {"error", error}});
      if (d.attempts >= ctx_.webhook_settings.max_attempts) {
        d.state = WebhookDeliveryState::kDead;
      } else {
        d.next_attempt_at = now + BackoffSeconds(d.attempts, ctx_.webhook_settings);
      }
    }
    SIMEXIT_TRY(tx.UpdateWebhookDelivery(d));
    if (d.state == WebhookDeliveryState::kPending) {
      return EnqueueDelivery(tx, d, d.next_attempt_at, now);
    }
    return StartNextInOrder(tx, d, now);
  });
}

}  // namespace simexit
