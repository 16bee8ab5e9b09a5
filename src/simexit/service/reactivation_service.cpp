// Reactivation: ReactivationService (reactivation_service.hpp). The rules are
// domain/reactivation.hpp's; this file applies them to the store and the HLR.

#include "simexit/service/reactivation_service.hpp"

#include <boost/json.hpp>

#include "simexit/common/log.hpp"
#include "simexit/common/time_zone.hpp"
#include "simexit/domain/notices.hpp"
#include "simexit/service/channel_evidence.hpp"
#include "simexit/service/event_outbox.hpp"
#include "simexit/service/idempotency_sweep.hpp"
#include "simexit/service/job_kind.hpp"
#include "simexit/service/sms_outbox.hpp"
#include "simexit/service/termination_steps.hpp"

namespace simexit {
namespace {

using termination_steps::IllegalTransition;
using termination_steps::InsufficientRole;
using termination_steps::LineNotFound;

constexpr const char* kWorker = "worker";

tl::unexpected<Error> ReactivationNotFound() {
  return Fail(ErrorCode::kNotFound, "reactivation_not_found", "no such reactivation");
}

// The audit record every reactivation change also writes: it joins the
// operator's audit chain (docs/audit.md) like a termination's events do.
Result<void> Audit(StoreTx& tx, const ReactivationRecord& r, const std::string& action,
                   const std::string& actor, const std::string& detail, UnixSeconds now) {
  AuditRecord record;
  record.actor = actor;
  record.action = "reactivation_" + action;
  record.subject = r.msisdn.e164();
  record.detail = r.id + (detail.empty() ? "" : ": " + detail);
  record.request_id = CurrentRequestId();
  record.at = now;
  record.operator_id = r.operator_id;
  SIMEXIT_TRY(tx.AppendAudit(record));
  return {};
}

// kz.simexit.reactivation.state_changed (docs/events.md) for a change of `r`
// from `from` ("" when it was created) by `event`, in the caller's
// transaction; ordered by the reactivation's id.
Result<void> PublishChange(StoreTx& tx, const ReactivationRecord& r, const std::string& event,
                           const std::string& from, const std::string& actor,
                           const std::string& detail, UnixSeconds now) {
  SIMEXIT_ASSIGN_OR_RETURN(const OperatorRecord op, tx.GetOperator(r.operator_id));
  boost::json::object data{
      {"reactivation_id", r.id},
      {"operator", op.code},
      {"msisdn", r.msisdn.e164()},
      {"channel", ToString(r.channel)},
      {"termination_id", r.termination_id},
      {"event", event},
      {"from_state", from.empty() ? boost::json::value(nullptr) : boost::json::value(from)},
      {"to_state", ToString(r.state)},
      {"actor", actor},
      {"detail", detail},
      {"new_sim", r.new_sim}};
  if (!r.reason.empty()) {
    data["reason"] = r.reason;
  }
  SIMEXIT_TRY(PublishEvent(
      tx, NewEvent{r.operator_id, kReactivationStateChanged, r.id, r.id, std::move(data), now}));
  return {};
}

// The one place a reactivation changes state: the state machine's step, the
// record, its event and its audit record, in the caller's transaction.
Result<void> ApplyReactivationEvent(StoreTx& tx, ReactivationRecord& r, ReactivationEvent event,
                                    const std::string& actor, const std::string& detail,
                                    UnixSeconds now) {
  const ReactivationState from = r.state;
  SIMEXIT_ASSIGN_OR_RETURN(const ReactivationState to, Transition(from, event));
  r.state = to;
  r.updated_at = now;
  SIMEXIT_TRY(tx.UpdateReactivation(r));
  SIMEXIT_TRY(tx.AppendReactivationEvent(
      ReactivationEventRecord{0, r.id, ToString(event), ToString(from), ToString(to), actor,
                              ToString(r.channel), detail, now}));
  SIMEXIT_TRY(PublishChange(tx, r, ToString(event), ToString(from), actor, detail, now));
  return Audit(tx, r, ToString(event), actor,
               std::string(ToString(from)) + " -> " + ToString(to) +
                   (detail.empty() ? "" : " (" + detail + ")"),
               now);
}

// An event that does not change state ("created", "hlr_provisioned").
Result<void> RecordReactivationAction(StoreTx& tx, const ReactivationRecord& r,
                                      const std::string& action, const std::string& actor,
                                      const std::string& detail, UnixSeconds now) {
  SIMEXIT_TRY(tx.AppendReactivationEvent(
      ReactivationEventRecord{0, r.id, action, "", "", actor, ToString(r.channel), detail, now}));
  return Audit(tx, r, action, actor, detail, now);
}

Result<void> EnqueueProvisioning(StoreTx& tx, const ReactivationRecord& r, UnixSeconds now) {
  JobRecord job;
  job.kind = ToString(JobKind::kProvisionReactivation);
  job.payload = boost::json::serialize(boost::json::object{{"reactivation_id", r.id}});
  job.dedupe_key = std::string(job.kind) + ":" + r.id;
  job.run_at = now;
  job.created_at = now;
  job.updated_at = now;
  SIMEXIT_TRY(tx.EnqueueJob(job));
  return {};
}

// Approved: on to provisioning at once.
Result<void> ApproveAndProvision(StoreTx& tx, ReactivationRecord& r, const std::string& actor,
                                 const std::string& detail, UnixSeconds now) {
  SIMEXIT_TRY(ApplyReactivationEvent(tx, r, ReactivationEvent::kApprove, actor, detail, now));
  SIMEXIT_TRY(ApplyReactivationEvent(tx, r, ReactivationEvent::kStartProvisioning, "policy",
                                     "the line is provisioned again in the HLR", now));
  return EnqueueProvisioning(tx, r, now);
}

// Tells the holder, on the SIM that carries the number again, that the line is
// theirs: queued in the transaction that makes it active, so it goes once.
Result<void> QueueReactivatedNotice(StoreTx& tx, const ReactivationRecord& r, UnixSeconds now) {
  SIMEXIT_ASSIGN_OR_RETURN(const OperatorRecord op, tx.GetOperator(r.operator_id));
  SIMEXIT_ASSIGN_OR_RETURN(const HolderRecord holder, tx.GetHolder(r.holder_id));
  SmsRecord sms;
  sms.operator_id = op.id;
  sms.recipient = r.msisdn.e164();
  sms.kind = ToString(Notice::kReactivated);
  sms.language = holder.language;
  sms.text = RenderNotice(Notice::kReactivated, holder.language,
                          {{"msisdn", r.msisdn.e164()}, {"id", r.id}}, op.policy.sms_templates);
  SIMEXIT_TRY(SmsOutbox::Queue(tx, std::move(sms), now));
  return {};
}

// The new SIM is no other line's. Errors: kFailedPrecondition "sim_in_use".
Result<void> CheckSimFree(StoreTx& tx, const ReactivationRecord& r) {
  if (!r.new_sim) {
    return {};
  }
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<std::int64_t> other,
                           tx.FindLineUsingSim(r.iccid, r.imsi, r.line_id));
  if (other) {
    return Fail(ErrorCode::kFailedPrecondition, "sim_in_use",
                "the new SIM (its ICCID or IMSI) belongs to another line");
  }
  return {};
}

// The rules that hold as long as the reactivation may go ahead: reactivation
// on, the number still resting for this holder, the window open, the SIM free.
Result<void> CheckStillPossible(StoreTx& tx, const ReactivationRecord& r, const LineRecord& line,
                                const Policy& policy, UnixSeconds now) {
  SIMEXIT_TRY(CheckReactivationEnabled(policy));
  SIMEXIT_TRY(CheckNumberQuarantined(line.status, line.holder_id, r.holder_id));
  SIMEXIT_TRY(CheckWithinWindow(r.closed_at, policy.reactivation_days, now));
  return CheckSimFree(tx, r);
}

// What each channel needs besides the document, checked before the database.
Result<void> CheckCommand(const Caller& caller, const OpenReactivationCommand& c, UnixSeconds now) {
  SIMEXIT_TRY(CheckReactivationChannel(c.channel));
  const Permission needed =
      c.channel == Channel::kMail ? Permission::kOpenMail : Permission::kOpenStore;
  if (!caller.Can(needed)) {
    return InsufficientRole(caller, "open reactivations through this channel");
  }
  if (!c.document) {
    return FailField(ErrorCode::kInvalidArgument, "document_required", "document",
                     "a reactivation needs the former holder's identity document");
  }
  if (c.channel == Channel::kStore && c.postmarked_on) {
    return FailField(ErrorCode::kInvalidArgument, "invalid_field", "postmarked_on",
                     "postmarked_on is for posted applications (channel mail)");
  }
  if (c.channel == Channel::kMail) {
    if (!c.postmarked_on) {
      return FailField(ErrorCode::kInvalidArgument, "postmark_required", "postmarked_on",
                       "a posted application needs the postmark date (YYYY-MM-DD)");
    }
    // A day of slack: the envelope's date is local, `now` is UTC.
    if (*c.postmarked_on > UtcDateOf(now + kSecondsPerDay)) {
      return FailField(ErrorCode::kInvalidArgument, "invalid_postmark", "postmarked_on",
                       "postmarked_on is in the future");
    }
  }
  return {};
}

Result<ReactivationRecord> LoadReactivation(StoreTx& tx, const Caller& caller,
                                            const std::string& id) {
  Result<ReactivationRecord> r = tx.GetReactivation(id);
  if (!r) {
    if (r.error().code == ErrorCode::kNotFound) {
      return ReactivationNotFound();
    }
    return Fail(r.error());
  }
  if (!caller.MaySee(r->operator_id, r->msisdn, r->holder_id) ||
      caller.kind == CallerKind::kHolder) {
    return ReactivationNotFound();
  }
  return r;
}

// Whether `caller` may decide `r` now: the review permission, a request
// waiting for review, and four eyes.
Result<void> CheckMayDecide(const Caller& caller, const ReactivationRecord& r) {
  if (!caller.Can(Permission::kReview)) {
    return InsufficientRole(caller, "review reactivations");
  }
  if (r.state != ReactivationState::kPendingReview) {
    return IllegalTransition(std::string("a reactivation that is ") + ToString(r.state) +
                             " is not waiting for review");
  }
  if (r.requested_by == caller.actor) {
    return Fail(ErrorCode::kFailedPrecondition, "review_own_request",
                "four eyes: a request is decided by someone other than whoever opened it");
  }
  return {};
}

// Documents that do not match the holder one line may have per hour, counted
// together with a termination's (open_termination.cpp): after that, the line
// refuses documents for the hour, so nobody can try numbers until one fits.
constexpr int kMismatchesPerLinePerHour = 5;

Result<void> CheckMismatchThrottle(StoreTx& tx, const Msisdn& msisdn, UnixSeconds now) {
  SIMEXIT_ASSIGN_OR_RETURN(std::vector<AuditRecord> trail,
                           tx.ListAudit(msisdn.e164(), 10 * kMismatchesPerLinePerHour));
  int recent = 0;
  for (const AuditRecord& record : trail) {
    if (record.action == "document_mismatch" && record.at > now - 3600) {
      ++recent;
    }
  }
  if (recent >= kMismatchesPerLinePerHour) {
    return FailField(ErrorCode::kResourceExhausted, "too_many_mismatches", "document",
                     "too many documents that do not match the holder were presented for this "
                     "line in the last hour; try again later");
  }
  return {};
}

// Records a document that is not the former holder's in its own transaction
// (the request's rolled back), never the number presented.
void AuditMismatch(Store& store, const Caller& caller, const Msisdn& msisdn,
                   std::int64_t operator_id, UnixSeconds now) {
  AuditRecord record;
  record.actor = caller.actor;
  record.action = "document_mismatch";
  record.subject = msisdn.e164();
  record.detail = "reactivation: the document does not match the former holder";
  record.request_id = CurrentRequestId();
  record.at = now;
  record.operator_id = operator_id;
  Result<void> done = store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_TRY(tx.AppendAudit(record));
    return {};
  });
  if (!done) {
    LogError("audit record not written",
             {{"action", "document_mismatch"}, {"error", done.error().message}});
  }
}

}  // namespace

