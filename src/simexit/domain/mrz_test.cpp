#include "simexit/domain/mrz.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace simexit {
namespace {

using ::testing::HasSubstr;

constexpr int kYear = 2025;

// Specimens from /work/shared/domain/facts-kz.md §4.3 (check digits recomputed there).
const std::string kTd3Utopia =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
const std::string kTd3UtopiaOld =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C<3UTO6908061F9406236ZE184226B<<<<<14";
const std::string kTd3German =
    "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<\n"
    "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0";
const std::string kTd3Kz =
    "P<KAZTESTOVA<<AIGERIM<<<<<<<<<<<<<<<<<<<<<<<\n"
    "N123456785KAZ8506151F3306150850615400016<<84";
const std::string kTd1Utopia =
    "I<UTOD231458907<<<<<<<<<<<<<<<\n"
    "7408122F1204159UTO<<<<<<<<<<<6\n"
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
const std::string kTd1Swiss =
    "IDCHEA1234567<6<<<<<<<<<<<<<<<\n"
    "7510256M2009018CHE<<<<<<<<<<<8\n"
    "SMITH<<JOHN<ALBERT<<<<<<<<<<<<";
const std::string kTd1OptionalAbc =
    "I<UTOD231458907ABC<<<<<<<<<<<<\n"
    "7408122F1204159UTO<<<<<<<<<<<1\n"
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
const std::string kTd1Kz =
    "IDKAZ0123456784900101300017<<<\n"
    "9001011M3001019KAZ<<<<<<<<<<<4\n"
    "TESTOV<<TEST<<<<<<<<<<<<<<<<<<";

// Replaces the character at (1-based) line `line`, column `column`.
std::string With(std::string mrz, int line, int column, char c) {
  std::size_t pos = 0;
  for (int l = 1; l < line; ++l) {
    pos = mrz.find('\n', pos) + 1;
  }
  mrz[pos + static_cast<std::size_t>(column - 1)] = c;
  return mrz;
}

void ExpectError(const Result<Mrz>& mrz, const std::string& reason, const std::string& part) {
  ASSERT_FALSE(mrz.has_value());
  EXPECT_EQ(mrz.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(mrz.error().problem_code, reason);
  EXPECT_THAT(mrz.error().message, HasSubstr(part));
  if (reason == "invalid_mrz") {
    EXPECT_EQ(mrz.error().field, "");  // layout errors blame the whole MRZ
  }
}

TEST(MrzCheckDigitTest, IcaoVectors) {
  EXPECT_EQ(Mrz::CheckDigit("520727"), 3);
  EXPECT_EQ(Mrz::CheckDigit("AB2134<<<"), 5);
  EXPECT_EQ(Mrz::CheckDigit("L898902C3"), 6);
  EXPECT_EQ(Mrz::CheckDigit("L898902C<"), 3);
  EXPECT_EQ(Mrz::CheckDigit("740812"), 2);
  EXPECT_EQ(Mrz::CheckDigit("120415"), 9);
  EXPECT_EQ(Mrz::CheckDigit("D23145890"), 7);
  EXPECT_EQ(Mrz::CheckDigit("123456BB"), 5);
  EXPECT_EQ(Mrz::CheckDigit("HA672242<658022549601086<<<<<<<<<<<<<<0"), 8);
  EXPECT_EQ(Mrz::CheckDigit("D231458907<<<<<<<<<<<<<<<34071279507122<<<<<<<<<<<"), 2);
  EXPECT_EQ(Mrz::CheckDigit(""), 0);
  EXPECT_EQ(Mrz::CheckDigit("<<<<"), 0);
}

TEST(MrzCheckDigitTest, BadCharacterIsMinusOne) {
  EXPECT_EQ(Mrz::CheckDigit("ab2134"), -1);
  EXPECT_EQ(Mrz::CheckDigit("AB 134"), -1);
  EXPECT_EQ(Mrz::CheckDigit("AB-134"), -1);
}

TEST(MrzTd3Test, IcaoSpecimen) {
  auto mrz = Mrz::Parse(kTd3Utopia, kYear);
  ASSERT_TRUE(mrz.has_value()) << mrz.error().message;
  EXPECT_EQ(mrz->format, MrzFormat::kTd3);
  EXPECT_EQ(mrz->document_code, "P");
  EXPECT_EQ(mrz->issuing_state, "UTO");
  EXPECT_EQ(mrz->document_number, "L898902C3");
  EXPECT_EQ(mrz->nationality, "UTO");
  EXPECT_EQ(mrz->birth_date, (CivilDate{1974, 8, 12}));
  EXPECT_EQ(mrz->sex, Sex::kFemale);
  EXPECT_EQ(mrz->expiry_date, (CivilDate{2012, 4, 15}));
  EXPECT_EQ(mrz->surname, "ERIKSSON");
  EXPECT_EQ(mrz->given_names, "ANNA MARIA");
  EXPECT_EQ(mrz->optional_data, "ZE184226B");
}

TEST(MrzTd3Test, OlderSpecimenWithFillerInDocumentNumber) {
  auto mrz = Mrz::Parse(kTd3UtopiaOld, kYear);
  ASSERT_TRUE(mrz.has_value()) << mrz.error().message;
  EXPECT_EQ(mrz->document_number, "L898902C");
  EXPECT_EQ(mrz->birth_date, (CivilDate{1969, 8, 6}));
  EXPECT_EQ(mrz->expiry_date, (CivilDate{2094, 6, 23}));  // expiry is always 20YY
}

TEST(MrzTd3Test, GermanSpecimenWithEmptyPersonalNumber) {
  auto mrz = Mrz::Parse(kTd3German, kYear);
  ASSERT_TRUE(mrz.has_value()) << mrz.error().message;
  EXPECT_EQ(mrz->issuing_state, "D");
  EXPECT_EQ(mrz->nationality, "D");
  EXPECT_EQ(mrz->document_number, "C01X0006H");
  EXPECT_EQ(mrz->surname, "MUSTERMANN");
  EXPECT_EQ(mrz->given_names, "ERIKA");
  EXPECT_EQ(mrz->birth_date, (CivilDate{1964, 8, 12}));
  EXPECT_EQ(mrz->expiry_date, (CivilDate{2017, 10, 31}));
  EXPECT_EQ(mrz->optional_data, "");
}

TEST(MrzTd3Test, EmptyPersonalNumberAcceptsZeroCheckDigitToo) {
  // All-filler personal number: position 43 may be '<' or '0'; the composite is unchanged.
  auto mrz = Mrz::Parse(With(kTd3German, 2, 43, '0'), kYear);
  ASSERT_TRUE(mrz.has_value()) << mrz.error().message;
}

TEST(MrzTd3Test, SyntheticKazakhPassport) {
  auto mrz = Mrz::Parse(kTd3Kz, kYear);
  ASSERT_TRUE(mrz.has_value()) << mrz.error().message;
  EXPECT_EQ(mrz->issuing_state, "KAZ");
  EXPECT_EQ(mrz->document_number, "N12345678");
  EXPECT_EQ(mrz->surname, "TESTOVA");
  EXPECT_EQ(mrz->given_names, "AIGERIM");
  EXPECT_EQ(mrz->birth_date, (CivilDate{1985, 6, 15}));
  EXPECT_EQ(mrz->sex, Sex::kFemale);
  EXPECT_EQ(mrz->expiry_date, (CivilDate{2033, 6, 15}));
  EXPECT_EQ(mrz->optional_data, "850615400016");
  auto iin = Iin::Parse(mrz->optional_data);
  ASSERT_TRUE(iin.has_value());
  EXPECT_EQ(iin->birth_date(), mrz->birth_date);
  EXPECT_EQ(iin->sex(), mrz->sex);
}

TEST(MrzTd3Test, ToleratesTrailingNewlineAndCarriageReturns) {
  std::string crlf = kTd3Utopia;
  crlf.insert(crlf.find('\n'), "\r");
  EXPECT_TRUE(Mrz::Parse(crlf + "\r\n", kYear).has_value());
  EXPECT_TRUE(Mrz::Parse(kTd3Utopia + "\n", kYear).has_value());
}

struct BrokenCheck {
  int line;
  int column;
  const char* field;
};

class MrzTd3BrokenCheckTest : public ::testing::TestWithParam<BrokenCheck> {};

TEST_P(MrzTd3BrokenCheckTest, NamesTheField) {
  const BrokenCheck& c = GetParam();
  // Replace the check digit with a different digit.
  std::string mrz = kTd3Utopia;
  const std::size_t pos = mrz.find('\n') + 1 + static_cast<std::size_t>(c.column - 1);
  mrz[pos] = mrz[pos] == '5' ? '6' : '5';
  const Result<Mrz> parsed = Mrz::Parse(mrz, kYear);
  ExpectError(parsed, "mrz_check_digit", c.field);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().field, c.field);
}

INSTANTIATE_TEST_SUITE_P(EachCheckDigit, MrzTd3BrokenCheckTest,
                         ::testing::Values(BrokenCheck{2, 10, "document_number"},
                                           BrokenCheck{2, 20, "birth_date"},
                                           BrokenCheck{2, 28, "expiry_date"},
                                           BrokenCheck{2, 43, "personal_number"},
                                           BrokenCheck{2, 44, "composite"}));

TEST(MrzTd3Test, ChangedDataFailsItsCheckDigit) {
  // One character of each checked field changed, check digits left as they were.
  ExpectError(Mrz::Parse(With(kTd3Utopia, 2, 1, 'M'), kYear), "mrz_check_digit", "document_number");
  ExpectError(Mrz::Parse(With(kTd3Utopia, 2, 19, '3'), kYear), "mrz_check_digit", "birth_date");
  ExpectError(Mrz::Parse(With(kTd3Utopia, 2, 27, '6'), kYear), "mrz_check_digit", "expiry_date");
  ExpectError(Mrz::Parse(With(kTd3Utopia, 2, 29, 'X'), kYear), "mrz_check_digit",
              "personal_number");
  // Facts §4.3 negative example: composite wrong.
  ExpectError(Mrz::Parse(With(kTd3Utopia, 2, 44, '1'), kYear), "mrz_check_digit", "composite");
  // Nationality is covered only by no check digit at all: changing it still parses.
  EXPECT_TRUE(Mrz::Parse(With(kTd3Utopia, 2, 11, 'X'), kYear).has_value());
}

TEST(MrzTd3Test, CheckDigitPositionHoldingALetter) {
  ExpectError(Mrz::Parse(With(kTd3Utopia, 2, 10, 'A'), kYear), "mrz_check_digit",
              "document_number");
  // '<' is allowed at 43 only when the personal number is all fillers.
  ExpectError(Mrz::Parse(With(kTd3Utopia, 2, 43, '<'), kYear), "mrz_check_digit",
              "personal_number");
}

TEST(MrzTd1Test, IcaoSpecimen) {
  auto mrz = Mrz::Parse(kTd1Utopia, kYear);
  ASSERT_TRUE(mrz.has_value()) << mrz.error().message;
  EXPECT_EQ(mrz->format, MrzFormat::kTd1);
  EXPECT_EQ(mrz->document_code, "I");
  EXPECT_EQ(mrz->issuing_state, "UTO");
  EXPECT_EQ(mrz->document_number, "D23145890");
  EXPECT_EQ(mrz->nationality, "UTO");
  EXPECT_EQ(mrz->birth_date, (CivilDate{1974, 8, 12}));
  EXPECT_EQ(mrz->sex, Sex::kFemale);
  EXPECT_EQ(mrz->expiry_date, (CivilDate{2012, 4, 15}));
  EXPECT_EQ(mrz->surname, "ERIKSSON");
  EXPECT_EQ(mrz->given_names, "ANNA MARIA");
  EXPECT_EQ(mrz->optional_data, "");
}

TEST(MrzTd1Test, SwissCard) {
  auto mrz = Mrz::Parse(kTd1Swiss, kYear);
  ASSERT_TRUE(mrz.has_value()) << mrz.error().message;
  EXPECT_EQ(mrz->document_code, "ID");
  EXPECT_EQ(mrz->issuing_state, "CHE");
  EXPECT_EQ(mrz->document_number, "A1234567");
  EXPECT_EQ(mrz->birth_date, (CivilDate{1975, 10, 25}));
  EXPECT_EQ(mrz->sex, Sex::kMale);
  EXPECT_EQ(mrz->expiry_date, (CivilDate{2020, 9, 1}));
  EXPECT_EQ(mrz->surname, "SMITH");
  EXPECT_EQ(mrz->given_names, "JOHN ALBERT");
}

TEST(MrzTd1Test, OptionalDataOne) {
  auto mrz = Mrz::Parse(kTd1OptionalAbc, kYear);
  ASSERT_TRUE(mrz.has_value()) << mrz.error().message;
  EXPECT_EQ(mrz->document_number, "D23145890");
  EXPECT_EQ(mrz->optional_data, "ABC");
}

TEST(MrzTd1Test, SyntheticKazakhIdCardCarriesIin) {
  auto mrz = Mrz::Parse(kTd1Kz, kYear);
  ASSERT_TRUE(mrz.has_value()) << mrz.error().message;
  EXPECT_EQ(mrz->document_code, "ID");
  EXPECT_EQ(mrz->issuing_state, "KAZ");
  EXPECT_EQ(mrz->document_number, "012345678");
  EXPECT_EQ(mrz->birth_date, (CivilDate{1990, 1, 1}));
  EXPECT_EQ(mrz->sex, Sex::kMale);
  EXPECT_EQ(mrz->expiry_date, (CivilDate{2030, 1, 1}));
  EXPECT_EQ(mrz->surname, "TESTOV");
  EXPECT_EQ(mrz->given_names, "TEST");
  EXPECT_EQ(mrz->optional_data, "900101300017");
  auto iin = Iin::Parse(mrz->optional_data);
  ASSERT_TRUE(iin.has_value());
  EXPECT_EQ(iin->birth_date(), mrz->birth_date);
  EXPECT_EQ(iin->sex(), mrz->sex);
}

TEST(MrzTd1Test, Part3CompositeExample) {
  auto mrz = Mrz::Parse(
      "I<YTOD231458907<<<<<<<<<<<<<<<\n"
      "3407127M9507122YTO<<<<<<<<<<<2\n"
      "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
      kYear);
  ASSERT_TRUE(mrz.has_value()) << mrz.error().message;
  EXPECT_EQ(mrz->birth_date, (CivilDate{1934, 7, 12}));
}

TEST(MrzTd1Test, LongDocumentNumberContinuesInOptionalData) {
  // Synthetic: number D23145890123, '<' at position 15, the rest "123" and its
  // check digit 3 in optional data 1 (check digits computed for this test).
  auto mrz = Mrz::Parse(
      "I<UTOD23145890<1233<<<<<<<<<<<\n"
      "7408122F1204159UTO<<<<<<<<<<<2\n"
      "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
      kYear);
  ASSERT_TRUE(mrz.has_value()) << mrz.error().message;
  EXPECT_EQ(mrz->document_number, "D23145890123");
  EXPECT_EQ(mrz->optional_data, "");
}

TEST(MrzTd1Test, LongDocumentNumberWithWrongCheckDigit) {
  // Same as above with the check digit in optional data 1 changed (the composite is
  // not fixed up: the document number is checked first).
  ExpectError(Mrz::Parse("I<UTOD23145890<1234<<<<<<<<<<<\n"
                         "7408122F1204159UTO<<<<<<<<<<<2\n"
                         "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
                         kYear),
              "mrz_check_digit", "document_number");
}

class MrzTd1BrokenCheckTest : public ::testing::TestWithParam<BrokenCheck> {};

TEST_P(MrzTd1BrokenCheckTest, NamesTheField) {
  const BrokenCheck& c = GetParam();
  std::string mrz = kTd1Utopia;
  std::size_t pos = 0;
  for (int l = 1; l < c.line; ++l) {
    pos = mrz.find('\n', pos) + 1;
  }
  pos += static_cast<std::size_t>(c.column - 1);
  mrz[pos] = mrz[pos] == '5' ? '6' : '5';
  const Result<Mrz> parsed = Mrz::Parse(mrz, kYear);
  ExpectError(parsed, "mrz_check_digit", c.field);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().field, c.field);
}

