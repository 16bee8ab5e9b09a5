#include "simexit/certificate/serial.hpp"

#include <cstdint>

#include "simexit/common/crypto.hpp"

namespace simexit {

std::string CrockfordBase32(std::string_view bytes) {
  constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kAlphabet[(buffer >> bits) & 0x1f];
    }
  }
  if (bits > 0) {
    out += kAlphabet[(buffer << (5 - bits)) & 0x1f];
  }
  return out;
}

std::string NewCertificateSerial(Random& random) {
  std::string bytes;
  // Hex of 16 random bytes always decodes.
  HexDecode(random.Hex(16), &bytes);
  return std::string(kSerialPrefix) + CrockfordBase32(bytes);
}

bool IsPlausibleCertificateSerial(std::string_view text) {
  if (text.empty() || text.size() > 64 || !text.starts_with("SX")) {
    return false;
  }
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-')) {
      return false;
    }
  }
  return true;
}

}  // namespace simexit
