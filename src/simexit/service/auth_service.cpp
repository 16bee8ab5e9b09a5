#include "simexit/service/auth_service.hpp"

#include <variant>

#include "simexit/common/crypto.hpp"
#include "simexit/common/log.hpp"
#include "simexit/domain/notices.hpp"
#include "simexit/domain/one_time_code.hpp"
#include "simexit/service/sign_in_sweep.hpp"
#include "simexit/service/sms_outbox.hpp"

namespace simexit {
namespace {

tl::unexpected<Error> Unauthenticated() {
  return Fail(ErrorCode::kUnauthenticated, "unauthenticated",
              "a valid bearer token or API key is required");
}

// What a verification attempt did. Failures are committed too (the attempt
// counter must survive), so they travel out of the transaction as values.
enum class VerifyOutcome { kOk, kNoCode, kWrong, kExpired, kBurnt };

// Writes one audit record in its own transaction, so refusals (whose own
// transaction rolled back) are recorded too. A failure to audit is logged, not
// returned: the person's answer does not depend on it. The record joins the
// audit chain of the operator that holds the number (none for a number no
// operator holds).
void Audit(Store& store, UnixSeconds now, const std::string& action, const Msisdn& subject,
           const std::string& detail) {
  AuditRecord record;
  record.actor = "holder";
  record.action = action;
  record.subject = subject.e164();
  record.detail = detail;
  record.request_id = CurrentRequestId();
  record.at = now;
  Result<void> done = store.Transact([&](StoreTx& tx) -> Result<void> {
    Result<LineRecord> line = tx.GetLineByMsisdn(subject);
    if (line) {
      record.operator_id = line->operator_id;
    } else if (line.error().code != ErrorCode::kNotFound) {
      return Fail(line.error());
    }
    SIMEXIT_TRY(tx.AppendAudit(record));
    return {};
  });
  if (!done) {
    LogError("audit record not written", {{"action", action}, {"error", done.error().message}});
  }
}

}  // namespace

Result<SignInCodeRequested> AuthService::RequestSignInCode(const Msisdn& msisdn,
                                                           const ClientAddress& client) {
  const UnixSeconds now = ctx_.clock.Now();

  // The answer must not tell a customer's number from any other (docs/security.md):
  // every number gets a challenge row with a freshly hashed code, the same limits
  // and the same answer; only a customer's line is sent the code.
  if (!client_throttle_.Allow(client.text(), now)) {
    Audit(ctx_.store, now, "otp_refused", msisdn, "too_many_codes_client");
    return Fail(ErrorCode::kResourceExhausted, "too_many_codes",
                "too many codes were asked for in the last hour; try again later");
  }

  using Pending = PendingSignInCode;
  Result<Pending> pending = TransactValue<Pending>(ctx_.store, [&](StoreTx& tx) -> Result<Pending> {
    Pending out;
    std::optional<LineRecord> customer;
    if (Result<LineRecord> line = tx.GetLineByMsisdn(msisdn); line) {
      if (line->status == LineStatus::kActive && line->holder_id != 0) {
        customer = *line;
      }
    } else if (line.error().code != ErrorCode::kNotFound) {
      return Fail(line.error());
    }
    std::optional<OperatorRecord> op;
    if (customer) {
      SIMEXIT_ASSIGN_OR_RETURN(op, tx.GetOperator(customer->operator_id));
      out.otp = op->policy.otp;
    } else {
      SIMEXIT_ASSIGN_OR_RETURN(out.otp, CodePolicyForUnknownNumbers(tx));
    }
    SIMEXIT_ASSIGN_OR_RETURN(int recent, tx.CountSignInCodesSince(msisdn, now - 3600));
    if (recent >= out.otp.max_codes_per_hour) {
      return Fail(ErrorCode::kResourceExhausted, "too_many_codes",
                  "too many codes were asked for in the last hour; try again later");
    }
    SIMEXIT_ASSIGN_OR_RETURN(std::optional<SignInCodeRecord> latest, tx.LatestSignInCode(msisdn));
    if (latest && now - latest->created_at < out.otp.resend_cooldown_seconds) {
      return Fail(ErrorCode::kResourceExhausted, "resend_too_soon",
                  "a code was sent moments ago; wait " +
                      std::to_string(out.otp.resend_cooldown_seconds - (now - latest->created_at)) +
                      " s before asking for another");
    }
    // A new code replaces any pending one.
    if (latest && !latest->consumed_at) {
      SignInCodeRecord old = *latest;
      old.consumed_at = now;
      SIMEXIT_TRY(tx.UpdateSignInCode(old));
    }
    // For a number that is not a customer's the code is made, stored hashed and
    // forgotten: the rows, the work and the limits are the same, nobody can
    // know it, and VerifySignInCode opens no session for such a number anyway.
    OneTimeCode code = OneTimeCode::Generate(ctx_.random, out.otp.length);
    SignInCodeRecord challenge;
    challenge.msisdn = msisdn;
    challenge.salt = code.salt;
    challenge.code_hash = code.hash;
    challenge.created_at = now;
    challenge.expires_at = now + out.otp.lifetime_seconds;
    challenge.max_attempts = out.otp.max_attempts;
    SIMEXIT_TRY(SweepSignInCodes(tx, now));
    SIMEXIT_TRY(tx.InsertSignInCode(challenge));
    if (customer) {
      out.code = code.code;
      out.operator_id = op->id;
      out.templates = op->policy.sms_templates;
      Result<HolderRecord> holder = tx.GetHolder(customer->holder_id);
      out.language = holder ? holder->language : op->default_language;
      out.send = true;
    }
    return out;
  });
  if (!pending) {
    Audit(ctx_.store, now, "otp_refused", msisdn, pending.error().problem_code);
    return Fail(pending.error());
  }

  SignInCodeRequested result;
  result.expires_in_seconds = pending->otp.lifetime_seconds;
  result.resend_after_seconds = pending->otp.resend_cooldown_seconds;
  // The SMS goes out after the answer, for a customer's number and any other
  // alike (the other's is only an audit record), so the answer's timing does
  // not depend on the SMSC's (docs/security.md).
  ctx_.AfterAnswer([this, number = msisdn, now, pending = std::move(*pending)] {
    SendSignInCode(number, now, pending);
  });
  return result;
}

void AuthService::SendSignInCode(const Msisdn& number, UnixSeconds now,
                                 const PendingSignInCode& pending) {
  if (!pending.send) {
    Audit(ctx_.store, now, "otp_not_sent", number, "no active line with a holder");
    return;
  }
  // Sent at once rather than by the worker, and recorded with the code
  // masked: the code never rests anywhere in clear text.
  const std::map<std::string, std::string> params = {
      {"minutes", std::to_string(pending.otp.lifetime_seconds / 60)}};
  std::map<std::string, std::string> real = params;
  real["code"] = pending.code;
  std::map<std::string, std::string> masked = params;
  masked["code"] = std::string(pending.code.size(), '*');
  SmsRecord sms;
  sms.operator_id = pending.operator_id;
  sms.recipient = number.e164();
  sms.kind = ToString(Notice::kSignInCode);
  sms.language = pending.language;
  sms.text = RenderNotice(Notice::kSignInCode, pending.language, masked, pending.templates);
  SmsOutbox outbox(ctx_);
  if (Result<void> sent = outbox.SendNow(
          sms, RenderNotice(Notice::kSignInCode, pending.language, real, pending.templates));
      !sent) {
    // The SMSC's details stay in the audit trail and the outbox row. The
    // caller hears nothing of it: only a customer's number is ever sent a
    // code, so a failure to send would tell that the number is one. The
    // holder, who gets no SMS, asks again after the cool-down.
    Audit(ctx_.store, now, "otp_send_failed", number, sent.error().problem_code);
  } else {
    Audit(ctx_.store, now, "otp_sent", number, "");
  }
}

Result<OtpPolicy> AuthService::CodePolicyForUnknownNumbers(StoreTx& tx) {
  // When every operator agrees (one operator, or unchanged defaults), an unknown
  // number gets exactly a customer's limits and answer. Operators whose sign-in
  // settings differ make their customers' answers differ from the default's
  // (docs/security.md).
  SIMEXIT_ASSIGN_OR_RETURN(std::vector<OperatorRecord> operators, tx.ListOperators());
  if (operators.empty()) {
    return OtpPolicy{};
  }
  for (const OperatorRecord& op : operators) {
    if (!(op.policy.otp == operators.front().policy.otp)) {
      return OtpPolicy{};
    }
  }
  return operators.front().policy.otp;
}

Result<SignedIn> AuthService::VerifySignInCode(const Msisdn& msisdn, const std::string& code) {
  const UnixSeconds now = ctx_.clock.Now();

  struct Verified {
    VerifyOutcome outcome = VerifyOutcome::kNoCode;
    SignedIn session;
  };
  Result<Verified> verified =
      TransactValue<Verified>(ctx_.store, [&](StoreTx& tx) -> Result<Verified> {
        Verified out;
        SIMEXIT_ASSIGN_OR_RETURN(std::optional<SignInCodeRecord> latest,
                                 tx.LatestSignInCode(msisdn));
        if (!latest || latest->consumed_at) {
          // Hash anyway, so that "no code" costs what a wrong code costs.
          (void)VerifyOneTimeCodeAgainstNothing(code);
          return out;
        }
        SignInCodeRecord challenge = *latest;
        if (challenge.attempts >= challenge.max_attempts) {
          out.outcome = VerifyOutcome::kBurnt;
          return out;
        }
        const bool right = VerifyOneTimeCode(challenge.salt, code, challenge.code_hash);
        // An expired code is answered like a wrong one and counts as a guess,
        // so that the caller cannot tell the two apart.
        const bool expired = now >= challenge.expires_at;
        Result<LineRecord> line = tx.GetLineByMsisdn(msisdn);
        if (!line && line.error().code != ErrorCode::kNotFound) {
          return Fail(line.error());
        }
        const bool customer = line && line->status == LineStatus::kActive && line->holder_id != 0;
        if (!right || expired || !customer) {
          ++challenge.attempts;
          SIMEXIT_TRY(tx.UpdateSignInCode(challenge));
          if (challenge.attempts >= challenge.max_attempts) {
            out.outcome = VerifyOutcome::kBurnt;
          } else {
            out.outcome = right && expired ? VerifyOutcome::kExpired : VerifyOutcome::kWrong;
          }
          return out;
        }
        challenge.consumed_at = now;
        SIMEXIT_TRY(tx.UpdateSignInCode(challenge));
        out.session.token = "st_" + ctx_.random.Hex(32);
        out.session.expires_at = now + kSessionSeconds;
        SessionRecord session;
        session.token_hash = HashHex(out.session.token);
        session.holder_id = line->holder_id;
        session.msisdn = msisdn;
        session.created_at = now;
        session.expires_at = out.session.expires_at;
        SIMEXIT_TRY(tx.InsertSession(session));
        // Signing in is the holder's "keep my line": it stops the dormancy
        // clock as paid activity does (dormancy_sweep.hpp).
        SIMEXIT_TRY(tx.RecordLineKept(line->id, line->operator_id, now));
        out.outcome = VerifyOutcome::kOk;
        return out;
      });
  if (!verified) {
    return Fail(verified.error());
  }
  static constexpr const char* kOutcomeActions[] = {"otp_verified", "otp_no_code", "otp_wrong",
                                                    "otp_expired", "otp_locked"};
  Audit(ctx_.store, now, kOutcomeActions[static_cast<int>(verified->outcome)], msisdn, "");
  switch (verified->outcome) {
    case VerifyOutcome::kOk:
      return verified->session;
    case VerifyOutcome::kNoCode:
    case VerifyOutcome::kWrong:
    case VerifyOutcome::kExpired:
      return Fail(ErrorCode::kUnauthenticated, "invalid_code",
                  "the code is wrong or no longer valid; ask for a new one if in doubt");
    case VerifyOutcome::kBurnt:
      return Fail(ErrorCode::kResourceExhausted, "too_many_attempts",
                  "too many wrong codes; this code no longer works, ask for a new one");
  }
  return Fail(ErrorCode::kInternal, "internal", "unreachable");
}

Result<void> AuthService::Logout(const std::string& token) {
  if (token.rfind("st_", 0) != 0 || token.size() > 200) {
    return Unauthenticated();
  }
  const std::string hash = HashHex(token);
  const UnixSeconds now = ctx_.clock.Now();
  Msisdn msisdn;
  Result<void> done = ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(std::optional<SessionRecord> session, tx.FindSession(hash));
    if (!session || session->expires_at <= now) {
      return Unauthenticated();
    }
    msisdn = session->msisdn;
    return tx.RevokeSession(hash);
  });
  if (!done) {
    return done;
  }
  Audit(ctx_.store, now, "holder_logout", msisdn, "");
  return {};
}

