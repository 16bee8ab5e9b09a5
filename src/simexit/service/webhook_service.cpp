#include "simexit/service/webhook_service.hpp"

#include <algorithm>
#include <set>

#include "simexit/common/log.hpp"
#include "simexit/service/event_outbox.hpp"

namespace simexit {
namespace {

tl::unexpected<Error> InsufficientRole() {
  return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
              "only operator_admin staff and admins manage webhooks");
}

tl::unexpected<Error> OperatorNotFound() {
  return Fail(ErrorCode::kNotFound, "operator_not_found", "no such operator");
}

tl::unexpected<Error> WebhookNotFound() {
  return Fail(ErrorCode::kNotFound, "webhook_not_found", "no such webhook");
}

tl::unexpected<Error> DeliveryNotFound() {
  return Fail(ErrorCode::kNotFound, "webhook_delivery_not_found", "no such webhook delivery");
}

bool MayManage(const Caller& caller) {
  return caller.kind == CallerKind::kAdmin || caller.kind == CallerKind::kSystem ||
         (caller.kind == CallerKind::kStaff && caller.role == StaffRole::kOperatorAdmin);
}

// The operator `code`, when the caller may manage its webhooks. Tenancy
// before the role: another operator is not found.
Result<OperatorRecord> ManagedOperator(StoreTx& tx, const Caller& caller, const std::string& code) {
  Result<OperatorRecord> op = tx.GetOperatorByCode(code);
  if (!op) {
    if (op.error().code == ErrorCode::kNotFound) {
      return OperatorNotFound();
    }
    return Fail(op.error());
  }
  const bool may_see = caller.kind == CallerKind::kAdmin || caller.kind == CallerKind::kSystem ||
                       caller.operator_id == op->id;
  if (!may_see) {
    return OperatorNotFound();
  }
  if (!MayManage(caller)) {
    return InsufficientRole();
  }
  return op;
}

Result<void> CheckEventTypes(const std::vector<std::string>& types) {
  std::set<std::string> seen;
  for (const std::string& type : types) {
    if (!IsKnownEventType(type)) {
      return FailField(ErrorCode::kInvalidArgument, "unknown_event_type", "event_types",
                       "unknown event type '" + type.substr(0, 100) + "'; see docs/events.md");
    }
    if (!seen.insert(type).second) {
      return FailField(ErrorCode::kInvalidArgument, "unknown_event_type", "event_types",
                       "event type '" + type + "' is named twice");
    }
  }
  return {};
}

WebhookView ViewOf(WebhookEndpointRecord endpoint, const std::string& code) {
  endpoint.secret.clear();
  return WebhookView{std::move(endpoint), code};
}

Result<WebhookDeliveryView> DeliveryViewOf(StoreTx& tx, WebhookDeliveryRecord d) {
  SIMEXIT_ASSIGN_OR_RETURN(OutboxEventRecord event, tx.GetOutboxEvent(d.event_id));
  return WebhookDeliveryView{std::move(d), CloudEventId(event.id), event.type, event.subject};
}

}  // namespace

Result<CreatedWebhook> WebhookService::Register(const Caller& caller, const NewWebhook& webhook) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<CreatedWebhook>(ctx_.store, [&](StoreTx& tx) -> Result<CreatedWebhook> {
    SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, ManagedOperator(tx, caller, webhook.operator_code));
    if (webhook.url.https()) {
      return FailField(ErrorCode::kInvalidArgument, "webhook_tls_unsupported", "url",
                       "this build delivers webhooks over plain http only; use an http:// URL "
                       "(behind a TLS-terminating proxy if the receiver is remote)");
    }
    bool self = ctx_.listen_port != 0 && PointsAt(webhook.url, ctx_.listen_host, ctx_.listen_port);
    if (Result<WebhookUrl> public_url = WebhookUrl::Parse(ctx_.public_url); public_url) {
      self = self || PointsAt(webhook.url, public_url->host(), public_url->port());
    }
    if (self) {
      return FailField(ErrorCode::kInvalidArgument, "webhook_points_at_self", "url",
                       "the webhook URL points at this simexit server itself");
    }
    SIMEXIT_TRY(CheckEventTypes(webhook.event_types));
    CreatedWebhook out;
    out.secret = "whsec_" + ctx_.random.Hex(24);
    WebhookEndpointRecord& record = out.endpoint;
    record.operator_id = op.id;
    record.url = webhook.url.text();
    record.event_types = webhook.event_types;
    record.secret = out.secret;
    record.created_by = caller.actor;
    record.created_at = now;
    SIMEXIT_ASSIGN_OR_RETURN(record.id, tx.InsertWebhookEndpoint(record));
    record.secret.clear();
    SIMEXIT_TRY(tx.AppendAudit(AuditRecord{0, caller.actor, "webhook_created",
                                           "webhook:" + std::to_string(record.id), record.url,
                                           CurrentRequestId(), now, op.id}));
    return out;
  });
}

