#pragma once
// Certificate serials. A serial is printed on the certificate and is the key
// of the public verify page (/verify/{serial}), so it must not be guessable:
// whoever could list serials could list closures. New serials are "SX-"
// followed by 26 characters of Crockford base32 (0-9, A-Z without I, L, O,
// U) carrying 128 random bits (from the Random port: libsodium in
// production); the last character carries the final 3 bits, so it is one of
// 0, 4, 8, C, G, M, R, W. Serials of older certificates ("SX-2026-000123",
// from a counter) stay as they were issued; they are still found by the
// verify page, but anyone can guess them.

#include <string>
#include <string_view>

#include "simexit/common/random.hpp"

namespace simexit {

inline constexpr std::string_view kSerialPrefix = "SX-";

// A new serial: kSerialPrefix + Crockford base32 of 16 random bytes.
std::string NewCertificateSerial(Random& random);

// Crockford base32 of `bytes` (upper case, no padding, no check symbol).
std::string CrockfordBase32(std::string_view bytes);

// Whether `text` could be the serial of some certificate: either shape above,
// at most 64 characters of [0-9A-Z-]. The verify page looks up nothing else.
bool IsPlausibleCertificateSerial(std::string_view text);

}  // namespace simexit
