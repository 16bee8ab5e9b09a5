#include "simexit/domain/identity_document.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "simexit/domain/mrz.hpp"

namespace simexit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr CivilDate kToday{2025, 6, 10};

// Synthetic KZ specimens from /work/shared/domain/facts-kz.md §4.3 (IINs from §1.3).
const std::string kTd1Kz =
    "IDKAZ0123456784900101300017<<<\n"
    "9001011M3001019KAZ<<<<<<<<<<<4\n"
    "TESTOV<<TEST<<<<<<<<<<<<<<<<<<";
const std::string kTd3Kz =
    "P<KAZTESTOVA<<AIGERIM<<<<<<<<<<<<<<<<<<<<<<<\n"
    "N123456785KAZ8506151F3306150850615400016<<84";

std::string Pad(std::string text, std::size_t width) {
  text.resize(width, '<');
  return text;
}

char Check(std::string_view field) { return static_cast<char>('0' + Mrz::CheckDigit(field)); }

// A TD1 MRZ with every check digit computed.
std::string Td1(std::string number, std::string optional1, const std::string& birth,
                const std::string& expiry, const std::string& state = "KAZ",
                const std::string& name = "TESTOV<<TEST", const std::string& code = "ID") {
  number = Pad(std::move(number), 9);
  const std::string line1 =
      Pad(code, 2) + Pad(state, 3) + number + Check(number) + Pad(std::move(optional1), 15);
  std::string line2 =
      birth + Check(birth) + "M" + expiry + Check(expiry) + Pad(state, 3) + std::string(11, '<');
  const std::string composite =
      line1.substr(5, 25) + line2.substr(0, 7) + line2.substr(8, 7) + line2.substr(18, 11);
  line2 += Check(composite);
  return line1 + "\n" + line2 + "\n" + Pad(name, 30);
}

// A TD3 MRZ with every check digit computed.
std::string Td3(std::string number, const std::string& state, const std::string& name,
                const std::string& birth, char sex, const std::string& expiry, std::string personal,
                const std::string& code = "P") {
  number = Pad(std::move(number), 9);
  personal = Pad(std::move(personal), 14);
  const std::string line1 = Pad(code, 2) + Pad(state, 3) + Pad(name, 39);
  std::string line2 = number + Check(number) + Pad(state, 3) + birth + Check(birth) + sex + expiry +
                      Check(expiry) + personal + Check(personal);
  const std::string composite = line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 22);
  line2 += Check(composite);
  return line1 + "\n" + line2;
}

// Replaces the character at (1-based) line and column with a different digit.
std::string BreakDigit(std::string mrz, int line, int column) {
  std::size_t pos = 0;
  for (int l = 1; l < line; ++l) {
    pos = mrz.find('\n', pos) + 1;
  }
  pos += static_cast<std::size_t>(column - 1);
  mrz[pos] = mrz[pos] == '5' ? '6' : '5';
  return mrz;
}

PresentedDocument IinDocument() {
  PresentedDocument d;
  d.kind = DocumentKind::kIin;
  d.number = "900101300017";
  d.full_name = "Тестов Тест";
  return d;
}

PresentedDocument IdCardByMrz(std::string mrz = kTd1Kz) {
  PresentedDocument d;
  d.kind = DocumentKind::kIdCard;
  d.mrz = std::move(mrz);
  return d;
}

PresentedDocument PassportByMrz(std::string mrz = kTd3Kz) {
  PresentedDocument d;
  d.kind = DocumentKind::kPassport;
  d.mrz = std::move(mrz);
  return d;
}

PresentedDocument TypedIdCard() {
  PresentedDocument d;
  d.kind = DocumentKind::kIdCard;
  d.number = "ab 123456";
  d.full_name = "Тестов Тест";
  d.expiry_date = "2030-01-01";
  return d;
}

void ExpectFailure(const Result<CheckedDocument>& result, const std::string& reason,
                   const std::string& field) {
  ASSERT_FALSE(result.has_value()) << "expected " << reason << " at " << field;
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().problem_code, reason) << result.error().message;
  EXPECT_EQ(result.error().field, field) << result.error().message;
  // Messages never echo document numbers or IINs.
  EXPECT_THAT(result.error().message, Not(HasSubstr("900101300017")));
  EXPECT_THAT(result.error().message, Not(HasSubstr("850615400016")));
  EXPECT_THAT(result.error().message, Not(HasSubstr("012345678")));
}

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
  EXPECT_EQ(checked->birth_date, "1990-01-01");
  EXPECT_EQ(checked->expiry_date, "");
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
  EXPECT_EQ(checked->expiry_date, "");
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
  EXPECT_EQ(checked->birth_date, "");
  EXPECT_EQ(checked->expiry_date, "2030-01-01");
  EXPECT_FALSE(checked->mrz_checked);
}

TEST(CheckTypedDocumentTest, TypedIinFillsTheBirthDate) {
  PresentedDocument d = TypedIdCard();
  d.iin = "900101300017";
  auto checked = CheckDocument(d, kToday, "document");
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->iin, "900101300017");
  EXPECT_EQ(checked->birth_date, "1990-01-01");

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
  EXPECT_EQ(checked->birth_date, "1990-01-01");
  EXPECT_EQ(checked->expiry_date, "2030-01-01");
  EXPECT_TRUE(checked->mrz_checked);
}

