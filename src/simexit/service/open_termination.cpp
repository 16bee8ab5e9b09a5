// Opening a termination: TerminationService::Create. The rules it applies
// are in domain/termination_rules.hpp; the evidence each channel needs is in
// channel_evidence.hpp.

#include "simexit/common/clock.hpp"
#include "simexit/common/log.hpp"
#include "simexit/domain/termination_rules.hpp"
#include "simexit/service/channel_evidence.hpp"
#include "simexit/service/event_outbox.hpp"
#include "simexit/service/idempotency_sweep.hpp"
#include "simexit/service/termination_service.hpp"
#include "simexit/service/termination_steps.hpp"
#include "simexit/service/workflow_steps.hpp"

namespace simexit {
namespace {

using termination_steps::BalancesOf;
using termination_steps::ConfirmationSecrets;
using termination_steps::LoadLine;
using termination_steps::LoadTermination;

// The rules that need neither the database nor the line.
Result<void> CheckCommand(const Caller& caller, const CreateTerminationCommand& command,
                          UnixSeconds now) {
  if (caller.kind == CallerKind::kHolder) {
    SIMEXIT_TRY(CheckChannelForHolder(command.channel));
  }
  if (command.scheduled_for) {
    SIMEXIT_TRY(CheckScheduleWindow(*command.scheduled_for, now));
  }
  if (command.refund) {
    SIMEXIT_TRY(CheckRefundNotToClosingLine(command.refund->method, command.refund->destination,
                                            command.msisdn.e164()));
  }
  return CheckEvidencePresent(command, now);
}

// Mismatches with the registered holder one line may have per hour; after
// that, requests carrying evidence about the holder are refused for the line.
constexpr int kMismatchesPerLinePerHour = 5;
constexpr const char* kMismatchAction = "document_mismatch";

bool IsHolderMismatch(const Error& error) {
  return error.problem_code == "document_mismatch" ||
         error.problem_code == "power_of_attorney_wrong_principal";
}

// Refuses evidence about the holder once the line has had
// kMismatchesPerLinePerHour mismatches within the hour, so that nobody can
// try document numbers against a line until one fits.
Result<void> CheckMismatchThrottle(StoreTx& tx, const CreateTerminationCommand& command,
                                   const LineRecord& line, UnixSeconds now) {
  if (!command.document && !command.power_of_attorney) {
    return {};
  }
  SIMEXIT_ASSIGN_OR_RETURN(std::vector<AuditRecord> trail,
                           tx.ListAudit(line.msisdn.e164(), 10 * kMismatchesPerLinePerHour));
  int recent = 0;
  for (const AuditRecord& record : trail) {
    if (record.action == kMismatchAction && record.at > now - 3600) {
      ++recent;
    }
  }
  if (recent >= kMismatchesPerLinePerHour) {
    return FailField(ErrorCode::kResourceExhausted, "too_many_mismatches",
                     command.document ? "document" : "power_of_attorney",
                     "too many documents that do not match the holder were presented for this "
                     "line in the last hour; try again later");
  }
  return {};
}

// Records a mismatch in its own transaction (the request's rolled back): who
// presented what kind of evidence for which line, never the number presented.
void AuditMismatch(Store& store, const Caller& caller, const CreateTerminationCommand& command,
                   const Error& error, UnixSeconds now) {
  AuditRecord record;
  record.actor = caller.actor;
  record.action = kMismatchAction;
  record.subject = command.msisdn.e164();
  record.detail = error.problem_code == "document_mismatch"
                      ? "the holder's document does not match the registered holder"
                      : "the power of attorney names another principal";
  record.request_id = CurrentRequestId();
  record.at = now;
  record.operator_id = caller.operator_id;
  Result<void> done = store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_TRY(tx.AppendAudit(record));
    return {};
  });
  if (!done) {
    LogError("audit record not written",
             {{"action", kMismatchAction}, {"error", done.error().message}});
  }
}

// The first result of an earlier call with the same Idempotency-Key, if any.
// Errors: kFailedPrecondition "idempotency_key_reused" when the request differs.
Result<std::optional<CreatedTermination>> Replay(StoreTx& tx, const Caller& caller,
                                                 const std::optional<IdempotencyKey>& key) {
  if (!key) {
    return std::nullopt;
  }
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<IdempotencyRecord> seen,
                           tx.FindIdempotency(key->scope, key->key));
  if (!seen) {
    return std::nullopt;
  }
  if (seen->request_hash != key->request_hash) {
    return Fail(ErrorCode::kFailedPrecondition, "idempotency_key_reused",
                "this Idempotency-Key was used with a different request");
  }
  // The caller's scope may span several lines (a holder): replay only what
  // this session may see.
  SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord first,
                           LoadTermination(tx, caller, seen->termination_id));
  return CreatedTermination{std::move(first), true, std::nullopt};
}

Result<void> RememberIdempotency(StoreTx& tx, const std::optional<IdempotencyKey>& key,
                                 const std::string& termination_id, UnixSeconds now) {
  if (!key) {
    return {};
  }
  SIMEXIT_TRY(tx.InsertIdempotency(
      IdempotencyRecord{key->scope, key->key, key->request_hash, termination_id, now}));
  SIMEXIT_TRY(SweepIdempotencyKeys(tx, now));
  return {};
}

// The rules that need the line and its operator's policy.
Result<void> CheckLineMayClose(const Caller& caller, Channel channel, const LineView& view) {
  SIMEXIT_TRY(CheckMayOpen(caller, channel));
  SIMEXIT_TRY(CheckChannelAllowed(view.op.policy, channel));
  SIMEXIT_TRY(CheckLineOpenable(view.line.status));
  if (view.open_termination) {
    return Fail(ErrorCode::kFailedPrecondition, "termination_exists",
                "the line already has an open termination " + view.open_termination->id);
  }
  return {};
}

