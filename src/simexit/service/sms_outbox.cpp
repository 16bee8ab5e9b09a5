#include "simexit/service/sms_outbox.hpp"

#include <boost/json.hpp>

#include "simexit/common/log.hpp"
#include "simexit/service/workflow_steps.hpp"

namespace simexit {
namespace {

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) {
      out += ',';
    }
    out += id;
  }
  return out;
}

bool ContainsId(const std::string& joined, const std::string& id) {
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find(',', start);
    if (end == std::string::npos) {
      end = joined.size();
    }
    if (joined.compare(start, end - start, id) == 0) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

SmsState StateOf(DeliveryState state) {
  switch (state) {
    case DeliveryState::kDelivered:
      return SmsState::kDelivered;
    case DeliveryState::kExpired:
      return SmsState::kExpired;
    case DeliveryState::kFailed:
      return SmsState::kFailed;
    case DeliveryState::kUnknown:
      return SmsState::kSubmitted;
  }
  return SmsState::kSubmitted;
}

}  // namespace

Result<std::int64_t> SmsOutbox::Queue(StoreTx& tx, SmsRecord sms, UnixSeconds now) {
  sms.state = SmsState::kQueued;
  sms.created_at = now;
  sms.updated_at = now;
  Result<std::int64_t> id = tx.InsertSms(sms);
  if (!id) {
    return id;
  }
  JobRecord job;
  job.kind = ToString(JobKind::kSendSms);
  job.payload = boost::json::serialize(boost::json::object{{"sms_id", *id}});
  job.dedupe_key = job.kind + ":" + std::to_string(*id);
  // Enough attempts (back-off capped at worker.backoff_max_seconds) to outlast
  // the validity period; Send() then ends the row `expired`.
  job.max_attempts = 1000;
  job.run_at = now;
  job.created_at = now;
  job.updated_at = now;
  if (Result<std::int64_t> queued = tx.EnqueueJob(job); !queued) {
    return queued;
  }
  return id;
}

Result<void> SmsOutbox::Submit(SmsRecord& sms, const std::string& text) {
  std::string operator_code;
  if (sms.operator_id != 0) {
    // The operator decides the route; without it the message must wait, not
    // fall through to another route.
    Result<OperatorRecord> op = TransactValue<OperatorRecord>(
        ctx_.store, [&](StoreTx& tx) { return tx.GetOperator(sms.operator_id); });
    if (!op) {
      return Fail(ErrorCode::kUnavailable, "sms_route_unknown", op.error().message);
    }
    operator_code = op->code;
  }
  SmsMessage message;
  message.recipient = sms.recipient;
  message.operator_code = operator_code;
  message.text = text;
  message.kind = sms.kind;
  message.reference = "sms:" + std::to_string(sms.id);
  message.user_message_reference = UserMessageReference(sms.id);
  message.want_delivery_report = true;
  Result<SmsAccepted> accepted = ctx_.sms.Send(message);
  Fault("send_sms:after_send");
  const UnixSeconds now = ctx_.clock.Now();
  sms.attempts += 1;
  sms.updated_at = now;
  Result<void> outcome;
  if (accepted) {
    sms.state = SmsState::kSubmitted;
    sms.message_ids = JoinIds(accepted->message_ids);
    sms.parts = accepted->parts;
    sms.submitted_at = now;
    sms.last_error.clear();
  } else {
    sms.last_error = accepted.error().problem_code + ": " + accepted.error().message;
    if (accepted.error().code == ErrorCode::kInvalidArgument) {
      sms.state = SmsState::kFailed;  // refused for good; the job is done
      sms.finished_at = now;
    } else {
      outcome = Fail(accepted.error());
    }
  }
  Result<void> saved = ctx_.store.Transact([&](StoreTx& tx) { return tx.UpdateSms(sms); });
  if (!saved) {
    return saved;
  }
  return outcome;
}

