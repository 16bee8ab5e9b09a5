// The certificate for printing and the public check of a serial
// (certificate_queries.cpp).

#include "simexit/certificate/serial.hpp"
#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

class CertificateQueriesTest : public ChannelTest {
 protected:
  // Closes +77011234567 online; its termination.
  TerminationRecord Close() {
    holder_ = SignIn("+77011234567");
    Result<CreatedTermination> created =
        terminations_.Create(holder_, OnlineRequest("+77011234567"), std::nullopt);
    EXPECT_TRUE(created);
    RunJobs();
    return Reload(created->termination.id);
  }

  Caller holder_;  // the holder of +77011234567, signed in by Close()
};

TEST_F(CertificateQueriesTest, NewSerialsAreRandomAndTheFinalSmsNamesTheVerifyUrl) {
  const TerminationRecord t = Close();
  ASSERT_EQ(t.state, TerminationState::kTerminated);
  EXPECT_TRUE(t.certificate_serial.starts_with(kSerialPrefix)) << t.certificate_serial;
  EXPECT_EQ(t.certificate_serial.size(), 29U);
  EXPECT_NE(sms_.sent().back().text.find(ctx_.public_url + "/verify/" + t.certificate_serial),
            std::string::npos)
      << sms_.sent().back().text;
}

TEST_F(CertificateQueriesTest, KnownSerialIsValidAndSaysOnlyWhatTheSignatureCovers) {
  const TerminationRecord t = Close();
  Result<std::optional<CertificateCheck>> check =
      terminations_.CheckCertificate(t.certificate_serial);
  ASSERT_THAT(check, IsOk());
  ASSERT_TRUE(check->has_value());
  EXPECT_TRUE((*check)->valid);
  EXPECT_EQ((*check)->serial, t.certificate_serial);
  EXPECT_EQ((*check)->operator_name, "Kcell");
  EXPECT_EQ((*check)->msisdn, "+77011234567");
  EXPECT_GT((*check)->terminated_at, 0);
  EXPECT_EQ((*check)->time_zone, "Asia/Almaty");
}

TEST_F(CertificateQueriesTest, UnknownAndMalformedSerialsAreNotFound) {
  const TerminationRecord t = Close();
  std::string other_case = t.certificate_serial;
  other_case[3] = static_cast<char>(other_case[3] == '0' ? '1' : '0');
  for (const std::string& serial :
       {other_case, std::string("SX-2026-000001"), std::string("nonsense"), std::string(),
        t.certificate_serial + "'", std::string(500, 'S')}) {
    Result<std::optional<CertificateCheck>> check = terminations_.CheckCertificate(serial);
    ASSERT_THAT(check, IsOk()) << serial;
    EXPECT_FALSE(check->has_value()) << serial;
  }
}

TEST_F(CertificateQueriesTest, AlteredStoredDocumentIsFoundButInvalid) {
  const TerminationRecord t = Close();
  std::string document = terminations_.Certificate(holder_, t.id).value().document;
  const std::size_t at = document.find("+77011234567");
  ASSERT_NE(at, std::string::npos);
  document[at + 11] = '8';  // one digit of the number changed after signing
  TerminationRecord forged = t;
  forged.id = "trm_ffffffffffffffffffffffff";
  forged.certificate_serial = "SX-FFFFFFFFFFFFFFFFFFFFFFFFFW";
  ASSERT_TRUE(store_->Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_TRY(tx.InsertTermination(forged));
    return tx.InsertCertificate({.serial = forged.certificate_serial,
                                 .termination_id = forged.id,
                                 .operator_id = forged.operator_id,
                                 .document = document,
                                 .created_at = clock_.Now()});
  }));
  Result<std::optional<CertificateCheck>> check =
      terminations_.CheckCertificate(forged.certificate_serial);
  ASSERT_THAT(check, IsOk());
  ASSERT_TRUE(check->has_value());
  EXPECT_FALSE((*check)->valid);
  EXPECT_TRUE((*check)->msisdn.empty());
  EXPECT_TRUE((*check)->operator_name.empty());
}

TEST_F(CertificateQueriesTest, PrintableCertificateCarriesLanguageZoneAndVerifyUrl) {
  const TerminationRecord t = Close();
  Result<PrintableCertificate> printable = terminations_.CertificateForPrint(holder_, t.id);
  ASSERT_THAT(printable, IsOk());
  EXPECT_EQ(printable->record.serial, t.certificate_serial);
  EXPECT_EQ(printable->language, "en");
  EXPECT_EQ(printable->time_zone, "Asia/Almaty");
  EXPECT_EQ(printable->verify_url, ctx_.public_url + "/verify/" + t.certificate_serial);
  // Another operator's staff: not found, as for the JSON certificate.
  const Caller beeline = Staff(1, StaffRole::kAgentStore, beeline_id_);
  EXPECT_THAT(terminations_.CertificateForPrint(beeline, t.id),
              IsError(ErrorCode::kNotFound, "termination_not_found"));
}

}  // namespace
}  // namespace simexit
