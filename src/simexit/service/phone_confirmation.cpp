// The holder's answer to a phone request: ConfirmByCode, ConfirmByLink,
// ResendConfirmation, and the SMS that carries the code and the link.

#include <map>

#include "simexit/common/clock.hpp"
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

// The one answer an anonymous caller gets for a link that does not confirm
// anything: unknown, expired, already used or no longer waiting alike
// (docs/security.md).
tl::unexpected<Error> ConfirmationNotFound() {
  return Fail(ErrorCode::kNotFound, "confirmation_not_found",
              "this link does not confirm anything: it is wrong, expired or already used");
}

// The one answer an anonymous caller gets for a code that does not confirm
// the request: a wrong code, an unknown request, one with no pending code, or
// one whose code expired, was used or is burnt alike.
tl::unexpected<Error> CodeNotAccepted() {
  return FailField(ErrorCode::kUnauthenticated, "invalid_code", "code",
                   "the code is not right, or this request does not wait for one; the agent "
                   "can send a new code");
}

tl::unexpected<Error> AlreadyConfirmed() {
  return Fail(ErrorCode::kFailedPrecondition, "already_confirmed",
              "this request was already confirmed");
}

// Whether the request still waits for its holder: not confirmed, not
// expired, submitted.
bool IsWaiting(const ConfirmationRecord& c, const TerminationRecord& t, UnixSeconds now) {
  return !c.confirmed_at && c.expires_at > now && t.state == TerminationState::kSubmitted;
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

// Counts a wrong guess; after confirmation.max_attempts the code is burnt.
Result<void> CountWrongCode(StoreTx& tx, const TerminationRecord& t, ConfirmationRecord c,
                            UnixSeconds now) {
  c.attempts += 1;
  SIMEXIT_TRY(tx.UpdateConfirmation(c));
  return RecordAction(tx, t, "confirmation_wrong_code", "anonymous",
                      "attempt " + std::to_string(c.attempts), now);
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
      {"msisdn", t.msisdn.e164()}, {"id", t.id}, {"minutes", std::to_string(minutes)}};
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
  sms.recipient = t.msisdn.e164();
  sms.kind = ToString(Notice::kConfirmRequest);
  sms.language = target->language;
  sms.text = RenderNotice(Notice::kConfirmRequest, target->language, masked, target->templates);
  SmsOutbox outbox(ctx_);
  Result<void> sent = outbox.SendNow(
      sms, RenderNotice(Notice::kConfirmRequest, target->language, real, target->templates));
  const UnixSeconds now = ctx_.clock.Now();
  (void)ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    return RecordAction(tx, t, sent ? "confirmation_sent" : "confirmation_send_failed", "system",
                        sent ? "code and link sent to the line" : sent.error().problem_code, now);
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
  // Only a right code for a waiting request confirms; every other case is one
  // answer, after the same hashing. Wrong guesses on a waiting request are
  // counted (and committed) although the call fails.
  Result<std::optional<TerminationRecord>> out = TransactValue<std::optional<TerminationRecord>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::optional<TerminationRecord>> {
        Result<TerminationRecord> t = tx.GetTermination(id);
        if (!t && t.error().code != ErrorCode::kNotFound) {
          return Fail(t.error());
        }
        std::optional<ConfirmationRecord> c;
        if (t) {
          SIMEXIT_ASSIGN_OR_RETURN(c, tx.FindConfirmation(id));
        }
        if (!c) {
          (void)VerifyOneTimeCodeAgainstNothing(code);
          return std::nullopt;
        }
        const bool right = VerifyOneTimeCode(c->salt, code, c->code_hash);
        if (!IsWaiting(*c, *t, now) || c->attempts >= c->max_attempts) {
          return std::nullopt;
        }
        if (!right) {
          SIMEXIT_TRY(CountWrongCode(tx, *t, *c, now));
          return std::nullopt;
        }
        SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord confirmed,
                                 ConfirmPhoneRequest(tx, std::move(*t), *c, "with the code", now));
        return confirmed;
      });
  if (!out) {
    return Fail(out.error());
  }
  if (!*out) {
    return CodeNotAccepted();
  }
  return std::move(**out);
}

Result<TerminationRecord> TerminationService::ConfirmByLink(const std::string& token) {
  const UnixSeconds now = ctx_.clock.Now();
  if (!IsConfirmationTokenShape(token)) {
    return ConfirmationNotFound();
  }
  Result<std::optional<TerminationRecord>> out = TransactValue<std::optional<TerminationRecord>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::optional<TerminationRecord>> {
        SIMEXIT_ASSIGN_OR_RETURN(std::optional<ConfirmationRecord> c,
                                 tx.FindConfirmationByLink(HashHex(token)));
        if (!c) {
          return std::nullopt;
        }
        SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t, tx.GetTermination(c->termination_id));
        if (!IsWaiting(*c, t, now)) {
          return std::nullopt;
        }
        SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord confirmed,
                                 ConfirmPhoneRequest(tx, std::move(t), *c, "with the link", now));
        return confirmed;
      });
  if (!out) {
    return Fail(out.error());
  }
  if (!*out) {
    return ConfirmationNotFound();
  }
  return std::move(**out);
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
  return PendingConfirmation{now + secrets.minutes * kSecondsPerMinute, true};
}

}  // namespace simexit
