// OperatorService::Dashboard, RetryJob and RetrySms (operator_service.hpp):
// an operator's terminations counted, and its failed background work retried.

#include <boost/json.hpp>

#include "simexit/domain/notices.hpp"
#include "simexit/service/job_kind.hpp"
#include "simexit/service/operator_service.hpp"

namespace simexit {
namespace {

constexpr std::int64_t kDaySeconds = 86'400;
// The failed work a dashboard lists, newest first; more waits in the CLI.
constexpr std::size_t kFailedShown = 50;
// How many dead jobs are read to find the operator's (jobs carry no operator).
constexpr int kDeadJobsRead = 1000;

tl::unexpected<Error> JobNotFound() {
  return Fail(ErrorCode::kNotFound, "job_not_found", "no such job");
}

tl::unexpected<Error> SmsNotFound() {
  return Fail(ErrorCode::kNotFound, "sms_not_found", "no such SMS");
}

// Staff, operator keys and admins; holders see no dashboard.
Result<void> MayView(const Caller& caller) {
  if (!caller.Can(Permission::kViewLines)) {
    return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
                "your role may not see the operator's dashboard");
  }
  return {};
}

std::optional<std::int64_t> OperatorScope(const Caller& caller) {
  if (caller.kind == CallerKind::kAdmin || caller.kind == CallerKind::kSystem) {
    return std::nullopt;
  }
  return caller.operator_id;
}

// The operator a job works for: through the termination, the reactivation or
// the SMS its payload names; 0 when it names none (housekeeping, no operator's).
Result<std::int64_t> JobOperator(StoreTx& tx, const JobRecord& job) {
  boost::system::error_code ec;
  const boost::json::value payload = boost::json::parse(job.payload, ec);
  if (ec || !payload.is_object()) {
    return std::int64_t{0};
  }
  const boost::json::object& fields = payload.as_object();
  if (const boost::json::value* id = fields.if_contains("termination_id");
      id != nullptr && id->is_string()) {
    Result<TerminationRecord> t = tx.GetTermination(std::string(id->get_string()));
    if (!t) {
      return t.error().code == ErrorCode::kNotFound ? Result<std::int64_t>(0) : Fail(t.error());
    }
    return t->operator_id;
  }
  if (const boost::json::value* id = fields.if_contains("reactivation_id");
      id != nullptr && id->is_string()) {
    Result<ReactivationRecord> r = tx.GetReactivation(std::string(id->get_string()));
    if (!r) {
      return r.error().code == ErrorCode::kNotFound ? Result<std::int64_t>(0) : Fail(r.error());
    }
    return r->operator_id;
  }
  if (const boost::json::value* id = fields.if_contains("sms_id");
      id != nullptr && id->is_int64()) {
    Result<SmsRecord> sms = tx.GetSms(id->get_int64());
    if (!sms) {
      return sms.error().code == ErrorCode::kNotFound ? Result<std::int64_t>(0) : Fail(sms.error());
    }
    return sms->operator_id;
  }
  return std::int64_t{0};
}

// Whether the caller may touch work of `owner` (0: no operator's, admins only).
bool MayTouch(const Caller& caller, std::int64_t owner) {
  const std::optional<std::int64_t> scope = OperatorScope(caller);
  return !scope || (owner != 0 && owner == *scope);
}

// Sign-in codes and phone confirmations are stored masked: sending the stored
// text again would send asterisks.
bool StoredAsSent(const SmsRecord& sms) {
  return sms.kind != ToString(Notice::kSignInCode) && sms.kind != ToString(Notice::kConfirmRequest);
}

// The record joins the audit chain of `operator_id`, the job's or SMS's operator.
Result<void> Audit(StoreTx& tx, const Caller& caller, const std::string& action,
                   const std::string& subject, UnixSeconds now, std::int64_t operator_id) {
  AuditRecord audit;
  audit.operator_id = operator_id;
  audit.actor = caller.actor;
  audit.action = action;
  audit.subject = subject;
  audit.request_id = CurrentRequestId();
  audit.at = now;
  SIMEXIT_TRY(tx.AppendAudit(audit));
  return {};
}

}  // namespace

