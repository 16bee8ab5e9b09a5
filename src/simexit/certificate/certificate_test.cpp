#include "simexit/certificate/certificate.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "simexit/common/canonical_json.hpp"

namespace simexit {
namespace {

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

TEST(CertificateBodyTest, JsonRoundTrip) {
  const CertificateBody body = SampleBody();
  auto back = CertificateBody::FromJson(body.ToJson());
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, body);
}

TEST(CertificateBodyTest, CanonicalFormIsExact) {
  // The signed bytes, spelled out: a re-implementation must produce exactly these.
  EXPECT_EQ(CanonicalJson(SampleBody().ToJson()).value(),
            "{\"holder_ref\":\"" + std::string(64, 'a') +
                "\",\"iccid\":\"8997212345678901234\",\"issuer\":\"simexit\","
                "\"msisdn\":\"+77011234567\",\"operator_code\":\"kcell\","
                "\"operator_name\":\"Kcell JSC (Қазақстан)\",\"quarantine_until\":\"2027-05-24\","
                "\"serial\":\"SX-2026-000123\",\"settlement\":{\"currency\":\"KZT\","
                "\"fee\":\"0.00\",\"final_bill\":\"-20.50\",\"refund\":\"1500.00\"},"
                "\"terminated_at\":\"2026-11-25T04:12:13Z\",\"termination_id\":\"trm_01HZY3\","
                "\"version\":1}");
}

struct Mutation {
  const char* name;
  void (*apply)(boost::json::object&);
};

TEST(CertificateBodyTest, FromJsonRefusesEachBadField) {
  const Mutation mutations[] = {
      {"missing serial", [](boost::json::object& o) { o.erase("serial"); }},
      {"empty operator_code", [](boost::json::object& o) { o["operator_code"] = ""; }},
      {"numeric iccid", [](boost::json::object& o) { o["iccid"] = 8997212345678901234ULL; }},
      {"short iccid", [](boost::json::object& o) { o["iccid"] = "89972"; }},
      {"msisdn without plus", [](boost::json::object& o) { o["msisdn"] = "77011234567"; }},
      {"msisdn with spaces", [](boost::json::object& o) { o["msisdn"] = "+7 701 123 4567"; }},
      {"upper-case holder_ref",
       [](boost::json::object& o) { o["holder_ref"] = std::string(64, 'A'); }},
      {"document number as holder_ref",
       [](boost::json::object& o) { o["holder_ref"] = "900101300123"; }},
      {"offset timestamp",
       [](boost::json::object& o) { o["terminated_at"] = "2026-11-25T09:12:13+05:00"; }},
      {"date as timestamp", [](boost::json::object& o) { o["terminated_at"] = "2026-11-25"; }},
      {"impossible date", [](boost::json::object& o) { o["quarantine_until"] = "2027-02-30"; }},
      {"version 2", [](boost::json::object& o) { o["version"] = 2; }},
      {"version as string", [](boost::json::object& o) { o["version"] = "1"; }},
      {"float version", [](boost::json::object& o) { o["version"] = 1.0; }},
      {"unknown field", [](boost::json::object& o) { o["note"] = "paid in full"; }},
      {"settlement not object", [](boost::json::object& o) { o["settlement"] = "1500.00"; }},
      {"settlement without currency",
       [](boost::json::object& o) { o["settlement"].as_object().erase("currency"); }},
      {"lower-case currency",
       [](boost::json::object& o) { o["settlement"].as_object()["currency"] = "kzt"; }},
      {"amount with one decimal",
       [](boost::json::object& o) { o["settlement"].as_object()["refund"] = "1500.0"; }},
      {"amount as number",
       [](boost::json::object& o) { o["settlement"].as_object()["refund"] = 1500; }},
      {"negative zero amount",
       [](boost::json::object& o) { o["settlement"].as_object()["refund"] = "-0.00"; }},
  };
  for (const Mutation& m : mutations) {
    boost::json::object json = SampleBody().ToJson();
    m.apply(json);
    auto out = CertificateBody::FromJson(json);
    ASSERT_FALSE(out.has_value()) << m.name;
    EXPECT_EQ(out.error().problem_code, "malformed_certificate") << m.name;
    EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument) << m.name;
  }
  EXPECT_EQ(CertificateBody::FromJson(boost::json::value("x")).error().problem_code,
            "malformed_certificate");
}

