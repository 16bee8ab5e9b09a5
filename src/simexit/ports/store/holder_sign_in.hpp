#pragma once
// How holders sign in: the SMS sign-in codes (stored hashed) and the bearer
// sessions they open.
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict, kNotFound from Get* when
// the row is absent, kInternal otherwise.

#include <cstdint>
#include <optional>
#include <string>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/msisdn.hpp"

namespace simexit {

struct SignInCodeRecord {
  std::int64_t id = 0;
  Msisdn msisdn;
  std::string code_hash;  // hex; never the code
  std::string salt;       // hex, per code
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
  int attempts = 0;  // failed verifications so far
  int max_attempts = 5;
  std::optional<UnixSeconds> consumed_at;

  bool operator==(const SignInCodeRecord&) const = default;
};

struct SessionRecord {
  std::string token_hash;  // hex of the bearer token's hash; never the token
  std::int64_t holder_id = 0;
  Msisdn msisdn;  // the line the holder proved possession of
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;

  bool operator==(const SessionRecord&) const = default;
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class HolderSignInRepository {
 public:
  virtual ~HolderSignInRepository() = default;

  // Sign-in codes (the confirmation codes of phone requests are confirmations).
  virtual Result<std::int64_t> InsertSignInCode(const SignInCodeRecord& code) = 0;
  virtual Result<void> UpdateSignInCode(const SignInCodeRecord& code) = 0;
  // The newest sign-in code issued for the number, consumed or not.
  virtual Result<std::optional<SignInCodeRecord>> LatestSignInCode(const Msisdn& msisdn) = 0;
  // Sign-in codes issued for the number at or after `since`.
  virtual Result<int> CountSignInCodesSince(const Msisdn& msisdn, UnixSeconds since) = 0;
  // Housekeeping (service/sign_in_sweep.hpp). Deletes at most `batch`
  // sign-in code challenges among the `batch` oldest, those created before
  // `created_before` and expired at `now`; returns how many it deleted.
  virtual Result<std::int64_t> SweepSignInCodes(UnixSeconds created_before, UnixSeconds now,
                                                int batch) = 0;

  virtual Result<void> InsertSession(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) = 0;
  // Sign-out: deletes the session, so its token no longer authenticates.
  // kNotFound when no session has that hash (already revoked or never made).
  virtual Result<void> RevokeSession(const std::string& token_hash) = 0;
};

}  // namespace simexit
