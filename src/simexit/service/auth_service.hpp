#pragma once
// Sign-in and caller authentication.
//
// Holders sign in with a one-time code sent by SMS to the line they want to
// act on; the code is random (libsodium), stored only as a salted hash, valid
// for policy.otp.lifetime_seconds, single use, and burnt after
// policy.otp.max_attempts wrong guesses. Numbers simexit does not know, or whose
// line is not active, get the same answers as customers' numbers, under the same
// limits, after the same work; only they get no SMS (docs/security.md).
// Operators and admins authenticate with API keys (stored hashed); operators'
// staff with "ss_" session tokens from StaffService::Login.

#include <string>
#include <string_view>

#include "simexit/common/client_address.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/domain/policy.hpp"
#include "simexit/service/caller.hpp"
#include "simexit/service/client_throttle.hpp"
#include "simexit/service/context.hpp"

namespace simexit {

struct SignInCodeRequested {
  int expires_in_seconds = 0;
  int resend_after_seconds = 0;
};

struct SignedIn {
  std::string token;  // bearer token "st_..." (returned once, stored hashed)
  UnixSeconds expires_at = 0;
};

struct CreatedApiKey {
  std::int64_t id = 0;
  std::string key;  // "sk_<operator>_<hex>" (returned once, stored hashed)
  std::string prefix;
};

// Limits at the sign-in edge that are not per operator.
struct AuthLimits {
  // Sign-in codes one client address may ask for per rolling hour, whatever
  // the numbers (so that one client cannot probe many numbers).
  int codes_per_client_per_hour = 30;
};

class AuthService {
 public:
  // `admin_key_hash`: HashHex of the admin API key (empty disables it).
  AuthService(ServiceContext& ctx, std::string admin_key_hash, AuthLimits limits = {})
      : ctx_(ctx),
        admin_key_hash_(std::move(admin_key_hash)),
        client_throttle_(limits.codes_per_client_per_hour, 3600) {}

  // Sends a sign-in code to the line if it is an active line with a holder;
  // any other number gets the same answer and limits, and no SMS. `client` is
  // the requester's address (empty when there is none). Each request also
  // sweeps sign-in codes no rule reads any more (sign_in_sweep.hpp). The answer's times are
  // the line's operator's policy; for other numbers, the policy every operator
  // shares, else the defaults. The SMS is sent after the answer
  // (ServiceContext::AfterAnswer), so the answer takes as long for any number;
  // a failure to send is audited, not answered.
  // Errors: kResourceExhausted "too_many_codes" (policy.otp.max_codes_per_hour
  // reached for the number, or AuthLimits::codes_per_client_per_hour for the
  // client), "resend_too_soon" (within policy.otp.resend_cooldown_seconds).
  Result<SignInCodeRequested> RequestSignInCode(const Msisdn& msisdn,
                                                const ClientAddress& client = {});

  // Checks a code and opens a holder session. Errors: kUnauthenticated
  // "invalid_code" (wrong code, expired code, no code pending, or not a
  // customer's number: one answer for all, and each counts as a guess);
  // kResourceExhausted "too_many_attempts" (the code is burnt; ask for a new one).
  Result<SignedIn> VerifySignInCode(const Msisdn& msisdn, const std::string& code);

  // Signs a holder out: the session of `token` ("st_...") is deleted, so the
  // token no longer authenticates anywhere (API or pages); audited
  // "holder_logout". Errors: kUnauthenticated "unauthenticated" (not a live
  // holder session, including one already signed out or expired).
  Result<void> Logout(const std::string& token);

  // Resolves an Authorization bearer credential. Errors: kUnauthenticated
  // "unauthenticated".
  Result<Caller> Authenticate(const std::string& bearer);

  // Creates an operator API key (admin use). kNotFound for an unknown operator.
  Result<CreatedApiKey> CreateApiKey(std::int64_t operator_id, const std::string& label);
  // Creates an admin API key.
  Result<CreatedApiKey> CreateAdminKey(const std::string& label);

  // Session lifetime for holders.
  static constexpr int kSessionSeconds = 30 * 60;

 private:
  // A sign-in code made in RequestSignInCode's transaction, until its SMS is
  // sent after the answer. The code is held here in memory only.
  struct PendingSignInCode {
    bool send = false;  // a customer's number; for any other, nothing is sent
    std::int64_t operator_id = 0;
    NoticeTemplates templates;
    std::string code;
    std::string language;
    OtpPolicy otp;
  };
  // Sends the code (or, for another number, records that nothing was sent)
  // and writes the audit record; runs through ServiceContext::AfterAnswer.
  void SendSignInCode(const Msisdn& number, UnixSeconds now, const PendingSignInCode& pending);

  // The sign-in settings applied to numbers that are not a customer's.
  static Result<OtpPolicy> CodePolicyForUnknownNumbers(StoreTx& tx);

  ServiceContext& ctx_;
  std::string admin_key_hash_;
  ClientThrottle client_throttle_;
};

}  // namespace simexit
