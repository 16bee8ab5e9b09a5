#include "simexit/service/event_outbox.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "simexit/common/hmac.hpp"
#include "simexit/service/job_kind.hpp"

namespace simexit {
namespace {

bool Wants(const WebhookEndpointRecord& endpoint, std::string_view type) {
  return endpoint.event_types.empty() ||
         std::find(endpoint.event_types.begin(), endpoint.event_types.end(), type) !=
             endpoint.event_types.end();
}

boost::json::object TerminationData(const TerminationRecord& t, const std::string& operator_code) {
  return boost::json::object{{"termination_id", t.id},
                             {"operator", operator_code},
                             {"msisdn", t.msisdn.e164()},
                             {"channel", ToString(t.channel)}};
}

}  // namespace

bool IsKnownEventType(std::string_view type) {
  return std::find(kEventTypes.begin(), kEventTypes.end(), type) != kEventTypes.end();
}

Result<std::int64_t> PublishEvent(StoreTx& tx, const NewEvent& event) {
  Result<OperatorRecord> op = tx.GetOperator(event.operator_id);
  if (!op) {
    if (op.error().code == ErrorCode::kNotFound) {
      return Fail(ErrorCode::kNotFound, "operator_not_found", "no such operator");
    }
    return Fail(op.error());
  }
  OutboxEventRecord record;
  record.operator_id = event.operator_id;
  record.type = std::string(event.type);
  record.source = "/simexit/operators/" + op->code;
  record.subject = event.subject;
  record.ordering_key = event.ordering_key;
  record.data = boost::json::serialize(event.data);
  record.time = event.time;
  SIMEXIT_ASSIGN_OR_RETURN(record.id, tx.AppendOutboxEvent(record));
  SIMEXIT_ASSIGN_OR_RETURN(std::vector<WebhookEndpointRecord> endpoints,
                           tx.ListWebhookEndpoints(event.operator_id));
  for (const WebhookEndpointRecord& endpoint : endpoints) {
    if (!Wants(endpoint, event.type)) {
      continue;
    }
    WebhookDeliveryRecord delivery;
    delivery.event_id = record.id;
    delivery.endpoint_id = endpoint.id;
    delivery.operator_id = event.operator_id;
    delivery.ordering_key = event.ordering_key;
    delivery.state = WebhookDeliveryState::kPending;
    delivery.next_attempt_at = event.time;
    delivery.created_at = event.time;
    delivery.updated_at = event.time;
    SIMEXIT_ASSIGN_OR_RETURN(delivery.id, tx.InsertWebhookDelivery(delivery));
    // Only the first of its order goes now; the others follow it when it ends
    // (delivered or dead), one after the other.
    if (!event.ordering_key.empty()) {
      SIMEXIT_ASSIGN_OR_RETURN(std::optional<WebhookDeliveryRecord> first,
                               tx.FirstPendingWebhookDelivery(endpoint.id, event.ordering_key));
      if (first && first->id != delivery.id) {
        continue;
      }
    }
    SIMEXIT_TRY(EnqueueDelivery(tx, delivery, event.time, event.time));
  }
  return record.id;
}

Result<void> PublishStateChange(StoreTx& tx, const TerminationRecord& t,
                                const TerminationEventRecord& change) {
  SIMEXIT_ASSIGN_OR_RETURN(const OperatorRecord op, tx.GetOperator(t.operator_id));
  boost::json::object data = TerminationData(t, op.code);
  data["event"] = change.event;
  data["from_state"] = change.from_state.empty() ? boost::json::value(nullptr)
                                                 : boost::json::value(change.from_state);
  data["to_state"] = change.to_state;
  data["actor"] = change.actor;
  data["detail"] = change.detail;
  if (!t.reason_code.empty()) {
    data["reason_code"] = t.reason_code;
  }
  if (!t.certificate_serial.empty()) {
    data["certificate_serial"] = t.certificate_serial;
  }
  NewEvent event{t.operator_id, kTerminationStateChanged, t.id, t.id, std::move(data), change.at};
  SIMEXIT_TRY(PublishEvent(tx, event));
  return {};
}

Result<void> PublishNumberReleased(StoreTx& tx, const TerminationRecord& t, UnixSeconds at) {
  SIMEXIT_ASSIGN_OR_RETURN(const OperatorRecord op, tx.GetOperator(t.operator_id));
  boost::json::object data{{"msisdn", t.msisdn.e164()},
                           {"operator", op.code},
                           {"termination_id", t.id},
                           {"released_at", FormatRfc3339(at)}};
  NewEvent event{t.operator_id, kNumberReleased, t.msisdn.e164(), t.id, std::move(data), at};
  SIMEXIT_TRY(PublishEvent(tx, event));
  return {};
}

Result<void> PublishReviewDecision(StoreTx& tx, const TerminationRecord& t, bool approved,
                                   const std::string& reason, UnixSeconds at) {
  SIMEXIT_ASSIGN_OR_RETURN(const OperatorRecord op, tx.GetOperator(t.operator_id));
  boost::json::object data = TerminationData(t, op.code);
  data["decision"] = approved ? "approved" : "rejected";
  data["reason_code"] = t.reason_code;
  data["reason"] = reason;
  data["reviewed_by"] = t.reviewed_by;
  NewEvent event{t.operator_id, kReviewDecided, t.id, t.id, std::move(data), at};
  SIMEXIT_TRY(PublishEvent(tx, event));
  return {};
}

std::string CloudEventId(std::int64_t event_id) { return "evt_" + std::to_string(event_id); }

std::string CloudEventJson(const OutboxEventRecord& event) {
  boost::system::error_code ec;
  boost::json::value data = boost::json::parse(event.data, ec);
  if (ec) {
    data = boost::json::object{};  // never written so: data is serialised by PublishEvent
  }
  boost::json::object envelope{{"specversion", "1.0"},
                               {"id", CloudEventId(event.id)},
                               {"source", event.source},
                               {"type", event.type},
                               {"subject", event.subject},
                               {"time", FormatRfc3339(event.time)},
                               {"datacontenttype", "application/json"},
                               {"data", std::move(data)}};
  return boost::json::serialize(envelope);
}

std::string WebhookSignature(std::string_view secret, UnixSeconds timestamp,
                             std::string_view body) {
  std::string message = std::to_string(timestamp);
  message += '.';
  message += body;
  return "v1," + HmacSha256Base64(secret, message);
}

Result<void> EnqueueDelivery(StoreTx& tx, const WebhookDeliveryRecord& delivery, UnixSeconds run_at,
                             UnixSeconds now) {
  JobRecord job;
  job.kind = ToString(JobKind::kDeliverWebhook);
  job.payload = boost::json::serialize(boost::json::object{{"delivery_id", delivery.id}});
  // One job per scheduled attempt: a counter, not the attempt number, since a
  // retry by hand starts the attempts again (within the same second, even).
  SIMEXIT_ASSIGN_OR_RETURN(const std::int64_t n, tx.NextSequence(job.kind));
  job.dedupe_key = job.kind + ":" + std::to_string(delivery.id) + ":" + std::to_string(n);
  job.run_at = run_at;
  job.created_at = now;
  job.updated_at = now;
  SIMEXIT_TRY(tx.EnqueueJob(job));
  return {};
}

}  // namespace simexit
