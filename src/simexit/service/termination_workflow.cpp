#include "simexit/service/termination_workflow.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>

#include "simexit/certificate/certificate.hpp"
#include "simexit/certificate/serial.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/ledger.hpp"
#include "simexit/domain/settlement.hpp"
#include "simexit/service/bulk_terminations.hpp"
#include "simexit/service/dormancy_sweep.hpp"
#include "simexit/service/event_outbox.hpp"
#include "simexit/service/reactivation_service.hpp"
#include "simexit/service/sms_outbox.hpp"
#include "simexit/service/workflow_steps.hpp"

namespace simexit {
namespace {

constexpr const char* kActor = "worker";

Result<std::string> PayloadField(const std::string& payload, const char* field) {
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(payload, ec);
  if (ec || !json.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "bad_payload", "job payload is not a JSON object");
  }
  const boost::json::value* v = json.as_object().if_contains(field);
  if (v == nullptr || !v->is_string()) {
    return Fail(ErrorCode::kInvalidArgument, "bad_payload",
                std::string("job payload has no string '") + field + "'");
  }
  return std::string(v->as_string());
}

std::map<std::string, std::string> SettlementAmounts(const SettlementQuote& q) {
  return {
      {"outstanding_charges", q.outstanding_charges.ToDecimalString()},
      {"fee", q.fee.ToDecimalString()},
      {"main_balance", q.main_balance.ToDecimalString()},
      {"bonus_balance", q.bonus_balance.ToDecimalString()},
      {"applied_from_balance", q.applied_from_balance.ToDecimalString()},
      {"amount_due", q.amount_due.ToDecimalString()},
      {"refund", q.refund.ToDecimalString()},
      {"forfeited_main", q.forfeited_main.ToDecimalString()},
      {"forfeited_bonus", q.forfeited_bonus.ToDecimalString()},
      {"currency", kCurrency},
  };
}

}  // namespace

TerminationWorkflow::TerminationWorkflow(ServiceContext& ctx, FaultHook fault)
    : ctx_(ctx),
      fault_(fault),
      outbox_(std::make_unique<SmsOutbox>(ctx, fault)),
      events_(std::make_unique<EventDelivery>(ctx, std::move(fault))) {}

TerminationWorkflow::~TerminationWorkflow() = default;

Result<void> TerminationWorkflow::Run(JobKind kind, const std::string& payload) {
  if (kind == JobKind::kSendSms) {
    return SendSms(payload);
  }
  if (kind == JobKind::kDeliverWebhook) {
    return DeliverWebhook(payload);
  }
  if (kind == JobKind::kProvisionReactivation) {
    SIMEXIT_ASSIGN_OR_RETURN(const std::string id, PayloadField(payload, "reactivation_id"));
    return ReactivationService(ctx_, fault_).Provision(id);
  }
  if (kind == JobKind::kDormancySweep) {
    return RunDormancySweepJob(ctx_, payload);
  }
  if (kind == JobKind::kOpenBulkTerminations) {
    SIMEXIT_ASSIGN_OR_RETURN(const std::string id, PayloadField(payload, "bulk_id"));
    return BulkTerminationService(ctx_).OpenBatch(id);
  }
  SIMEXIT_ASSIGN_OR_RETURN(const std::string id, PayloadField(payload, "termination_id"));
  switch (kind) {
    case JobKind::kStartTermination:
      return StartScheduled(id);
    case JobKind::kSettle:
      return Settle(id);
    case JobKind::kDeprovision:
      return Deprovision(id);
    case JobKind::kIssueCertificate:
      return IssueCertificate(id);
    case JobKind::kReleaseNumber:
      return ReleaseNumber(id);
    case JobKind::kSendReminder:
      return SendReminder(id);
    case JobKind::kExpireConfirmation:
      return ExpireConfirmation(id);
    case JobKind::kSendSms:
      return SendSms(payload);  // handled above: its payload names no termination
    case JobKind::kDeliverWebhook:
      return DeliverWebhook(payload);  // handled above: its payload names a delivery
    case JobKind::kProvisionReactivation:
      break;  // handled above: its payload names a reactivation
    case JobKind::kDormancySweep:
      break;  // handled above: its payload names an operator
    case JobKind::kOpenBulkTerminations:
      break;  // handled above: its payload names a bulk termination
  }
  return Fail(ErrorCode::kInvalidArgument, "unknown_job",
              "job kind " + std::to_string(static_cast<int>(kind)) + " is out of range");
}

