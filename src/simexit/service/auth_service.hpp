#pragma once
// Sign-in and caller authentication.
//
// Holders sign in with a one-time code sent by SMS to the line they want to
// act on; the code is random (libsodium), stored only as a salted hash, valid
// for policy.otp.lifetime_seconds, single use, and burnt after
// policy.otp.max_attempts wrong guesses. Numbers simexit does not know get the
// same answer as known ones (no enumeration) and no SMS.
// Operators and admins authenticate with API keys (stored hashed); operators'
// staff with "ss_" session tokens from StaffService::Login.

#include <string>

#include "simexit/common/result.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/service/caller.hpp"
#include "simexit/service/context.hpp"

namespace simexit {

struct OtpRequested {
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

class AuthService {
 public:
  // `admin_key_hash`: HashHex of the admin API key (empty disables it).
  AuthService(ServiceContext& ctx, std::string admin_key_hash)
      : ctx_(ctx), admin_key_hash_(std::move(admin_key_hash)) {}

  // Sends a sign-in code to the line. Errors: kResourceExhausted
  // "too_many_codes" (policy.otp.max_codes_per_hour reached),
  // "resend_too_soon" (within policy.otp.resend_cooldown_seconds);
  // kUnavailable "sms_unavailable" when the SMS gateway is down.
  Result<OtpRequested> RequestOtp(const Msisdn& msisdn);

  // Checks a code and opens a holder session. Errors: kUnauthenticated
  // "invalid_code" (wrong code, or no code pending), "code_expired";
  // kResourceExhausted "too_many_attempts" (the code is burnt; ask for a new one).
  Result<SignedIn> VerifyOtp(const Msisdn& msisdn, const std::string& code);

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
  ServiceContext& ctx_;
  std::string admin_key_hash_;
};

}  // namespace simexit
