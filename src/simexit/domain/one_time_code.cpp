#include "simexit/domain/one_time_code.hpp"

#include <cassert>

#include "simexit/common/crypto.hpp"

namespace simexit {

OneTimeCode OneTimeCode::Generate(Random& random, int length) {
  assert(length >= 1 && length <= 20);
  OneTimeCode out;
  for (int i = 0; i < length; ++i) {
    out.code += static_cast<char>('0' + random.Uniform(10));
  }
  out.salt = random.Hex(16);
  out.hash = HashOneTimeCode(out.salt, out.code);
  return out;
}

std::string HashOneTimeCode(std::string_view salt, std::string_view code) {
  std::string input(salt);
  input += ':';
  input += code;
  return HashHex(input);
}

bool VerifyOneTimeCode(std::string_view salt, std::string_view code, std::string_view stored_hash) {
  return ConstantTimeEquals(HashOneTimeCode(salt, code), stored_hash);
}

bool VerifyOneTimeCodeAgainstNothing(std::string_view code) {
  static constexpr std::string_view kNoSalt = "00000000000000000000000000000000";
  static constexpr std::string_view kNoHash =
      "0000000000000000000000000000000000000000000000000000000000000000";
  (void)VerifyOneTimeCode(kNoSalt, code, kNoHash);
  return false;
}

bool IsConfirmationTokenShape(std::string_view token) {
  constexpr std::string_view kPrefix = "cf_";
  if (token.size() != kPrefix.size() + 32 || token.substr(0, kPrefix.size()) != kPrefix) {
    return false;
  }
  return token.substr(kPrefix.size()).find_first_not_of("0123456789abcdef") ==
         std::string_view::npos;
}

}  // namespace simexit
