#include "simexit/service/termination_service.hpp"

#include "simexit/domain/ledger.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/domain/refund_destination.hpp"
#include "simexit/service/workflow_steps.hpp"

namespace simexit {
namespace {

tl::unexpected<Error> LineNotFound() {
  return Fail(ErrorCode::kNotFound, "line_not_found", "no such line");
}

tl::unexpected<Error> TerminationNotFound() {
  return Fail(ErrorCode::kNotFound, "termination_not_found", "no such termination");
}

// Reads the line for `msisdn` if the caller may see it.
Result<LineView> LoadLine(StoreTx& tx, const Caller& caller, const Msisdn& msisdn) {
  Result<LineRecord> line = tx.GetLineByMsisdn(msisdn.e164());
  if (!line) {
    if (line.error().code == ErrorCode::kNotFound) return LineNotFound();
    return Fail(line.error());
  }
  if (!caller.MaySee(line->operator_id, line->msisdn, line->holder_id)) return LineNotFound();
  Result<OperatorRecord> op = tx.GetOperator(line->operator_id);
  if (!op) return Fail(op.error());
  Result<std::optional<TerminationRecord>> open = tx.FindOpenTermination(line->id);
  if (!open) return Fail(open.error());
  return LineView{std::move(*line), std::move(*op), std::move(*open)};
}

Result<TerminationRecord> LoadTermination(StoreTx& tx, const Caller& caller,
                                          const std::string& id) {
  Result<TerminationRecord> t = tx.GetTermination(id);
  if (!t) {
    if (t.error().code == ErrorCode::kNotFound) return TerminationNotFound();
    return Fail(t.error());
  }
  if (!caller.MaySee(t->operator_id, t->msisdn, t->holder_id)) return TerminationNotFound();
  return t;
}

// Undoes a settlement posting of a termination that will not go ahead.
Result<void> ReverseSettlement(StoreTx& tx, const TerminationRecord& t, UnixSeconds now) {
  Result<std::vector<PostingRecord>> postings = tx.ListPostings(t.line_id);
  if (!postings) return Fail(postings.error());
  for (const PostingRecord& p : *postings) {
    if (p.termination_id != t.id || p.posting.kind != kSettlementPosting) continue;
    PostingRecord reversal = p;
    reversal.id = 0;
    reversal.posting.kind = "settlement_reversal";
    for (LedgerEntry& e : reversal.posting.entries) e.amount = -e.amount;
    reversal.created_at = now;
    if (Result<std::int64_t> r = tx.InsertPosting(reversal); !r) return Fail(r.error());
  }
  Result<LineRecord> line = tx.GetLine(t.line_id);
  if (!line) return Fail(line.error());
  line->main_balance = t.settlement->main_balance;
  line->bonus_balance = t.settlement->bonus_balance;
  line->outstanding_charges = t.settlement->outstanding_charges;
  line->updated_at = now;
  if (Result<void> r = tx.UpdateLine(*line); !r) return r;
  return RecordAction(tx, t, "settlement_reversed", "system",
                      "the settlement was reversed; the line keeps its balances", now);
}

// After approval: wait for the scheduled date, or start settling now.
Result<void> ContinueAfterApproval(StoreTx& tx, TerminationRecord& t, const std::string& actor,
                                   UnixSeconds now) {
  if (t.scheduled_for && *t.scheduled_for > now) {
    if (Result<void> r = ApplyEvent(tx, t, TerminationEvent::kSchedule, actor,
                                    "runs at " + FormatRfc3339(*t.scheduled_for), now);
        !r) {
      return r;
    }
    if (Result<void> r = EnqueueStep(tx, kJobStartTermination, t.id, "", *t.scheduled_for, now);
        !r) {
      return r;
    }
    if (*t.scheduled_for - 86400 > now) {
      if (Result<void> r =
              EnqueueStep(tx, kJobSendReminder, t.id, "", *t.scheduled_for - 86400, now);
          !r) {
        return r;
      }
    }
    return EnqueueNotice(tx, t, Notice::kScheduled, {}, t.scheduled_for, now);
  }
  if (Result<void> r = ApplyEvent(tx, t, TerminationEvent::kStartSettlement, "policy", "", now);
      !r) {
    return r;
  }
  return EnqueueStep(tx, kJobSettle, t.id, "", now, now);
}

LineBalances BalancesOf(const LineRecord& line) {
  return LineBalances{line.main_balance, line.bonus_balance, line.outstanding_charges};
}

}  // namespace

Result<LineView> TerminationService::GetLine(const Caller& caller,
                                             const std::string& msisdn_text) {
  Result<Msisdn> msisdn = Msisdn::Parse(msisdn_text);
  if (!msisdn) return Fail(msisdn.error());
  return TransactValue<LineView>(ctx_.store,
                                 [&](StoreTx& tx) { return LoadLine(tx, caller, *msisdn); });
}

Result<QuoteView> TerminationService::Quote(const Caller& caller,
                                            const std::string& msisdn_text, Channel channel) {
  Result<LineView> view = GetLine(caller, msisdn_text);
  if (!view) return Fail(view.error());
  SettlementQuote quote = QuoteSettlement(BalancesOf(view->line), view->op.policy, channel);
  return QuoteView{std::move(*view), quote};
}

Result<CreatedTermination> TerminationService::Create(
    const Caller& caller, const CreateTerminationRequest& request,
    const std::optional<IdempotencyKey>& idempotency) {
  // Everything that can be checked without the database is checked first.
  Result<Msisdn> msisdn = Msisdn::Parse(request.msisdn);
  if (!msisdn) return Fail(msisdn.error());
  std::optional<Channel> channel = ParseChannel(request.channel);
  if (!channel) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_channel",
                "channel must be one of online, store, proxy, phone, mail");
  }
  if (caller.kind == CallerKind::kHolder && *channel != Channel::kOnline) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_channel",
                "a holder signed in by SMS code can only use the online channel");
  }
  const UnixSeconds now = ctx_.clock.Now();
  std::optional<UnixSeconds> scheduled_for;
  if (request.scheduled_for) {
    UnixSeconds at = 0;
    if (!ParseRfc3339(*request.scheduled_for, &at)) {
      return Fail(ErrorCode::kInvalidArgument, "invalid_schedule",
                  "scheduled_for must be an RFC 3339 time (2026-12-01T09:00:00+05:00) or a date");
    }
    if (at <= now) {
      return Fail(ErrorCode::kInvalidArgument, "invalid_schedule",
                  "scheduled_for must be in the future");
    }
    if (at > now + 366 * 86400) {
      return Fail(ErrorCode::kInvalidArgument, "invalid_schedule",
                  "scheduled_for may be at most a year ahead");
    }
    scheduled_for = at;
  }
  std::optional<RefundInstruction> refund;
  if (request.refund) {
    std::optional<RefundMethod> method = ParseRefundMethod(request.refund->method);
    if (!method) {
      return Fail(ErrorCode::kInvalidArgument, "invalid_refund",
                  "refund.method must be one of bank_card, iban, other_line");
    }
    Result<std::string> destination =
        NormaliseRefundDestination(*method, request.refund->destination);
    if (!destination) return Fail(destination.error());
    if (*method == RefundMethod::kOtherLine && *destination == msisdn->e164()) {
      return Fail(ErrorCode::kInvalidArgument, "invalid_refund",
                  "the refund cannot go to the line being closed");
    }
    refund = RefundInstruction{*method, *destination};
  }

  return TransactValue<CreatedTermination>(
      ctx_.store, [&](StoreTx& tx) -> Result<CreatedTermination> {
        if (idempotency) {
          Result<std::optional<IdempotencyRecord>> seen =
              tx.FindIdempotency(idempotency->scope, idempotency->key);
          if (!seen) return Fail(seen.error());
          if (*seen) {
            if ((*seen)->request_hash != idempotency->request_hash) {
              return Fail(ErrorCode::kFailedPrecondition, "idempotency_key_reused",
                          "this Idempotency-Key was used with a different request");
            }
            Result<TerminationRecord> first = tx.GetTermination((*seen)->response_body);
            if (!first) return Fail(first.error());
            return CreatedTermination{std::move(*first), true};
          }
        }
        Result<LineView> view = LoadLine(tx, caller, *msisdn);
        if (!view) return Fail(view.error());
        const Policy& policy = view->op.policy;
        if (!policy.AllowsChannel(*channel)) {
          return Fail(ErrorCode::kPermissionDenied, "channel_not_allowed",
                      std::string("the operator does not accept terminations through the ") +
                          ToString(*channel) + " channel");
        }
        if (view->line.status != LineStatus::kActive &&
            view->line.status != LineStatus::kBarred) {
          return Fail(ErrorCode::kFailedPrecondition, "line_not_active",
                      std::string("the line is ") + ToString(view->line.status));
        }
        if (view->open_termination) {
          return Fail(ErrorCode::kFailedPrecondition, "termination_exists",
                      "the line already has an open termination " + view->open_termination->id);
        }
        const SettlementQuote quote = QuoteSettlement(BalancesOf(view->line), policy, *channel);
        if (*channel == Channel::kOnline && quote.amount_due.IsPositive() &&
            !policy.allow_debt_online) {
          return Fail(ErrorCode::kFailedPrecondition, "debt_outstanding",
                      "the line owes " + quote.amount_due.ToDecimalString() +
                          " KZT; pay it or close the line in a store");
        }
        if (quote.refund.IsPositive() && !refund) {
          return Fail(ErrorCode::kFailedPrecondition, "refund_method_required",
                      "the line has " + quote.refund.ToDecimalString() +
                          " KZT to refund: give refund.method and refund.destination");
        }
        if (refund && !policy.AllowsRefund(refund->method)) {
          return Fail(ErrorCode::kInvalidArgument, "invalid_refund",
                      std::string("the operator does not refund by ") +
                          ToString(refund->method));
        }

        TerminationRecord t;
        t.id = "trm_" + ctx_.random.Hex(12);
        t.operator_id = view->line.operator_id;
        t.line_id = view->line.id;
        t.holder_id = view->line.holder_id;
        t.msisdn = view->line.msisdn;
        t.channel = *channel;
        t.state = TerminationState::kSubmitted;
        t.scheduled_for = scheduled_for;
        t.refund = refund;
        t.requested_by = caller.actor;
        t.reason = request.reason;
        t.created_at = now;
        t.updated_at = now;
        if (Result<void> r = tx.InsertTermination(t); !r) return Fail(r.error());
        if (Result<void> r = RecordAction(tx, t, "created", caller.actor, "", now); !r) {
          return Fail(r.error());
        }
        // Identity is proven by the caller's credential: the holder's SMS code
        // for online, the operator's own authenticated channel otherwise.
        const std::string proof = caller.kind == CallerKind::kHolder
                                      ? "holder proved possession of the line by SMS code"
                                      : "requested by an authenticated operator system";
        if (Result<void> r = ApplyEvent(tx, t, TerminationEvent::kVerify, caller.actor, proof, now);
            !r) {
          return Fail(r.error());
        }
        if (policy.NeedsReview(*channel)) {
          if (Result<void> r = ApplyEvent(tx, t, TerminationEvent::kSendToReview, caller.actor,
                                          "the operator's policy asks for review", now);
              !r) {
            return Fail(r.error());
          }
        } else {
          if (Result<void> r = ApplyEvent(tx, t, TerminationEvent::kApprove, "policy",
                                          "no review required for this channel", now);
              !r) {
            return Fail(r.error());
          }
          if (Result<void> r = ContinueAfterApproval(tx, t, caller.actor, now); !r) {
            return Fail(r.error());
          }
        }
        if (!scheduled_for) {
          if (Result<void> r = EnqueueNotice(tx, t, Notice::kReceived, {}, std::nullopt, now); !r) {
            return Fail(r.error());
          }
        }
        if (idempotency) {
          IdempotencyRecord record{idempotency->scope, idempotency->key,
                                   idempotency->request_hash, 201, t.id, now};
          if (Result<void> r = tx.InsertIdempotency(record); !r) return Fail(r.error());
        }
        return CreatedTermination{std::move(t), false};
      });
}

