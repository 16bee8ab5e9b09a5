// Money and withdrawal: TerminationService::Cancel and RecordPayment.

#include "simexit/domain/ledger.hpp"
#include "simexit/service/termination_service.hpp"
#include "simexit/service/termination_steps.hpp"
#include "simexit/service/workflow_steps.hpp"

namespace simexit {
namespace {

using termination_steps::IllegalTransition;
using termination_steps::InsufficientRole;
using termination_steps::LoadTermination;
using termination_steps::TerminationNotFound;

// Undoes the settlement posting of a termination that will not go ahead, so
// the line keeps exactly the balances it had and the ledger stays balanced.
Result<void> ReverseSettlement(StoreTx& tx, const TerminationRecord& t, UnixSeconds now) {
  SIMEXIT_ASSIGN_OR_RETURN(std::vector<PostingRecord> postings, tx.ListPostings(t.line_id));
  for (const PostingRecord& p : postings) {
    if (p.termination_id != t.id || p.posting.kind != kSettlementPosting) {
      continue;
    }
    PostingRecord reversal = p;
    reversal.id = 0;
    reversal.posting.kind = "settlement_reversal";
    for (LedgerEntry& e : reversal.posting.entries) {
      e.amount = -e.amount;
    }
    reversal.created_at = now;
    SIMEXIT_TRY(tx.InsertPosting(reversal));
  }
  SIMEXIT_ASSIGN_OR_RETURN(LineRecord line, tx.GetLine(t.line_id));
  line.main_balance = t.settlement->main_balance;
  line.bonus_balance = t.settlement->bonus_balance;
  line.outstanding_charges = t.settlement->outstanding_charges;
  line.updated_at = now;
  SIMEXIT_TRY(tx.UpdateLine(line));
  return RecordAction(tx, t, "settlement_reversed", "system",
                      "the settlement was reversed; the line keeps its balances", now);
}

// Posts the payment and clears the line's charges.
Result<void> PostPayment(StoreTx& tx, const TerminationRecord& t, Money amount, UnixSeconds now) {
  PostingRecord posting;
  posting.operator_id = t.operator_id;
  posting.line_id = t.line_id;
  posting.termination_id = t.id;
  posting.posting = PaymentPosting(t.line_id, t.operator_id, amount);
  posting.created_at = now;
  SIMEXIT_TRY(tx.InsertPosting(posting));
  SIMEXIT_ASSIGN_OR_RETURN(LineRecord line, tx.GetLine(t.line_id));
  line.outstanding_charges = Money::Zero();
  line.updated_at = now;
  return tx.UpdateLine(line);
}

}  // namespace

Result<TerminationRecord> TerminationService::Cancel(const Caller& caller, const std::string& id,
                                                     const std::string& reason) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<TerminationRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<TerminationRecord> {
        SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t, LoadTermination(tx, caller, id));
        if (caller.kind == CallerKind::kStaff && !caller.Can(Permission::kCancel)) {
          return InsufficientRole(caller, "cancel requests");
        }
        if (!IsCancellable(t.state)) {
          return IllegalTransition(std::string("a termination that is ") + ToString(t.state) +
                                   " can no longer be cancelled");
        }
        if (t.state == TerminationState::kAwaitingPayment && t.settlement) {
          SIMEXIT_TRY(ReverseSettlement(tx, t, now));
        }
        t.reason = reason;
        SIMEXIT_TRY(ApplyEvent(tx, t, TerminationEvent::kCancel, caller.actor,
                               reason.empty() ? "cancelled" : reason, now));
        SIMEXIT_TRY(EnqueueNotice(tx, t, Notice::kCancelled, {}, std::nullopt, now));
        return t;
      });
}

Result<TerminationRecord> TerminationService::RecordPayment(const Caller& caller,
                                                            const std::string& id, Money amount) {
  if (caller.kind == CallerKind::kHolder) {
    return TerminationNotFound();
  }
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<TerminationRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<TerminationRecord> {
        SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t, LoadTermination(tx, caller, id));
        if (!caller.Can(Permission::kRecordPayment)) {
          return InsufficientRole(caller, "take payments");
        }
        if (t.state != TerminationState::kAwaitingPayment || !t.settlement) {
          return IllegalTransition(std::string("a termination that is ") + ToString(t.state) +
                                   " is not waiting for a payment");
        }
        if (amount != t.settlement->amount_due) {
          return Fail(ErrorCode::kInvalidArgument, "wrong_amount",
                      "the amount due is " + t.settlement->amount_due.ToDecimalString() + " KZT");
        }
        SIMEXIT_TRY(PostPayment(tx, t, amount, now));
        SIMEXIT_TRY(ApplyEvent(tx, t, TerminationEvent::kPaymentReceived, caller.actor,
                               "paid " + amount.ToDecimalString() + " KZT", now));
        SIMEXIT_TRY(EnqueueStep(tx, JobKind::kSettle, t.id, "after_payment", now, now));
        return t;
      });
}

}  // namespace simexit