INSTANTIATE_TEST_SUITE_P(EachCheckDigit, MrzTd1BrokenCheckTest,
                         ::testing::Values(BrokenCheck{1, 15, "document_number"},
                                           BrokenCheck{2, 7, "birth_date"},
                                           BrokenCheck{2, 15, "expiry_date"},
                                           BrokenCheck{2, 30, "composite"}));

TEST(MrzTd1Test, CompositeCoversOptionalDataButNotTheNameLine) {
  // Optional data 2 is only under the composite check. ('B', not 'A': A=10 is
  // congruent to '<'=0 modulo 10, a change the ICAO check digit cannot see.)
  ExpectError(Mrz::Parse(With(kTd1Utopia, 2, 20, 'B'), kYear), "mrz_check_digit", "composite");
  // Optional data 1 likewise.
  ExpectError(Mrz::Parse(With(kTd1OptionalAbc, 1, 16, 'X'), kYear), "mrz_check_digit", "composite");
  // The name line is not covered by any check digit.
  auto renamed = Mrz::Parse(With(kTd1Utopia, 3, 1, 'A'), kYear);
  ASSERT_TRUE(renamed.has_value());
  EXPECT_EQ(renamed->surname, "ARIKSSON");
}

TEST(MrzLayoutTest, WrongLineCount) {
  ExpectError(Mrz::Parse("", kYear), "invalid_mrz", "got 1");
  ExpectError(Mrz::Parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", kYear), "invalid_mrz",
              "got 1");
  ExpectError(Mrz::Parse(kTd1Utopia + "\n<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", kYear), "invalid_mrz",
              "got 4");
  // Only one trailing newline is tolerated: a second makes a third (empty) line.
  ExpectError(Mrz::Parse(kTd3Utopia + "\n\n", kYear), "invalid_mrz",
              "MRZ line 1 has 44 characters, expected 30");
}

