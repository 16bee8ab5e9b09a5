#include "simexit/service/termination_service.hpp"

#include <map>

#include "simexit/common/crypto.hpp"
#include "simexit/domain/ledger.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/domain/refund_destination.hpp"
#include "simexit/domain/review.hpp"
#include "simexit/service/channel_evidence.hpp"
#include "simexit/service/sms_outbox.hpp"
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
  std::optional<HolderRecord> holder;
  if (line->holder_id != 0) {
    Result<HolderRecord> h = tx.GetHolder(line->holder_id);
    if (!h) return Fail(h.error());
    holder = std::move(*h);
  }
  return LineView{std::move(*line), std::move(*op), std::move(*open), std::move(holder)};
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

tl::unexpected<Error> InsufficientRole(const Caller& caller, const char* what) {
  return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
              std::string("the ") + ToString(caller.role) + " role cannot " + what);
}

// A request whose identity is proven: verified, then to review or approved
// (and on to settling or its date). Mail is always reviewed.
Result<void> VerifyAndRoute(StoreTx& tx, TerminationRecord& t, const Policy& policy,
                            const std::string& proof, const std::string& actor,
                            UnixSeconds now) {
  if (Result<void> r = ApplyEvent(tx, t, TerminationEvent::kVerify, actor, proof, now); !r) {
    return r;
  }
  if (policy.NeedsReview(t.channel) || t.channel == Channel::kMail) {
    t.review_since = now;
    return ApplyEvent(tx, t, TerminationEvent::kSendToReview, actor,
                      t.channel == Channel::kMail ? "posted applications are always reviewed"
                                                  : "the operator's policy asks for review",
                      now);
  }
  if (Result<void> r = ApplyEvent(tx, t, TerminationEvent::kApprove, "policy",
                                  "no review required for this channel", now);
      !r) {
    return r;
  }
  return ContinueAfterApproval(tx, t, actor, now);
}

std::string ConfirmationCodeHash(const std::string& salt, const std::string& code) {
  return HashHex(salt + ":" + code);
}

