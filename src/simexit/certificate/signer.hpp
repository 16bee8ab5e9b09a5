#pragma once
// Signing and verifying termination certificates with Ed25519 (RFC 8032, via
// libsodium crypto_sign_*). Any Ed25519 library verifies them: see
// docs/certificate.md.

#include <array>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "simexit/certificate/certificate.hpp"
#include "simexit/common/result.hpp"

namespace simexit {

// The key id of an Ed25519 public key (32 raw bytes): the first 16 hex chars
// of BLAKE2b-256 (unkeyed) of the key, i.e. its first 8 digest bytes.
std::string KeyIdOf(std::span<const unsigned char, 32> public_key);

// Holds one Ed25519 key pair. Copies share nothing; the secret key is wiped on
// destruction. Thread-safe for concurrent const calls.
class CertificateSigner {
 public:
  // Loads the key whose 32-byte seed is stored hex-encoded (64 hex chars,
  // either case, optional trailing ASCII whitespace) in `key_file`. If the file
  // does not exist, generates a random seed and writes it there with mode 0600,
  // atomically (a temporary file in the same directory is linked into place,
  // so a concurrent starter either wins or loads the winner's key).
  // Errors (all kFailedPrecondition: fix the deployment, then restart):
  //   "invalid_signing_key": the file exists but does not hold exactly one
  //       64-hex-char seed. It is never replaced: certificates already issued
  //       name that key.
  //   "signing_key_io": the file or its directory cannot be read or written.
  static Result<CertificateSigner> LoadOrCreate(const std::filesystem::path& key_file);

  // The key pair of a known seed (tests, RFC 8032 vectors).
  static CertificateSigner FromSeed(std::span<const unsigned char, 32> seed);

  CertificateSigner(const CertificateSigner&) = default;
  CertificateSigner& operator=(const CertificateSigner&) = default;
  ~CertificateSigner();

  std::string public_key_hex() const;     // 64 lower-case hex chars
  std::string public_key_base64() const;  // 44 chars, standard base64 with padding
  std::string key_id() const;             // KeyIdOf(public key)
  const std::array<unsigned char, 32>& public_key() const { return public_key_; }

  // Signs CanonicalJson(body.ToJson()) and returns the signed certificate.
  // Errors: those of body.Validate() (kInvalidArgument, "malformed_certificate"):
  // an invalid body is never signed.
  Result<SignedCertificate> Sign(const CertificateBody& body) const;

  // The raw 64-byte Ed25519 signature of `message` (RFC 8032 "PureEdDSA").
  std::string SignBytes(std::string_view message) const;

 private:
  CertificateSigner() = default;
  std::array<unsigned char, 32> public_key_{};
  std::array<unsigned char, 64> secret_key_{};  // libsodium layout: seed || public key
};

// Checks a signed certificate document (the bytes of a file) against a public
// key, given as 64 hex chars or as 44 chars of standard base64 (surrounding
// whitespace ignored). Succeeds only when the signature in the document is a
// valid Ed25519 signature by that key over CanonicalJson of the "certificate"
// object exactly as received (a member added, removed or changed anywhere in
// it breaks the signature), the document's key_id is that key's id, and the
// certificate then reads as a CertificateBody. Whitespace between JSON tokens
// and the order of members do not matter (they are not part of the canonical form).
// Errors (all kInvalidArgument):
//   "invalid_public_key": the key is neither form, or not a valid Ed25519 point.
//   "malformed_certificate": not strict JSON (see ParseStrictJson), not of the
//       SignedCertificate shape, a signature that is not canonical base64 of 64
//       bytes, algorithm other than "Ed25519", a certificate object that cannot
//       be canonicalised, or (after the signature checks) fields that do not
//       read as a CertificateBody.
//   "signature_mismatch": the signature does not verify, or key_id names
//       another key. Message: "certificate signature does not match: the
//       document was altered or signed by another key".
Result<void> VerifyCertificate(std::string_view document_json, std::string_view public_key);

// As VerifyCertificate, returning the verified certificate (for display).
Result<SignedCertificate> ReadVerifiedCertificate(std::string_view document_json,
                                                  std::string_view public_key);

}  // namespace simexit
