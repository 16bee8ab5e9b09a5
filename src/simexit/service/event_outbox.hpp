#pragma once
// Publishing events for billing and CRM (docs/events.md): each event is a row
// of the outbox, written in the caller's transaction, so it exists exactly
// when the change it describes committed. Publishing also creates one
// delivery per webhook endpoint of the operator that asked for the type, and
// the deliver_webhook job of each delivery that is next in its order
// (event_delivery.hpp sends them).
//
// Event types (CloudEvents "type"; one name per idea, used in filters too):
//   kz.simexit.termination.state_changed  subject: termination id
//   kz.simexit.number.released            subject: the number (E.164)
//   kz.simexit.review.decided             subject: termination id
//   kz.simexit.reactivation.state_changed subject: reactivation id; published
//       by the reactivation service (reactivation_service.cpp: PublishChange)
//       with PublishEvent, ordered by the reactivation id (the ordering key).
// Every event of one termination has the termination id as ordering key, so
// an endpoint receives a termination's events in the order they happened.

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"
#include "simexit/ports/store.hpp"

namespace simexit {

inline constexpr std::string_view kTerminationStateChanged = "kz.simexit.termination.state_changed";
inline constexpr std::string_view kNumberReleased = "kz.simexit.number.released";
inline constexpr std::string_view kReviewDecided = "kz.simexit.review.decided";
inline constexpr std::string_view kReactivationStateChanged =
    "kz.simexit.reactivation.state_changed";

// Every type an endpoint may filter on.
inline constexpr std::array<std::string_view, 4> kEventTypes = {
    kTerminationStateChanged, kNumberReleased, kReviewDecided, kReactivationStateChanged};
bool IsKnownEventType(std::string_view type);

// One event about to be published.
struct NewEvent {
  std::int64_t operator_id = 0;
  std::string_view type;     // one of kEventTypes
  std::string subject;       // what it is about: a termination id, a number
  std::string ordering_key;  // events with one key arrive in order; "" orders with nothing
  boost::json::object data;
  UnixSeconds time = 0;
};

// Appends `event` to the outbox (source "/simexit/operators/<code>") and
// creates its deliveries, in the caller's transaction. Returns the event id.
// Errors: those of the store; kNotFound "operator_not_found" for an unknown
// operator id.
Result<std::int64_t> PublishEvent(StoreTx& tx, const NewEvent& event);

// kz.simexit.termination.state_changed for `change`, a row of the termination's
// trail that moved it (from_state "" for "created", the first state).
Result<void> PublishStateChange(StoreTx& tx, const TerminationRecord& termination,
                                const TerminationEventRecord& change);

// kz.simexit.number.released: the number of `termination` is back in its
// operator's pool.
Result<void> PublishNumberReleased(StoreTx& tx, const TerminationRecord& termination,
                                   UnixSeconds at);

// kz.simexit.review.decided: a reviewer approved or rejected `termination`
// (its reason_code and reviewed_by are set; `reason` is the reviewer's text).
// Published before the state changes the decision causes, so it arrives first.
Result<void> PublishReviewDecision(StoreTx& tx, const TerminationRecord& termination, bool approved,
                                   const std::string& reason, UnixSeconds at);

// The event's CloudEvents id: "evt_<outbox id>", the same on every attempt.
std::string CloudEventId(std::int64_t event_id);

// The CloudEvents 1.0 JSON envelope of `event` (structured mode): specversion,
// id, source, type, subject, time (RFC 3339, UTC), datacontenttype
// application/json and data. The same event always gives the same bytes.
std::string CloudEventJson(const OutboxEventRecord& event);

// The Simexit-Signature header's value: "v1," + base64(HMAC-SHA256(secret,
// timestamp + "." + body)), timestamp being the Simexit-Timestamp header
// (Unix seconds in decimal).
std::string WebhookSignature(std::string_view secret, UnixSeconds timestamp, std::string_view body);

// Queues the deliver_webhook job of `delivery` at `run_at`: one job per
// scheduled attempt, its dedupe key "deliver_webhook:<delivery>:<n>" from a
// counter. A job that finds its delivery ended or not yet due does nothing.
Result<void> EnqueueDelivery(StoreTx& tx, const WebhookDeliveryRecord& delivery, UnixSeconds run_at,
                             UnixSeconds now);

}  // namespace simexit