Result<void> TerminationWorkflow::StartScheduled(const std::string& termination_id) {
  const UnixSeconds now = ctx_.clock.Now();
  SIMEXIT_TRY(ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t, tx.GetTermination(termination_id));
    // Cancelled meanwhile (or already started): nothing to do.
    if (t.state != TerminationState::kScheduled) {
      return {};
    }
    SIMEXIT_TRY(ApplyEvent(tx, t, TerminationEvent::kStartSettlement, kActor,
                           "scheduled date reached", now));
    return EnqueueStep(tx, JobKind::kSettle, t.id, "", now, now);
  }));
  Fault("start_termination:after_commit");
  return {};
}

Result<void> TerminationWorkflow::Settle(const std::string& termination_id) {
  const UnixSeconds now = ctx_.clock.Now();
  SIMEXIT_TRY(ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t, tx.GetTermination(termination_id));
    if (t.state != TerminationState::kSettling) {
      return {};
    }
    SIMEXIT_ASSIGN_OR_RETURN(LineRecord line, tx.GetLine(t.line_id));
    SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(t.operator_id));

    if (!t.settlement) {
      // First pass: fix the settlement and post it. The posting is unique per
      // termination, so this happens exactly once.
      const SettlementQuote quote = QuoteSettlement(
          LineBalances{line.main_balance, line.bonus_balance, line.outstanding_charges}, op.policy,
          t.channel);
      PostingRecord posting;
      posting.operator_id = t.operator_id;
      posting.line_id = t.line_id;
      posting.termination_id = t.id;
      posting.posting = SettlementPosting(t.line_id, t.operator_id, quote);
      posting.created_at = now;
      SIMEXIT_TRY(tx.InsertPosting(posting));
      line.main_balance = Money::Zero();
      line.bonus_balance = Money::Zero();
      line.outstanding_charges = quote.amount_due;
      line.updated_at = now;
      SIMEXIT_TRY(tx.UpdateLine(line));
      t.settlement = quote;
      SIMEXIT_TRY(tx.UpdateTermination(t));
      std::string detail = "charges " + quote.outstanding_charges.ToDecimalString() + ", fee " +
                           quote.fee.ToDecimalString() + ", refund " +
                           quote.refund.ToDecimalString() + ", due " +
                           quote.amount_due.ToDecimalString() + " KZT";
      SIMEXIT_TRY(RecordAction(tx, t, "settled", kActor, detail, now));
      // The refund is owed either way (it sits in refunds_payable); if the
      // policy changed since the request and no usable refund instruction
      // exists, the operator must contact the holder: say so in the trail.
      if (quote.refund.IsPositive() && (!t.refund || !op.policy.AllowsRefund(t.refund->method))) {
        SIMEXIT_TRY(RecordAction(
            tx, t, "refund_instruction_needed", kActor,
            quote.refund.ToDecimalString() +
                " KZT is owed to the holder but no refund method the policy allows was given",
            now));
      }
    }
    if (line.outstanding_charges.IsPositive()) {
      SIMEXIT_TRY(ApplyEvent(tx, t, TerminationEvent::kAwaitPayment, kActor,
                             line.outstanding_charges.ToDecimalString() + " KZT due", now));
      return EnqueueNotice(tx, t, Notice::kAwaitingPayment,
                           {{"amount", line.outstanding_charges.ToDecimalString()}}, std::nullopt,
                           now);
    }
    SIMEXIT_TRY(ApplyEvent(tx, t, TerminationEvent::kStartDeprovisioning, kActor, "", now));
    return EnqueueStep(tx, JobKind::kDeprovision, t.id, "", now, now);
  }));
  Fault("settle:after_commit");
  return {};
}