Result<OpenedReactivation> ReactivationService::Open(
    const Caller& caller, const OpenReactivationCommand& command,
    const std::optional<IdempotencyKey>& idempotency) {
  const UnixSeconds now = ctx_.clock.Now();
  SIMEXIT_TRY(CheckCommand(caller, command, now));
  std::int64_t operator_id = 0;
  Result<OpenedReactivation> opened =
      TransactValue<OpenedReactivation>(ctx_.store, [&](StoreTx& tx) -> Result<OpenedReactivation> {
        if (idempotency) {
          SIMEXIT_ASSIGN_OR_RETURN(std::optional<IdempotencyRecord> seen,
                                   tx.FindIdempotency(idempotency->scope, idempotency->key));
          if (seen) {
            if (seen->request_hash != idempotency->request_hash) {
              return Fail(ErrorCode::kFailedPrecondition, "idempotency_key_reused",
                          "this Idempotency-Key was used with a different request");
            }
            SIMEXIT_ASSIGN_OR_RETURN(ReactivationRecord first,
                                     LoadReactivation(tx, caller, seen->termination_id));
            return OpenedReactivation{std::move(first), true};
          }
        }
        Result<LineRecord> found = tx.GetLineByMsisdn(command.msisdn);
        if (!found) {
          return found.error().code == ErrorCode::kNotFound ? LineNotFound() : Fail(found.error());
        }
        const LineRecord& line = *found;
        // A quarantined line keeps its former holder (holder_id) until released.
        if (!caller.MaySee(line.operator_id, line.msisdn, line.holder_id)) {
          return LineNotFound();
        }
        operator_id = line.operator_id;
        SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(line.operator_id));
        SIMEXIT_TRY(CheckReactivationEnabled(op.policy));
        SIMEXIT_ASSIGN_OR_RETURN(std::optional<LineClosure> closure, tx.FindLastClosure(line.id));
        SIMEXIT_TRY(CheckNumberQuarantined(line.status, line.holder_id,
                                           closure ? closure->holder_id : line.holder_id));
        if (!closure) {
          return Fail(ErrorCode::kFailedPrecondition, "number_not_quarantined",
                      "the number was never closed");
        }
        SIMEXIT_TRY(CheckWithinWindow(closure->closed_at, op.policy.reactivation_days, now));
        SIMEXIT_ASSIGN_OR_RETURN(std::optional<ReactivationRecord> open,
                                 tx.FindOpenReactivation(line.id));
        if (open) {
          return Fail(ErrorCode::kFailedPrecondition, "reactivation_exists",
                      "the number already has an open reactivation " + open->id);
        }
        SIMEXIT_TRY(CheckMismatchThrottle(tx, line.msisdn, now));
        SIMEXIT_ASSIGN_OR_RETURN(HolderRecord holder, tx.GetHolder(closure->holder_id));
        SIMEXIT_ASSIGN_OR_RETURN(
            CheckedDocument checked,
            CheckDocument(*command.document, TodayIn(now, holder.time_zone), "document"));
        SIMEXIT_TRY(MatchHolder(checked, RegisteredHolderOf(holder), "document"));
        SIMEXIT_ASSIGN_OR_RETURN(ReactivationSim sim,
                                 ChooseSim(line.kind == LineKind::kPhysical, line.iccid, line.imsi,
                                           command.iccid, command.imsi));

        ReactivationRecord r;
        r.id = "rea_" + ctx_.random.Hex(12);
        r.operator_id = line.operator_id;
        r.line_id = line.id;
        r.holder_id = closure->holder_id;
        r.termination_id = closure->termination_id;
        r.msisdn = line.msisdn;
        r.channel = command.channel;
        r.state = ReactivationState::kRequested;
        r.iccid = sim.iccid;
        r.imsi = sim.imsi;
        r.new_sim = sim.is_new;
        r.closed_at = closure->closed_at;
        r.postmarked_on = command.postmarked_on;
        r.requested_by = caller.actor;
        r.created_at = now;
        r.updated_at = now;
        SIMEXIT_TRY(CheckSimFree(tx, r));
        SIMEXIT_TRY(tx.InsertReactivation(r));
        SIMEXIT_TRY(RecordReactivationAction(
            tx, r, "created", caller.actor,
            std::string(ToString(checked.kind)) + " of the former holder checked; " +
                (sim.is_new ? "new SIM" : "the eSIM profile downloaded again"),
            now));
        SIMEXIT_TRY(PublishChange(tx, r, "created", "", caller.actor, "", now));
        if (command.channel == Channel::kMail) {
          SIMEXIT_TRY(ApplyReactivationEvent(tx, r, ReactivationEvent::kSendToReview, caller.actor,
                                             "posted applications are always reviewed", now));
        } else {
          SIMEXIT_TRY(
              ApproveAndProvision(tx, r, "policy", "the document was checked at the counter", now));
        }
        if (idempotency) {
          SIMEXIT_TRY(tx.InsertIdempotency(IdempotencyRecord{
              idempotency->scope, idempotency->key, idempotency->request_hash, r.id, now}));
          SIMEXIT_TRY(SweepIdempotencyKeys(tx, now));
        }
        return OpenedReactivation{std::move(r), false};
      });
  if (!opened && opened.error().problem_code == "document_mismatch") {
    AuditMismatch(ctx_.store, caller, command.msisdn, operator_id, now);
  }
  return opened;
}

