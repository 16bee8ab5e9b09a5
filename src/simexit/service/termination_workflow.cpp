#include "simexit/service/termination_workflow.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "simexit/certificate/certificate.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/ledger.hpp"
#include "simexit/domain/settlement.hpp"
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
    : ctx_(ctx), fault_(fault), outbox_(std::make_unique<SmsOutbox>(ctx, std::move(fault))) {}

TerminationWorkflow::~TerminationWorkflow() = default;

Result<void> TerminationWorkflow::Run(JobKind kind, const std::string& payload) {
  if (kind == JobKind::kSendSms) {
    return SendSms(payload);
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
  }
  return Fail(ErrorCode::kInternal, "unknown_job",
              "job kind " + std::to_string(static_cast<int>(kind)) + " is out of range");
}

Result<void> TerminationWorkflow::StartScheduled(const std::string& termination_id) {
  const UnixSeconds now = ctx_.clock.Now();
  Result<void> done = ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    Result<TerminationRecord> t = tx.GetTermination(termination_id);
    if (!t) {
      return Fail(t.error());
    }
    // Cancelled meanwhile (or already started): nothing to do.
    if (t->state != TerminationState::kScheduled) {
      return {};
    }
    if (Result<void> r = ApplyEvent(tx, *t, TerminationEvent::kStartSettlement, kActor,
                                    "scheduled date reached", now);
        !r) {
      return r;
    }
    return EnqueueStep(tx, JobKind::kSettle, t->id, "", now, now);
  });
  if (!done) {
    return done;
  }
  Fault("start_termination:after_commit");
  return {};
}

Result<void> TerminationWorkflow::Settle(const std::string& termination_id) {
  const UnixSeconds now = ctx_.clock.Now();
  Result<void> done = ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    Result<TerminationRecord> t = tx.GetTermination(termination_id);
    if (!t) {
      return Fail(t.error());
    }
    if (t->state != TerminationState::kSettling) {
      return {};
    }
    Result<LineRecord> line = tx.GetLine(t->line_id);
    if (!line) {
      return Fail(line.error());
    }
    Result<OperatorRecord> op = tx.GetOperator(t->operator_id);
    if (!op) {
      return Fail(op.error());
    }

    if (!t->settlement) {
      // First pass: fix the settlement and post it. The posting is unique per
      // termination, so this happens exactly once.
      const SettlementQuote quote = QuoteSettlement(
          LineBalances{line->main_balance, line->bonus_balance, line->outstanding_charges},
          op->policy, t->channel);
      PostingRecord posting;
      posting.operator_id = t->operator_id;
      posting.line_id = t->line_id;
      posting.termination_id = t->id;
      posting.posting = SettlementPosting(t->line_id, t->operator_id, quote);
      posting.created_at = now;
      if (Result<std::int64_t> r = tx.InsertPosting(posting); !r) {
        return Fail(r.error());
      }
      line->main_balance = Money::Zero();
      line->bonus_balance = Money::Zero();
      line->outstanding_charges = quote.amount_due;
      line->updated_at = now;
      if (Result<void> r = tx.UpdateLine(*line); !r) {
        return r;
      }
      t->settlement = quote;
      if (Result<void> r = tx.UpdateTermination(*t); !r) {
        return r;
      }
      std::string detail = "charges " + quote.outstanding_charges.ToDecimalString() + ", fee " +
                           quote.fee.ToDecimalString() + ", refund " +
                           quote.refund.ToDecimalString() + ", due " +
                           quote.amount_due.ToDecimalString() + " KZT";
      if (Result<void> r = RecordAction(tx, *t, "settled", kActor, detail, now); !r) {
        return r;
      }
      // The refund is owed either way (it sits in refunds_payable); if the
      // policy changed since the request and no usable refund instruction
      // exists, the operator must contact the holder: say so in the trail.
      if (quote.refund.IsPositive() &&
          (!t->refund || !op->policy.AllowsRefund(t->refund->method))) {
        if (Result<void> r = RecordAction(
                tx, *t, "refund_instruction_needed", kActor,
                quote.refund.ToDecimalString() +
                    " KZT is owed to the holder but no refund method the policy allows was given",
                now);
            !r) {
          return r;
        }
      }
    }
    if (line->outstanding_charges.IsPositive()) {
      if (Result<void> r =
              ApplyEvent(tx, *t, TerminationEvent::kAwaitPayment, kActor,
                         line->outstanding_charges.ToDecimalString() + " KZT due", now);
          !r) {
        return r;
      }
      return EnqueueNotice(tx, *t, Notice::kAwaitingPayment,
                           {{"amount", line->outstanding_charges.ToDecimalString()}}, std::nullopt,
                           now);
    }
    if (Result<void> r =
            ApplyEvent(tx, *t, TerminationEvent::kStartDeprovisioning, kActor, "", now);
        !r) {
      return r;
    }
    return EnqueueStep(tx, JobKind::kDeprovision, t->id, "", now, now);
  });
  if (!done) {
    return done;
  }
  Fault("settle:after_commit");
  return {};
}

