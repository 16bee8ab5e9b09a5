#include "simexit/documents/documents.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "simexit/certificate/signer.hpp"
#include "simexit/documents/test_tools.hpp"
#include "simexit/domain/messages.hpp"
#include "simexit/testing/values.hpp"

namespace simexit::documents {
namespace {

CertificateSigner TestSigner() {
  std::array<unsigned char, 32> seed{};
  seed.fill(7);
  return CertificateSigner::FromSeed(seed);
}

std::string SignedDocument(const CertificateSigner& signer) {
  CertificateBody body;
  body.serial = "SX-8Z0K3M4N5P6Q7R8S9T0V1W2X3C";
  body.termination_id = "trm_0123456789abcdef01234567";
  body.operator_code = "kcell";
  body.operator_name = "Kcell JSC (Қазақстан)";
  body.msisdn = "+77011234567";
  body.iccid = "8997212345678901234";
  body.holder_ref = std::string(64, 'a');
  body.terminated_at = "2026-11-25T04:12:13Z";
  body.quarantine_until = "2027-05-24";
  body.settlement = {{"currency", "KZT"},
                     {"refund", "1234.50"},
                     {"fee", "0.00"},
                     {"outstanding_charges", "-20.50"}};
  Result<SignedCertificate> signed_cert = signer.Sign(body);
  EXPECT_TRUE(signed_cert.has_value());
  return signed_cert->ToDocument();
}

constexpr const char* kVerifyUrl = "http://127.0.0.1:8080/verify/SX-8Z0K3M4N5P6Q7R8S9T0V1W2X3C";

bool HasTools() {
  return ToolAvailable("pdftotext") && ToolAvailable("pdfdetach") && ToolAvailable("qpdf") &&
         ToolAvailable("zbarimg") && ToolAvailable("pdftoppm");
}

// pdftotext breaks lines where the layout does; compare without whitespace
// (nor the no-break spaces of amounts).
std::string Squeeze(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\xc2' && i + 1 < text.size() && text[i + 1] == '\xa0') {
      ++i;
    } else if (c != ' ' && c != '\n' && c != '\f' && c != '\r') {
      out += c;
    }
  }
  return out;
}

TEST(PeopleFormatsTest, NumbersAsPrintedAndMasked) {
  EXPECT_EQ(FormatMsisdn("+77011234567"), "+7 701 123 45 67");
  EXPECT_EQ(FormatMsisdn("+8613800138000"), "+8613800138000");
  EXPECT_EQ(MaskMsisdn("+77011234501"), "+7 701 *** ** 01");
  EXPECT_EQ(MaskMsisdn("+8613800138000"), "+861********00");
  EXPECT_EQ(MaskIccid("8997212345678901234"), "***************1234");
  EXPECT_EQ(MaskIccid("123"), "***");
}

TEST(CertificatePdfTest, RefusesWhatIsNotASignedCertificate) {
  for (const char* document : {"", "not json", R"({"certificate":{}})"}) {
    Result<std::string> pdf = RenderCertificatePdf({.document = document,
                                                    .language = Language::kRu,
                                                    .time_zone = "Asia/Almaty",
                                                    .verify_url = kVerifyUrl});
    ASSERT_FALSE(pdf.has_value()) << document;
    EXPECT_EQ(pdf.error().problem_code, "malformed_certificate");
  }
}

class CertificatePdfLanguageTest : public ::testing::TestWithParam<Language> {};