Result<ReactivationRecord> ReactivationService::Approve(const Caller& caller,
                                                        const std::string& id) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<ReactivationRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<ReactivationRecord> {
        SIMEXIT_ASSIGN_OR_RETURN(ReactivationRecord r, LoadReactivation(tx, caller, id));
        SIMEXIT_TRY(CheckMayDecide(caller, r));
        SIMEXIT_ASSIGN_OR_RETURN(LineRecord line, tx.GetLine(r.line_id));
        SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(r.operator_id));
        SIMEXIT_TRY(CheckStillPossible(tx, r, line, op.policy, now));
        r.reviewed_by = caller.actor;
        SIMEXIT_TRY(ApproveAndProvision(tx, r, caller.actor, "approved on review", now));
        return r;
      });
}

Result<ReactivationRecord> ReactivationService::Reject(const Caller& caller, const std::string& id,
                                                       const std::string& reason) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<ReactivationRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<ReactivationRecord> {
        SIMEXIT_ASSIGN_OR_RETURN(ReactivationRecord r, LoadReactivation(tx, caller, id));
        SIMEXIT_TRY(CheckMayDecide(caller, r));
        if (reason.empty()) {
          return FailField(ErrorCode::kInvalidArgument, "reason_required", "reason",
                           "a rejection says why");
        }
        r.reviewed_by = caller.actor;
        r.reason = reason;
        SIMEXIT_TRY(
            ApplyReactivationEvent(tx, r, ReactivationEvent::kReject, caller.actor, reason, now));
        return r;
      });
}