Result<void> TerminationWorkflow::Deprovision(const std::string& termination_id) {
  // What the network steps need, read in one transaction: under a bulk
  // closure many deprovision jobs run at once, and each transaction of theirs
  // may wait for a group commit (docs/bulk-terminations.md).
  struct Subject {
    TerminationRecord t;
    LineRecord line;
    OperatorRecord owner;
  };
  SIMEXIT_ASSIGN_OR_RETURN(Subject subject,
                           TransactValue<Subject>(ctx_.store, [&](StoreTx& tx) -> Result<Subject> {
                             Subject s;
                             SIMEXIT_ASSIGN_OR_RETURN(s.t, tx.GetTermination(termination_id));
                             if (s.t.state != TerminationState::kDeprovisioning) {
                               return s;
                             }
                             SIMEXIT_ASSIGN_OR_RETURN(s.line, tx.GetLine(s.t.line_id));
                             SIMEXIT_ASSIGN_OR_RETURN(s.owner, tx.GetOperator(s.t.operator_id));
                             return s;
                           }));
  const TerminationRecord& t = subject.t;
  if (t.state != TerminationState::kDeprovisioning) {
    return {};
  }
  if (subject.line.imsi.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_imsi",
                "the line has no IMSI: there is no subscriber to remove from the HLR");
  }
  const Imsi& imsi = subject.line.imsi;

  // Bar first, so the line is unusable even if the delete has to wait; an
  // unknown subscriber means an earlier run (or the operator) got there first.
  std::string detail;
  Result<void> barred = ctx_.hlr.Bar(imsi);
  if (!barred && barred.error().code != ErrorCode::kNotFound) {
    return barred;
  }
  Fault("deprovision:after_bar");
  // Detach from the serving MSC: deleting the subscriber in the HLR alone would
  // leave an attached SIM reachable. Not attached counts as done. The audit
  // trail says "msc_detached" only when an MSC really detached the subscriber:
  // not when no MSC is configured, nor when the SIM was not attached.
  bool detached = false;
  if (Vlr* vlr = ctx_.vlr_for ? ctx_.vlr_for(subject.owner.code) : nullptr; vlr != nullptr) {
    Result<void> expired = vlr->Expire(imsi);
    if (!expired && expired.error().code != ErrorCode::kNotFound) {
      return expired;
    }
    detached = expired.has_value();
    Fault("deprovision:after_expire");
  }
  Result<void> removed = ctx_.hlr.Remove(imsi);
  if (!removed && removed.error().code != ErrorCode::kNotFound) {
    return removed;
  }
  detail =
      removed ? "subscriber removed from the HLR" : "subscriber was already absent from the HLR";
  Fault("deprovision:after_remove");

  const UnixSeconds now = ctx_.clock.Now();
  SIMEXIT_TRY(ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord current, tx.GetTermination(termination_id));
    if (current.state != TerminationState::kDeprovisioning) {
      return {};
    }
    SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(current.operator_id));
    SIMEXIT_ASSIGN_OR_RETURN(LineRecord l, tx.GetLine(current.line_id));
    if (detached) {
      SIMEXIT_TRY(RecordAction(tx, current, "msc_detached", kActor,
                               "detached from the MSC (VLR record expired)", now));
    }
    SIMEXIT_TRY(RecordAction(tx, current, "hlr_removed", kActor, detail, now));
    SIMEXIT_TRY(ApplyEvent(tx, current, TerminationEvent::kComplete, kActor, "line closed", now));
    // Never shorter than the service-wide minimum, whatever the policy says.
    const int quarantine_days = std::max(op.policy.quarantine_days, ctx_.minimum_quarantine_days);
    const UnixSeconds release_at = now + static_cast<UnixSeconds>(quarantine_days) * 86400;
    l.status = LineStatus::kQuarantined;
    l.quarantine_until = release_at;
    l.updated_at = now;
    SIMEXIT_TRY(tx.UpdateLine(l));
    SIMEXIT_TRY(EnqueueStep(tx, JobKind::kIssueCertificate, current.id, "", now, now));
    return EnqueueStep(tx, JobKind::kReleaseNumber, current.id, "", release_at, now);
  }));
  Fault("deprovision:after_commit");
  return {};
}

