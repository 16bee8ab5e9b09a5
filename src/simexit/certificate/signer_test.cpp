#include "simexit/certificate/signer.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <array>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "simexit/common/canonical_json.hpp"

namespace simexit {
namespace {

constexpr const char* kMismatchMessage =
    "certificate signature does not match: the document was altered or signed by another key";

// RFC 8032 section 7.1, TEST 1.
constexpr const char* kRfcSeedHex =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr const char* kRfcPublicKeyHex =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr const char* kRfcPublicKeyBase64 = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

std::array<unsigned char, 32> SeedFromHex(std::string_view hex) {
  std::array<unsigned char, 32> seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) {
    seed[i] = static_cast<unsigned char>(std::stoi(std::string(hex.substr(2 * i, 2)), nullptr, 16));
  }
  return seed;
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(kHex[b >> 4U]);
    out.push_back(kHex[b & 0x0FU]);
  }
  return out;
}

// Standard padded base64, written out so the test does not reuse the code under test.
std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  unsigned bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8U) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3FU]);
    }
  }
  if (bits > 0) {
    out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3FU]);
  }
  while (out.size() % 4 != 0) {
    out.push_back('=');
  }
  return out;
}

CertificateSigner RfcSigner() { return CertificateSigner::FromSeed(SeedFromHex(kRfcSeedHex)); }

CertificateBody SampleBody() {
  CertificateBody body;
  body.serial = "SX-2026-000123";
  body.termination_id = "trm_01HZY3";
  body.operator_code = "kcell";
  body.operator_name = "Kcell JSC (Қазақстан)";
  body.msisdn = "+77011234567";
  body.iccid = "8997212345678901234";
  body.holder_ref = std::string(64, 'a');
  body.terminated_at = "2026-11-25T04:12:13Z";
  body.quarantine_until = "2027-05-24";
  body.settlement = {
      {"currency", "KZT"}, {"refund", "1500.00"}, {"final_bill", "-20.50"}, {"fee", "0.00"}};
  return body;
}

std::string SignedSampleDocument() { return RfcSigner().Sign(SampleBody()).value().ToDocument(); }