Result<ReactivationDetail> ReactivationService::Get(const Caller& caller, const std::string& id) {
  return TransactValue<ReactivationDetail>(
      ctx_.store, [&](StoreTx& tx) -> Result<ReactivationDetail> {
        SIMEXIT_ASSIGN_OR_RETURN(ReactivationRecord r, LoadReactivation(tx, caller, id));
        SIMEXIT_ASSIGN_OR_RETURN(std::vector<ReactivationEventRecord> events,
                                 tx.ListReactivationEvents(r.id));
        SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(r.operator_id));
        const UnixSeconds deadline = ReactivationDeadline(r.closed_at, op.policy.reactivation_days);
        return ReactivationDetail{std::move(r), std::move(events), deadline};
      });
}

Result<std::vector<ReactivationRecord>> ReactivationService::List(
    const Caller& caller, std::optional<ReactivationState> state, int limit) {
  if (!caller.Can(Permission::kViewLines)) {
    return InsufficientRole(caller, "list reactivations");
  }
  ReactivationFilter filter;
  if (caller.kind != CallerKind::kAdmin && caller.kind != CallerKind::kSystem) {
    filter.operator_id = caller.operator_id;
  }
  filter.state = state;
  filter.limit = limit;
  return TransactValue<std::vector<ReactivationRecord>>(
      ctx_.store, [&](StoreTx& tx) { return tx.ListReactivations(filter); });
}