TEST_P(CertificatePdfLanguageTest, ReadsInTheLanguageAndEnglishCarriesTheJsonAndTheQrCode) {
  if (!HasTools()) {
    GTEST_SKIP() << "poppler-utils, qpdf and zbar-tools are needed (scripts/install-deps.sh)";
  }
  const CertificateSigner signer = TestSigner();
  const std::string document = SignedDocument(signer);
  const Language language = GetParam();
  Result<std::string> pdf = RenderCertificatePdf({.document = document,
                                                  .language = language,
                                                  .time_zone = "Asia/Almaty",
                                                  .verify_url = kVerifyUrl});
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  ASSERT_TRUE(pdf->starts_with("%PDF-"));
  // SIMEXIT_WRITE_PDF_SAMPLES=DIR keeps the PDFs (the README's pictures).
  if (const char* dir = std::getenv("SIMEXIT_WRITE_PDF_SAMPLES")) {
    std::ofstream(
        std::filesystem::path(dir) / ("certificate-" + std::string(ToString(language)) + ".pdf"),
        std::ios::binary)
        << *pdf;
  }

  const ToolRun check = RunOnPdf(*pdf, "qpdf --check {pdf}");
  EXPECT_EQ(check.status, 0) << check.output;
  EXPECT_EQ(DetachFile(*pdf, "certificate.json"), document);
  EXPECT_TRUE(VerifyCertificate(DetachFile(*pdf, "certificate.json"), signer.public_key_hex()));

  const std::string text = Squeeze(PdfText(*pdf));
  for (const std::string_view expected :
       {Text("certificate.title", language), Text("certificate.title", Language::kEn),
        Text("certificate.closed_at", language), Text("form.operator", language),
        std::string_view("SX-8Z0K3M4N5P6Q7R8S9T0V1W2X3C"), std::string_view("KcellJSC(Қазақстан)"),
        std::string_view("+77011234567"), std::string_view("***************1234"),
        // 04:12 UTC is 09:12 in Almaty (UTC+5 since 2024).
        std::string_view("2026-11-2509:12(Asia/Almaty)"), std::string_view("1234,50₸"),
        std::string_view("-20,50₸"), std::string_view(kVerifyUrl)}) {
    EXPECT_NE(text.find(Squeeze(std::string(expected))), std::string::npos)
        << "missing " << expected << " in\n"
        << text;
  }
  EXPECT_EQ(text.find("8997212345678901234"), std::string::npos) << "ICCID not masked";

  const ToolRun qr =
      RunOnPdf(*pdf,
               "pdftoppm -r 150 -png -singlefile {pdf} {dir}/page && zbarimg -q --raw "
               "{dir}/page.png 2>/dev/null");
  EXPECT_EQ(qr.status, 0) << qr.output;
  EXPECT_EQ(qr.output, std::string(kVerifyUrl) + "\n");
}

INSTANTIATE_TEST_SUITE_P(AllLanguages, CertificatePdfLanguageTest,
                         ::testing::Values(Language::kZh, Language::kEn, Language::kRu,
                                           Language::kKk),
                         [](const ::testing::TestParamInfo<Language>& language) {
                           return std::string(ToString(language.param));
                         });

TEST(ApplicationFormPdfTest, HolderLanguageBesideRussianWithSignatureBoxes) {
  if (!HasTools()) {
    GTEST_SKIP() << "poppler-utils and qpdf are needed (scripts/install-deps.sh)";
  }
  ApplicationForm form;
  form.termination.id = "trm_0123456789abcdef01234567";
  form.termination.msisdn = testing::TestMsisdn("+77011234567");
  form.termination.channel = Channel::kStore;
  form.termination.requested_by = "staff:3";
  form.termination.created_at = 1'790'000'000;
  form.op.name = "Kcell";
  form.holder.full_name = "ӘЛІБЕК ҚҰРМАНҒАЗЫ";
  form.holder.document_kind = DocumentKind::kIin;
  form.holder.document_number = "900101300123";
  form.line.iccid = testing::TestIccid("8997212345678901234");
  form.quote.fee = Money::Tiyn(500'00);
  form.quote.refund = Money::Tiyn(1'234'50);
  for (const Language language : {Language::kZh, Language::kEn, Language::kKk, Language::kRu}) {
    Result<std::string> pdf = RenderApplicationFormPdf(form, language);
    ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
    const ToolRun check = RunOnPdf(*pdf, "qpdf --check {pdf}");
    EXPECT_EQ(check.status, 0) << check.output;
    const std::string text = Squeeze(PdfText(*pdf));
    for (const std::string_view expected :
         {Text("form.title", language), Text("form.title", Language::kRu),
          Text("form.signature_holder", language), Text("form.signature_holder", Language::kRu),
          Text("form.signature_date", language), std::string_view("ӘЛІБЕКҚҰРМАНҒАЗЫ"),
          std::string_view("trm_0123456789abcdef01234567"), std::string_view("1234,50₸"),
          std::string_view("500,00₸")}) {
      EXPECT_NE(text.find(Squeeze(std::string(expected))), std::string::npos)
          << ToString(language) << ": missing " << expected << " in\n"
          << text;
    }
  }
}

}  // namespace
}  // namespace simexit::documents