// A fresh code and link token for a phone request (replacing any earlier
// one), and the job that expires the request when the window passes.
// Returns {code, token}; only their hashes are stored.
Result<std::pair<std::string, std::string>> NewConfirmation(StoreTx& tx, Random& random,
                                                           const TerminationRecord& t,
                                                           int minutes, const OtpPolicy& otp,
                                                           UnixSeconds now) {
  std::string code;
  for (int i = 0; i < otp.length; ++i) code += static_cast<char>('0' + random.Uniform(10));
  const std::string token = "cf_" + random.Hex(16);
  Result<std::optional<ConfirmationRecord>> existing = tx.FindConfirmation(t.id);
  if (!existing) return Fail(existing.error());
  ConfirmationRecord c;
  c.termination_id = t.id;
  c.salt = random.Hex(16);
  c.code_hash = ConfirmationCodeHash(c.salt, code);
  c.link_token_hash = HashHex(token);
  c.created_at = now;
  c.expires_at = now + minutes * 60;
  c.max_attempts = otp.max_attempts;
  if (*existing) {
    if (Result<void> r = tx.UpdateConfirmation(c); !r) return Fail(r.error());
  } else {
    if (Result<void> r = tx.InsertConfirmation(c); !r) return Fail(r.error());
  }
  if (Result<void> r = EnqueueStep(tx, kJobExpireConfirmation, t.id,
                                   std::to_string(c.expires_at), c.expires_at + 1, now);
      !r) {
    return Fail(r.error());
  }
  return std::make_pair(code, token);
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
  if (Result<void> r = CheckEvidencePresent(*channel, request, now); !r) return Fail(r.error());

  std::string confirmation_code;
  std::string confirmation_token;
  int confirmation_minutes = 0;
  Result<CreatedTermination> created = TransactValue<CreatedTermination>(
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
            // The caller's scope may span several lines (a holder): replay
            // only what this session may see.
            Result<TerminationRecord> first =
                LoadTermination(tx, caller, (*seen)->response_body);
            if (!first) return Fail(first.error());
            return CreatedTermination{std::move(*first), true, std::nullopt};
          }
        }
        Result<LineView> view = LoadLine(tx, caller, *msisdn);
        if (!view) return Fail(view.error());
        if (Result<void> r = CheckMayOpen(caller, *channel); !r) return Fail(r.error());
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
        Result<HolderRecord> holder = tx.GetHolder(view->line.holder_id);
        if (!holder) return Fail(holder.error());
        Result<Evidence> evidence = CheckEvidence(tx, *channel, request, *holder,
                                                  view->line.operator_id, now);
        if (!evidence) return Fail(evidence.error());
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
        t.postmarked_on = request.postmarked_on;
        t.created_at = now;
        t.updated_at = now;
        if (Result<void> r = tx.InsertTermination(t); !r) return Fail(r.error());
        if (Result<void> r = RecordAction(tx, t, "created", caller.actor, "", now); !r) {
          return Fail(r.error());
        }
        if (Result<void> r = StoreEvidence(tx, t, *evidence, caller.actor, now, ctx_.random); !r) {
          return Fail(r.error());
        }
        CreatedTermination out{t, false, std::nullopt};
        if (*channel == Channel::kPhone) {
          // The holder has not spoken yet: the request waits, submitted, for
          // the code sent to the line.
          confirmation_minutes = policy.phone_confirmation_minutes;
          Result<std::pair<std::string, std::string>> secrets =
              NewConfirmation(tx, ctx_.random, t, confirmation_minutes, policy.otp, now);
          if (!secrets) return Fail(secrets.error());
          confirmation_code = secrets->first;
          confirmation_token = secrets->second;
          out.confirmation = PendingConfirmation{now + confirmation_minutes * 60, false};
        } else {
          // Online: the caller's credential is the proof (the holder's SMS
          // code, or an operator system that did its own check).
          const std::string proof =
              !evidence->proof.empty()           ? evidence->proof
              : caller.kind == CallerKind::kHolder ? "holder proved possession of the line by SMS code"
                                                   : "requested by an authenticated operator system";
          if (Result<void> r = VerifyAndRoute(tx, t, policy, proof, caller.actor, now); !r) {
            return Fail(r.error());
          }
          if (!scheduled_for) {
            if (Result<void> r = EnqueueNotice(tx, t, Notice::kReceived, {}, std::nullopt, now);
                !r) {
              return Fail(r.error());
            }
          }
        }
        if (idempotency) {
          IdempotencyRecord record{idempotency->scope, idempotency->key,
                                   idempotency->request_hash, 201, t.id, now};
          if (Result<void> r = tx.InsertIdempotency(record); !r) return Fail(r.error());
        }
        out.termination = std::move(t);
        return out;
      });
  if (created && created->confirmation) {
    created->confirmation->sent = SendConfirmation(created->termination, confirmation_code,
                                                   confirmation_token, confirmation_minutes);
  }
  return created;
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
        TerminationDetail detail{std::move(*t), std::move(*events), std::move(*cert), {}, {}, {},
                                 {}};
        Result<std::vector<DocumentCheckRecord>> documents = tx.ListDocumentChecks(id);
        if (!documents) return Fail(documents.error());
        detail.documents = std::move(*documents);
        Result<std::optional<PowerOfAttorneyRecord>> poa = tx.FindPowerOfAttorney(id);
        if (!poa) return Fail(poa.error());
        detail.power_of_attorney = std::move(*poa);
        if (caller.kind != CallerKind::kHolder) {  // scans are the operator's records
          Result<std::vector<UploadRecord>> uploads = tx.ListUploads(id);
          if (!uploads) return Fail(uploads.error());
          detail.uploads = std::move(*uploads);
        }
        Result<std::optional<ConfirmationRecord>> confirmation = tx.FindConfirmation(id);
        if (!confirmation) return Fail(confirmation.error());
        detail.confirmation = std::move(*confirmation);
        return detail;
      });
}