Result<DashboardView> OperatorService::Dashboard(const Caller& caller) {
  SIMEXIT_TRY(MayView(caller));
  const UnixSeconds now = ctx_.clock.Now();
  const std::int64_t today = (now + kDashboardUtcOffset) / kDaySeconds;
  DashboardView view;
  view.first_day = today - (kDashboardDays - 1);
  view.may_retry = caller.Can(Permission::kRetryFailed);
  return TransactValue<DashboardView>(ctx_.store, [&](StoreTx& tx) -> Result<DashboardView> {
    SIMEXIT_ASSIGN_OR_RETURN(
        view.tally, tx.TallyTerminations(OperatorScope(caller),
                                         view.first_day * kDaySeconds - kDashboardUtcOffset,
                                         kDashboardUtcOffset));
    if (!view.may_retry) {
      return view;
    }
    JobFilter dead;
    dead.state = JobState::kDead;
    dead.limit = kDeadJobsRead;
    SIMEXIT_ASSIGN_OR_RETURN(std::vector<JobRecord> jobs, tx.ListJobs(dead));
    for (auto it = jobs.rbegin(); it != jobs.rend() && view.dead_jobs.size() < kFailedShown; ++it) {
      SIMEXIT_ASSIGN_OR_RETURN(std::int64_t owner, JobOperator(tx, *it));
      if (MayTouch(caller, owner)) {
        view.dead_jobs.push_back(*it);
      }
    }
    SmsFilter failed;
    failed.state = SmsState::kFailed;
    failed.limit = kDeadJobsRead;
    SIMEXIT_ASSIGN_OR_RETURN(std::vector<SmsRecord> sms, tx.ListSms(failed));
    for (const SmsRecord& m : sms) {
      if (view.failed_sms.size() >= kFailedShown) {
        break;
      }
      if (MayTouch(caller, m.operator_id)) {
        view.failed_sms.push_back(m);
      }
    }
    return view;
  });
}

Result<JobRecord> OperatorService::RetryJob(const Caller& caller, std::int64_t id) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<JobRecord>(ctx_.store, [&](StoreTx& tx) -> Result<JobRecord> {
    Result<JobRecord> job = tx.GetJob(id);
    if (!job) {
      return job.error().code == ErrorCode::kNotFound ? JobNotFound() : Fail(job.error());
    }
    SIMEXIT_ASSIGN_OR_RETURN(std::int64_t owner, JobOperator(tx, *job));
    if (caller.kind == CallerKind::kHolder || !MayTouch(caller, owner)) {
      return JobNotFound();
    }
    if (!caller.Can(Permission::kRetryFailed)) {
      return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
                  "your role may not retry failed work");
    }
    if (job->state != JobState::kDead) {
      return Fail(ErrorCode::kFailedPrecondition, "job_not_retryable",
                  std::string("job is ") + ToString(job->state) + ", not dead-lettered");
    }
    SIMEXIT_TRY(tx.RetryJob(id, now));
    SIMEXIT_TRY(Audit(tx, caller, "job_retried", "job:" + std::to_string(id), now, owner));
    return tx.GetJob(id);
  });
}

Result<SmsRecord> OperatorService::RetrySms(const Caller& caller, std::int64_t id) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<SmsRecord>(ctx_.store, [&](StoreTx& tx) -> Result<SmsRecord> {
    Result<SmsRecord> sms = tx.GetSms(id);
    if (!sms) {
      return sms.error().code == ErrorCode::kNotFound ? SmsNotFound() : Fail(sms.error());
    }
    if (caller.kind == CallerKind::kHolder || !MayTouch(caller, sms->operator_id)) {
      return SmsNotFound();
    }
    if (!caller.Can(Permission::kRetryFailed)) {
      return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
                  "your role may not retry failed work");
    }
    if (sms->state != SmsState::kFailed || !StoredAsSent(*sms)) {
      return Fail(ErrorCode::kFailedPrecondition, "sms_not_retryable",
                  sms->state != SmsState::kFailed
                      ? std::string("the SMS is ") + ToString(sms->state) + ", not failed"
                      : "the SMS holds a code stored masked; ask for a new one instead");
    }
    // Queued again with a fresh validity period; the earlier error stays
    // until the next attempt replaces it. A job of its own sends it.
    sms->state = SmsState::kQueued;
    sms->created_at = now;
    sms->updated_at = now;
    sms->finished_at.reset();
    SIMEXIT_TRY(tx.UpdateSms(*sms));
    JobRecord job;
    job.kind = ToString(JobKind::kSendSms);
    job.payload = boost::json::serialize(boost::json::object{{"sms_id", id}});
    job.dedupe_key = job.kind + ":" + std::to_string(id) + ":retry:" + std::to_string(now);
    job.max_attempts = 1000;
    job.run_at = now;
    job.created_at = now;
    job.updated_at = now;
    SIMEXIT_TRY(tx.EnqueueJob(job));
    SIMEXIT_TRY(
        Audit(tx, caller, "sms_retried", "sms:" + std::to_string(id), now, sms->operator_id));
    return *sms;
  });
}

}  // namespace simexit
