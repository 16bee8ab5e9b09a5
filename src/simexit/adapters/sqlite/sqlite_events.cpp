// Events for billing and CRM: the event outbox, webhook endpoints and their
// deliveries (ports/store/events.hpp).

#include <sstream>

#include "simexit/adapters/sqlite/sqlite_tx.hpp"

namespace simexit::sqlite {
namespace {

constexpr const char* kAppendEvent = R"sql(
INSERT INTO event_outbox (operator_id, type, source, subject, ordering_key, data, time)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7))sql";
constexpr const char* kGetEvent = R"sql(
SELECT id, operator_id, type, source, subject, ordering_key, data, time
FROM event_outbox WHERE id = ?1)sql";
constexpr const char* kListEvents = R"sql(
SELECT id, operator_id, type, source, subject, ordering_key, data, time
FROM event_outbox WHERE (?1 IS NULL OR operator_id = ?1) AND id > ?2 ORDER BY id LIMIT ?3)sql";

constexpr const char* kInsertEndpoint = R"sql(
INSERT INTO webhook_endpoints
  (operator_id, url, event_types, secret, created_by, created_at, removed_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7))sql";
constexpr const char* kGetEndpoint = R"sql(
SELECT id, operator_id, url, event_types, secret, created_by, created_at, removed_at
FROM webhook_endpoints WHERE id = ?1)sql";
constexpr const char* kListEndpoints = R"sql(
SELECT id, operator_id, url, event_types, secret, created_by, created_at, removed_at
FROM webhook_endpoints WHERE (?1 IS NULL OR operator_id = ?1) AND removed_at IS NULL
ORDER BY id)sql";
constexpr const char* kRemoveEndpoint = R"sql(
UPDATE webhook_endpoints SET removed_at = ?2 WHERE id = ?1 AND removed_at IS NULL)sql";

constexpr const char* kInsertDelivery = R"sql(
INSERT INTO webhook_deliveries
  (event_id, endpoint_id, operator_id, ordering_key, state, attempts, next_attempt_at,
   last_error, created_at, updated_at, delivered_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11))sql";
constexpr const char* kUpdateDelivery = R"sql(
UPDATE webhook_deliveries SET state = ?2, attempts = ?3, next_attempt_at = ?4,
  last_error = ?5, updated_at = ?6, delivered_at = ?7
WHERE id = ?1)sql";
constexpr const char* kGetDelivery = R"sql(
SELECT id, event_id, endpoint_id, operator_id, ordering_key, state, attempts, next_attempt_at,
       last_error, created_at, updated_at, delivered_at
FROM webhook_deliveries WHERE id = ?1)sql";
constexpr const char* kListDeliveries = R"sql(
SELECT id, event_id, endpoint_id, operator_id, ordering_key, state, attempts, next_attempt_at,
       last_error, created_at, updated_at, delivered_at
FROM webhook_deliveries
WHERE (?1 IS NULL OR operator_id = ?1) AND (?2 IS NULL OR endpoint_id = ?2)
  AND (?3 IS NULL OR state = ?3)
ORDER BY id DESC LIMIT ?4)sql";
constexpr const char* kFirstPending = R"sql(
SELECT id, event_id, endpoint_id, operator_id, ordering_key, state, attempts, next_attempt_at,
       last_error, created_at, updated_at, delivered_at
FROM webhook_deliveries
WHERE endpoint_id = ?1 AND ordering_key = ?2 AND state = 'pending'
ORDER BY id LIMIT 1)sql";

std::string JoinTypes(const std::vector<std::string>& types) {
  std::string out;
  for (const std::string& type : types) {
    if (!out.empty()) {
      out += ' ';
    }
    out += type;
  }
  return out;
}

std::vector<std::string> SplitTypes(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string type;
  while (in >> type) {
    out.push_back(type);
  }
  return out;
}

OutboxEventRecord ReadEvent(const Statement& row) {
  OutboxEventRecord e;
  e.id = row.Int64(0);
  e.operator_id = row.Int64(1);
  e.type = row.Text(2);
  e.source = row.Text(3);
  e.subject = row.Text(4);
  e.ordering_key = row.Text(5);
  e.data = row.Text(6);
  e.time = row.Int64(7);
  return e;
}

WebhookEndpointRecord ReadEndpoint(const Statement& row) {
  WebhookEndpointRecord w;
  w.id = row.Int64(0);
  w.operator_id = row.Int64(1);
  w.url = row.Text(2);
  w.event_types = SplitTypes(row.Text(3));
  w.secret = row.Text(4);
  w.created_by = row.Text(5);
  w.created_at = row.Int64(6);
  w.removed_at = row.OptionalInt64(7);
  return w;
}