TEST(CertificateSignerTest, Rfc8032Test1EmptyMessage) {
  const CertificateSigner signer = RfcSigner();
  EXPECT_EQ(signer.public_key_hex(), kRfcPublicKeyHex);
  EXPECT_EQ(signer.public_key_base64(), kRfcPublicKeyBase64);
  EXPECT_EQ(ToHex(signer.SignBytes("")),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e"
            "39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
}

TEST(CertificateSignerTest, Rfc8032Test2OneByteMessage) {
  const CertificateSigner signer = CertificateSigner::FromSeed(
      SeedFromHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
  EXPECT_EQ(signer.public_key_hex(),
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  EXPECT_EQ(ToHex(signer.SignBytes("\x72")),
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f"
            "3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
}

TEST(CertificateSignerTest, KeyIdIsBlake2bPrefixOfThePublicKey) {
  // python3: hashlib.blake2b(bytes.fromhex(kRfcPublicKeyHex), digest_size=32).hexdigest()[:16]
  EXPECT_EQ(RfcSigner().key_id(), "7849ac3049680be1");
}

TEST(CertificateSignerTest, SignatureMatchesAnIndependentImplementation) {
  // Produced by the Python recipe in docs/certificate.md (json.dumps with sorted
  // keys, compact separators, ensure_ascii=False; Ed25519 from the
  // "cryptography" package) over the same body with the RFC 8032 TEST 1 seed.
  auto signed_certificate = RfcSigner().Sign(SampleBody());
  ASSERT_TRUE(signed_certificate.has_value()) << signed_certificate.error().message;
  EXPECT_EQ(
      signed_certificate->signature_b64,
      "LNRqR4kuy+iSq7Fm9UDkvCbBeN7u3IIITmqg0CIQCIkYCd6QeCHsVQ9gBsQDNv/s0L2M/H7oCpql8SJlLkziBg==");
  EXPECT_EQ(signed_certificate->key_id, "7849ac3049680be1");
  EXPECT_EQ(signed_certificate->algorithm, "Ed25519");
  EXPECT_EQ(signed_certificate->body, SampleBody());
}

TEST(CertificateSignerTest, SignRefusesAnInvalidBody) {
  CertificateBody body = SampleBody();
  body.holder_ref = "900101300123";
  auto out = RfcSigner().Sign(body);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().problem_code, "malformed_certificate");
}

TEST(VerifyCertificateTest, SignedCertificateVerifiesWithHexOrBase64Key) {
  const std::string document = SignedSampleDocument();
  EXPECT_TRUE(VerifyCertificate(document, kRfcPublicKeyHex).has_value());
  EXPECT_TRUE(VerifyCertificate(document, kRfcPublicKeyBase64).has_value());
  EXPECT_TRUE(VerifyCertificate(document, std::string(kRfcPublicKeyHex) + "\n").has_value());
  EXPECT_TRUE(VerifyCertificate(document,
                                "D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A")
                  .has_value());
  auto read = ReadVerifiedCertificate(document, kRfcPublicKeyHex);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->body, SampleBody());
}

TEST(VerifyCertificateTest, FreshKeysRoundTrip) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "simexit_cert_roundtrip";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto signer = CertificateSigner::LoadOrCreate(dir / "signing.key");
  ASSERT_TRUE(signer.has_value()) << signer.error().message;
  const std::string document = signer->Sign(SampleBody()).value().ToDocument();
  EXPECT_TRUE(VerifyCertificate(document, signer->public_key_base64()).has_value());
  EXPECT_EQ(VerifyCertificate(document, kRfcPublicKeyHex).error().problem_code,
            "signature_mismatch");
  std::filesystem::remove_all(dir);
}

TEST(VerifyCertificateTest, WhitespaceAndMemberOrderAreNotSigned) {
  const std::string document = SignedSampleDocument();
  boost::json::object json = boost::json::parse(document).as_object();
  // Rebuild the certificate with members in reverse order and pretty spacing.
  const boost::json::object& cert = json.at("certificate").as_object();
  std::string reordered = "{\n  \"signature\" : " + boost::json::serialize(json.at("signature")) +
                          ",\n  \"certificate\" : {";
  for (std::size_t i = cert.size(); i-- > 0;) {
    const auto& member = *(cert.begin() + static_cast<std::ptrdiff_t>(i));
    reordered += "\n    " + boost::json::serialize(boost::json::value(member.key())) + " : " +
                 boost::json::serialize(member.value()) + (i > 0 ? "," : "");
  }
  reordered += "\n  }\n}\n";
  ASSERT_NE(reordered, document);
  EXPECT_TRUE(VerifyCertificate(reordered, kRfcPublicKeyHex).has_value()) << reordered;
}

TEST(VerifyCertificateTest, AcceptsTheDocumentTheDocsRecipeProduces) {
  // Verbatim output of the Python recipe: members in insertion order, escaped non-ASCII.
  const std::string document =
      R"json({"certificate": {"serial": "SX-2026-000123", "termination_id": "trm_01HZY3", "op)json"
      R"json(erator_code": "kcell", "operator_name": "Kcell JSC (\u049a\u0430\u0437\u0430\u04)json"
      R"json(9b\u0441\u0442\u0430\u043d)", "msisdn": "+77011234567", "iccid": "89972123456789)json"
      R"json(01234", "holder_ref": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)json"
      R"json(aaaaaaa", "terminated_at": "2026-11-25T04:12:13Z", "quarantine_until": "2027-05-)json"
      R"json(24", "settlement": {"currency": "KZT", "refund": "1500.00", "final_bill": "-20.5)json"
      R"json(0", "fee": "0.00"}, "version": 1, "issuer": "simexit"}, "signature": {"algorithm)json"
      R"json(": "Ed25519", "key_id": "7849ac3049680be1", "value": "LNRqR4kuy+iSq7Fm9UDkvCbBeN)json"
      R"json(7u3IIITmqg0CIQCIkYCd6QeCHsVQ9gBsQDNv/s0L2M/H7oCpql8SJlLkziBg=="}})json";
  auto out = VerifyCertificate(document, kRfcPublicKeyBase64);
  EXPECT_TRUE(out.has_value()) << out.error().message;
}

