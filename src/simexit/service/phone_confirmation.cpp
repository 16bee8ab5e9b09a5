// The holder's answer to a phone request: ConfirmByCode, ConfirmByLink,
// ResendConfirmation, and the SMS that carries the code and the link.

#include <map>

#include "simexit/common/crypto.hpp"
#include "simexit/domain/one_time_code.hpp"
#include "simexit/service/sms_outbox.hpp"
#include "simexit/service/termination_service.hpp"
#include "simexit/service/termination_steps.hpp"
#include "simexit/service/workflow_steps.hpp"

namespace simexit {
namespace {

using termination_steps::ConfirmationSecrets;
using termination_steps::IllegalTransition;
using termination_steps::InsufficientRole;
using termination_steps::LoadTermination;
using termination_steps::TerminationNotFound;

tl::unexpected<Error> ConfirmationNotFound() {
  return Fail(ErrorCode::kNotFound, "confirmation_not_found", "no such confirmation link");
}

tl::unexpected<Error> AlreadyConfirmed() {
  return Fail(ErrorCode::kFailedPrecondition, "already_confirmed",
              "this request was already confirmed");
}

Error TooManyAttempts() {
  return Error{ErrorCode::kResourceExhausted, "too_many_attempts",
               "too many wrong codes; the agent can send a new one"};
}

// The request still waits for its holder: not confirmed, not expired, submitted.
Result<void> CheckWaiting(const ConfirmationRecord& c, const TerminationRecord& t,
                          UnixSeconds now) {
  if (c.confirmed_at) {
    return AlreadyConfirmed();
  }
  if (c.expires_at <= now) {
    return Fail(ErrorCode::kFailedPrecondition, "confirmation_expired",
                "the time to confirm this request has passed; ask for a new request");
  }
  if (t.state != TerminationState::kSubmitted) {
    return IllegalTransition(std::string("the request is ") + ToString(t.state));
  }
  return {};
}

// The confirmation of a phone request succeeded: identity is proven, the
// request goes on as any other.
Result<TerminationRecord> ConfirmPhoneRequest(StoreTx& tx, TerminationRecord t,
                                              ConfirmationRecord c, const std::string& how,
                                              UnixSeconds now) {
  c.confirmed_at = now;
  SIMEXIT_TRY(tx.UpdateConfirmation(c));
  SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(t.operator_id));
  SIMEXIT_TRY(termination_steps::VerifyAndRoute(tx, t, op.policy,
                                                "the holder confirmed " + how + " sent to the line",
                                                "holder:" + std::to_string(t.holder_id), now));
  if (!t.scheduled_for) {
    SIMEXIT_TRY(EnqueueNotice(tx, t, Notice::kReceived, {}, std::nullopt, now));
  }
  return t;
}

// Counts a wrong guess; the refusal the holder gets depends on whether it
// was the last one.
Result<Error> CountWrongCode(StoreTx& tx, const TerminationRecord& t, ConfirmationRecord c,
                             UnixSeconds now) {
  c.attempts += 1;
  SIMEXIT_TRY(tx.UpdateConfirmation(c));
  SIMEXIT_TRY(RecordAction(tx, t, "confirmation_wrong_code", "anonymous",
                           "attempt " + std::to_string(c.attempts), now));
  if (c.attempts >= c.max_attempts) {
    return TooManyAttempts();
  }
  return Error{ErrorCode::kUnauthenticated, "invalid_code", "the code is not right", "code"};
}

// How many times an agent already sent a new code for request `id`.
Result<int> CountResends(StoreTx& tx, const std::string& id) {
  SIMEXIT_ASSIGN_OR_RETURN(std::vector<TerminationEventRecord> events, tx.ListEvents(id));
  int resends = 0;
  for (const TerminationEventRecord& e : events) {
    resends += e.event == "confirmation_renewed" ? 1 : 0;
  }
  return resends;
}

}  // namespace