TEST(MrzLayoutTest, WrongLineLengths) {
  ExpectError(Mrz::Parse(kTd3Utopia.substr(0, kTd3Utopia.size() - 1), kYear), "invalid_mrz",
              "MRZ line 2 has 43 characters, expected 44");
  ExpectError(Mrz::Parse(kTd3Utopia + "<", kYear), "invalid_mrz",
              "MRZ line 2 has 45 characters, expected 44");
  std::string short_first = kTd3Utopia;
  short_first.erase(0, 1);
  ExpectError(Mrz::Parse(short_first, kYear), "invalid_mrz",
              "MRZ line 1 has 43 characters, expected 44");
  std::string long_td1 = kTd1Utopia;
  long_td1.insert(long_td1.find('\n'), "<");
  ExpectError(Mrz::Parse(long_td1, kYear), "invalid_mrz",
              "MRZ line 1 has 31 characters, expected 30");
  // A TD3 line 2 fed as a TD1 block.
  ExpectError(Mrz::Parse(kTd3Utopia + "\nERIKSSON<<ANNA<MARIA<<<<<<<<<<", kYear), "invalid_mrz",
              "expected 30");
}

TEST(MrzLayoutTest, Td2IsNotSupported) {
  ExpectError(Mrz::Parse("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
                         "D231458907UTO7408122F1204159<<<<<<<6",
                         kYear),
              "invalid_mrz", "TD2");
}

