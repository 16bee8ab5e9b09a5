#include "simexit/certificate/signer.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <utility>

#include "simexit/common/canonical_json.hpp"

namespace simexit {
namespace {

constexpr const char* kSignatureMismatchMessage =
    "certificate signature does not match: the document was altered or signed by another key";

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string ToHex(const unsigned char* data, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();
  return hex;
}

std::string ToBase64(const unsigned char* data, std::size_t size) {
  std::string b64(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  b64.pop_back();  // the terminating NUL
  return b64;
}

// Decodes exactly `size` bytes from hex (either case, nothing else allowed).
bool FromHex(std::string_view hex, unsigned char* out, std::size_t size) {
  if (hex.size() != size * 2) {
    return false;
  }
  std::size_t bin_len = 0;
  const char* end = nullptr;
  return sodium_hex2bin(out, size, hex.data(), hex.size(), nullptr, &bin_len, &end) == 0 &&
         bin_len == size && end == hex.data() + hex.size();
}

// Decodes exactly `size` bytes from standard padded base64, accepting only
// the one canonical spelling (so no two texts decode to the same bytes; libsodium
// already refuses non-zero padding bits, the re-encoding makes the rule explicit).
bool FromBase64(std::string_view b64, unsigned char* out, std::size_t size) {
  if (b64.size() != sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL) - 1) {
    return false;
  }
  std::size_t bin_len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out, size, b64.data(), b64.size(), nullptr, &bin_len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      bin_len != size || end != b64.data() + b64.size()) {
    return false;
  }
  return ToBase64(out, size) == b64;
}

std::string_view TrimAsciiSpace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const std::size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) {
    return {};
  }
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

void EnsureSodium() {
  if (sodium_init() < 0) {
    // libsodium cannot run on this machine (no entropy source): nothing can be signed.
    std::abort();
  }
}

tl::unexpected<Error> KeyIo(const std::filesystem::path& file, const std::string& what) {
  return Fail(ErrorCode::kFailedPrecondition, "signing_key_io",
              "certificate signing key " + file.string() + ": " + what);
}

tl::unexpected<Error> InvalidKey(const std::filesystem::path& file) {
  return Fail(ErrorCode::kFailedPrecondition, "invalid_signing_key",
              "certificate signing key " + file.string() +
                  " must hold exactly one Ed25519 seed as 64 hex characters; it was left "
                  "unchanged (certificates already issued name that key)");
}

tl::unexpected<Error> Malformed(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, "malformed_certificate", std::move(message));
}