Result<void> TerminationWorkflow::IssueCertificate(const std::string& termination_id) {
  const UnixSeconds now = ctx_.clock.Now();
  SIMEXIT_TRY(ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t, tx.GetTermination(termination_id));
    if (t.state != TerminationState::kTerminated) {
      return {};
    }
    SIMEXIT_ASSIGN_OR_RETURN(std::optional<CertificateRecord> existing,
                             tx.FindCertificateForTermination(t.id));
    if (existing) {
      return {};
    }
    SIMEXIT_ASSIGN_OR_RETURN(LineRecord line, tx.GetLine(t.line_id));
    SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(t.operator_id));
    SIMEXIT_ASSIGN_OR_RETURN(HolderRecord holder, tx.GetHolder(t.holder_id));

    // The terminated_at time is the moment of the `complete` event.
    UnixSeconds terminated_at = t.updated_at;
    SIMEXIT_ASSIGN_OR_RETURN(std::vector<TerminationEventRecord> events, tx.ListEvents(t.id));
    for (const TerminationEventRecord& e : events) {
      if (e.event == ToString(TerminationEvent::kComplete)) {
        terminated_at = e.at;
      }
    }
    CertificateBody body;
    body.serial = NewCertificateSerial(ctx_.random);  // unguessable: the verify page's key
    body.termination_id = t.id;
    body.operator_code = op.code;
    body.operator_name = op.name;
    body.msisdn = t.msisdn.e164();
    body.iccid = line.iccid.digits();
    body.holder_ref = HolderReference(ctx_.holder_ref_key, ToString(holder.document_kind),
                                      holder.document_number);
    body.terminated_at = FormatRfc3339(terminated_at);
    body.quarantine_until = FormatDate(line.quarantine_until.value_or(terminated_at));
    body.settlement = t.settlement ? SettlementAmounts(*t.settlement)
                                   : std::map<std::string, std::string>{{"currency", kCurrency}};
    SIMEXIT_ASSIGN_OR_RETURN(SignedCertificate signed_cert, ctx_.signer.Sign(body));
    CertificateRecord record;
    record.serial = body.serial;
    record.termination_id = t.id;
    record.operator_id = t.operator_id;
    record.document = signed_cert.ToDocument();
    record.created_at = now;
    SIMEXIT_TRY(tx.InsertCertificate(record));
    t.certificate_serial = body.serial;
    t.updated_at = now;
    SIMEXIT_TRY(tx.UpdateTermination(t));
    SIMEXIT_TRY(RecordAction(tx, t, "certificate_issued", kActor, body.serial, now));
    return EnqueueNotice(
        tx, t, Notice::kTerminated,
        {{"serial", body.serial}, {"url", ctx_.public_url + "/verify/" + body.serial}},
        std::nullopt, now);
  }));
  Fault("issue_certificate:after_commit");
  return {};
}

Result<void> TerminationWorkflow::SendReminder(const std::string& termination_id) {
  const UnixSeconds now = ctx_.clock.Now();
  return ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t, tx.GetTermination(termination_id));
    // Cancelled (or started early): nobody needs reminding.
    if (t.state != TerminationState::kScheduled || !t.scheduled_for) {
      return {};
    }
    return EnqueueNotice(tx, t, Notice::kReminder, {}, t.scheduled_for, now);
  });
}