Result<void> TerminationWorkflow::Deprovision(const std::string& termination_id) {
  Result<TerminationRecord> t = TransactValue<TerminationRecord>(
      ctx_.store, [&](StoreTx& tx) { return tx.GetTermination(termination_id); });
  if (!t) {
    return Fail(t.error());
  }
  if (t->state != TerminationState::kDeprovisioning) {
    return {};
  }
  Result<LineRecord> line =
      TransactValue<LineRecord>(ctx_.store, [&](StoreTx& tx) { return tx.GetLine(t->line_id); });
  if (!line) {
    return Fail(line.error());
  }
  Result<Imsi> imsi = Imsi::Parse(line->imsi);
  if (!imsi) {
    return Fail(imsi.error());
  }

  // Bar first, so the line is unusable even if the delete has to wait; an
  // unknown subscriber means an earlier run (or the operator) got there first.
  std::string detail;
  Result<void> barred = ctx_.hlr.Bar(*imsi);
  if (!barred && barred.error().code != ErrorCode::kNotFound) {
    return barred;
  }
  Fault("deprovision:after_bar");
  // Detach from the serving MSC: deleting the subscriber in the HLR alone would
  // leave an attached SIM reachable. Not attached counts as done. The audit
  // trail says "msc_detached" only when an MSC really detached the subscriber:
  // not when no MSC is configured, nor when the SIM was not attached.
  bool detached = false;
  Result<OperatorRecord> owner = TransactValue<OperatorRecord>(
      ctx_.store, [&](StoreTx& tx) { return tx.GetOperator(t->operator_id); });
  if (!owner) {
    return Fail(owner.error());
  }
  if (Vlr* vlr = ctx_.vlr_for ? ctx_.vlr_for(owner->code) : nullptr; vlr != nullptr) {
    Result<void> expired = vlr->Expire(*imsi);
    if (!expired && expired.error().code != ErrorCode::kNotFound) {
      return expired;
    }
    detached = expired.has_value();
    Fault("deprovision:after_expire");
  }
  Result<void> removed = ctx_.hlr.Remove(*imsi);
  if (!removed && removed.error().code != ErrorCode::kNotFound) {
    return removed;
  }
  detail =
      removed ? "subscriber removed from the HLR" : "subscriber was already absent from the HLR";
  Fault("deprovision:after_remove");

  const UnixSeconds now = ctx_.clock.Now();
  Result<void> done = ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    Result<TerminationRecord> current = tx.GetTermination(termination_id);
    if (!current) {
      return Fail(current.error());
    }
    if (current->state != TerminationState::kDeprovisioning) {
      return {};
    }
    Result<OperatorRecord> op = tx.GetOperator(current->operator_id);
    if (!op) {
      return Fail(op.error());
    }
    Result<LineRecord> l = tx.GetLine(current->line_id);
    if (!l) {
      return Fail(l.error());
    }
    if (detached) {
      SIMEXIT_TRY(RecordAction(tx, *current, "msc_detached", kActor,
                               "detached from the MSC (VLR record expired)", now));
    }
    if (Result<void> r = RecordAction(tx, *current, "hlr_removed", kActor, detail, now); !r) {
      return r;
    }
    if (Result<void> r =
            ApplyEvent(tx, *current, TerminationEvent::kComplete, kActor, "line closed", now);
        !r) {
      return r;
    }
    const UnixSeconds release_at =
        now + static_cast<UnixSeconds>(op->policy.quarantine_days) * 86400;
    l->status = LineStatus::kQuarantined;
    l->quarantine_until = release_at;
    l->updated_at = now;
    if (Result<void> r = tx.UpdateLine(*l); !r) {
      return r;
    }
    if (Result<void> r = EnqueueStep(tx, JobKind::kIssueCertificate, current->id, "", now, now);
        !r) {
      return r;
    }
    return EnqueueStep(tx, JobKind::kReleaseNumber, current->id, "", release_at, now);
  });
  if (!done) {
    return done;
  }
  Fault("deprovision:after_commit");
  return {};
}