TEST(CheckIdCardMrzTest, AcceptsPipesAndSurroundingWhitespace) {
  std::string piped = kTd1Kz;
  for (char& c : piped) {
    if (c == '\n') c = '|';
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
  EXPECT_EQ(checked->expiry_date, "2025-06-10");
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
  EXPECT_EQ(checked->birth_date, "1925-03-04");
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
  EXPECT_EQ(checked->birth_date, "1985-06-15");
  EXPECT_EQ(checked->expiry_date, "2033-06-15");
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
  EXPECT_EQ(checked->birth_date, "1964-08-12");
}

TEST(CheckPassportMrzTest, ExpiredPassport) {
  ExpectFailure(CheckDocument(PassportByMrz(Td3("N12345678", "KAZ", "TESTOVA<<AIGERIM", "850615",
                                                'F', "250609", "850615400016")),
                              kToday, "document"),
                "document_expired", "document.expiry_date");
}

// --------------------------------------------------------------- MatchHolder

CheckedDocument Checked(const PresentedDocument& d) {
  auto checked = CheckDocument(d, kToday, "document");
  EXPECT_TRUE(checked.has_value()) << checked.error().message;
  return checked.value_or(CheckedDocument{});
}

void ExpectMismatch(const Result<void>& result, const std::string& field) {
  ASSERT_FALSE(result.has_value()) << "expected a mismatch at " << field;
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().problem_code, "document_mismatch");
  EXPECT_EQ(result.error().field, field);
  for (const char* secret : {"900101300017", "N12345678", "012345678", "TESTOV", "Тестов"}) {
    EXPECT_THAT(result.error().message, Not(HasSubstr(secret)));
  }
}

RegisteredHolder PassportHolder() {
  return RegisteredHolder{"TESTOVA AIGERIM", DocumentKind::kPassport, "n1234 5678", "kaz", ""};
}

TEST(MatchHolderTest, SamePassport) {
  EXPECT_TRUE(MatchHolder(Checked(PassportByMrz()), PassportHolder(), "document").has_value());
}

TEST(MatchHolderTest, SameNumberInAnotherCountryOrKindIsAnotherDocument) {
  CheckedDocument doc = Checked(PassportByMrz());
  doc.iin.clear();  // leave only the document itself to compare
  RegisteredHolder holder = PassportHolder();
  holder.country = "UZB";
  ExpectMismatch(MatchHolder(doc, holder, "document"), "document");
  holder = PassportHolder();
  holder.kind = DocumentKind::kIdCard;
  ExpectMismatch(MatchHolder(doc, holder, "document"), "document");
  holder = PassportHolder();
  holder.number = "N12345679";
  ExpectMismatch(MatchHolder(doc, holder, "attorney_document"), "attorney_document");
}

TEST(MatchHolderTest, IinRegisteredHolderPresentingAnIdCardWhoseMrzCarriesTheIin) {
  const RegisteredHolder holder{"Тестов Тест", DocumentKind::kIin, "900101300017", "", ""};
  EXPECT_TRUE(MatchHolder(Checked(IdCardByMrz()), holder, "document").has_value());
}

TEST(MatchHolderTest, HolderIinMatchesAnIinDocument) {
  const RegisteredHolder by_passport{"TESTOV TEST", DocumentKind::kPassport, "N999", "KAZ",
                                     "900101300017"};
  EXPECT_TRUE(MatchHolder(Checked(IinDocument()), by_passport, "document").has_value());
  const RegisteredHolder by_iin{"TESTOV TEST", DocumentKind::kIin, "900101300017", "", ""};
  EXPECT_TRUE(MatchHolder(Checked(IinDocument()), by_iin, "document").has_value());
}

TEST(MatchHolderTest, IdCardWithoutIinIsNotAnIinHoldersDocument) {
  const RegisteredHolder by_iin{"TESTOV TEST", DocumentKind::kIin, "900101300017", "", ""};
  ExpectMismatch(MatchHolder(Checked(TypedIdCard()), by_iin, "document"), "document");
}

TEST(MatchHolderTest, IdCardRegisteredWithoutCountryIsKazakh) {
  const RegisteredHolder holder{"TESTOV TEST", DocumentKind::kIdCard, "AB123456", "", ""};
  EXPECT_TRUE(MatchHolder(Checked(TypedIdCard()), holder, "document").has_value());
}

TEST(MatchHolderTest, RightDocumentWrongName) {
  RegisteredHolder holder = PassportHolder();
  holder.full_name = "TESTOVA AIGUL";
  ExpectMismatch(MatchHolder(Checked(PassportByMrz()), holder, "document"), "document");
}

// Whatever part differs, the answer is the same, so that trying numbers with
// a wrong name does not tell when the number is the holder's.
TEST(MatchHolderTest, WrongNumberAndWrongNameAnswerAlike) {
  RegisteredHolder wrong_name = PassportHolder();
  wrong_name.full_name = "TESTOVA AIGUL";
  RegisteredHolder wrong_number = PassportHolder();
  wrong_number.number = "X0000000";
  RegisteredHolder both = wrong_number;
  both.full_name = "SOMEONE ELSE";
  const CheckedDocument doc = Checked(PassportByMrz());
  const Result<void> a = MatchHolder(doc, wrong_name, "document");
  const Result<void> b = MatchHolder(doc, wrong_number, "document");
  const Result<void> c = MatchHolder(doc, both, "document");
  ExpectMismatch(a, "document");
  ExpectMismatch(b, "document");
  ExpectMismatch(c, "document");
  EXPECT_EQ(a.error().message, b.error().message);
  EXPECT_EQ(a.error().message, c.error().message);
}

TEST(MatchHolderTest, EmptyNumbersNeverMatch) {
  CheckedDocument doc;
  doc.kind = DocumentKind::kPassport;
  doc.full_name = "TESTOV TEST";
  const RegisteredHolder holder{"TESTOV TEST", DocumentKind::kPassport, "", "", ""};
  ExpectMismatch(MatchHolder(doc, holder, "document"), "document");
}

}  // namespace
}  // namespace simexit