TEST(VerifyCertificateTest, WrongKeyFails) {
  const CertificateSigner other = CertificateSigner::FromSeed(
      SeedFromHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
  auto out = VerifyCertificate(SignedSampleDocument(), other.public_key_hex());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(out.error().problem_code, "signature_mismatch");
  EXPECT_EQ(out.error().message, kMismatchMessage);
}

TEST(VerifyCertificateTest, ASignatureByAnotherKeyFailsEvenWithTheRightKeyId) {
  const CertificateSigner other = CertificateSigner::FromSeed(
      SeedFromHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
  SignedCertificate forged = other.Sign(SampleBody()).value();
  forged.key_id = RfcSigner().key_id();
  EXPECT_EQ(VerifyCertificate(forged.ToDocument(), kRfcPublicKeyHex).error().problem_code,
            "signature_mismatch");
}

TEST(VerifyCertificateTest, EditedCertificateFails) {
  boost::json::object json = boost::json::parse(SignedSampleDocument()).as_object();
  const std::pair<const char*, boost::json::value> edits[] = {
      {"msisdn", "+77011234568"},
      {"quarantine_until", "2027-05-25"},
      {"note", "paid in full"},  // an added member is signed content too
  };
  for (const auto& [field, value] : edits) {
    boost::json::object edited = json;
    edited["certificate"].as_object()[field] = value;
    auto out = VerifyCertificate(boost::json::serialize(edited), kRfcPublicKeyHex);
    ASSERT_FALSE(out.has_value()) << field;
    EXPECT_EQ(out.error().problem_code, "signature_mismatch") << field;
  }
  boost::json::object edited = json;
  edited["certificate"].as_object()["settlement"].as_object()["refund"] = "15000.00";
  EXPECT_EQ(
      VerifyCertificate(boost::json::serialize(edited), kRfcPublicKeyHex).error().problem_code,
      "signature_mismatch");
  edited = json;
  edited["certificate"].as_object().erase("iccid");
  EXPECT_EQ(
      VerifyCertificate(boost::json::serialize(edited), kRfcPublicKeyHex).error().problem_code,
      "signature_mismatch");
  edited = json;
  edited["signature"].as_object()["key_id"] = "0000000000000000";
  EXPECT_EQ(
      VerifyCertificate(boost::json::serialize(edited), kRfcPublicKeyHex).error().problem_code,
      "signature_mismatch");
}

TEST(VerifyCertificateTest, ChangingAnySingleByteNeverVerifies) {
  const std::string document = SignedSampleDocument();
  ASSERT_TRUE(VerifyCertificate(document, kRfcPublicKeyHex).has_value());
  // Each byte gets every single-bit flip (this covers letter case, 0x20 and the
  // high bit), then every byte that means something to a JSON reader or to our
  // encodings (whitespace, structure, escapes, digits, hex, base64 specials),
  // which are the edits that could leave an equivalent document. Trying all 255
  // values also passes but takes ~20 s in a Debug build.
  std::string replacements = " \t\n\r\f{}[],:\"\\/0123456789+-.=eEuUabcdfnrtABCDF_";
  replacements.push_back('\0');
  replacements.push_back('\x7f');
  int mismatches = 0;
  int malformed = 0;
  for (std::size_t pos = 0; pos < document.size(); ++pos) {
    std::string candidates;
    const auto original = static_cast<unsigned char>(document[pos]);
    for (unsigned bit = 0; bit < 8; ++bit) {
      candidates.push_back(static_cast<char>(original ^ (1U << bit)));
    }
    for (const char c : replacements) {
      if (c != document[pos]) {
        candidates.push_back(c);
      }
    }
    for (const char c : candidates) {
      std::string mutated = document;
      mutated[pos] = c;
      auto out = VerifyCertificate(mutated, kRfcPublicKeyHex);
      ASSERT_FALSE(out.has_value())
          << "byte " << pos << " set to " << static_cast<int>(c) << " still verifies: " << mutated;
      if (out.error().problem_code == "signature_mismatch") {
        ++mismatches;
      } else {
        ASSERT_EQ(out.error().problem_code, "malformed_certificate") << pos;
        ++malformed;
      }
    }
  }
  // Both defences were exercised: most edits inside strings still parse and
  // reach the signature check; structural edits are refused before it.
  EXPECT_GT(mismatches, 1000);
  EXPECT_GT(malformed, 1000);
}

TEST(VerifyCertificateTest, MalformedDocuments) {
  const std::string document = SignedSampleDocument();
  boost::json::object json = boost::json::parse(document).as_object();
  auto expect_malformed = [](const std::string& text, const char* what) {
    auto out = VerifyCertificate(text, kRfcPublicKeyHex);
    ASSERT_FALSE(out.has_value()) << what;
    EXPECT_EQ(out.error().problem_code, "malformed_certificate") << what;
    EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument) << what;
  };
  expect_malformed("", "empty");
  expect_malformed("not json", "not json");
  expect_malformed(document.substr(0, document.size() - 1), "truncated");
  expect_malformed("[]", "array");
  expect_malformed(R"({"certificate":{}})", "no signature");

  boost::json::object edited = json;
  edited.erase("certificate");
  expect_malformed(boost::json::serialize(edited), "no certificate");
  edited = json;
  edited["comment"] = "unsigned text";
  expect_malformed(boost::json::serialize(edited), "unsigned top-level member");
  edited = json;
  edited["signature"].as_object()["algorithm"] = "ed25519";
  expect_malformed(boost::json::serialize(edited), "algorithm");
  edited = json;
  edited["signature"].as_object().erase("value");
  expect_malformed(boost::json::serialize(edited), "no value");
  edited = json;
  edited["signature"].as_object()["value"] = "c2ln";
  expect_malformed(boost::json::serialize(edited), "short signature");
  edited = json;
  edited["certificate"].as_object()["version"] = 1.0;
  expect_malformed(boost::json::serialize(edited), "float");

  // Non-canonical base64: the last character carries 4 unused bits; setting
  // one would decode to the same signature, so it is refused.
  edited = json;
  std::string b64(edited["signature"].as_object()["value"].as_string());
  const std::size_t last = b64.size() - 3;  // before "=="
  ASSERT_EQ(b64[last], 'g');
  b64[last] = 'h';
  edited["signature"].as_object()["value"] = b64;
  expect_malformed(boost::json::serialize(edited), "non-canonical base64");

  // A repeated key, whichever copy a parser keeps, is refused.
  std::string duplicated = document;
  duplicated.insert(duplicated.find("\"msisdn\""), "\"msisdn\":\"+77011234567\",");
  expect_malformed(duplicated, "duplicate key");
}

TEST(VerifyCertificateTest, SignedButNotACertificateBodyIsMalformed) {
  // A valid signature over an object that is not a version-1 body.
  const CertificateSigner signer = RfcSigner();
  boost::json::object body = SampleBody().ToJson();
  body["version"] = 2;
  boost::json::object document;
  document["certificate"] = body;
  document["signature"] = {{"algorithm", "Ed25519"},
                           {"key_id", signer.key_id()},
                           {"value", Base64(signer.SignBytes(CanonicalJson(body).value()))}};
  auto out = VerifyCertificate(boost::json::serialize(document), kRfcPublicKeyHex);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().problem_code, "malformed_certificate");
  EXPECT_NE(out.error().message.find("version"), std::string::npos) << out.error().message;
}