Result<void> TerminationWorkflow::IssueCertificate(const std::string& termination_id) {
  const UnixSeconds now = ctx_.clock.Now();
  Result<void> done = ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    Result<TerminationRecord> t = tx.GetTermination(termination_id);
    if (!t) {
      return Fail(t.error());
    }
    if (t->state != TerminationState::kTerminated) {
      return {};
    }
    Result<std::optional<CertificateRecord>> existing = tx.FindCertificateForTermination(t->id);
    if (!existing) {
      return Fail(existing.error());
    }
    if (*existing) {
      return {};
    }
    Result<LineRecord> line = tx.GetLine(t->line_id);
    if (!line) {
      return Fail(line.error());
    }
    Result<OperatorRecord> op = tx.GetOperator(t->operator_id);
    if (!op) {
      return Fail(op.error());
    }
    Result<HolderRecord> holder = tx.GetHolder(t->holder_id);
    if (!holder) {
      return Fail(holder.error());
    }
    Result<std::int64_t> seq = tx.NextSequence("certificate");
    if (!seq) {
      return Fail(seq.error());
    }

    // The terminated_at time is the moment of the `complete` event.
    UnixSeconds terminated_at = t->updated_at;
    Result<std::vector<TerminationEventRecord>> events = tx.ListEvents(t->id);
    if (!events) {
      return Fail(events.error());
    }
    for (const TerminationEventRecord& e : *events) {
      if (e.event == ToString(TerminationEvent::kComplete)) {
        terminated_at = e.at;
      }
    }
    CertificateBody body;
    body.serial = fmt::format("SX-{}-{:06}", FormatDate(terminated_at).substr(0, 4), *seq);
    body.termination_id = t->id;
    body.operator_code = op->code;
    body.operator_name = op->name;
    body.msisdn = t->msisdn;
    body.iccid = line->iccid;
    body.holder_ref = HolderReference(ctx_.holder_ref_key, ToString(holder->document_kind),
                                      holder->document_number);
    body.terminated_at = FormatRfc3339(terminated_at);
    body.quarantine_until = FormatDate(line->quarantine_until.value_or(terminated_at));
    body.settlement = t->settlement ? SettlementAmounts(*t->settlement)
                                    : std::map<std::string, std::string>{{"currency", kCurrency}};
    Result<SignedCertificate> signed_cert = ctx_.signer.Sign(body);
    if (!signed_cert) {
      return Fail(signed_cert.error());
    }
    CertificateRecord record;
    record.serial = body.serial;
    record.termination_id = t->id;
    record.operator_id = t->operator_id;
    record.document = signed_cert->ToDocument();
    record.created_at = now;
    if (Result<void> r = tx.InsertCertificate(record); !r) {
      return r;
    }
    t->certificate_serial = body.serial;
    t->updated_at = now;
    if (Result<void> r = tx.UpdateTermination(*t); !r) {
      return r;
    }
    if (Result<void> r = RecordAction(tx, *t, "certificate_issued", kActor, body.serial, now); !r) {
      return r;
    }
    return EnqueueNotice(tx, *t, Notice::kTerminated,
                         {{"serial", body.serial},
                          {"url", ctx_.public_url + "/v1/terminations/" + t->id + "/certificate"}},
                         std::nullopt, now);
  });
  if (!done) {
    return done;
  }
  Fault("issue_certificate:after_commit");
  return {};
}