Result<std::vector<WebhookView>> WebhookService::List(const Caller& caller,
                                                      const std::string& operator_code) {
  return TransactValue<std::vector<WebhookView>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::vector<WebhookView>> {
        SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, ManagedOperator(tx, caller, operator_code));
        SIMEXIT_ASSIGN_OR_RETURN(std::vector<WebhookEndpointRecord> all,
                                 tx.ListWebhookEndpoints(op.id));
        std::vector<WebhookView> out;
        out.reserve(all.size());
        for (WebhookEndpointRecord& endpoint : all) {
          out.push_back(ViewOf(std::move(endpoint), op.code));
        }
        return out;
      });
}

Result<WebhookView> WebhookService::Remove(const Caller& caller, const std::string& operator_code,
                                           std::int64_t webhook_id) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<WebhookView>(ctx_.store, [&](StoreTx& tx) -> Result<WebhookView> {
    SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, ManagedOperator(tx, caller, operator_code));
    Result<WebhookEndpointRecord> endpoint = tx.GetWebhookEndpoint(webhook_id);
    if (!endpoint) {
      return endpoint.error().code == ErrorCode::kNotFound ? WebhookNotFound()
                                                           : Fail(endpoint.error());
    }
    if (endpoint->operator_id != op.id || endpoint->removed_at) {
      return WebhookNotFound();
    }
    SIMEXIT_TRY(tx.RemoveWebhookEndpoint(webhook_id, now));
    endpoint->removed_at = now;
    SIMEXIT_TRY(tx.AppendAudit(AuditRecord{0, caller.actor, "webhook_removed",
                                           "webhook:" + std::to_string(webhook_id), endpoint->url,
                                           CurrentRequestId(), now, op.id}));
    return ViewOf(std::move(*endpoint), op.code);
  });
}

Result<std::vector<WebhookDeliveryView>> WebhookService::Deliveries(
    const Caller& caller, const std::string& operator_code,
    std::optional<WebhookDeliveryState> state, int limit) {
  return TransactValue<std::vector<WebhookDeliveryView>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::vector<WebhookDeliveryView>> {
        SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, ManagedOperator(tx, caller, operator_code));
        WebhookDeliveryFilter filter;
        filter.operator_id = op.id;
        filter.state = state;
        filter.limit = limit;
        SIMEXIT_ASSIGN_OR_RETURN(std::vector<WebhookDeliveryRecord> all,
                                 tx.ListWebhookDeliveries(filter));
        std::vector<WebhookDeliveryView> out;
        out.reserve(all.size());
        for (WebhookDeliveryRecord& d : all) {
          SIMEXIT_ASSIGN_OR_RETURN(WebhookDeliveryView view, DeliveryViewOf(tx, std::move(d)));
          out.push_back(std::move(view));
        }
        return out;
      });
}

Result<WebhookDeliveryView> WebhookService::RetryDelivery(const Caller& caller,
                                                          const std::string& operator_code,
                                                          std::int64_t delivery_id) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<WebhookDeliveryView>(
      ctx_.store, [&](StoreTx& tx) -> Result<WebhookDeliveryView> {
        SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, ManagedOperator(tx, caller, operator_code));
        Result<WebhookDeliveryRecord> d = tx.GetWebhookDelivery(delivery_id);
        if (!d) {
          return d.error().code == ErrorCode::kNotFound ? DeliveryNotFound() : Fail(d.error());
        }
        if (d->operator_id != op.id) {
          return DeliveryNotFound();
        }
        if (d->state != WebhookDeliveryState::kDead) {
          return Fail(
              ErrorCode::kFailedPrecondition, "delivery_not_dead",
              std::string("only a dead delivery is retried; this one is ") + ToString(d->state));
        }
        SIMEXIT_ASSIGN_OR_RETURN(WebhookEndpointRecord endpoint,
                                 tx.GetWebhookEndpoint(d->endpoint_id));
        if (endpoint.removed_at) {
          return Fail(ErrorCode::kNotFound, "webhook_not_found",
                      "the delivery's webhook was removed");
        }
        d->state = WebhookDeliveryState::kPending;
        d->attempts = 0;
        d->next_attempt_at = now;
        d->last_error.clear();
        d->updated_at = now;
        SIMEXIT_TRY(tx.UpdateWebhookDelivery(*d));
        // It goes now unless an earlier event of its order is still pending:
        // that one's end queues it.
        bool first = true;
        if (!d->ordering_key.empty()) {
          SIMEXIT_ASSIGN_OR_RETURN(std::optional<WebhookDeliveryRecord> head,
                                   tx.FirstPendingWebhookDelivery(d->endpoint_id, d->ordering_key));
          first = !head || head->id == d->id;
        }
        if (first) {
          SIMEXIT_TRY(EnqueueDelivery(tx, *d, now, now));
        }
        SIMEXIT_TRY(tx.AppendAudit(AuditRecord{0, caller.actor, "webhook_delivery_retried",
                                               "webhook_delivery:" + std::to_string(d->id), "",
                                               CurrentRequestId(), now, op.id}));
        return DeliveryViewOf(tx, std::move(*d));
      });
}

}  // namespace simexit