Result<Caller> AuthService::Authenticate(const std::string& bearer) {
  if (bearer.size() < 8 || bearer.size() > 200) {
    return Unauthenticated();
  }
  const std::string hash = HashHex(bearer);
  if (!admin_key_hash_.empty() && ConstantTimeEquals(hash, admin_key_hash_)) {
    return Caller::Admin(0);
  }
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<Caller>(ctx_.store, [&](StoreTx& tx) -> Result<Caller> {
    if (bearer.rfind("st_", 0) == 0) {
      SIMEXIT_ASSIGN_OR_RETURN(std::optional<SessionRecord> session, tx.FindSession(hash));
      if (!session || session->expires_at <= now) {
        return Unauthenticated();
      }
      return Caller::Holder(session->holder_id, session->msisdn);
    }
    if (bearer.rfind("ss_", 0) == 0) {
      // Staff sessions end at expiry, at logout, and when the account is
      // disabled or its password reset (those revoke them); a disabled
      // account is also refused here in case a revocation was missed.
      SIMEXIT_ASSIGN_OR_RETURN(std::optional<StaffSessionRecord> session,
                               tx.FindStaffSession(hash));
      if (!session || session->revoked_at || session->expires_at <= now) {
        return Unauthenticated();
      }
      Result<StaffRecord> staff = tx.GetStaff(session->staff_id);
      if (!staff) {
        if (staff.error().code == ErrorCode::kNotFound) {
          return Unauthenticated();
        }
        return Fail(staff.error());
      }
      if (staff->disabled) {
        return Unauthenticated();
      }
      return Caller::Staff(staff->id, staff->operator_id, staff->role);
    }
    if (bearer.rfind("sk_", 0) == 0) {
      SIMEXIT_ASSIGN_OR_RETURN(std::optional<ApiKeyRecord> key, tx.FindApiKey(hash));
      if (!key || key->disabled) {
        return Unauthenticated();
      }
      if (key->role == ApiKeyRole::kAdmin) {
        return Caller::Admin(key->id);
      }
      return Caller::Operator(key->operator_id, key->id);
    }
    return Unauthenticated();
  });
}