TEST(MrzLayoutTest, LowercaseRefused) {
  std::string lower = kTd3Utopia;
  lower.replace(5, 8, "eriksson");
  ExpectError(Mrz::Parse(lower, kYear), "invalid_mrz", "MRZ line 1 has lowercase letters");
  ExpectError(Mrz::Parse(With(kTd1Utopia, 2, 8, 'f'), kYear), "invalid_mrz",
              "MRZ line 2 has lowercase letters");
}

TEST(MrzLayoutTest, BadCharactersRefused) {
  ExpectError(Mrz::Parse(With(kTd3Utopia, 1, 14, ' '), kYear), "invalid_mrz",
              "MRZ line 1 position 14 is not A-Z, 0-9 or the filler '<'");
  ExpectError(Mrz::Parse(With(kTd3Utopia, 2, 5, '-'), kYear), "invalid_mrz",
              "MRZ line 2 position 5");
  ExpectError(Mrz::Parse(With(kTd1Utopia, 3, 30, '\t'), kYear), "invalid_mrz",
              "MRZ line 3 position 30");
  // '«' (U+00AB, two bytes in UTF-8) typed instead of '<' also changes the length.
  std::string guillemet = kTd3Utopia;
  guillemet.replace(guillemet.size() - 3, 1, "\xC2\xAB");
  ExpectError(Mrz::Parse(guillemet, kYear), "invalid_mrz", "45 characters");
  // A bare '\r' in the middle of a line is not a line break.
  ExpectError(Mrz::Parse(With(kTd3Utopia, 1, 20, '\r'), kYear), "invalid_mrz", "position 20");
}

