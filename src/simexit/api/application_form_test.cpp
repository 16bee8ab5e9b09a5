#include "simexit/api/application_form.hpp"

#include <gtest/gtest.h>

#include "simexit/testing/values.hpp"

namespace simexit::api {
namespace {

ApplicationForm SampleForm() {
  ApplicationForm form;
  form.termination.id = "trm_0123456789abcdef01234567";
  form.termination.msisdn = testing::TestMsisdn("+77011234567");
  form.termination.channel = Channel::kProxy;
  form.termination.requested_by = "staff:10";
  form.termination.created_at = 1'790'000'000;
  form.termination.refund = RefundInstruction{RefundMethod::kIban, "KZ86125KZT5004100100"};
  form.op.name = "Kcell";
  form.holder.full_name = "O'BRIEN <script>alert(1)</script>";
  form.holder.time_zone = "Asia/Almaty";
  form.line.iccid = testing::TestIccid("8977010000001000016");
  form.quote.amount_due = Money::Tiyn(1'500'00);
  form.quote.fee = Money::Tiyn(500'00);
  DocumentCheckRecord attorney;
  attorney.role = "attorney";
  attorney.kind = DocumentKind::kPassport;
  attorney.number = "N12345678";
  attorney.country = "KAZ";
  attorney.full_name = "TESTOVA AIGERIM";
  attorney.expiry_date = CivilDate{2033, 6, 15};
  form.documents.push_back(attorney);
  PowerOfAttorneyRecord poa;
  poa.number = "POA-7";
  poa.issued_on = CivilDate{2026, 1, 10};
  poa.valid_until = CivilDate{2027, 1, 10};
  poa.issuer = "Notary A. Bekova";
  form.power_of_attorney = poa;
  return form;
}

TEST(ApplicationFormTest, ShowsTheHolderTheSettlementAndSignatureBoxes) {
  const std::string html = ApplicationFormHtml(SampleForm(), "ru");
  EXPECT_NE(html.find("<html lang=\"ru\">"), std::string::npos);
  EXPECT_NE(html.find("Заявление о закрытии абонентского номера"), std::string::npos);
  EXPECT_NE(html.find("+77011234567"), std::string::npos);
  EXPECT_NE(html.find("1500.00"), std::string::npos);
  EXPECT_NE(html.find("Подпись заявителя"), std::string::npos);
  EXPECT_NE(html.find("TESTOVA AIGERIM"), std::string::npos);
  EXPECT_NE(html.find("POA-7"), std::string::npos);
  EXPECT_NE(html.find("2026-09-21"), std::string::npos);  // created, in Almaty
  EXPECT_NE(html.find("KZ86125KZT5004100100"), std::string::npos);
}

TEST(ApplicationFormTest, EveryValueIsEscaped) {
  const std::string html = ApplicationFormHtml(SampleForm(), "en");
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("O&#39;BRIEN &lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

TEST(ApplicationFormTest, LabelsFollowTheLanguage) {
  EXPECT_NE(ApplicationFormHtml(SampleForm(), "zh").find("注销申请表"), std::string::npos);
  EXPECT_NE(ApplicationFormHtml(SampleForm(), "kk").find("Өтініш берушінің қолы"),
            std::string::npos);
  EXPECT_NE(ApplicationFormHtml(SampleForm(), "en").find("Signature of the applicant"),
            std::string::npos);
}

}  // namespace
}  // namespace simexit::api