Result<void> TerminationWorkflow::ReleaseNumber(const std::string& termination_id) {
  const UnixSeconds now = ctx_.clock.Now();
  return ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t, tx.GetTermination(termination_id));
    SIMEXIT_ASSIGN_OR_RETURN(LineRecord line, tx.GetLine(t.line_id));
    if (line.status != LineStatus::kQuarantined) {
      return {};
    }
    if (line.quarantine_until && *line.quarantine_until > now) {
      return Fail(ErrorCode::kUnavailable, "quarantine_not_over",
                  "quarantine lasts until " + FormatRfc3339(*line.quarantine_until));
    }
    line.status = LineStatus::kAvailable;
    line.holder_id = 0;
    line.updated_at = now;
    SIMEXIT_TRY(tx.UpdateLine(line));
    SIMEXIT_TRY(RecordAction(tx, t, "number_released", kActor,
                             "quarantine over; the number is back in the operator's pool", now));
    return PublishNumberReleased(tx, t, now);
  });
}

namespace {

// The outbox row a send_sms job names.
Result<std::int64_t> SmsIdOf(const std::string& payload) {
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(payload, ec);
  const boost::json::value* id =
      !ec && json.is_object() ? json.as_object().if_contains("sms_id") : nullptr;
  if (id == nullptr || !id->is_int64()) {
    return Fail(ErrorCode::kInvalidArgument, "bad_payload", "job payload has no integer 'sms_id'");
  }
  return id->as_int64();
}

}  // namespace

Result<void> TerminationWorkflow::SendSms(const std::string& payload) {
  SIMEXIT_ASSIGN_OR_RETURN(const std::int64_t id, SmsIdOf(payload));
  return outbox_->Send(id);
}

std::vector<Result<void>> TerminationWorkflow::RunBatch(JobKind kind,
                                                        const std::vector<std::string>& payloads) {
  std::vector<Result<void>> outcomes(payloads.size());
  if (kind != JobKind::kSendSms) {
    for (std::size_t i = 0; i < payloads.size(); ++i) {
      outcomes[i] = Run(kind, payloads[i]);
    }
    return outcomes;
  }
  std::vector<std::int64_t> ids;
  std::vector<std::size_t> index;  // in `payloads` of each id
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    Result<std::int64_t> id = SmsIdOf(payloads[i]);
    if (!id) {
      outcomes[i] = Fail(id.error());
      continue;
    }
    ids.push_back(*id);
    index.push_back(i);
  }
  std::vector<Result<void>> sent = outbox_->SendBatch(ids);
  for (std::size_t k = 0; k < sent.size(); ++k) {
    outcomes[index[k]] = std::move(sent[k]);
  }
  return outcomes;
}

Result<void> TerminationWorkflow::DeliverWebhook(const std::string& payload) {
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(payload, ec);
  const boost::json::value* id =
      !ec && json.is_object() ? json.as_object().if_contains("delivery_id") : nullptr;
  if (id == nullptr || !id->is_int64()) {
    return Fail(ErrorCode::kInvalidArgument, "bad_payload",
                "job payload has no integer 'delivery_id'");
  }
  return events_->Deliver(id->as_int64());
}

Result<void> TerminationWorkflow::ExpireConfirmation(const std::string& termination_id) {
  const UnixSeconds now = ctx_.clock.Now();
  return ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t, tx.GetTermination(termination_id));
    if (t.state != TerminationState::kSubmitted) {
      return {};  // confirmed, or ended otherwise
    }
    SIMEXIT_ASSIGN_OR_RETURN(std::optional<ConfirmationRecord> c,
                             tx.FindConfirmation(termination_id));
    if (!c || (c)->confirmed_at) {
      return {};
    }
    if ((c)->expires_at >= now) {
      return {};  // a resend moved the window; its own job comes later
    }
    t.reason_code = "confirmation_expired";
    t.reason = "the holder did not confirm within the time allowed";
    SIMEXIT_TRY(ApplyEvent(tx, t, TerminationEvent::kCancel, "worker", t.reason, now));
    return EnqueueNotice(tx, t, Notice::kCancelled, {}, std::nullopt, now);
  });
}

}  // namespace simexit
