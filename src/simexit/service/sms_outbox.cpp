#include "simexit/service/sms_outbox.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

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

// The gateway's answers to a batch, handed from its thread(s) to the one that
// records them.
class SettledQueue {
 public:
  void Push(std::size_t message, Result<SmsAccepted> answer) {
    std::lock_guard lock(mutex_);
    arrived_.emplace_back(message, std::move(answer));
    changed_.notify_one();
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_one();
  }
  // Waits for at least one answer and takes all there are; empty once closed
  // and drained.
  std::vector<std::pair<std::size_t, Result<SmsAccepted>>> PopAll() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !arrived_.empty() || closed_; });
    return std::exchange(arrived_, {});
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::pair<std::size_t, Result<SmsAccepted>>> arrived_;
  bool closed_ = false;
};

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

SmsMessage SmsOutbox::MessageFor(const SmsRecord& sms, const std::string& text,
                                 const std::string& operator_code) {
  SmsMessage message;
  message.recipient = sms.recipient;
  message.operator_code = operator_code;
  message.text = text;
  message.kind = sms.kind;
  message.reference = "sms:" + std::to_string(sms.id);
  message.user_message_reference = UserMessageReference(sms.id);
  message.want_delivery_report = true;
  return message;
}

Result<void> SmsOutbox::Apply(SmsRecord& sms, const Result<SmsAccepted>& accepted) const {
  const UnixSeconds now = ctx_.clock.Now();
  sms.attempts += 1;
  sms.updated_at = now;
  if (accepted) {
    sms.state = SmsState::kSubmitted;
    sms.message_ids = JoinIds(accepted->message_ids);
    sms.parts = accepted->parts;
    sms.submitted_at = now;
    sms.last_error.clear();
    return {};
  }
  sms.last_error = accepted.error().problem_code + ": " + accepted.error().message;
  if (accepted.error().code == ErrorCode::kInvalidArgument) {
    sms.state = SmsState::kFailed;  // refused for good; the job is done
    sms.finished_at = now;
    return {};
  }
  return Fail(accepted.error());
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
  Result<SmsAccepted> accepted = ctx_.sms.Send(MessageFor(sms, text, operator_code));
  Fault("send_sms:after_send");
  Result<void> outcome = Apply(sms, accepted);
  Result<void> saved = ctx_.store.Transact([&](StoreTx& tx) { return tx.UpdateSms(sms); });
  if (!saved) {
    return saved;
  }
  return outcome;
}

Result<void> SmsOutbox::Send(std::int64_t id) { return std::move(SendBatch({id}).front()); }

Result<void> SmsOutbox::ReadBatch(const std::vector<std::int64_t>& ids,
                                  std::vector<Result<SmsRecord>>& rows,
                                  std::map<std::int64_t, Result<std::string>>& routes) {
  return ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    rows.clear();
    routes.clear();
    for (std::int64_t id : ids) {
      Result<SmsRecord> row = tx.GetSms(id);
      if (!row && row.error().code != ErrorCode::kNotFound) {
        return Fail(row.error());
      }
      if (row && row->operator_id != 0 && !routes.contains(row->operator_id)) {
        Result<OperatorRecord> op = tx.GetOperator(row->operator_id);
        if (!op && op.error().code != ErrorCode::kNotFound) {
          return Fail(op.error());
        }
        routes.emplace(row->operator_id,
                       op ? Result<std::string>(op->code) : Result<std::string>(Fail(op.error())));
      }
      rows.push_back(std::move(row));
    }
    return {};
  });
}

Result<void> SmsOutbox::Record(const std::vector<SmsRecord*>& rows) {
  if (rows.empty()) {
    return {};
  }
  return ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    for (const SmsRecord* sms : rows) {
      SIMEXIT_TRY(tx.UpdateSms(*sms));
    }
    return {};
  });
}

std::vector<Result<void>> SmsOutbox::SendBatch(const std::vector<std::int64_t>& ids) {
  std::vector<Result<void>> outcomes(ids.size());
  // 1. One transaction reads every row and the operators that route them.
  std::vector<Result<SmsRecord>> rows;
  std::map<std::int64_t, Result<std::string>> routes;  // operator id -> code
  if (Result<void> read = ReadBatch(ids, rows, routes); !read) {
    std::fill(outcomes.begin(), outcomes.end(), read);
    return outcomes;
  }
  // 2. Rows past their validity end `expired`; the queued rest is handed over.
  const UnixSeconds now = ctx_.clock.Now();
  std::vector<SmsRecord*> expired;
  std::vector<std::size_t> sent;  // index in `ids` of each message handed over
  std::vector<SmsMessage> messages;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!rows[i]) {
      outcomes[i] = Fail(rows[i].error());
      continue;
    }
    SmsRecord& sms = *rows[i];
    if (sms.state != SmsState::kQueued) {
      continue;  // sent (or ended) already
    }
    if (now - sms.created_at > kValiditySeconds) {
      sms.state = SmsState::kExpired;
      sms.finished_at = now;
      sms.updated_at = now;
      sms.last_error = "not accepted by the SMSC within its validity; " + sms.last_error;
      expired.push_back(&sms);
      continue;
    }
    std::string operator_code;
    if (sms.operator_id != 0) {
      // The operator decides the route; without it the message must wait, not
      // fall through to another route.
      const Result<std::string>& route = routes.at(sms.operator_id);
      if (!route) {
        outcomes[i] = Fail(ErrorCode::kUnavailable, "sms_route_unknown", route.error().message);
        continue;
      }
      operator_code = *route;
    }
    messages.push_back(MessageFor(sms, sms.text, operator_code));
    sent.push_back(i);
  }
  if (Result<void> saved = Record(expired); !saved) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (rows[i] && rows[i]->state == SmsState::kExpired) {
        outcomes[i] = saved;
      }
    }
  }
  // 3. The gateway settles the messages on its thread(s) while this one
  //    records them: each transaction takes every answer that came in while
  //    the previous one committed.
  SettledQueue answers;
  std::thread sender([&] {
    ctx_.sms.SendBatch(messages, [&](std::size_t m, Result<SmsAccepted> answer) {
      answers.Push(m, std::move(answer));
    });
    answers.Close();
  });
  for (;;) {
    std::vector<std::pair<std::size_t, Result<SmsAccepted>>> arrived = answers.PopAll();
    if (arrived.empty()) {
      break;  // closed and drained
    }
    Fault("send_sms:after_send");
    std::vector<SmsRecord*> batch;
    for (auto& [m, answer] : arrived) {
      SmsRecord& sms = *rows[sent[m]];
      outcomes[sent[m]] = Apply(sms, answer);
      batch.push_back(&sms);
    }
    if (Result<void> saved = Record(batch); !saved) {
      // Not recorded: the rows stay queued and their jobs retry (a message
      // the SMSC accepted is then sent again: at least once, never lost).
      for (auto& [m, answer] : arrived) {
        outcomes[sent[m]] = saved;
      }
    }
  }
  sender.join();
  return outcomes;
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
