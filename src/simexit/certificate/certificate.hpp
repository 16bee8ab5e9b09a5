#pragma once
// The termination certificate: what simexit signs to prove a line was closed.
//
// Format and verification rules for outsiders: docs/certificate.md. A signed
// certificate is the JSON document
//   {"certificate": <CertificateBody>, "signature": {"algorithm": "Ed25519",
//    "key_id": "<16 hex>", "value": "<base64 of the 64-byte signature>"}}
// and the signature covers exactly CanonicalJson(<the "certificate" object>).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit {

inline constexpr std::int64_t kCertificateVersion = 1;
inline constexpr const char* kSignatureAlgorithm = "Ed25519";

struct CertificateBody {
  std::string serial;            // "SX-2026-000123"
  std::string termination_id;    // the termination this certificate closes
  std::string operator_code;     // "kcell"
  std::string operator_name;     // "Kcell JSC"; any UTF-8 text
  std::string msisdn;            // E.164: '+' then 8..15 digits, "+77011234567"
  std::string iccid;             // 18..22 digits
  std::string holder_ref;        // HolderReference(): 64 lower-case hex, never a document number
  std::string terminated_at;     // RFC 3339 UTC, exactly "YYYY-MM-DDTHH:MM:SSZ"
  std::string quarantine_until;  // "YYYY-MM-DD"
  // Amount name -> decimal tenge with two decimals ("1500.00", "-20.00", as
  // Money::ToDecimalString writes it), plus "currency" -> ISO 4217 code ("KZT").
  std::map<std::string, std::string> settlement;
  std::int64_t version = kCertificateVersion;
  std::string issuer = "simexit";

  // The JSON object of the body: the fields above under their own names,
  // `settlement` as a nested object, `version` as an integer. Does not validate.
  boost::json::object ToJson() const;

  // Reads a body written by ToJson(). Every field must be present, of its type
  // and in its format (see the field comments); version must be 1; the
  // settlement must hold "currency"; no other member is allowed (an unknown
  // member would be signed yet ignored by this reader).
  // Errors: kInvalidArgument, problem code "malformed_certificate", message naming the field.
  static Result<CertificateBody> FromJson(const boost::json::value& json);

  // Ok when FromJson(ToJson()) would succeed and the body can be canonicalised.
  // Errors: as FromJson.
  Result<void> Validate() const;
  // Validate(), and when valid the canonical JSON text a signature covers
  // (CanonicalJson(ToJson())), computed once. Errors: as Validate.
  Result<std::string> CanonicalText() const;

  friend bool operator==(const CertificateBody&, const CertificateBody&) = default;
};

struct SignedCertificate {
  CertificateBody body;
  std::string signature_b64;  // standard base64 with padding of the 64-byte signature
  std::string key_id;         // KeyIdOf(public key), 16 lower-case hex
  std::string algorithm = kSignatureAlgorithm;

  // {"certificate": body.ToJson(), "signature": {"algorithm", "key_id", "value"}}
  boost::json::object ToJson() const;
  // The document as bytes: ToJson() serialised compactly (no whitespace, no
  // trailing newline), members in the order written above.
  std::string ToDocument() const;

  // Reads the document shape above: exactly the members "certificate" and
  // "signature"; signature exactly "algorithm" (must be "Ed25519"), "key_id"
  // and "value" (strings). Does NOT check the signature: use VerifyCertificate.
  // Errors: kInvalidArgument, problem code "malformed_certificate".
  static Result<SignedCertificate> FromJson(const boost::json::value& json);

  friend bool operator==(const SignedCertificate&, const SignedCertificate&) = default;
};

// A pseudonymous, stable reference to a holder's identity document, so a
// certificate can be matched to a person by whoever holds the deployment
// secret, and by no one else. It is
//   hex(BLAKE2b-256(key = key32, message = NORM(kind) ":" NORM(number)))
// where NORM removes ASCII whitespace and upper-cases ASCII letters, e.g.
// ("iin", "900101 300123") hashes "IIN:900101300123". 64 lower-case hex chars.
// `key32` is the 32-byte deployment secret (raw bytes, not hex); any other
// length is a configuration bug and throws std::invalid_argument.
std::string HolderReference(std::string_view key32, std::string_view document_kind,
                            std::string_view document_number);

}  // namespace simexit
