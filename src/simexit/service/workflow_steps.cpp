#include "simexit/service/workflow_steps.hpp"

#include <boost/json.hpp>

#include "simexit/common/time_zone.hpp"
#include "simexit/service/event_outbox.hpp"
#include "simexit/service/sms_outbox.hpp"

namespace simexit {

Result<void> ApplyEvent(StoreTx& tx, TerminationRecord& termination, TerminationEvent event,
                        const std::string& actor, const std::string& detail, UnixSeconds now) {
  const TerminationState from = termination.state;
  SIMEXIT_ASSIGN_OR_RETURN(const TerminationState to, Transition(from, event));
  termination.state = to;
  termination.updated_at = now;
  SIMEXIT_TRY(tx.UpdateTermination(termination));
  TerminationEventRecord record;
  record.termination_id = termination.id;
  record.event = ToString(event);
  record.from_state = ToString(from);
  record.to_state = ToString(to);
  record.actor = actor;
  record.channel = ToString(termination.channel);
  record.detail = detail;
  record.at = now;
  SIMEXIT_TRY(tx.AppendEvent(record));
  // Billing and CRM hear of every state change, in this same transaction.
  SIMEXIT_TRY(PublishStateChange(tx, termination, record));
  if (to == TerminationState::kCancelled || to == TerminationState::kRejected) {
    // Nothing waits for a request that will not go ahead: its date, the
    // reminder the day before, and the expiry of its confirmation go with it.
    for (JobKind kind :
         {JobKind::kStartTermination, JobKind::kSendReminder, JobKind::kExpireConfirmation}) {
      SIMEXIT_TRY(tx.DropPendingJobs(std::string(ToString(kind)) + ":" + termination.id));
    }
  }
  return {};
}

Result<void> RecordAction(StoreTx& tx, const TerminationRecord& termination,
                          const std::string& action, const std::string& actor,
                          const std::string& detail, UnixSeconds now) {
  TerminationEventRecord record;
  record.termination_id = termination.id;
  record.event = action;
  record.actor = actor;
  record.channel = ToString(termination.channel);
  record.detail = detail;
  record.at = now;
  SIMEXIT_TRY(tx.AppendEvent(record));
  return {};
}

Result<void> EnqueueStep(StoreTx& tx, JobKind kind, const std::string& termination_id,
                         const std::string& dedupe_suffix, UnixSeconds run_at, UnixSeconds now) {
  JobRecord job;
  job.kind = ToString(kind);
  job.payload = boost::json::serialize(boost::json::object{{"termination_id", termination_id}});
  job.dedupe_key = std::string(job.kind) + ":" + termination_id +
                   (dedupe_suffix.empty() ? "" : ":" + dedupe_suffix);
  job.run_at = run_at;
  job.created_at = now;
  job.updated_at = now;
  SIMEXIT_TRY(tx.EnqueueJob(job));
  return {};
}

Result<void> EnqueueNotice(StoreTx& tx, const TerminationRecord& termination, Notice notice,
                           std::map<std::string, std::string> params,
                           std::optional<UnixSeconds> date, UnixSeconds now) {
  SIMEXIT_ASSIGN_OR_RETURN(const OperatorRecord op, tx.GetOperator(termination.operator_id));
  std::string language = op.default_language;
  std::string zone = "Asia/Almaty";
  if (Result<HolderRecord> holder = tx.GetHolder(termination.holder_id); holder) {
    language = holder->language;
    zone = holder->time_zone;
  }
  params.emplace("msisdn", termination.msisdn.e164());
  params.emplace("id", termination.id);
  if (date) {
    params["date"] = FormatDateInZone(*date, zone);
  }
  SmsRecord sms;
  sms.operator_id = termination.operator_id;
  sms.termination_id = termination.id;
  sms.recipient = notice == Notice::kTerminated && termination.contact_msisdn
                      ? termination.contact_msisdn->e164()
                      : termination.msisdn.e164();
  sms.kind = ToString(notice);
  sms.language = language;
  sms.text = RenderNotice(notice, language, params, op.policy.sms_templates);
  SIMEXIT_TRY(SmsOutbox::Queue(tx, std::move(sms), now));
  return {};
}

}  // namespace simexit