Result<TerminationDetail> TerminationService::Get(const Caller& caller, const std::string& id) {
  return TransactValue<TerminationDetail>(
      ctx_.store, [&](StoreTx& tx) -> Result<TerminationDetail> {
        Result<TerminationRecord> t = LoadTermination(tx, caller, id);
        if (!t) return Fail(t.error());
        Result<std::vector<TerminationEventRecord>> events = tx.ListEvents(id);
        if (!events) return Fail(events.error());
        Result<std::optional<CertificateRecord>> cert = tx.FindCertificateForTermination(id);
        if (!cert) return Fail(cert.error());
        return TerminationDetail{std::move(*t), std::move(*events), std::move(*cert)};
      });
}

Result<TerminationRecord> TerminationService::Cancel(const Caller& caller, const std::string& id,
                                                     const std::string& reason) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<TerminationRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<TerminationRecord> {
        Result<TerminationRecord> t = LoadTermination(tx, caller, id);
        if (!t) return Fail(t.error());
        if (!IsCancellable(t->state)) {
          return Fail(ErrorCode::kFailedPrecondition, "illegal_transition",
                      std::string("a termination that is ") + ToString(t->state) +
                          " can no longer be cancelled");
        }
        if (t->state == TerminationState::kAwaitingPayment && t->settlement) {
          // The settlement was already posted: reverse it so the line keeps
          // exactly the balances it had, and the ledger stays balanced.
          if (Result<void> r = ReverseSettlement(tx, *t, now); !r) return Fail(r.error());
        }
        t->reason = reason;
        if (Result<void> r = ApplyEvent(tx, *t, TerminationEvent::kCancel, caller.actor,
                                        reason.empty() ? "cancelled" : reason, now);
            !r) {
          return Fail(r.error());
        }
        if (Result<void> r = EnqueueNotice(tx, *t, Notice::kCancelled, {}, std::nullopt, now); !r) {
          return Fail(r.error());
        }
        return t;
      });
}