// Reads the seed from an existing key file; sets `missing` (and returns zeros)
// when the file does not exist.
Result<std::array<unsigned char, 32>> ReadSeed(const std::filesystem::path& file, bool* missing) {
  *missing = false;
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (status.type() == std::filesystem::file_type::not_found) {
    *missing = true;
    return std::array<unsigned char, 32>{};
  }
  if (ec) {
    return KeyIo(file, ec.message());
  }
  if (status.type() != std::filesystem::file_type::regular) {
    return KeyIo(file, "not a regular file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return KeyIo(file, std::string("cannot be read: ") + std::strerror(errno));
  }
  std::string content(4096, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (in.bad()) {
    return KeyIo(file, "cannot be read");
  }
  content.resize(static_cast<std::size_t>(in.gcount()));
  std::array<unsigned char, 32> seed{};
  const bool ok = FromHex(TrimAsciiSpace(content), seed.data(), seed.size());
  sodium_memzero(content.data(), content.size());
  if (!ok) {
    return InvalidKey(file);
  }
  return seed;
}

// Writes a fresh random seed to `file` unless it exists. Returns false (and no
// error) when another process created `file` first.
Result<bool> CreateKeyFile(const std::filesystem::path& file) {
  std::filesystem::path dir = file.parent_path();
  if (dir.empty()) {
    dir = ".";
  }
  std::string tmp = (dir / ("." + file.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    return KeyIo(file, std::string("cannot create it: ") + std::strerror(errno));
  }
  std::array<unsigned char, 32> seed{};
  randombytes_buf(seed.data(), seed.size());
  std::string text = ToHex(seed.data(), seed.size()) + "\n";
  sodium_memzero(seed.data(), seed.size());
  bool ok = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0;
  std::size_t written = 0;
  while (ok && written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    ok = n > 0;
    written += ok ? static_cast<std::size_t>(n) : 0;
  }
  sodium_memzero(text.data(), text.size());
  ok = ok && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    ::unlink(tmp.c_str());
    return KeyIo(file, std::string("cannot write it: ") + std::strerror(saved_errno));
  }
  // link() never replaces an existing file: exactly one creator wins.
  const int linked = ::link(tmp.c_str(), file.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST) {
      return false;
    }
    return KeyIo(file, std::string("cannot create it: ") + std::strerror(link_errno));
  }
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return true;
}

struct Envelope {
  const boost::json::value* certificate = nullptr;
  std::string key_id;
  std::array<unsigned char, crypto_sign_BYTES> signature{};
};

Result<Envelope> ReadEnvelope(const boost::json::value& document) {
  if (!document.is_object()) {
    return Malformed("a signed certificate must be a JSON object");
  }
  const boost::json::object& object = document.get_object();
  for (const boost::json::key_value_pair& member : object) {
    if (member.key() != "certificate" && member.key() != "signature") {
      return Malformed("signed certificate has an unknown member '" + std::string(member.key()) +
                       "'");
    }
  }
  Envelope out;
  out.certificate = object.if_contains("certificate");
  const boost::json::value* signature = object.if_contains("signature");
  if (out.certificate == nullptr || !out.certificate->is_object()) {
    return Malformed("a signed certificate needs a \"certificate\" object");
  }
  if (signature == nullptr || !signature->is_object()) {
    return Malformed("a signed certificate needs a \"signature\" object");
  }
  const boost::json::object& sig = signature->get_object();
  for (const boost::json::key_value_pair& member : sig) {
    if (member.key() != "algorithm" && member.key() != "key_id" && member.key() != "value") {
      return Malformed("signature has an unknown member '" + std::string(member.key()) + "'");
    }
  }
  const boost::json::value* algorithm = sig.if_contains("algorithm");
  const boost::json::value* key_id = sig.if_contains("key_id");
  const boost::json::value* value = sig.if_contains("value");
  if (algorithm == nullptr || key_id == nullptr || value == nullptr || !algorithm->is_string() ||
      !key_id->is_string() || !value->is_string()) {
    return Malformed("signature needs the strings \"algorithm\", \"key_id\" and \"value\"");
  }
  if (algorithm->get_string() != kSignatureAlgorithm) {
    return Malformed("signature algorithm must be \"Ed25519\"");
  }
  out.key_id = std::string(key_id->get_string());
  const boost::json::string& b64 = value->get_string();
  if (!FromBase64(std::string_view(b64.data(), b64.size()), out.signature.data(),
                  out.signature.size())) {
    return Malformed("signature value must be the standard base64 (88 characters) of 64 bytes");
  }
  return out;
}

Result<std::array<unsigned char, 32>> ParsePublicKey(std::string_view text) {
  const std::string_view key = TrimAsciiSpace(text);
  std::array<unsigned char, 32> out{};
  const bool decoded = key.size() == 64   ? FromHex(key, out.data(), out.size())
                       : key.size() == 44 ? FromBase64(key, out.data(), out.size())
                                          : false;
  if (!decoded) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_public_key",
                "public key must be 32 bytes written as 64 hex characters or 44 characters of "
                "base64");
  }
  if (crypto_core_ed25519_is_valid_point(out.data()) != 1) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_public_key",
                "public key is not a valid Ed25519 public key");
  }
  return out;
}

}  // namespace