TEST(VerifyCertificateTest, InvalidPublicKeys) {
  const std::string document = SignedSampleDocument();
  for (const std::string& key :
       {std::string(""), std::string("abc"), std::string(kRfcPublicKeyHex).substr(0, 62),
        std::string(kRfcPublicKeyHex) + "00", std::string(64, 'z'),
        std::string("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo"),   // no padding
        std::string("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo="),  // URL alphabet
        std::string(64, '0')}) {                                      // small-order point
    auto out = VerifyCertificate(document, key);
    ASSERT_FALSE(out.has_value()) << key;
    EXPECT_EQ(out.error().problem_code, "invalid_public_key") << key;
    EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument) << key;
  }
}

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("simexit_cert_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::string ReadAll(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
  }
  static void WriteAll(const std::filesystem::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
  }

  std::filesystem::path dir_;
};

TEST_F(KeyFileTest, CreatesA0600FileAndReloadsTheSameKey) {
  const std::filesystem::path file = dir_ / "signing.key";
  auto first = CertificateSigner::LoadOrCreate(file);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777U, 0600U);
  const std::string text = ReadAll(file);
  EXPECT_EQ(text.size(), 65U);
  EXPECT_EQ(text.substr(0, 64).find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                          std::filesystem::directory_iterator()),
            1);

  auto second = CertificateSigner::LoadOrCreate(file);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(second->public_key_hex(), first->public_key_hex());
  EXPECT_EQ(ReadAll(file), text);
  EXPECT_EQ(second->SignBytes("x"), first->SignBytes("x"));
}

TEST_F(KeyFileTest, LoadsAKnownSeedInEitherCase) {
  const std::filesystem::path file = dir_ / "signing.key";
  WriteAll(file, "9D61B19DEFFD5A60BA844AF492EC2CC44449C5697B326919703BAC031CAE7F60\r\n");
  auto signer = CertificateSigner::LoadOrCreate(file);
  ASSERT_TRUE(signer.has_value()) << signer.error().message;
  EXPECT_EQ(signer->public_key_hex(), kRfcPublicKeyHex);
}

TEST_F(KeyFileTest, CorruptFileIsRefusedAndLeftAlone) {
  const std::filesystem::path file = dir_ / "signing.key";
  for (const std::string& corrupt :
       {std::string(""), std::string("\n"), std::string(kRfcSeedHex).substr(0, 63),
        std::string(kRfcSeedHex) + "00", std::string(kRfcSeedHex).replace(10, 1, "g"),
        std::string(kRfcSeedHex) + "\n" + kRfcSeedHex,
        std::string("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1h\n")}) {
    WriteAll(file, corrupt);
    auto out = CertificateSigner::LoadOrCreate(file);
    ASSERT_FALSE(out.has_value()) << corrupt;
    EXPECT_EQ(out.error().problem_code, "invalid_signing_key") << corrupt;
    EXPECT_EQ(out.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(ReadAll(file), corrupt);
  }
}

TEST_F(KeyFileTest, MissingDirectoryIsAnIoError) {
  auto out = CertificateSigner::LoadOrCreate(dir_ / "absent" / "signing.key");
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().problem_code, "signing_key_io");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "absent"));
}

TEST_F(KeyFileTest, ADirectoryInPlaceOfTheFileIsAnIoError) {
  std::filesystem::create_directories(dir_ / "signing.key");
  auto out = CertificateSigner::LoadOrCreate(dir_ / "signing.key");
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().problem_code, "signing_key_io");
}

}  // namespace
}  // namespace simexit