Result<TerminationRecord> TerminationService::Review(const Caller& caller, const std::string& id,
                                                     bool approve, const std::string& reason) {
  if (caller.kind != CallerKind::kOperator && caller.kind != CallerKind::kAdmin) {
    return TerminationNotFound();
  }
  if (!approve && reason.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "reason_required",
                "a rejection needs a reason the holder can read");
  }
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<TerminationRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<TerminationRecord> {
        Result<TerminationRecord> t = LoadTermination(tx, caller, id);
        if (!t) return Fail(t.error());
        if (t->state != TerminationState::kInReview) {
          return Fail(ErrorCode::kFailedPrecondition, "illegal_transition",
                      std::string("a termination that is ") + ToString(t->state) +
                          " is not waiting for review");
        }
        if (!approve) {
          t->reason = reason;
          if (Result<void> r =
                  ApplyEvent(tx, *t, TerminationEvent::kReject, caller.actor, reason, now);
              !r) {
            return Fail(r.error());
          }
          if (Result<void> r = EnqueueNotice(tx, *t, Notice::kRejected, {{"reason", reason}}, std::nullopt,
                                             now);
              !r) {
            return Fail(r.error());
          }
          return t;
        }
        if (Result<void> r = ApplyEvent(tx, *t, TerminationEvent::kApprove, caller.actor,
                                        reason.empty() ? "approved on review" : reason, now);
            !r) {
          return Fail(r.error());
        }
        if (Result<void> r = ContinueAfterApproval(tx, *t, caller.actor, now); !r) {
          return Fail(r.error());
        }
        return t;
      });
}

