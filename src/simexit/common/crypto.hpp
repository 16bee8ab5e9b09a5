#pragma once
// Small wrappers over libsodium used for secrets at rest: codes, tokens and keys
// are stored only as hashes, and compared in constant time.

#include <string>
#include <string_view>

namespace simexit {

// BLAKE2b-256 of `data`, keyed with `key` when it is not empty (key 16..64 bytes),
// as lower-case hex.
std::string HashHex(std::string_view data, std::string_view key = {});

// SHA-256 of `data` as lower-case hex (64 characters): content addresses of
// uploaded files, where an outside tool (sha256sum) must be able to check them.
std::string Sha256Hex(std::string_view data);

// Constant-time equality of two strings of equal length (false when lengths differ;
// the length itself is not secret here: every hash is 64 hex characters).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Decodes lower/upper-case hex; returns false on bad input.
bool HexDecode(std::string_view hex, std::string* out);

}  // namespace simexit
