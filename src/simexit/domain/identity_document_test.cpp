// CheckDocument: IIN, typed and MRZ documents (MatchHolder: identity_document_match_test.cpp).

#include "simexit/domain/identity_document.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "simexit/domain/identity_document_test_support.hpp"

namespace simexit {
namespace {

using namespace ::simexit::document_test;  // NOLINT(google-build-using-namespace)
using ::testing::HasSubstr;
using ::testing::Not;

TEST(DocumentKindTest, StringFormsRoundTrip) {
  EXPECT_STREQ(ToString(DocumentKind::kIin), "iin");
  EXPECT_STREQ(ToString(DocumentKind::kIdCard), "id_card");
  EXPECT_STREQ(ToString(DocumentKind::kPassport), "passport");
  for (DocumentKind k : {DocumentKind::kIin, DocumentKind::kIdCard, DocumentKind::kPassport}) {
    EXPECT_EQ(ParseDocumentKind(ToString(k)), k);
  }
  EXPECT_EQ(ParseDocumentKind("Passport"), std::nullopt);
  EXPECT_EQ(ParseDocumentKind(""), std::nullopt);
}

TEST(MrzBuilderTest, ReproducesTheSpecimens) {
  // The builders below are only trusted because they rebuild the facts-file specimens.
  EXPECT_EQ(Td1("012345678", "900101300017", "900101", "300101"), kTd1Kz);
  EXPECT_EQ(Td3("N12345678", "KAZ", "TESTOVA<<AIGERIM", "850615", 'F', "330615", "850615400016"),
            kTd3Kz);
}

// ---------------------------------------------------------------- kind iin

TEST(CheckIinDocumentTest, FillsEverythingFromTheIin) {
  auto checked = CheckDocument(IinDocument(), kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->kind, DocumentKind::kIin);
  EXPECT_EQ(checked->number, "900101300017");
  EXPECT_EQ(checked->country, "KAZ");
  EXPECT_EQ(checked->full_name, "Тестов Тест");
  EXPECT_EQ(checked->iin, "900101300017");
  EXPECT_EQ(checked->birth_date, (CivilDate{1990, 1, 1}));
  EXPECT_EQ(checked->expiry_date, std::nullopt);
  EXPECT_FALSE(checked->mrz_checked);
}

TEST(CheckIinDocumentTest, AcceptsSpacesKazAndAgreeingOptionalFields) {
  PresentedDocument d = IinDocument();
  d.number = " 900101 300017 ";
  d.country = "kaz";
  d.iin = "900101300017";
  d.birth_date = "1990-01-01";
  d.expiry_date = "whatever";  // unused for an IIN
  auto checked = CheckDocument(d, kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->number, "900101300017");
  EXPECT_EQ(checked->expiry_date, std::nullopt);
}

TEST(CheckIinDocumentTest, Errors) {
  PresentedDocument d = IinDocument();
  d.number = "";
  ExpectFailure(CheckDocument(d, kToday, "document"), "invalid_document", "document.number");

  d = IinDocument();
  d.number = "900101300016";  // wrong check digit
  ExpectFailure(CheckDocument(d, kToday, "document"), "invalid_iin", "document.number");
  d.number = "90010130001A";
  ExpectFailure(CheckDocument(d, kToday, "attorney_document"), "invalid_iin",
                "attorney_document.number");

  d = IinDocument();
  d.country = "RUS";
  ExpectFailure(CheckDocument(d, kToday, "document"), "invalid_document", "document.country");

  d = IinDocument();
  d.full_name = "  ";
  ExpectFailure(CheckDocument(d, kToday, "document"), "invalid_document", "document.full_name");
  d.full_name = "Test\xFF";
  ExpectFailure(CheckDocument(d, kToday, "document"), "invalid_document", "document.full_name");

  d = IinDocument();
  d.mrz = kTd1Kz;
  ExpectFailure(CheckDocument(d, kToday, "document"), "invalid_document", "document.mrz");

  d = IinDocument();
  d.birth_date = "1990-01-02";
  ExpectFailure(CheckDocument(d, kToday, "document"), "invalid_document", "document.birth_date");
  d.birth_date = "1990-13-01";
  ExpectFailure(CheckDocument(d, kToday, "document"), "invalid_document", "document.birth_date");

  d = IinDocument();
  d.iin = "850615400016";
  ExpectFailure(CheckDocument(d, kToday, "document"), "invalid_document", "document.iin");
  d.iin = "850615400017";
  ExpectFailure(CheckDocument(d, kToday, "document"), "invalid_iin", "document.iin");
}

// ------------------------------------------------------- typed, without an MRZ

TEST(CheckTypedDocumentTest, IdCardDefaultsToKazakhstan) {
  auto checked = CheckDocument(TypedIdCard(), kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->kind, DocumentKind::kIdCard);
  EXPECT_EQ(checked->number, "AB123456");
  EXPECT_EQ(checked->country, "KAZ");
  EXPECT_EQ(checked->full_name, "Тестов Тест");
  EXPECT_EQ(checked->iin, "");
  EXPECT_EQ(checked->birth_date, std::nullopt);
  EXPECT_EQ(checked->expiry_date, (CivilDate{2030, 1, 1}));
  EXPECT_FALSE(checked->mrz_checked);
}

TEST(CheckTypedDocumentTest, TypedIinFillsTheBirthDate) {
  PresentedDocument d = TypedIdCard();
  d.iin = "900101300017";
  auto checked = CheckDocument(d, kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->iin, "900101300017");
  EXPECT_EQ(checked->birth_date, (CivilDate{1990, 1, 1}));

  d.birth_date = "1990-02-01";
  ExpectFailure(CheckDocument(d, kToday, "document"), "invalid_document", "document.birth_date");
}

TEST(CheckTypedDocumentTest, PassportNeedsACountry) {
  PresentedDocument d = TypedIdCard();
  d.kind = DocumentKind::kPassport;
  ExpectFailure(CheckDocument(d, kToday, "document"), "invalid_document", "document.country");
  d.country = "uto";
  auto checked = CheckDocument(d, kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->country, "UTO");
}

TEST(CheckTypedDocumentTest, MissingOrMalformedFields) {
  struct Case {
    void (*change)(PresentedDocument&);
    const char* field;
  };
  const Case cases[] = {
      {[](PresentedDocument& d) { d.number = ""; }, "document.number"},
      {[](PresentedDocument& d) { d.number = "AB-123"; }, "document.number"},
      {[](PresentedDocument& d) { d.number = std::string(25, '1'); }, "document.number"},
      {[](PresentedDocument& d) { d.full_name = ""; }, "document.full_name"},
      {[](PresentedDocument& d) { d.full_name = "王 小明"; }, "document.full_name"},
      {[](PresentedDocument& d) { d.expiry_date = ""; }, "document.expiry_date"},
      {[](PresentedDocument& d) { d.expiry_date = "2030-02-30"; }, "document.expiry_date"},
      {[](PresentedDocument& d) { d.expiry_date = "01.01.2030"; }, "document.expiry_date"},
      {[](PresentedDocument& d) { d.birth_date = "1990-1-1"; }, "document.birth_date"},
      {[](PresentedDocument& d) { d.country = "KZ"; }, "document.country"},
      {[](PresentedDocument& d) { d.country = "K4Z"; }, "document.country"},
  };
  for (const Case& c : cases) {
    PresentedDocument d = TypedIdCard();
    c.change(d);
    ExpectFailure(CheckDocument(d, kToday, "document"), "invalid_document", c.field);
  }
  PresentedDocument d = TypedIdCard();
  d.iin = "123";
  ExpectFailure(CheckDocument(d, kToday, "document"), "invalid_iin", "document.iin");
}

TEST(CheckTypedDocumentTest, ExpiredYesterdayFailsExpiringTodayPasses) {
  PresentedDocument d = TypedIdCard();
  d.expiry_date = "2025-06-09";
  ExpectFailure(CheckDocument(d, kToday, "document"), "document_expired", "document.expiry_date");
  ExpectFailure(CheckDocument(d, kToday, "attorney_document"), "document_expired",
                "attorney_document.expiry_date");
  d.expiry_date = "2025-06-10";
  EXPECT_TRUE(CheckDocument(d, kToday, "document").has_value());
}

// ------------------------------------------------------------- TD1 ID card

TEST(CheckIdCardMrzTest, FillsEveryFieldFromTheMrz) {
  auto checked = CheckDocument(IdCardByMrz(), kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->kind, DocumentKind::kIdCard);
  EXPECT_EQ(checked->number, "012345678");
  EXPECT_EQ(checked->country, "KAZ");
  EXPECT_EQ(checked->full_name, "TESTOV TEST");
  EXPECT_EQ(checked->iin, "900101300017");  // TD1 optional data 1
  EXPECT_EQ(checked->birth_date, (CivilDate{1990, 1, 1}));
  EXPECT_EQ(checked->expiry_date, (CivilDate{2030, 1, 1}));
  EXPECT_TRUE(checked->mrz_checked);
}

TEST(CheckIdCardMrzTest, AcceptsPipesAndSurroundingWhitespace) {
  std::string piped = kTd1Kz;
  for (char& c : piped) {
    if (c == '\n') {
      c = '|';
    }
  }
  EXPECT_TRUE(CheckDocument(IdCardByMrz(piped), kToday, "document").has_value());
  EXPECT_TRUE(CheckDocument(IdCardByMrz("\n" + kTd1Kz + "\r\n"), kToday, "document").has_value());
}

TEST(CheckIdCardMrzTest, TypedFieldsThatAgreeAreAccepted) {
  PresentedDocument d = IdCardByMrz();
  d.number = "0123 45678";
  d.country = "kaz";
  d.full_name = "Тестов Тест Тестович";  // Cyrillic, with a patronymic
  d.iin = "900101300017";
  d.birth_date = "1990-01-01";
  d.expiry_date = "2030-01-01";
  auto checked = CheckDocument(d, kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->full_name, "Тестов Тест Тестович");  // as printed
  EXPECT_EQ(checked->number, "012345678");
}

struct BrokenDigit {
  int line;
  int column;
  const char* field;
};

class IdCardCheckDigitTest : public ::testing::TestWithParam<BrokenDigit> {};

TEST_P(IdCardCheckDigitTest, NamesTheFailingCheckDigit) {
  const BrokenDigit& b = GetParam();
  ExpectFailure(
      CheckDocument(IdCardByMrz(BreakDigit(kTd1Kz, b.line, b.column)), kToday, "document"),
      "mrz_check_digit", b.field);
}

INSTANTIATE_TEST_SUITE_P(EachTd1CheckDigit, IdCardCheckDigitTest,
                         ::testing::Values(BrokenDigit{1, 15, "document.mrz.document_number"},
                                           BrokenDigit{2, 7, "document.mrz.birth_date"},
                                           BrokenDigit{2, 15, "document.mrz.expiry_date"},
                                           BrokenDigit{2, 30, "document.mrz.composite"}));

TEST(CheckIdCardMrzTest, CheckDigitFieldTakesThePrefix) {
  ExpectFailure(CheckDocument(IdCardByMrz(BreakDigit(kTd1Kz, 2, 7)), kToday, "attorney_document"),
                "mrz_check_digit", "attorney_document.mrz.birth_date");
}

TEST(CheckIdCardMrzTest, LayoutErrors) {
  std::string short_line = kTd1Kz;
  short_line.erase(5, 1);
  ExpectFailure(CheckDocument(IdCardByMrz(short_line), kToday, "document"), "invalid_mrz",
                "document.mrz");
  std::string lower = kTd1Kz;
  lower[0] = 'i';
  ExpectFailure(CheckDocument(IdCardByMrz(lower), kToday, "document"), "invalid_mrz",
                "document.mrz");
  ExpectFailure(CheckDocument(IdCardByMrz("IDKAZ"), kToday, "document"), "invalid_mrz",
                "document.mrz");
}

TEST(CheckIdCardMrzTest, WrongFormatOrCodeForTheKind) {
  ExpectFailure(CheckDocument(IdCardByMrz(kTd3Kz), kToday, "document"), "invalid_document",
                "document.mrz");
  ExpectFailure(CheckDocument(PassportByMrz(kTd1Kz), kToday, "document"), "invalid_document",
                "document.mrz");
  // A TD1 whose document code is not an identity card's (P is a passport's).
  ExpectFailure(CheckDocument(IdCardByMrz(Td1("012345678", "", "900101", "300101", "KAZ",
                                              "TESTOV<<TEST", "P<")),
                              kToday, "document"),
                "invalid_document", "document.mrz");
  // A TD3 whose document code is not a passport's.
  ExpectFailure(CheckDocument(PassportByMrz(Td3("N12345678", "KAZ", "TESTOVA<<AIGERIM", "850615",
                                                'F', "330615", "", "V")),
                              kToday, "document"),
                "invalid_document", "document.mrz");
}

TEST(CheckIdCardMrzTest, EachTypedFieldThatDisagreesIsNamed) {
  struct Case {
    void (*change)(PresentedDocument&);
    const char* field;
  };
  const Case cases[] = {
      {[](PresentedDocument& d) { d.number = "012345679"; }, "document.number"},
      {[](PresentedDocument& d) { d.country = "UZB"; }, "document.country"},
      {[](PresentedDocument& d) { d.full_name = "Петров Пётр"; }, "document.full_name"},
      {[](PresentedDocument& d) { d.birth_date = "1990-01-02"; }, "document.birth_date"},
      {[](PresentedDocument& d) { d.expiry_date = "2030-01-02"; }, "document.expiry_date"},
      {[](PresentedDocument& d) { d.iin = "850615400016"; }, "document.iin"},
  };
  for (const Case& c : cases) {
    PresentedDocument d = IdCardByMrz();
    c.change(d);
    ExpectFailure(CheckDocument(d, kToday, "document"), "mrz_mismatch", c.field);
  }
}

TEST(CheckIdCardMrzTest, TypedIinMustBelongToTheMrzBirthDate) {
  // No IIN in the MRZ: a typed IIN of someone born on another day disagrees.
  PresentedDocument d = IdCardByMrz(Td1("012345678", "", "900101", "300101"));
  d.iin = "850615400016";
  ExpectFailure(CheckDocument(d, kToday, "document"), "mrz_mismatch", "document.iin");
  d.iin = "900101300017";
  auto checked = CheckDocument(d, kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->iin, "900101300017");
}

TEST(CheckIdCardMrzTest, OptionalDataThatIsNotTheHoldersIinIsIgnored) {
  // Valid IIN, but born on another day than the MRZ says.
  auto checked = CheckDocument(IdCardByMrz(Td1("012345678", "850615400016", "900101", "300101")),
                               kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->iin, "");
  // Not an IIN at all.
  checked = CheckDocument(IdCardByMrz(Td1("012345678", "ABC", "900101", "300101", "UTO")), kToday,
                          "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->iin, "");
  EXPECT_EQ(checked->country, "UTO");
}

TEST(CheckIdCardMrzTest, ExpiryComesFromTheMrz) {
  ExpectFailure(CheckDocument(IdCardByMrz(Td1("012345678", "900101300017", "900101", "250609")),
                              kToday, "document"),
                "document_expired", "document.expiry_date");
  auto checked = CheckDocument(IdCardByMrz(Td1("012345678", "900101300017", "900101", "250610")),
                               kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->expiry_date, (CivilDate{2025, 6, 10}));
}

TEST(CheckIdCardMrzTest, IinCenturyWinsOverTheMrzGuess) {
  // Born 1925-03-04 (IIN century digit 3 = 20th century, male); the MRZ's "250304"
  // alone would be read as 2025 in 2025.
  const std::string iin = "250304300013";
  ASSERT_TRUE(Iin::Parse(iin).has_value()) << "fixture IIN must be valid";
  auto checked =
      CheckDocument(IdCardByMrz(Td1("012345678", iin, "250304", "300101")), kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->iin, iin);
  EXPECT_EQ(checked->birth_date, (CivilDate{1925, 3, 4}));
}

// --------------------------------------------------------------- TD3 passport

TEST(CheckPassportMrzTest, FillsEveryFieldFromTheMrz) {
  auto checked = CheckDocument(PassportByMrz(), kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->kind, DocumentKind::kPassport);
  EXPECT_EQ(checked->number, "N12345678");
  EXPECT_EQ(checked->country, "KAZ");
  EXPECT_EQ(checked->full_name, "TESTOVA AIGERIM");
  EXPECT_EQ(checked->iin, "850615400016");  // the personal number
  EXPECT_EQ(checked->birth_date, (CivilDate{1985, 6, 15}));
  EXPECT_EQ(checked->expiry_date, (CivilDate{2033, 6, 15}));
  EXPECT_TRUE(checked->mrz_checked);
}

TEST(CheckPassportMrzTest, CyrillicNameWithPatronymicMatchesTheMrz) {
  PresentedDocument d = PassportByMrz();
  d.full_name = "Тестова Айгерим Сериковна";
  d.number = "n12345678";
  d.country = "KAZ";
  auto checked = CheckDocument(d, kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->full_name, "Тестова Айгерим Сериковна");
  d.full_name = "Тестова Айгуль";
  ExpectFailure(CheckDocument(d, kToday, "document"), "mrz_mismatch", "document.full_name");
}

class PassportCheckDigitTest : public ::testing::TestWithParam<BrokenDigit> {};

TEST_P(PassportCheckDigitTest, NamesTheFailingCheckDigit) {
  const BrokenDigit& b = GetParam();
  ExpectFailure(
      CheckDocument(PassportByMrz(BreakDigit(kTd3Kz, b.line, b.column)), kToday, "document"),
      "mrz_check_digit", b.field);
}

INSTANTIATE_TEST_SUITE_P(EachTd3CheckDigit, PassportCheckDigitTest,
                         ::testing::Values(BrokenDigit{2, 10, "document.mrz.document_number"},
                                           BrokenDigit{2, 20, "document.mrz.birth_date"},
                                           BrokenDigit{2, 28, "document.mrz.expiry_date"},
                                           BrokenDigit{2, 43, "document.mrz.personal_number"},
                                           BrokenDigit{2, 44, "document.mrz.composite"}));

TEST(CheckPassportMrzTest, GermanyIsDeuAndForeignPassportsHaveNoIin) {
  const std::string mrz = Td3("C01X0006H", "D", "MUSTERMANN<<ERIKA", "640812", 'F', "310101", "");
  PresentedDocument d = PassportByMrz(mrz);
  d.country = "DEU";
  d.full_name = "Erika Mustermann";
  auto checked = CheckDocument(d, kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->country, "DEU");
  EXPECT_EQ(checked->iin, "");
  EXPECT_EQ(checked->birth_date, (CivilDate{1964, 8, 12}));
}

TEST(CheckPassportMrzTest, ExpiredPassport) {
  ExpectFailure(CheckDocument(PassportByMrz(Td3("N12345678", "KAZ", "TESTOVA<<AIGERIM", "850615",
                                                'F', "250609", "850615400016")),
                              kToday, "document"),
                "document_expired", "document.expiry_date");
}

}  // namespace
}  // namespace simexit
