#pragma once
// HMAC-SHA256 (libsodium's crypto_auth_hmacsha256), for the signatures on
// webhook deliveries (docs/events.md).

#include <string>
#include <string_view>

namespace simexit {

// HMAC-SHA256 of `message` keyed with `key` (any length), as standard base64
// with padding (44 characters).
std::string HmacSha256Base64(std::string_view key, std::string_view message);

}  // namespace simexit
