// Deciding reviewed requests: TerminationService::Review and ReviewQueue.

#include "simexit/domain/review.hpp"

#include <algorithm>
#include <map>

#include "simexit/domain/termination_rules.hpp"
#include "simexit/service/event_outbox.hpp"
#include "simexit/service/termination_service.hpp"
#include "simexit/service/termination_steps.hpp"
#include "simexit/service/workflow_steps.hpp"

namespace simexit {
namespace {

using termination_steps::IllegalTransition;
using termination_steps::InsufficientRole;
using termination_steps::LoadTermination;
using termination_steps::TerminationNotFound;

// Whether `caller` may decide `t` now. Four eyes: not whoever opened it.
Result<void> CheckMayDecide(const Caller& caller, const TerminationRecord& t) {
  if (!caller.Can(Permission::kReview)) {
    return InsufficientRole(caller, "review requests");
  }
  if (t.state != TerminationState::kInReview) {
    return IllegalTransition(std::string("a termination that is ") + ToString(t.state) +
                             " is not waiting for review");
  }
  if (t.requested_by == caller.actor) {
    return Fail(ErrorCode::kFailedPrecondition, "review_own_request",
                "four eyes: a request is decided by someone other than whoever opened it");
  }
  return {};
}

// The audit trail's words for the decision: "[code] reason".
std::string DecisionDetail(const ReviewDecision& d) {
  std::string detail = d.reason_code.empty() ? std::string() : "[" + d.reason_code + "] ";
  if (!d.reason.empty()) {
    return detail + d.reason;
  }
  return detail + (d.approve ? "approved on review" : "rejected on review");
}

// Ends the request and tells the holder why, in their language.
Result<void> Reject(StoreTx& tx, TerminationRecord& t, const ReviewDecision& d,
                    const std::string& actor, UnixSeconds now) {
  t.reason = d.reason;
  SIMEXIT_TRY(ApplyEvent(tx, t, TerminationEvent::kReject, actor, DecisionDetail(d), now));
  Result<HolderRecord> holder = tx.GetHolder(t.holder_id);
  const std::string language = holder ? holder->language : "ru";
  std::string told = ReviewReasonText(d.reason_code, language);
  if (!d.reason.empty() && d.reason_code == "other") {
    told = d.reason;
  }
  return EnqueueNotice(tx, t, Notice::kRejected, {{"reason", told}}, std::nullopt, now);
}

// Goes on as a request that needed no review would (scheduled or settling).
Result<void> Approve(StoreTx& tx, TerminationRecord& t, const ReviewDecision& d,
                     const std::string& actor, UnixSeconds now) {
  SIMEXIT_TRY(ApplyEvent(tx, t, TerminationEvent::kApprove, actor, DecisionDetail(d), now));
  SIMEXIT_TRY(EnqueueNotice(tx, t, Notice::kApproved, {}, std::nullopt, now));
  return termination_steps::ContinueAfterApproval(tx, t, actor, now);
}

ReviewItem ItemOf(TerminationRecord t, const OperatorRecord& op, UnixSeconds now) {
  ReviewItem item;
  item.operator_code = op.code;
  item.waiting_seconds = std::max<UnixSeconds>(0, now - t.review_since.value_or(t.updated_at));
  item.sla_seconds = static_cast<UnixSeconds>(op.policy.review_sla_hours) * 3600;
  item.overdue = item.waiting_seconds > item.sla_seconds;
  item.termination = std::move(t);
  return item;
}

}  // namespace

Result<TerminationRecord> TerminationService::Review(const Caller& caller, const std::string& id,
                                                     const ReviewDecision& decision) {
  if (caller.kind == CallerKind::kHolder) {
    return TerminationNotFound();
  }
  SIMEXIT_TRY(CheckReviewDecision(decision.approve, decision.reason_code, decision.reason));
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<TerminationRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<TerminationRecord> {
        SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t, LoadTermination(tx, caller, id));
        SIMEXIT_TRY(CheckMayDecide(caller, t));
        t.reason_code = decision.reason_code;
        t.reviewed_by = caller.actor;
        SIMEXIT_TRY(PublishReviewDecision(tx, t, decision.approve, decision.reason, now));
        if (decision.approve) {
          SIMEXIT_TRY(Approve(tx, t, decision, caller.actor, now));
        } else {
          SIMEXIT_TRY(Reject(tx, t, decision, caller.actor, now));
        }
        return t;
      });
}

Result<std::vector<ReviewItem>> TerminationService::ReviewQueue(const Caller& caller, int limit) {
  if (!caller.Can(Permission::kReview)) {
    if (caller.kind == CallerKind::kHolder) {
      return TerminationNotFound();
    }
    return InsufficientRole(caller, "see the review queue");
  }
  TerminationFilter filter;
  filter.state = TerminationState::kInReview;
  filter.limit = limit;
  filter.oldest_first = true;
  if (caller.IsStaffOrOperator()) {
    filter.operator_id = caller.operator_id;
  }
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<std::vector<ReviewItem>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::vector<ReviewItem>> {
        SIMEXIT_ASSIGN_OR_RETURN(std::vector<TerminationRecord> all, tx.ListTerminations(filter));
        std::map<std::int64_t, OperatorRecord> operators;
        std::vector<ReviewItem> out;
        for (TerminationRecord& t : all) {
          if (!caller.MaySee(t.operator_id, t.msisdn, t.holder_id)) {
            continue;
          }
          auto it = operators.find(t.operator_id);
          if (it == operators.end()) {
            SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(t.operator_id));
            it = operators.emplace(t.operator_id, std::move(op)).first;
          }
          out.push_back(ItemOf(std::move(t), it->second, now));
        }
        return out;
      });
}

}  // namespace simexit