Result<TerminationRecord> TerminationService::Cancel(const Caller& caller, const std::string& id,
                                                     const std::string& reason) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<TerminationRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<TerminationRecord> {
        Result<TerminationRecord> t = LoadTermination(tx, caller, id);
        if (!t) return Fail(t.error());
        if (caller.kind == CallerKind::kStaff && !caller.Can(Permission::kCancel)) {
          return InsufficientRole(caller, "cancel requests");
        }
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
                                                     bool approve, const std::string& reason_code,
                                                     const std::string& reason) {
  if (caller.kind == CallerKind::kHolder) return TerminationNotFound();
  if (!approve && reason_code.empty()) {
    return FailField(ErrorCode::kInvalidArgument, "reason_code_required", "reason_code",
                     "a rejection needs a reason_code the holder is told about");
  }
  if (!reason_code.empty() && !IsReviewReasonCode(reason_code)) {
    std::string known;
    for (std::string_view code : kReviewReasonCodes) {
      known += (known.empty() ? "" : ", ") + std::string(code);
    }
    return FailField(ErrorCode::kInvalidArgument, "invalid_reason_code", "reason_code",
                     "reason_code must be one of " + known);
  }
  if (reason_code == "other" && reason.empty()) {
    return FailField(ErrorCode::kInvalidArgument, "reason_required", "reason",
                     "reason_code other needs a reason text the holder can read");
  }
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<TerminationRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<TerminationRecord> {
        Result<TerminationRecord> t = LoadTermination(tx, caller, id);
        if (!t) return Fail(t.error());
        if (!caller.Can(Permission::kReview)) return InsufficientRole(caller, "review requests");
        if (t->state != TerminationState::kInReview) {
          return Fail(ErrorCode::kFailedPrecondition, "illegal_transition",
                      std::string("a termination that is ") + ToString(t->state) +
                          " is not waiting for review");
        }
        if (t->requested_by == caller.actor) {
          return Fail(ErrorCode::kFailedPrecondition, "review_own_request",
                      "four eyes: a request is decided by someone other than whoever opened it");
        }
        t->reason_code = reason_code;
        t->reviewed_by = caller.actor;
        const std::string detail =
            (reason_code.empty() ? std::string() : "[" + reason_code + "] ") +
            (reason.empty() ? std::string(approve ? "approved on review" : "rejected on review")
                            : reason);
        if (!approve) {
          t->reason = reason;
          if (Result<void> r =
                  ApplyEvent(tx, *t, TerminationEvent::kReject, caller.actor, detail, now);
              !r) {
            return Fail(r.error());
          }
          Result<HolderRecord> holder = tx.GetHolder(t->holder_id);
          const std::string language = holder ? holder->language : "ru";
          std::string told = ReviewReasonText(reason_code, language);
          if (!reason.empty() && reason_code == "other") told = reason;
          if (Result<void> r = EnqueueNotice(tx, *t, Notice::kRejected, {{"reason", told}},
                                             std::nullopt, now);
              !r) {
            return Fail(r.error());
          }
          return t;
        }
        if (Result<void> r =
                ApplyEvent(tx, *t, TerminationEvent::kApprove, caller.actor, detail, now);
            !r) {
          return Fail(r.error());
        }
        if (Result<void> r = EnqueueNotice(tx, *t, Notice::kApproved, {}, std::nullopt, now); !r) {
          return Fail(r.error());
        }
        if (Result<void> r = ContinueAfterApproval(tx, *t, caller.actor, now); !r) {
          return Fail(r.error());
        }
        return t;
      });
}