// The rules that need what closing the line now would settle.
Result<void> CheckSettlement(const CreateTerminationCommand& command, const LineView& view) {
  const Policy& policy = view.op.policy;
  const SettlementQuote quote = QuoteSettlement(BalancesOf(view.line), policy, command.channel);
  SIMEXIT_TRY(CheckDebtAllowsChannel(command.channel, quote, policy));
  std::optional<RefundMethod> method;
  if (command.refund) {
    method = command.refund->method;
  }
  SIMEXIT_TRY(CheckRefundInstructed(quote, method));
  if (method) {
    SIMEXIT_TRY(CheckRefundMethodAllowed(policy, *method));
  }
  return {};
}

TerminationRecord NewTermination(const std::string& id, const Caller& caller,
                                 const CreateTerminationCommand& command, const LineRecord& line,
                                 UnixSeconds now) {
  TerminationRecord t;
  t.id = id;
  t.operator_id = line.operator_id;
  t.line_id = line.id;
  t.holder_id = line.holder_id;
  t.msisdn = line.msisdn;
  t.channel = command.channel;
  t.state = TerminationState::kSubmitted;
  t.scheduled_for = command.scheduled_for;
  t.refund = command.refund;
  t.requested_by = caller.actor;
  t.reason = command.reason;
  t.postmarked_on = command.postmarked_on;
  if (command.contact_msisdn) {
    t.contact_msisdn = command.contact_msisdn;
  }
  t.created_at = now;
  t.updated_at = now;
  return t;
}

// A request whose identity is already proven (every channel but phone) goes
// on at once: the caller's credential, or the evidence checked, is the proof.
Result<void> ProceedProven(StoreTx& tx, TerminationRecord& t, const Caller& caller,
                           const Evidence& evidence, const Policy& policy, UnixSeconds now) {
  std::string proof = evidence.proof;
  if (proof.empty()) {
    proof = caller.kind == CallerKind::kHolder ? "holder proved possession of the line by SMS code"
                                               : "requested by an authenticated operator system";
  }
  SIMEXIT_TRY(termination_steps::VerifyAndRoute(tx, t, policy, proof, caller.actor, now));
  if (t.scheduled_for) {
    return {};  // told of its date once approved instead
  }
  return EnqueueNotice(tx, t, Notice::kReceived, {}, std::nullopt, now);
}

}  // namespace

Result<CreatedTermination> TerminationService::Create(
    const Caller& caller, const CreateTerminationCommand& command,
    const std::optional<IdempotencyKey>& idempotency) {
  const UnixSeconds now = ctx_.clock.Now();
  // Everything that can be checked without the database is checked first.
  SIMEXIT_TRY(CheckCommand(caller, command, now));
  std::optional<ConfirmationSecrets> secrets;
  Result<CreatedTermination> created =
      TransactValue<CreatedTermination>(ctx_.store, [&](StoreTx& tx) -> Result<CreatedTermination> {
        SIMEXIT_ASSIGN_OR_RETURN(std::optional<CreatedTermination> replay,
                                 Replay(tx, caller, idempotency));
        if (replay) {
          return std::move(*replay);
        }
        SIMEXIT_ASSIGN_OR_RETURN(LineView view, LoadLine(tx, caller, command.msisdn));
        SIMEXIT_TRY(CheckLineMayClose(caller, command.channel, view));
        SIMEXIT_TRY(CheckMismatchThrottle(tx, command, view.line, now));
        SIMEXIT_ASSIGN_OR_RETURN(HolderRecord holder, tx.GetHolder(view.line.holder_id));
        SIMEXIT_ASSIGN_OR_RETURN(Evidence evidence,
                                 CheckEvidence(tx, command, holder, view.line.operator_id, now));
        SIMEXIT_TRY(CheckSettlement(command, view));

        TerminationRecord t =
            NewTermination("trm_" + ctx_.random.Hex(12), caller, command, view.line, now);
        SIMEXIT_TRY(tx.InsertTermination(t));
        SIMEXIT_TRY(RecordAction(tx, t, "created", caller.actor, "", now));
        TerminationEventRecord first_state;
        first_state.termination_id = t.id;
        first_state.event = "created";
        first_state.to_state = ToString(t.state);
        first_state.actor = caller.actor;
        first_state.channel = ToString(t.channel);
        first_state.at = now;
        SIMEXIT_TRY(PublishStateChange(tx, t, first_state));
        SIMEXIT_TRY(StoreEvidence(tx, t, evidence, caller.actor, now, ctx_.random));
        std::optional<PendingConfirmation> pending;
        if (command.channel == Channel::kPhone) {
          // The holder has not spoken yet: the request waits, submitted, for
          // the code sent to the line.
          const Policy& policy = view.op.policy;
          SIMEXIT_ASSIGN_OR_RETURN(
              secrets, termination_steps::NewConfirmation(
                           tx, ctx_.random, t, policy.phone_confirmation_minutes, policy.otp, now));
          pending = PendingConfirmation{now + secrets->minutes * kSecondsPerMinute, false};
        } else {
          SIMEXIT_TRY(ProceedProven(tx, t, caller, evidence, view.op.policy, now));
        }
        SIMEXIT_TRY(RememberIdempotency(tx, idempotency, t.id, now));
        return CreatedTermination{std::move(t), false, pending};
      });
  if (!created && IsHolderMismatch(created.error())) {
    AuditMismatch(ctx_.store, caller, command, created.error(), now);
  }
  if (created && created->confirmation && secrets) {
    created->confirmation->sent =
        SendConfirmation(created->termination, secrets->code, secrets->token, secrets->minutes);
  }
  return created;
}

}  // namespace simexit