TEST(MrzFieldTest, InvalidDatesAndSex) {
  // Replaces a date field of the specimen's line 2 and recomputes its check digit
  // and the composite, so that only the date itself is wrong.
  auto rebuild = [](std::string line2, int field_start, const std::string& value, int check_pos) {
    line2.replace(static_cast<std::size_t>(field_start - 1), value.size(), value);
    line2[static_cast<std::size_t>(check_pos - 1)] =
        static_cast<char>('0' + Mrz::CheckDigit(value));
    const std::string composite = line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 22);
    line2[43] = static_cast<char>('0' + Mrz::CheckDigit(composite));
    return "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" + line2;
  };
  const std::string line2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
  // Sanity: rebuilding with the same value gives the valid specimen.
  ASSERT_EQ(rebuild(line2, 14, "740812", 20), kTd3Utopia);
  ExpectError(Mrz::Parse(rebuild(line2, 14, "741312", 20), kYear), "invalid_mrz",
              "birth_date is not a real date");
  ExpectError(Mrz::Parse(rebuild(line2, 14, "750229", 20), kYear), "invalid_mrz",
              "birth_date is not a real date");
  ExpectError(Mrz::Parse(rebuild(line2, 14, "7408<<", 20), kYear), "invalid_mrz",
              "birth_date is not a YYMMDD date");
  ExpectError(Mrz::Parse(rebuild(line2, 22, "120431", 28), kYear), "invalid_mrz",
              "expiry_date is not a real date");
  // Sex (position 21) is under no check digit, so only the field rule catches it.
  ExpectError(Mrz::Parse(With(kTd3Utopia, 2, 21, 'Q'), kYear), "invalid_mrz", "sex");
  auto unspecified = Mrz::Parse(With(kTd3Utopia, 2, 21, '<'), kYear);
  ASSERT_TRUE(unspecified.has_value());
  EXPECT_EQ(unspecified->sex, Sex::kUnspecified);
  auto x = Mrz::Parse(With(kTd3Utopia, 2, 21, 'X'), kYear);
  ASSERT_TRUE(x.has_value());
  EXPECT_EQ(x->sex, Sex::kUnspecified);
}