Result<void> TerminationWorkflow::SendReminder(const std::string& termination_id) {
  const UnixSeconds now = ctx_.clock.Now();
  return ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    Result<TerminationRecord> t = tx.GetTermination(termination_id);
    if (!t) {
      return Fail(t.error());
    }
    // Cancelled (or started early): nobody needs reminding.
    if (t->state != TerminationState::kScheduled || !t->scheduled_for) {
      return {};
    }
    return EnqueueNotice(tx, *t, Notice::kReminder, {}, t->scheduled_for, now);
  });
}

Result<void> TerminationWorkflow::ReleaseNumber(const std::string& termination_id) {
  const UnixSeconds now = ctx_.clock.Now();
  return ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    Result<TerminationRecord> t = tx.GetTermination(termination_id);
    if (!t) {
      return Fail(t.error());
    }
    Result<LineRecord> line = tx.GetLine(t->line_id);
    if (!line) {
      return Fail(line.error());
    }
    if (line->status != LineStatus::kQuarantined) {
      return {};
    }
    if (line->quarantine_until && *line->quarantine_until > now) {
      return Fail(ErrorCode::kUnavailable, "quarantine_not_over",
                  "quarantine lasts until " + FormatRfc3339(*line->quarantine_until));
    }
    line->status = LineStatus::kAvailable;
    line->holder_id = 0;
    line->updated_at = now;
    if (Result<void> r = tx.UpdateLine(*line); !r) {
      return r;
    }
    return RecordAction(tx, *t, "number_released", kActor,
                        "quarantine over; the number is back in the operator's pool", now);
  });
}

Result<void> TerminationWorkflow::SendSms(const std::string& payload) {
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(payload, ec);
  const boost::json::value* id =
      !ec && json.is_object() ? json.as_object().if_contains("sms_id") : nullptr;
  if (id == nullptr || !id->is_int64()) {
    return Fail(ErrorCode::kInvalidArgument, "bad_payload", "job payload has no integer 'sms_id'");
  }
  return outbox_->Send(id->as_int64());
}

Result<void> TerminationWorkflow::ExpireConfirmation(const std::string& termination_id) {
  const UnixSeconds now = ctx_.clock.Now();
  return ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    Result<TerminationRecord> t = tx.GetTermination(termination_id);
    if (!t) {
      return Fail(t.error());
    }
    if (t->state != TerminationState::kSubmitted) {
      return {};  // confirmed, or ended otherwise
    }
    Result<std::optional<ConfirmationRecord>> c = tx.FindConfirmation(termination_id);
    if (!c) {
      return Fail(c.error());
    }
    if (!*c || (*c)->confirmed_at) {
      return {};
    }
    if ((*c)->expires_at >= now) {
      return {};  // a resend moved the window; its own job comes later
    }
    t->reason_code = "confirmation_expired";
    t->reason = "the holder did not confirm within the time allowed";
    if (Result<void> r = ApplyEvent(tx, *t, TerminationEvent::kCancel, "worker", t->reason, now);
        !r) {
      return r;
    }
    return EnqueueNotice(tx, *t, Notice::kCancelled, {}, std::nullopt, now);
  });
}

}  // namespace simexit