bool TerminationService::SendConfirmation(const TerminationRecord& t, const std::string& code,
                                          const std::string& token, int minutes) {
  struct Target {
    std::string language;
    NoticeTemplates templates;
  };
  Result<Target> target = TransactValue<Target>(ctx_.store, [&](StoreTx& tx) -> Result<Target> {
    SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(t.operator_id));
    Result<HolderRecord> holder = tx.GetHolder(t.holder_id);
    return Target{holder ? holder->language : op.default_language, op.policy.sms_templates};
  });
  if (!target) {
    return false;
  }
  std::map<std::string, std::string> params = {
      {"msisdn", t.msisdn}, {"id", t.id}, {"minutes", std::to_string(minutes)}};
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
  sms.recipient = t.msisdn;
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
  Result<TerminationRecord> out =
      TransactValue<TerminationRecord>(ctx_.store, [&](StoreTx& tx) -> Result<TerminationRecord> {
        Result<TerminationRecord> t = tx.GetTermination(id);
        if (!t) {
          return t.error().code == ErrorCode::kNotFound ? TerminationNotFound() : Fail(t.error());
        }
        SIMEXIT_ASSIGN_OR_RETURN(std::optional<ConfirmationRecord> c, tx.FindConfirmation(id));
        if (!c) {
          return TerminationNotFound();
        }
        SIMEXIT_TRY(CheckWaiting(*c, *t, now));
        if (c->attempts >= c->max_attempts) {
          return Fail(TooManyAttempts());
        }
        if (!VerifyOneTimeCode(c->salt, code, c->code_hash)) {
          SIMEXIT_ASSIGN_OR_RETURN(refusal, CountWrongCode(tx, *t, *c, now));
          return *t;  // commit the count; the refusal is returned below
        }
        return ConfirmPhoneRequest(tx, std::move(*t), *c, "with the code", now);
      });
  if (refusal) {
    return Fail(*refusal);
  }
  return out;
}

Result<TerminationRecord> TerminationService::ConfirmByLink(const std::string& token) {
  const UnixSeconds now = ctx_.clock.Now();
  if (token.size() < 8 || token.size() > 100) {
    return ConfirmationNotFound();
  }
  return TransactValue<TerminationRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<TerminationRecord> {
        SIMEXIT_ASSIGN_OR_RETURN(std::optional<ConfirmationRecord> c,
                                 tx.FindConfirmationByLink(HashHex(token)));
        if (!c) {
          return ConfirmationNotFound();
        }
        if (c->confirmed_at) {
          return AlreadyConfirmed();
        }
        SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t, tx.GetTermination(c->termination_id));
        SIMEXIT_TRY(CheckWaiting(*c, t, now));
        return ConfirmPhoneRequest(tx, std::move(t), *c, "with the link", now);
      });
}

Result<PendingConfirmation> TerminationService::ResendConfirmation(const Caller& caller,
                                                                   const std::string& id) {
  if (caller.kind == CallerKind::kHolder) {
    return TerminationNotFound();
  }
  const UnixSeconds now = ctx_.clock.Now();
  ConfirmationSecrets secrets;
  Result<TerminationRecord> renewed =
      TransactValue<TerminationRecord>(ctx_.store, [&](StoreTx& tx) -> Result<TerminationRecord> {
        SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t, LoadTermination(tx, caller, id));
        if (!caller.Can(Permission::kOpenPhone)) {
          return InsufficientRole(caller, "send confirmation codes");
        }
        SIMEXIT_ASSIGN_OR_RETURN(std::optional<ConfirmationRecord> c, tx.FindConfirmation(id));
        if (!c) {
          return IllegalTransition("only phone requests wait for a confirmation");
        }
        if (c->confirmed_at) {
          return AlreadyConfirmed();
        }
        if (t.state != TerminationState::kSubmitted) {
          return IllegalTransition(std::string("the request is ") + ToString(t.state));
        }
        // Each new code brings fresh guesses and another SMS to the holder:
        // a few resends, then a new request.
        SIMEXIT_ASSIGN_OR_RETURN(int resends, CountResends(tx, id));
        if (resends >= kMaxConfirmationResends) {
          return Fail(ErrorCode::kResourceExhausted, "too_many_codes",
                      "the code was sent " + std::to_string(resends + 1) +
                          " times; cancel this request and open a new one if needed");
        }
        SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(t.operator_id));
        SIMEXIT_ASSIGN_OR_RETURN(
            secrets,
            termination_steps::NewConfirmation(
                tx, ctx_.random, t, op.policy.phone_confirmation_minutes, op.policy.otp, now));
        SIMEXIT_TRY(RecordAction(tx, t, "confirmation_renewed", caller.actor,
                                 "a new code replaces the old one", now));
        return t;
      });
  SIMEXIT_TRY(renewed);
  if (!SendConfirmation(*renewed, secrets.code, secrets.token, secrets.minutes)) {
    return Fail(ErrorCode::kUnavailable, "sms_unavailable",
                "the code could not be sent right now; try again in a minute");
  }
  return PendingConfirmation{now + secrets.minutes * 60, true};
}

}  // namespace simexit