Result<void> SmsOutbox::Send(std::int64_t id) {
  Result<SmsRecord> sms =
      TransactValue<SmsRecord>(ctx_.store, [&](StoreTx& tx) { return tx.GetSms(id); });
  if (!sms) {
    return Fail(sms.error());
  }
  if (sms->state != SmsState::kQueued) {
    return {};
  }
  if (ctx_.clock.Now() - sms->created_at > kValiditySeconds) {
    sms->state = SmsState::kExpired;
    sms->finished_at = ctx_.clock.Now();
    sms->updated_at = *sms->finished_at;
    sms->last_error = "not accepted by the SMSC within its validity; " + sms->last_error;
    return ctx_.store.Transact([&](StoreTx& tx) { return tx.UpdateSms(*sms); });
  }
  const std::string text = sms->text;
  return Submit(*sms, text);
}

Result<void> SmsOutbox::SendNow(SmsRecord sms, const std::string& text_to_send) {
  const UnixSeconds now = ctx_.clock.Now();
  sms.state = SmsState::kQueued;
  sms.created_at = now;
  sms.updated_at = now;
  Result<std::int64_t> id =
      TransactValue<std::int64_t>(ctx_.store, [&](StoreTx& tx) { return tx.InsertSms(sms); });
  if (!id) {
    return Fail(id.error());
  }
  sms.id = *id;
  Result<void> sent = Submit(sms, text_to_send);
  if (!sent) {
    // Nobody retries a sign-in code: the person asks again. Close the row.
    sms.state = SmsState::kFailed;
    sms.finished_at = ctx_.clock.Now();
    ctx_.store.Transact([&](StoreTx& tx) { return tx.UpdateSms(sms); });
    return sent;
  }
  if (sms.state == SmsState::kFailed) {
    return Fail(ErrorCode::kUnavailable, "sms_rejected",
                "the SMSC refused the message: " + sms.last_error);
  }
  return {};
}

Result<std::int64_t> SmsOutbox::RecordDeliveryReport(const DeliveryReport& report) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<std::int64_t>(ctx_.store, [&](StoreTx& tx) -> Result<std::int64_t> {
    SmsFilter filter;
    filter.state = SmsState::kSubmitted;
    filter.recipient = report.recipient;
    filter.limit = 200;
    Result<std::vector<SmsRecord>> candidates = tx.ListSms(filter);
    if (!candidates) {
      return Fail(candidates.error());
    }
    const SmsRecord* match = nullptr;
    if (!report.message_id.empty()) {
      int count = 0;
      for (const SmsRecord& m : *candidates) {
        if (ContainsId(m.message_ids, report.message_id)) {
          match = &m;
          ++count;
        }
      }
      // An id shared by several messages (an SMSC that gives every message the
      // same id) identifies nothing.
      if (count != 1) {
        match = nullptr;
      }
    }
    if (match == nullptr && report.user_message_reference) {
      const std::uint16_t ref = *report.user_message_reference;
      for (const SmsRecord& m : *candidates) {  // newest first
        const std::uint16_t full = UserMessageReference(m.id);
        if (full == ref || (ref <= 0xFF && (full & 0xFF) == ref)) {
          match = &m;
          break;
        }
      }
    }
    if (match == nullptr) {
      return Fail(ErrorCode::kNotFound, "sms_not_found",
                  "no submitted message matches this delivery report");
    }
    SmsRecord sms = *match;
    const SmsState state = StateOf(report.state);
    if (state == SmsState::kSubmitted) {
      return sms.id;
    }
    sms.state = state;
    sms.finished_at = now;
    sms.updated_at = now;
    if (state != SmsState::kDelivered) {
      sms.last_error = report.detail;
    }
    if (Result<void> r = tx.UpdateSms(sms); !r) {
      return Fail(r.error());
    }
    return sms.id;
  });
}

Result<std::vector<SmsRecord>> SmsOutbox::List(const SmsFilter& filter) {
  return TransactValue<std::vector<SmsRecord>>(ctx_.store,
                                               [&](StoreTx& tx) { return tx.ListSms(filter); });
}

}  // namespace simexit