TEST(CertificateBodyTest, ValidateRefusesBodiesThatCannotBeCanonicalised) {
  CertificateBody body = SampleBody();
  body.operator_name = "Kcell\xC3";  // truncated UTF-8
  EXPECT_EQ(body.Validate().error().problem_code, "malformed_certificate");
}

TEST(SignedCertificateTest, JsonRoundTripAndShape) {
  SignedCertificate signed_certificate;
  signed_certificate.body = SampleBody();
  signed_certificate.signature_b64 = "c2ln";
  signed_certificate.key_id = "0123456789abcdef";
  const boost::json::object json = signed_certificate.ToJson();
  EXPECT_EQ(json.size(), 2U);
  EXPECT_EQ(json.at("signature").as_object().at("algorithm").as_string(), "Ed25519");
  EXPECT_EQ(json.at("signature").as_object().at("value").as_string(), "c2ln");
  EXPECT_EQ(json.at("signature").as_object().at("key_id").as_string(), "0123456789abcdef");
  auto back = SignedCertificate::FromJson(boost::json::parse(signed_certificate.ToDocument()));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, signed_certificate);
}

TEST(SignedCertificateTest, FromJsonRefusesOtherShapes) {
  SignedCertificate signed_certificate;
  signed_certificate.body = SampleBody();
  signed_certificate.signature_b64 = "c2ln";
  signed_certificate.key_id = "0123456789abcdef";
  const Mutation mutations[] = {
      {"extra top-level member", [](boost::json::object& o) { o["note"] = "x"; }},
      {"no signature", [](boost::json::object& o) { o.erase("signature"); }},
      {"no certificate", [](boost::json::object& o) { o.erase("certificate"); }},
      {"other algorithm",
       [](boost::json::object& o) { o["signature"].as_object()["algorithm"] = "RS256"; }},
      {"extra signature member",
       [](boost::json::object& o) { o["signature"].as_object()["kid"] = "x"; }},
      {"numeric key_id", [](boost::json::object& o) { o["signature"].as_object()["key_id"] = 1; }},
  };
  for (const Mutation& m : mutations) {
    boost::json::object json = signed_certificate.ToJson();
    m.apply(json);
    auto out = SignedCertificate::FromJson(json);
    ASSERT_FALSE(out.has_value()) << m.name;
    EXPECT_EQ(out.error().problem_code, "malformed_certificate") << m.name;
  }
}

TEST(HolderReferenceTest, IsKeyedBlake2bOfNormalisedKindAndNumber) {
  const std::string key(32, '\x01');
  const std::string ref = HolderReference(key, "iin", " 900101 300123 ");
  EXPECT_EQ(ref.size(), 64U);
  EXPECT_EQ(ref.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(ref.find("900101300123"), std::string::npos);
  EXPECT_EQ(ref, HolderReference(key, "IIN", "900101300123"));
  EXPECT_EQ(HolderReference(key, "passport", "n 1234567"),
            HolderReference(key, "PASSPORT", "N1234567"));
  EXPECT_NE(ref, HolderReference(key, "PASSPORT", "900101300123"));
  EXPECT_NE(ref, HolderReference(key, "IIN", "900101300124"));
  EXPECT_NE(ref, HolderReference(std::string(32, '\x02'), "IIN", "900101300123"));
}

TEST(HolderReferenceTest, MatchesAnIndependentBlake2bComputation) {
  // python3 -c 'import hashlib; print(hashlib.blake2b(b"IIN:900101300123",
  //   key=bytes(range(32)), digest_size=32).hexdigest())'
  std::string key;
  for (int i = 0; i < 32; ++i) {
    key.push_back(static_cast<char>(i));
  }
  EXPECT_EQ(HolderReference(key, "iin", "900101300123"),
            "e94696e588e72e796c0ab97636be6b8ad50ab37cad7fa18a4348bb87ec2ece0c");
}

TEST(HolderReferenceTest, WrongKeyLengthIsAConfigurationError) {
  EXPECT_THROW(HolderReference(std::string(16, 'k'), "IIN", "1"), std::invalid_argument);
}

}  // namespace
}  // namespace simexit