Result<WebhookDeliveryRecord> ReadDelivery(const Statement& row) {
  WebhookDeliveryRecord d;
  d.id = row.Int64(0);
  d.event_id = row.Int64(1);
  d.endpoint_id = row.Int64(2);
  d.operator_id = row.Int64(3);
  d.ordering_key = row.Text(4);
  SIMEXIT_ASSIGN_OR_RETURN(
      d.state, ParseColumn(row, 5, ParseWebhookDeliveryState, "webhook_deliveries", "state"));
  d.attempts = static_cast<int>(row.Int64(6));
  d.next_attempt_at = row.Int64(7);
  d.last_error = row.Text(8);
  d.created_at = row.Int64(9);
  d.updated_at = row.Int64(10);
  d.delivered_at = row.OptionalInt64(11);
  return d;
}

}  // namespace

Result<std::int64_t> SqliteTx::AppendOutboxEvent(const OutboxEventRecord& e) {
  return conn_.Insert(kAppendEvent, "event_outbox", e.operator_id, e.type, e.source, e.subject,
                      e.ordering_key, e.data, e.time);
}

Result<OutboxEventRecord> SqliteTx::GetOutboxEvent(std::int64_t id) {
  return Required(conn_.QueryOne(kGetEvent, "event_outbox", ReadEvent, id), "event",
                  "event_not_found");
}

Result<std::vector<OutboxEventRecord>> SqliteTx::ListOutboxEvents(
    std::optional<std::int64_t> operator_id, std::int64_t after_id, int limit) {
  return conn_.QueryAll(kListEvents, "event_outbox", ReadEvent, operator_id, after_id,
                        ClampLimit(limit));
}

Result<std::int64_t> SqliteTx::InsertWebhookDelivery(const WebhookDeliveryRecord& d) {
  return conn_.Insert(kInsertDelivery, "webhook_deliveries", d.event_id, d.endpoint_id,
                      d.operator_id, d.ordering_key, ToString(d.state), d.attempts,
                      d.next_attempt_at, d.last_error, d.created_at, d.updated_at, d.delivered_at);
}

Result<void> SqliteTx::UpdateWebhookDelivery(const WebhookDeliveryRecord& d) {
  return ChangedOne(
      conn_.Change(kUpdateDelivery, "webhook_deliveries", d.id, ToString(d.state), d.attempts,
                   d.next_attempt_at, d.last_error, d.updated_at, d.delivered_at),
      "webhook delivery", "webhook_delivery_not_found");
}

Result<WebhookDeliveryRecord> SqliteTx::GetWebhookDelivery(std::int64_t id) {
  return Required(conn_.QueryOne(kGetDelivery, "webhook_deliveries", ReadDelivery, id),
                  "webhook delivery", "webhook_delivery_not_found");
}

Result<std::vector<WebhookDeliveryRecord>> SqliteTx::ListWebhookDeliveries(
    const WebhookDeliveryFilter& f) {
  std::optional<std::string> state;
  if (f.state) {
    state = ToString(*f.state);
  }
  return conn_.QueryAll(kListDeliveries, "webhook_deliveries", ReadDelivery, f.operator_id,
                        f.endpoint_id, state, ClampLimit(f.limit));
}

Result<std::optional<WebhookDeliveryRecord>> SqliteTx::FirstPendingWebhookDelivery(
    std::int64_t endpoint_id, const std::string& ordering_key) {
  return conn_.QueryOne(kFirstPending, "webhook_deliveries", ReadDelivery, endpoint_id,
                        ordering_key);
}

Result<std::int64_t> SqliteTx::InsertWebhookEndpoint(const WebhookEndpointRecord& w) {
  return conn_.Insert(kInsertEndpoint, "webhook_endpoints", w.operator_id, w.url,
                      JoinTypes(w.event_types), w.secret, w.created_by, w.created_at, w.removed_at);
}

Result<WebhookEndpointRecord> SqliteTx::GetWebhookEndpoint(std::int64_t id) {
  return Required(conn_.QueryOne(kGetEndpoint, "webhook_endpoints", ReadEndpoint, id),
                  "webhook endpoint", "webhook_not_found");
}

Result<std::vector<WebhookEndpointRecord>> SqliteTx::ListWebhookEndpoints(
    std::optional<std::int64_t> operator_id) {
  return conn_.QueryAll(kListEndpoints, "webhook_endpoints", ReadEndpoint, operator_id);
}

Result<void> SqliteTx::RemoveWebhookEndpoint(std::int64_t id, UnixSeconds at) {
  return ChangedOne(conn_.Change(kRemoveEndpoint, "webhook_endpoints", id, at), "webhook endpoint",
                    "webhook_not_found");
}

}  // namespace simexit::sqlite
