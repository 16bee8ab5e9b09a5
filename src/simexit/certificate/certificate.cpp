#include "simexit/certificate/certificate.hpp"

#include <sodium.h>

#include <array>
#include <boost/json/serialize.hpp>
#include <set>
#include <stdexcept>
#include <utility>

#include "simexit/common/canonical_json.hpp"
#include "simexit/common/clock.hpp"
#include "simexit/domain/money.hpp"

namespace simexit {
namespace {

constexpr const char* kMalformed = "malformed_certificate";

tl::unexpected<Error> Malformed(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, kMalformed, std::move(message));
}

bool AllDigits(std::string_view s) {
  for (const char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

bool IsLowerHex(std::string_view s) {
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

bool IsUtcTimestamp(const std::string& s) {
  UnixSeconds t = 0;
  return s.size() == 20 && ParseRfc3339(s, &t) && FormatRfc3339(t) == s;
}

bool IsDate(const std::string& s) {
  UnixSeconds t = 0;
  return s.size() == 10 && ParseRfc3339(s, &t) && FormatDate(t) == s;
}

bool IsCanonicalAmount(const std::string& s) {
  auto money = Money::ParseKzt(s);
  return money.has_value() && money->ToDecimalString() == s;
}

bool IsCurrencyCode(std::string_view s) {
  if (s.size() != 3) {
    return false;
  }
  for (const char c : s) {
    if (c < 'A' || c > 'Z') {
      return false;
    }
  }
  return true;
}

// Reads member `name` of `object` as a non-empty string into `out`.
Result<void> ReadString(const boost::json::object& object, const char* name, std::string* out) {
  const boost::json::value* v = object.if_contains(name);
  if (v == nullptr) {
    return Malformed(std::string("certificate lacks the field '") + name + "'");
  }
  if (!v->is_string()) {
    return Malformed(std::string("certificate field '") + name + "' must be a string");
  }
  *out = std::string(v->get_string().data(), v->get_string().size());
  if (out->empty()) {
    return Malformed(std::string("certificate field '") + name + "' is empty");
  }
  return {};
}

constexpr std::array<const char*, 12> kBodyFields = {
    "serial",     "termination_id", "operator_code",    "operator_name", "msisdn",  "iccid",
    "holder_ref", "terminated_at",  "quarantine_until", "settlement",    "version", "issuer"};

}  // namespace

boost::json::object CertificateBody::ToJson() const {
  boost::json::object settlement_json;
  for (const auto& [name, amount] : settlement) {
    settlement_json[name] = amount;
  }
  boost::json::object out;
  out["serial"] = serial;
  out["termination_id"] = termination_id;
  out["operator_code"] = operator_code;
  out["operator_name"] = operator_name;
  out["msisdn"] = msisdn;
  out["iccid"] = iccid;
  out["holder_ref"] = holder_ref;
  out["terminated_at"] = terminated_at;
  out["quarantine_until"] = quarantine_until;
  out["settlement"] = std::move(settlement_json);
  out["version"] = version;
  out["issuer"] = issuer;
  return out;
}

Result<CertificateBody> CertificateBody::FromJson(const boost::json::value& json) {
  if (!json.is_object()) {
    return Malformed("certificate must be a JSON object");
  }
  const boost::json::object& object = json.get_object();
  for (const boost::json::key_value_pair& member : object) {
    bool known = false;
    for (const char* field : kBodyFields) {
      known = known || member.key() == field;
    }
    if (!known) {
      return Malformed("certificate has an unknown field '" + std::string(member.key()) + "'");
    }
  }
  CertificateBody body;
  const std::pair<const char*, std::string*> strings[] = {
      {"serial", &body.serial},
      {"termination_id", &body.termination_id},
      {"operator_code", &body.operator_code},
      {"operator_name", &body.operator_name},
      {"msisdn", &body.msisdn},
      {"iccid", &body.iccid},
      {"holder_ref", &body.holder_ref},
      {"terminated_at", &body.terminated_at},
      {"quarantine_until", &body.quarantine_until},
      {"issuer", &body.issuer},
  };
  for (const auto& [name, out] : strings) {
    if (auto r = ReadString(object, name, out); !r) {
      return Fail(r.error());
    }
  }
  const boost::json::value* version = object.if_contains("version");
  if (version == nullptr) {
    return Malformed("certificate lacks the field 'version'");
  }
  if (!version->is_int64() && !version->is_uint64()) {
    return Malformed("certificate field 'version' must be an integer");
  }
  body.version = version->is_int64() ? version->get_int64() : -1;
  const boost::json::value* settlement = object.if_contains("settlement");
  if (settlement == nullptr) {
    return Malformed("certificate lacks the field 'settlement'");
  }
  if (!settlement->is_object()) {
    return Malformed("certificate field 'settlement' must be an object");
  }
  for (const boost::json::key_value_pair& member : settlement->get_object()) {
    if (!member.value().is_string()) {
      return Malformed("settlement entry '" + std::string(member.key()) + "' must be a string");
    }
    body.settlement[std::string(member.key())] = std::string(member.value().get_string());
  }
  if (auto r = body.Validate(); !r) {
    return Fail(r.error());
  }
  return body;
}

Result<void> CertificateBody::Validate() const {
  if (Result<std::string> canonical = CanonicalText(); !canonical) {
    return Fail(canonical.error());
  }
  return {};
}

Result<std::string> CertificateBody::CanonicalText() const {
  const std::pair<const char*, const std::string*> required[] = {
      {"serial", &serial},
      {"termination_id", &termination_id},
      {"operator_code", &operator_code},
      {"operator_name", &operator_name},
      {"issuer", &issuer},
  };
  for (const auto& [name, value] : required) {
    if (value->empty()) {
      return Malformed(std::string("certificate field '") + name + "' is empty");
    }
  }
  if (version != kCertificateVersion) {
    return Malformed("certificate version must be 1");
  }
  if (msisdn.size() < 9 || msisdn.size() > 16 || msisdn[0] != '+' ||
      !AllDigits(std::string_view(msisdn).substr(1))) {
    return Malformed("certificate field 'msisdn' must be E.164, e.g. \"+77011234567\"");
  }
  if (iccid.size() < 18 || iccid.size() > 22 || !AllDigits(iccid)) {
    return Malformed("certificate field 'iccid' must be 18 to 22 digits");
  }
  if (holder_ref.size() != 64 || !IsLowerHex(holder_ref)) {
    return Malformed("certificate field 'holder_ref' must be 64 lower-case hex characters");
  }
  if (!IsUtcTimestamp(terminated_at)) {
    return Malformed("certificate field 'terminated_at' must be \"YYYY-MM-DDTHH:MM:SSZ\"");
  }
  if (!IsDate(quarantine_until)) {
    return Malformed("certificate field 'quarantine_until' must be \"YYYY-MM-DD\"");
  }
  auto currency = settlement.find("currency");
  if (currency == settlement.end() || !IsCurrencyCode(currency->second)) {
    return Malformed("settlement must name its currency, e.g. \"currency\":\"KZT\"");
  }
  for (const auto& [name, amount] : settlement) {
    if (name.empty()) {
      return Malformed("settlement has an entry with an empty name");
    }
    if (name != "currency" && !IsCanonicalAmount(amount)) {
      return Malformed("settlement entry '" + name +
                       "' must be a decimal amount with two decimals, e.g. \"1500.00\"");
    }
  }
  auto canonical = CanonicalJson(ToJson());
  if (!canonical) {
    return Malformed("certificate cannot be canonicalised: " + canonical.error().message);
  }
  return canonical;
}

boost::json::object SignedCertificate::ToJson() const {
  boost::json::object signature;
  signature["algorithm"] = algorithm;
  signature["key_id"] = key_id;
  signature["value"] = signature_b64;
  boost::json::object out;
  out["certificate"] = body.ToJson();
  out["signature"] = std::move(signature);
  return out;
}

std::string SignedCertificate::ToDocument() const { return boost::json::serialize(ToJson()); }

Result<SignedCertificate> SignedCertificate::FromJson(const boost::json::value& json) {
  if (!json.is_object()) {
    return Malformed("a signed certificate must be a JSON object");
  }
  const boost::json::object& document = json.get_object();
  for (const boost::json::key_value_pair& member : document) {
    if (member.key() != "certificate" && member.key() != "signature") {
      return Malformed("signed certificate has an unknown member '" + std::string(member.key()) +
                       "'");
    }
  }
  const boost::json::value* certificate = document.if_contains("certificate");
  const boost::json::value* signature = document.if_contains("signature");
  if (certificate == nullptr || signature == nullptr) {
    return Malformed("a signed certificate needs both \"certificate\" and \"signature\"");
  }
  if (!signature->is_object()) {
    return Malformed("\"signature\" must be an object");
  }
  const boost::json::object& sig = signature->get_object();
  for (const boost::json::key_value_pair& member : sig) {
    if (member.key() != "algorithm" && member.key() != "key_id" && member.key() != "value") {
      return Malformed("signature has an unknown member '" + std::string(member.key()) + "'");
    }
  }
  SignedCertificate out;
  if (auto r = ReadString(sig, "algorithm", &out.algorithm); !r) {
    return Fail(r.error());
  }
  if (out.algorithm != kSignatureAlgorithm) {
    return Malformed("signature algorithm must be \"Ed25519\"");
  }
  if (auto r = ReadString(sig, "key_id", &out.key_id); !r) {
    return Fail(r.error());
  }
  if (auto r = ReadString(sig, "value", &out.signature_b64); !r) {
    return Fail(r.error());
  }
  auto body = CertificateBody::FromJson(*certificate);
  if (!body) {
    return Fail(body.error());
  }
  out.body = std::move(*body);
  return out;
}

std::string HolderReference(std::string_view key32, std::string_view document_kind,
                            std::string_view document_number) {
  if (key32.size() != crypto_generichash_KEYBYTES) {
    throw std::invalid_argument("HolderReference: the holder key must be 32 bytes");
  }
  auto normalise = [](std::string_view in, std::string* out) {
    for (const char c : in) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        continue;
      }
      out->push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    }
  };
  std::string message;
  normalise(document_kind, &message);
  message.push_back(':');
  normalise(document_number, &message);

  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                     reinterpret_cast<const unsigned char*>(key32.data()), key32.size());
  sodium_memzero(message.data(), message.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

}  // namespace simexit
