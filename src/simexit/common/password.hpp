#pragma once
// Password hashing for staff sign-in: Argon2id (libsodium crypto_pwhash_str)
// with the INTERACTIVE limits (~0.1 s and 64 MiB per hash), so a stolen
// database is slow to guess against. The hash string carries its own salt and
// parameters, so limits can be raised later: NeedsRehash says when a stored
// hash is weaker than what HashPassword makes today.

#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit {

// The "$argon2id$..." string for `password`. kInternal "password_hash_failed"
// when libsodium cannot allocate the memory the hash needs.
Result<std::string> HashPassword(std::string_view password);

// Whether `password` matches `hash` (a HashPassword result). False for a
// malformed hash. Takes as long as hashing does.
bool VerifyPassword(const std::string& hash, std::string_view password);

// Whether `hash` was made with other parameters (or another algorithm) than
// HashPassword uses now; true for a malformed hash.
bool PasswordNeedsRehash(const std::string& hash);

// A valid hash of a random password no one knows, made once per process.
// Verifying against it costs what a real check costs: sign-in uses it for
// usernames that do not exist, so they answer no faster than real ones.
const std::string& DummyPasswordHash();

}  // namespace simexit
