#include "simexit/service/termination_steps.hpp"

#include "simexit/common/clock.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/domain/one_time_code.hpp"
#include "simexit/service/workflow_steps.hpp"

namespace simexit::termination_steps {

tl::unexpected<Error> LineNotFound() {
  return Fail(ErrorCode::kNotFound, "line_not_found", "no such line");
}

tl::unexpected<Error> TerminationNotFound() {
  return Fail(ErrorCode::kNotFound, "termination_not_found", "no such termination");
}

tl::unexpected<Error> InsufficientRole(const Caller& caller, const char* what) {
  return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
              std::string("the ") + ToString(caller.role) + " role cannot " + what);
}

tl::unexpected<Error> IllegalTransition(const std::string& message) {
  return Fail(ErrorCode::kFailedPrecondition, "illegal_transition", message);
}

Result<LineView> LoadLine(StoreTx& tx, const Caller& caller, const Msisdn& msisdn) {
  Result<LineRecord> line = tx.GetLineByMsisdn(msisdn);
  if (!line) {
    if (line.error().code == ErrorCode::kNotFound) {
      return LineNotFound();
    }
    return Fail(line.error());
  }
  if (!caller.MaySee(line->operator_id, line->msisdn, line->holder_id)) {
    return LineNotFound();
  }
  SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(line->operator_id));
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<TerminationRecord> open, tx.FindOpenTermination(line->id));
  std::optional<HolderRecord> holder;
  if (line->holder_id != 0) {
    SIMEXIT_ASSIGN_OR_RETURN(holder, tx.GetHolder(line->holder_id));
  }
  return LineView{std::move(*line), std::move(op), std::move(open), std::move(holder)};
}

Result<TerminationRecord> LoadTermination(StoreTx& tx, const Caller& caller,
                                          const std::string& id) {
  Result<TerminationRecord> t = tx.GetTermination(id);
  if (!t) {
    if (t.error().code == ErrorCode::kNotFound) {
      return TerminationNotFound();
    }
    return Fail(t.error());
  }
  if (!caller.MaySee(t->operator_id, t->msisdn, t->holder_id)) {
    return TerminationNotFound();
  }
  return t;
}

LineBalances BalancesOf(const LineRecord& line) {
  return LineBalances{line.main_balance, line.bonus_balance, line.outstanding_charges};
}

Result<void> ContinueAfterApproval(StoreTx& tx, TerminationRecord& t, const std::string& actor,
                                   UnixSeconds now) {
  if (!t.scheduled_for || *t.scheduled_for <= now) {
    SIMEXIT_TRY(ApplyEvent(tx, t, TerminationEvent::kStartSettlement, "policy", "", now));
    return EnqueueStep(tx, JobKind::kSettle, t.id, "", now, now);
  }
  const UnixSeconds at = *t.scheduled_for;
  SIMEXIT_TRY(
      ApplyEvent(tx, t, TerminationEvent::kSchedule, actor, "runs at " + FormatRfc3339(at), now));
  SIMEXIT_TRY(EnqueueStep(tx, JobKind::kStartTermination, t.id, "", at, now));
  if (at - 86400 > now) {
    SIMEXIT_TRY(EnqueueStep(tx, JobKind::kSendReminder, t.id, "", at - 86400, now));
  }
  return EnqueueNotice(tx, t, Notice::kScheduled, {}, t.scheduled_for, now);
}

Result<void> VerifyAndRoute(StoreTx& tx, TerminationRecord& t, const Policy& policy,
                            const std::string& proof, const std::string& actor, UnixSeconds now) {
  SIMEXIT_TRY(ApplyEvent(tx, t, TerminationEvent::kVerify, actor, proof, now));
  if (policy.NeedsReview(t.channel) || t.channel == Channel::kMail) {
    t.review_since = now;
    return ApplyEvent(tx, t, TerminationEvent::kSendToReview, actor,
                      t.channel == Channel::kMail ? "posted applications are always reviewed"
                                                  : "the operator's policy asks for review",
                      now);
  }
  SIMEXIT_TRY(ApplyEvent(tx, t, TerminationEvent::kApprove, "policy",
                         "no review required for this channel", now));
  return ContinueAfterApproval(tx, t, actor, now);
}

Result<ConfirmationSecrets> NewConfirmation(StoreTx& tx, Random& random, const TerminationRecord& t,
                                            int minutes, const OtpPolicy& otp, UnixSeconds now) {
  const OneTimeCode code = OneTimeCode::Generate(random, otp.length);
  ConfirmationSecrets secrets{code.code, "cf_" + random.Hex(16), minutes};
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<ConfirmationRecord> existing, tx.FindConfirmation(t.id));
  ConfirmationRecord c;
  c.termination_id = t.id;
  c.salt = code.salt;
  c.code_hash = code.hash;
  c.link_token_hash = HashHex(secrets.token);
  c.created_at = now;
  c.expires_at = now + minutes * kSecondsPerMinute;
  c.max_attempts = otp.max_attempts;
  if (existing) {
    SIMEXIT_TRY(tx.UpdateConfirmation(c));
  } else {
    SIMEXIT_TRY(tx.InsertConfirmation(c));
  }
  SIMEXIT_TRY(EnqueueStep(tx, JobKind::kExpireConfirmation, t.id, std::to_string(c.expires_at),
                          c.expires_at + 1, now));
  return secrets;
}

}  // namespace simexit::termination_steps