Result<TerminationRecord> TerminationService::RecordPayment(const Caller& caller,
                                                            const std::string& id, Money amount) {
  if (caller.kind == CallerKind::kHolder) return TerminationNotFound();
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<TerminationRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<TerminationRecord> {
        Result<TerminationRecord> t = LoadTermination(tx, caller, id);
        if (!t) return Fail(t.error());
        if (t->state != TerminationState::kAwaitingPayment || !t->settlement) {
          return Fail(ErrorCode::kFailedPrecondition, "illegal_transition",
                      std::string("a termination that is ") + ToString(t->state) +
                          " is not waiting for a payment");
        }
        if (amount != t->settlement->amount_due) {
          return Fail(ErrorCode::kInvalidArgument, "wrong_amount",
                      "the amount due is " + t->settlement->amount_due.ToDecimalString() +
                          " KZT");
        }
        PostingRecord posting;
        posting.operator_id = t->operator_id;
        posting.line_id = t->line_id;
        posting.termination_id = t->id;
        posting.posting = PaymentPosting(t->line_id, t->operator_id, amount);
        posting.created_at = now;
        if (Result<std::int64_t> r = tx.InsertPosting(posting); !r) return Fail(r.error());
        Result<LineRecord> line = tx.GetLine(t->line_id);
        if (!line) return Fail(line.error());
        line->outstanding_charges = Money::Zero();
        line->updated_at = now;
        if (Result<void> r = tx.UpdateLine(*line); !r) return Fail(r.error());
        if (Result<void> r = ApplyEvent(tx, *t, TerminationEvent::kPaymentReceived, caller.actor,
                                        "paid " + amount.ToDecimalString() + " KZT", now);
            !r) {
          return Fail(r.error());
        }
        if (Result<void> r = EnqueueStep(tx, kJobSettle, t->id, "after_payment", now, now); !r) {
          return Fail(r.error());
        }
        return t;
      });
}