Result<std::vector<ReviewItem>> TerminationService::ReviewQueue(const Caller& caller, int limit) {
  if (!caller.Can(Permission::kReview)) {
    if (caller.kind == CallerKind::kHolder) return TerminationNotFound();
    return InsufficientRole(caller, "see the review queue");
  }
  TerminationFilter filter;
  filter.state = TerminationState::kInReview;
  filter.limit = limit;
  filter.oldest_first = true;
  if (caller.IsStaffOrOperator()) filter.operator_id = caller.operator_id;
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<std::vector<ReviewItem>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::vector<ReviewItem>> {
        Result<std::vector<TerminationRecord>> all = tx.ListTerminations(filter);
        if (!all) return Fail(all.error());
        std::map<std::int64_t, OperatorRecord> operators;
        std::vector<ReviewItem> out;
        for (TerminationRecord& t : *all) {
          if (!caller.MaySee(t.operator_id, t.msisdn, t.holder_id)) continue;
          auto it = operators.find(t.operator_id);
          if (it == operators.end()) {
            Result<OperatorRecord> op = tx.GetOperator(t.operator_id);
            if (!op) return Fail(op.error());
            it = operators.emplace(t.operator_id, std::move(*op)).first;
          }
          ReviewItem item;
          item.operator_code = it->second.code;
          item.waiting_seconds = now - t.review_since.value_or(t.updated_at);
          if (item.waiting_seconds < 0) item.waiting_seconds = 0;
          item.sla_seconds = static_cast<UnixSeconds>(it->second.policy.review_sla_hours) * 3600;
          item.overdue = item.waiting_seconds > item.sla_seconds;
          item.termination = std::move(t);
          out.push_back(std::move(item));
        }
        return out;
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
        if (!caller.Can(Permission::kRecordPayment)) {
          return InsufficientRole(caller, "take payments");
        }
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

// ------------------------------------------------------------ phone confirmation

bool TerminationService::SendConfirmation(const TerminationRecord& t, const std::string& code,
                                          const std::string& token, int minutes) {
  struct Target {
    std::string language;
    NoticeTemplates templates;
  };
  Result<Target> target = TransactValue<Target>(ctx_.store, [&](StoreTx& tx) -> Result<Target> {
    Result<OperatorRecord> op = tx.GetOperator(t.operator_id);
    if (!op) return Fail(op.error());
    Result<HolderRecord> holder = tx.GetHolder(t.holder_id);
    return Target{holder ? holder->language : op->default_language, op->policy.sms_templates};
  });
  if (!target) return false;
  std::map<std::string, std::string> params = {{"msisdn", t.msisdn},
                                               {"id", t.id},
                                               {"minutes", std::to_string(minutes)}};
  std::map<std::string, std::string> real = params;
  real["code"] = code;
  // The page behind the link speaks the holder's language.
  real["url"] = ctx_.public_url + "/confirm/" + token + "?lang=" + target->language;
  std::map<std::string, std::string> masked = params;
  masked["code"] = std::string(code.size(), '*');
  masked["url"] = ctx_.public_url + "/confirm/***";
  SmsRecord sms;
  sms.operator_id = t.operator_id;
  sms.termination_id = t.id;
  sms.to = t.msisdn;
  sms.kind = ToString(Notice::kConfirmRequest);
  sms.language = target->language;
  sms.text = RenderNotice(Notice::kConfirmRequest, target->language, masked, target->templates);
  SmsOutbox outbox(ctx_);
  Result<void> sent = outbox.SendNow(
      sms, RenderNotice(Notice::kConfirmRequest, target->language, real, target->templates));
  const UnixSeconds now = ctx_.clock.Now();
  (void)ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    return RecordAction(tx, t, sent ? "confirmation_sent" : "confirmation_send_failed", "system",
                        sent ? "code and link sent to the line" : sent.error().reason, now);
  });
  return static_cast<bool>(sent);
}

namespace {

// The confirmation of a phone request succeeded: identity is proven, the
// request goes on as any other.
Result<TerminationRecord> ConfirmPhoneRequest(StoreTx& tx, TerminationRecord t,
                                              ConfirmationRecord c, const std::string& how,
                                              UnixSeconds now) {
  c.confirmed_at = now;
  if (Result<void> r = tx.UpdateConfirmation(c); !r) return Fail(r.error());
  Result<OperatorRecord> op = tx.GetOperator(t.operator_id);
  if (!op) return Fail(op.error());
  if (Result<void> r = VerifyAndRoute(tx, t, op->policy,
                                      "the holder confirmed " + how + " sent to the line",
                                      "holder:" + std::to_string(t.holder_id), now);
      !r) {
    return Fail(r.error());
  }
  if (!t.scheduled_for) {
    if (Result<void> r = EnqueueNotice(tx, t, Notice::kReceived, {}, std::nullopt, now); !r) {
      return Fail(r.error());
    }
  }
  return t;
}

tl::unexpected<Error> ConfirmationExpired() {
  return Fail(ErrorCode::kFailedPrecondition, "confirmation_expired",
              "the time to confirm this request has passed; ask for a new request");
}

tl::unexpected<Error> AlreadyConfirmed() {
  return Fail(ErrorCode::kFailedPrecondition, "already_confirmed",
              "this request was already confirmed");
}

}  // namespace