std::string KeyIdOf(std::span<const unsigned char, 32> public_key) {
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(), public_key.data(), public_key.size(), nullptr,
                     0);
  return ToHex(digest.data(), 8);
}

Result<CertificateSigner> CertificateSigner::LoadOrCreate(const std::filesystem::path& key_file) {
  EnsureSodium();
  // Two rounds at most: if another process creates the file between our look
  // and our link(), the second round loads theirs.
  for (int round = 0; round < 2; ++round) {
    bool missing = false;
    auto seed = ReadSeed(key_file, &missing);
    if (!seed) {
      return Fail(seed.error());
    }
    if (!missing) {
      CertificateSigner signer = FromSeed(*seed);
      sodium_memzero(seed->data(), seed->size());
      return signer;
    }
    auto created = CreateKeyFile(key_file);
    if (!created) {
      return Fail(created.error());
    }
  }
  return KeyIo(key_file, "was created and removed again while starting");
}

CertificateSigner CertificateSigner::FromSeed(std::span<const unsigned char, 32> seed) {
  EnsureSodium();
  CertificateSigner signer;
  crypto_sign_seed_keypair(signer.public_key_.data(), signer.secret_key_.data(), seed.data());
  return signer;
}

CertificateSigner::~CertificateSigner() { sodium_memzero(secret_key_.data(), secret_key_.size()); }

std::string CertificateSigner::public_key_hex() const {
  return ToHex(public_key_.data(), public_key_.size());
}

std::string CertificateSigner::public_key_base64() const {
  return ToBase64(public_key_.data(), public_key_.size());
}

std::string CertificateSigner::key_id() const { return KeyIdOf(public_key_); }

std::string CertificateSigner::SignBytes(std::string_view message) const {
  std::array<unsigned char, crypto_sign_BYTES> signature{};
  crypto_sign_detached(signature.data(), nullptr, Bytes(message), message.size(),
                       secret_key_.data());
  return std::string(reinterpret_cast<const char*>(signature.data()), signature.size());
}

Result<SignedCertificate> CertificateSigner::Sign(const CertificateBody& body) const {
  // Validated and canonicalised in one pass: an invalid body is never signed.
  Result<std::string> canonical = body.CanonicalText();
  if (!canonical) {
    return Fail(canonical.error());
  }
  const std::string signature = SignBytes(*canonical);
  SignedCertificate out;
  out.body = body;
  out.signature_b64 = ToBase64(Bytes(signature), signature.size());
  out.key_id = key_id();
  out.algorithm = kSignatureAlgorithm;
  return out;
}

Result<SignedCertificate> ReadVerifiedCertificate(std::string_view document_json,
                                                  std::string_view public_key) {
  auto key = ParsePublicKey(public_key);
  if (!key) {
    return Fail(key.error());
  }
  auto document = ParseStrictJson(document_json);
  if (!document) {
    return Malformed("certificate is not valid JSON: " + document.error().message);
  }
  auto envelope = ReadEnvelope(*document);
  if (!envelope) {
    return Fail(envelope.error());
  }
  auto canonical = CanonicalJson(*envelope->certificate);
  if (!canonical) {
    return Malformed("certificate cannot be canonicalised: " + canonical.error().message);
  }
  if (envelope->key_id != KeyIdOf(*key) ||
      crypto_sign_verify_detached(envelope->signature.data(), Bytes(*canonical), canonical->size(),
                                  key->data()) != 0) {
    return Fail(ErrorCode::kInvalidArgument, "signature_mismatch", kSignatureMismatchMessage);
  }
  return SignedCertificate::FromJson(*document);
}

Result<void> VerifyCertificate(std::string_view document_json, std::string_view public_key) {
  auto verified = ReadVerifiedCertificate(document_json, public_key);
  if (!verified) {
    return Fail(verified.error());
  }
  return {};
}

}  // namespace simexit
