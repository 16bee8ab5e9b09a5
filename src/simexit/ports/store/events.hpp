#pragma once
// Events for billing and CRM: the outbox every event is written to, in the
// same transaction as the change it describes, the webhook endpoints operators
// register, and one delivery per event and endpoint (docs/events.md).
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict (a second delivery of one
// event to one endpoint), kNotFound "webhook_not_found" from GetWebhookEndpoint
// and RemoveWebhookEndpoint, "webhook_delivery_not_found" from
// GetWebhookDelivery and UpdateWebhookDelivery, "event_not_found" from
// GetOutboxEvent; kInternal otherwise.
//
// Events are only ever appended; their ids grow with each append and are never
// reused, so an event's CloudEvents id ("evt_<id>") is stable and unique for
// the installation. Deliveries of one endpoint are created in event order, so
// a lower delivery id is an earlier event (what ordering per termination reads).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"

namespace simexit {

// One event in the outbox: the parts of a CloudEvents 1.0 envelope
// (service/event_outbox.hpp builds the JSON from them).
struct OutboxEventRecord {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::string type;     // "kz.simexit.termination.state_changed", ...
  std::string source;   // "/simexit/operators/kcell"
  std::string subject;  // the termination id, or the number (E.164)
  // Events with the same key reach each endpoint in the order appended (the
  // termination id); "" for an event that orders with nothing.
  std::string ordering_key;
  std::string data;  // a JSON object, as text
  UnixSeconds time = 0;

  bool operator==(const OutboxEventRecord&) const = default;
};

// An operator's receiver of events. Removing one keeps its row (and its
// deliveries' history) but lists and delivers to it no more.
struct WebhookEndpointRecord {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::string url;                       // http://host[:port]/path, checked at the edge
  std::vector<std::string> event_types;  // the types it receives; empty: every type
  std::string secret;                    // HMAC-SHA256 key of the signatures
  std::string created_by;                // actor: "staff:7", "api_key:3", "admin"
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> removed_at;

  bool operator==(const WebhookEndpointRecord&) const = default;
};

enum class WebhookDeliveryState { kPending, kDelivered, kDead };
// "pending", "delivered", "dead"
const char* ToString(WebhookDeliveryState state);
std::optional<WebhookDeliveryState> ParseWebhookDeliveryState(std::string_view text);

// One event to one endpoint: pending until the endpoint answers 2xx
// (delivered) or the attempts run out (dead, retryable by hand).
struct WebhookDeliveryRecord {
  std::int64_t id = 0;
  std::int64_t event_id = 0;
  std::int64_t endpoint_id = 0;
  std::int64_t operator_id = 0;
  std::string ordering_key;  // the event's
  WebhookDeliveryState state = WebhookDeliveryState::kPending;
  int attempts = 0;
  UnixSeconds next_attempt_at = 0;
  std::string last_error;  // "" when the last attempt succeeded or none ran
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
  std::optional<UnixSeconds> delivered_at;

  bool operator==(const WebhookDeliveryRecord&) const = default;
};

struct WebhookDeliveryFilter {
  std::optional<std::int64_t> operator_id;
  std::optional<std::int64_t> endpoint_id;
  std::optional<WebhookDeliveryState> state;
  int limit = 100;  // newest first
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class EventOutboxRepository {
 public:
  virtual ~EventOutboxRepository() = default;

  // Appends an event (its id is assigned; the record's is ignored).
  virtual Result<std::int64_t> AppendOutboxEvent(const OutboxEventRecord& event) = 0;
  virtual Result<OutboxEventRecord> GetOutboxEvent(std::int64_t id) = 0;
  // Events of `operator_id` (nullopt: every operator's) with id > after_id,
  // ascending, at most `limit`.
  virtual Result<std::vector<OutboxEventRecord>> ListOutboxEvents(
      std::optional<std::int64_t> operator_id, std::int64_t after_id, int limit) = 0;

  // Deliveries. One per (event, endpoint): a second is kAlreadyExists
  // "duplicate". Update writes state, attempts, next_attempt_at, last_error,
  // updated_at and delivered_at.
  virtual Result<std::int64_t> InsertWebhookDelivery(const WebhookDeliveryRecord& delivery) = 0;
  virtual Result<void> UpdateWebhookDelivery(const WebhookDeliveryRecord& delivery) = 0;
  virtual Result<WebhookDeliveryRecord> GetWebhookDelivery(std::int64_t id) = 0;
  // Newest first (id descending).
  virtual Result<std::vector<WebhookDeliveryRecord>> ListWebhookDeliveries(
      const WebhookDeliveryFilter& filter) = 0;
  // The pending delivery to `endpoint_id` with `ordering_key` and the lowest
  // id: the one that goes next; nullopt when none is pending.
  virtual Result<std::optional<WebhookDeliveryRecord>> FirstPendingWebhookDelivery(
      std::int64_t endpoint_id, const std::string& ordering_key) = 0;
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class WebhookEndpointRepository {
 public:
  virtual ~WebhookEndpointRepository() = default;

  virtual Result<std::int64_t> InsertWebhookEndpoint(const WebhookEndpointRecord& endpoint) = 0;
  // Removed endpoints too (deliveries name them).
  virtual Result<WebhookEndpointRecord> GetWebhookEndpoint(std::int64_t id) = 0;
  // Endpoints not removed, of `operator_id` (nullopt: every operator's), by id.
  virtual Result<std::vector<WebhookEndpointRecord>> ListWebhookEndpoints(
      std::optional<std::int64_t> operator_id) = 0;
  // Sets removed_at. kNotFound "webhook_not_found" when no endpoint has the id
  // or it is already removed.
  virtual Result<void> RemoveWebhookEndpoint(std::int64_t id, UnixSeconds at) = 0;
};

}  // namespace simexit