Result<TerminationRecord> TerminationService::ConfirmByCode(const std::string& id,
                                                            const std::string& code) {
  if (code.empty() || code.size() > 10 ||
      code.find_first_not_of("0123456789") != std::string::npos) {
    return FailField(ErrorCode::kInvalidArgument, "invalid_code", "code",
                     "code must be the digits from the SMS");
  }
  const UnixSeconds now = ctx_.clock.Now();
  // Wrong guesses are counted even though the call fails, so the count is
  // committed separately from the refusal.
  std::optional<Error> refusal;
  Result<TerminationRecord> out = TransactValue<TerminationRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<TerminationRecord> {
        Result<TerminationRecord> t = tx.GetTermination(id);
        if (!t) return t.error().code == ErrorCode::kNotFound ? TerminationNotFound()
                                                               : Fail(t.error());
        Result<std::optional<ConfirmationRecord>> c = tx.FindConfirmation(id);
        if (!c) return Fail(c.error());
        if (!*c) return TerminationNotFound();
        if ((*c)->confirmed_at) return AlreadyConfirmed();
        if ((*c)->expires_at <= now) return ConfirmationExpired();
        if (t->state != TerminationState::kSubmitted) {
          return Fail(ErrorCode::kFailedPrecondition, "illegal_transition",
                      std::string("the request is ") + ToString(t->state));
        }
        if ((*c)->attempts >= (*c)->max_attempts) {
          return Fail(ErrorCode::kResourceExhausted, "too_many_attempts",
                      "too many wrong codes; the agent can send a new one");
        }
        if (!ConstantTimeEquals(ConfirmationCodeHash((*c)->salt, code), (*c)->code_hash)) {
          ConfirmationRecord counted = **c;
          counted.attempts += 1;
          if (Result<void> r = tx.UpdateConfirmation(counted); !r) return Fail(r.error());
          if (Result<void> r = RecordAction(tx, *t, "confirmation_wrong_code", "anonymous",
                                            "attempt " + std::to_string(counted.attempts), now);
              !r) {
            return Fail(r.error());
          }
          refusal = counted.attempts >= counted.max_attempts
                        ? Error{ErrorCode::kResourceExhausted, "too_many_attempts",
                                "too many wrong codes; the agent can send a new one"}
                        : Error{ErrorCode::kUnauthenticated, "invalid_code",
                                "the code is not right", "code"};
          return *t;  // commit the count; the refusal is returned below
        }
        return ConfirmPhoneRequest(tx, std::move(*t), **c, "with the code", now);
      });
  if (refusal) return Fail(*refusal);
  return out;
}

Result<TerminationRecord> TerminationService::ConfirmByLink(const std::string& token) {
  const UnixSeconds now = ctx_.clock.Now();
  if (token.size() < 8 || token.size() > 100) {
    return Fail(ErrorCode::kNotFound, "confirmation_not_found", "no such confirmation link");
  }
  return TransactValue<TerminationRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<TerminationRecord> {
        Result<std::optional<ConfirmationRecord>> c = tx.FindConfirmationByLink(HashHex(token));
        if (!c) return Fail(c.error());
        if (!*c) {
          return Fail(ErrorCode::kNotFound, "confirmation_not_found", "no such confirmation link");
        }
        if ((*c)->confirmed_at) return AlreadyConfirmed();
        Result<TerminationRecord> t = tx.GetTermination((*c)->termination_id);
        if (!t) return Fail(t.error());
        if ((*c)->expires_at <= now) return ConfirmationExpired();
        if (t->state != TerminationState::kSubmitted) {
          return Fail(ErrorCode::kFailedPrecondition, "illegal_transition",
                      std::string("the request is ") + ToString(t->state));
        }
        return ConfirmPhoneRequest(tx, std::move(*t), **c, "with the link", now);
      });
}