Result<CertificateRecord> TerminationService::Certificate(const Caller& caller,
                                                          const std::string& id) {
  return TransactValue<CertificateRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<CertificateRecord> {
        Result<TerminationRecord> t = LoadTermination(tx, caller, id);
        if (!t) return Fail(t.error());
        Result<std::optional<CertificateRecord>> cert = tx.FindCertificateForTermination(id);
        if (!cert) return Fail(cert.error());
        if (!*cert) {
          return Fail(ErrorCode::kFailedPrecondition, "certificate_not_ready",
                      std::string("the termination is ") + ToString(t->state) +
                          "; the certificate is issued once the line is terminated");
        }
        return std::move(**cert);
      });
}

Result<std::vector<TerminationRecord>> TerminationService::List(
    const Caller& caller, std::optional<TerminationState> state, int limit) {
  TerminationFilter filter;
  filter.state = state;
  filter.limit = limit;
  if (caller.IsStaffOrOperator()) filter.operator_id = caller.operator_id;
  if (caller.kind == CallerKind::kHolder) filter.msisdn = caller.msisdn;
  return TransactValue<std::vector<TerminationRecord>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::vector<TerminationRecord>> {
        Result<std::vector<TerminationRecord>> all = tx.ListTerminations(filter);
        if (!all) return all;
        std::vector<TerminationRecord> visible;
        for (TerminationRecord& t : *all) {
          if (caller.MaySee(t.operator_id, t.msisdn, t.holder_id)) visible.push_back(std::move(t));
        }
        return visible;
      });
}

}  // namespace simexit