Result<CreatedApiKey> AuthService::CreateApiKey(std::int64_t operator_id,
                                                const std::string& label) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<CreatedApiKey>(ctx_.store, [&](StoreTx& tx) -> Result<CreatedApiKey> {
    SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(operator_id));
    CreatedApiKey out;
    out.key = "sk_" + op.code + "_" + ctx_.random.Hex(24);
    out.prefix = out.key.substr(0, op.code.size() + 8);
    ApiKeyRecord record;
    record.key_hash = HashHex(out.key);
    record.prefix = out.prefix;
    record.role = ApiKeyRole::kOperatorSystem;
    record.operator_id = operator_id;
    record.label = label;
    record.created_at = now;
    SIMEXIT_ASSIGN_OR_RETURN(out.id, tx.InsertApiKey(record));
    return out;
  });
}

Result<CreatedApiKey> AuthService::CreateAdminKey(const std::string& label) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<CreatedApiKey>(ctx_.store, [&](StoreTx& tx) -> Result<CreatedApiKey> {
    CreatedApiKey out;
    out.key = "sk_admin_" + ctx_.random.Hex(24);
    out.prefix = out.key.substr(0, 13);
    ApiKeyRecord record;
    record.key_hash = HashHex(out.key);
    record.prefix = out.prefix;
    record.role = ApiKeyRole::kAdmin;
    record.label = label;
    record.created_at = now;
    SIMEXIT_ASSIGN_OR_RETURN(out.id, tx.InsertApiKey(record));
    return out;
  });
}

}  // namespace simexit