Result<PendingConfirmation> TerminationService::ResendConfirmation(const Caller& caller,
                                                                   const std::string& id) {
  if (caller.kind == CallerKind::kHolder) return TerminationNotFound();
  const UnixSeconds now = ctx_.clock.Now();
  std::string code;
  std::string token;
  int minutes = 0;
  Result<TerminationRecord> renewed = TransactValue<TerminationRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<TerminationRecord> {
        Result<TerminationRecord> t = LoadTermination(tx, caller, id);
        if (!t) return Fail(t.error());
        if (!caller.Can(Permission::kOpenPhone)) {
          return InsufficientRole(caller, "send confirmation codes");
        }
        Result<std::optional<ConfirmationRecord>> c = tx.FindConfirmation(id);
        if (!c) return Fail(c.error());
        if (!*c) {
          return Fail(ErrorCode::kFailedPrecondition, "illegal_transition",
                      "only phone requests wait for a confirmation");
        }
        if ((*c)->confirmed_at) return AlreadyConfirmed();
        if (t->state != TerminationState::kSubmitted) {
          return Fail(ErrorCode::kFailedPrecondition, "illegal_transition",
                      std::string("the request is ") + ToString(t->state));
        }
        // Each new code brings fresh guesses and another SMS to the holder:
        // a few resends, then a new request.
        Result<std::vector<TerminationEventRecord>> events = tx.ListEvents(id);
        if (!events) return Fail(events.error());
        int resends = 0;
        for (const TerminationEventRecord& e : *events) {
          resends += e.event == "confirmation_renewed" ? 1 : 0;
        }
        if (resends >= kMaxConfirmationResends) {
          return Fail(ErrorCode::kResourceExhausted, "too_many_codes",
                      "the code was sent " + std::to_string(resends + 1) +
                          " times; cancel this request and open a new one if needed");
        }
        Result<OperatorRecord> op = tx.GetOperator(t->operator_id);
        if (!op) return Fail(op.error());
        minutes = op->policy.phone_confirmation_minutes;
        Result<std::pair<std::string, std::string>> secrets =
            NewConfirmation(tx, ctx_.random, *t, minutes, op->policy.otp, now);
        if (!secrets) return Fail(secrets.error());
        code = secrets->first;
        token = secrets->second;
        if (Result<void> r = RecordAction(tx, *t, "confirmation_renewed", caller.actor,
                                          "a new code replaces the old one", now);
            !r) {
          return Fail(r.error());
        }
        return t;
      });
  if (!renewed) return Fail(renewed.error());
  if (!SendConfirmation(*renewed, code, token, minutes)) {
    return Fail(ErrorCode::kUnavailable, "sms_unavailable",
                "the code could not be sent right now; try again in a minute");
  }
  return PendingConfirmation{now + minutes * 60, true};
}

// ------------------------------------------------------------ application form

Result<ApplicationForm> TerminationService::Form(const Caller& caller, const std::string& id) {
  if (caller.kind == CallerKind::kHolder) return TerminationNotFound();
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<ApplicationForm>(
      ctx_.store, [&](StoreTx& tx) -> Result<ApplicationForm> {
        Result<TerminationRecord> t = LoadTermination(tx, caller, id);
        if (!t) return Fail(t.error());
        ApplicationForm form;
        Result<OperatorRecord> op = tx.GetOperator(t->operator_id);
        if (!op) return Fail(op.error());
        Result<HolderRecord> holder = tx.GetHolder(t->holder_id);
        if (!holder) return Fail(holder.error());
        Result<LineRecord> line = tx.GetLine(t->line_id);
        if (!line) return Fail(line.error());
        Result<std::vector<DocumentCheckRecord>> documents = tx.ListDocumentChecks(id);
        if (!documents) return Fail(documents.error());
        Result<std::optional<PowerOfAttorneyRecord>> poa = tx.FindPowerOfAttorney(id);
        if (!poa) return Fail(poa.error());
        form.quote = t->settlement ? *t->settlement
                                   : QuoteSettlement(BalancesOf(*line), op->policy, t->channel);
        form.termination = std::move(*t);
        form.op = std::move(*op);
        form.holder = std::move(*holder);
        form.line = std::move(*line);
        form.documents = std::move(*documents);
        form.power_of_attorney = std::move(*poa);
        form.printed_at = now;
        return form;
      });
}

}  // namespace simexit
