#pragma once
// One-time codes sent by SMS: the holder's sign-in code (AuthService) and the
// confirmation code of a phone request (TerminationService). Both are short
// decimal codes kept only as a salted hash and compared in constant time.
//
// The stored hash is hex SHA-256 of "<salt>:<code>" (HashHex in
// common/crypto.hpp), the form both callers used before this type existed:
// rows already stored keep verifying.

#include <string>
#include <string_view>

#include "simexit/common/random.hpp"

namespace simexit {

struct OneTimeCode {
  std::string code;  // the digits to send; never stored
  std::string salt;  // 32 hex characters
  std::string hash;  // HashOneTimeCode(salt, code): what is stored

  // `length` (1..20) uniformly random decimal digits and a fresh salt.
  static OneTimeCode Generate(Random& random, int length);
};

// Hex SHA-256 of "<salt>:<code>".
std::string HashOneTimeCode(std::string_view salt, std::string_view code);

// Whether `code` hashes with `salt` to `stored_hash`, compared in constant time.
bool VerifyOneTimeCode(std::string_view salt, std::string_view code, std::string_view stored_hash);

// Does the work of VerifyOneTimeCode when there is no code to check against,
// so that "nothing pending" costs what a wrong code costs. Always false.
bool VerifyOneTimeCodeAgainstNothing(std::string_view code);

// Whether `token` has the shape of a confirmation link token: "cf_" and 32
// lower-case hex digits. Checked before a token from a URL is used anywhere
// (a lookup, a page).
bool IsConfirmationTokenShape(std::string_view token);

}  // namespace simexit