Result<void> ReactivationService::Provision(const std::string& reactivation_id) {
  // First look: is there still work, and may the number still go back?
  std::optional<std::string> refusal;
  SIMEXIT_ASSIGN_OR_RETURN(
      ReactivationRecord r,
      TransactValue<ReactivationRecord>(ctx_.store, [&](StoreTx& tx) -> Result<ReactivationRecord> {
        SIMEXIT_ASSIGN_OR_RETURN(ReactivationRecord found, tx.GetReactivation(reactivation_id));
        if (found.state != ReactivationState::kProvisioning) {
          return found;
        }
        SIMEXIT_ASSIGN_OR_RETURN(LineRecord line, tx.GetLine(found.line_id));
        if (Result<void> rest =
                CheckNumberQuarantined(line.status, line.holder_id, found.holder_id);
            !rest) {
          refusal = rest.error().message;
        } else if (Result<void> free = CheckSimFree(tx, found); !free) {
          refusal = free.error().message;
        }
        return found;
      }));
  if (r.state != ReactivationState::kProvisioning) {
    return {};
  }
  const Imsi& imsi = r.imsi;
  const Msisdn& msisdn = r.msisdn;
  std::string hlr_detail = "subscriber created in the HLR with the number, CS and PS enabled";
  if (!refusal) {
    Result<void> created = ctx_.hlr.Provision(imsi, msisdn);
    if (!created && created.error().code == ErrorCode::kAlreadyExists) {
      // An earlier run got this far before it stopped; or the IMSI is someone
      // else's in the HLR.
      SIMEXIT_ASSIGN_OR_RETURN(HlrSubscriber there, ctx_.hlr.Lookup(imsi));
      if (there.msisdn == msisdn.digits()) {
        hlr_detail = "subscriber was already in the HLR with the number";
        created = {};
      } else if (there.msisdn.empty()) {
        // Created without its number by a run that died in between.
        Result<void> removed = ctx_.hlr.Remove(imsi);
        if (!removed && removed.error().code != ErrorCode::kNotFound) {
          return removed;
        }
        created = ctx_.hlr.Provision(imsi, msisdn);
      } else {
        refusal = "the new SIM's IMSI is another subscriber's in the HLR";
        created = {};
      }
    }
    if (!created) {
      return created;
    }
  }
  Fault("provision_reactivation:after_hlr");

  const UnixSeconds now = ctx_.clock.Now();
  const bool provisioned = !refusal;
  SIMEXIT_TRY(ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(ReactivationRecord current, tx.GetReactivation(reactivation_id));
    if (current.state != ReactivationState::kProvisioning) {
      return {};
    }
    SIMEXIT_ASSIGN_OR_RETURN(LineRecord line, tx.GetLine(current.line_id));
    // The number may have been released, or the SIM given to another line,
    // while the HLR was being written.
    if (!refusal) {
      if (Result<void> rest =
              CheckNumberQuarantined(line.status, line.holder_id, current.holder_id);
          !rest) {
        refusal = rest.error().message;
      } else if (Result<void> free = CheckSimFree(tx, current); !free) {
        refusal = free.error().message;
      }
    }
    if (refusal) {
      current.reason = *refusal;
      return ApplyReactivationEvent(tx, current, ReactivationEvent::kRefuse, kWorker, *refusal,
                                    now);
    }
    line.status = LineStatus::kActive;
    line.holder_id = current.holder_id;
    line.iccid = current.iccid;
    line.imsi = current.imsi;
    line.quarantine_until = std::nullopt;
    line.updated_at = now;
    SIMEXIT_TRY(tx.UpdateLine(line));
    // The number no longer rests: the closure's release has nothing to do.
    SIMEXIT_TRY(tx.DropPendingJobs(std::string(ToString(JobKind::kReleaseNumber)) + ":" +
                                   current.termination_id));
    SIMEXIT_TRY(RecordReactivationAction(tx, current, "hlr_provisioned", kWorker, hlr_detail, now));
    SIMEXIT_TRY(ApplyReactivationEvent(
        tx, current, ReactivationEvent::kComplete, kWorker,
        "the line is active again; nothing of the settlement is undone", now));
    return QueueReactivatedNotice(tx, current, now);
  }));
  if (provisioned && refusal) {
    // Refused after the subscriber was created: the number is not this
    // holder's any more, so the HLR must not route it to the new SIM.
    if (Result<void> removed = ctx_.hlr.Remove(imsi);
        !removed && removed.error().code != ErrorCode::kNotFound) {
      LogError("subscriber of a refused reactivation not removed from the HLR",
               {{"reactivation_id", reactivation_id}, {"error", removed.error().message}});
    }
  }
  Fault("provision_reactivation:after_commit");
  return {};
}

}  // namespace simexit
