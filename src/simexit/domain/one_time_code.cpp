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

}  // namespace simexit