TEST(MrzFieldTest, BirthCenturyFollowsReferenceYear) {
  // The Part 3 example born "340712": 1934 seen from 2025, 2034 seen from 2099.
  const std::string td1 =
      "I<YTOD231458907<<<<<<<<<<<<<<<\n"
      "3407127M9507122YTO<<<<<<<<<<<2\n"
      "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
  EXPECT_EQ(Mrz::Parse(td1, 2025)->birth_date.year, 1934);
  EXPECT_EQ(Mrz::Parse(td1, 2034)->birth_date.year, 2034);  // same year is not the future
  EXPECT_EQ(Mrz::Parse(td1, 2033)->birth_date.year, 1934);
  EXPECT_EQ(Mrz::Parse(td1, 2099)->birth_date.year, 2034);
}

TEST(MrzFieldTest, NameWithoutGivenNames) {
  auto mrz = Mrz::Parse(With(With(kTd1Utopia, 3, 9, 'X'), 3, 10, 'Y'), kYear);
  ASSERT_TRUE(mrz.has_value());
  // "ERIKSSONXYANNA<MARIA": no "<<", so everything is the surname.
  EXPECT_EQ(mrz->surname, "ERIKSSONXYANNA MARIA");
  EXPECT_EQ(mrz->given_names, "");
}

}  // namespace
}  // namespace simexit
