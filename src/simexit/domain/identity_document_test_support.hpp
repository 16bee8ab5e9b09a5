#pragma once
// Test-only: specimens and builders shared by identity_document_test.cpp
// (CheckDocument) and identity_document_match_test.cpp (MatchHolder).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "simexit/domain/identity_document.hpp"
#include "simexit/domain/mrz.hpp"

namespace simexit::document_test {

using ::testing::HasSubstr;
using ::testing::Not;

inline constexpr CivilDate kToday{2025, 6, 10};

// Synthetic KZ specimens from /work/shared/domain/facts-kz.md §4.3 (IINs from §1.3).
inline const std::string kTd1Kz =
    "IDKAZ0123456784900101300017<<<\n"
    "9001011M3001019KAZ<<<<<<<<<<<4\n"
    "TESTOV<<TEST<<<<<<<<<<<<<<<<<<";
inline const std::string kTd3Kz =
    "P<KAZTESTOVA<<AIGERIM<<<<<<<<<<<<<<<<<<<<<<<\n"
    "N123456785KAZ8506151F3306150850615400016<<84";

inline std::string Pad(std::string text, std::size_t width) {
  text.resize(width, '<');
  return text;
}

inline char Check(std::string_view field) {
  return static_cast<char>('0' + Mrz::CheckDigit(field));
}

// A TD1 MRZ with every check digit computed.
inline std::string Td1(std::string number, std::string optional1, const std::string& birth,
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
inline std::string Td3(std::string number, const std::string& state, const std::string& name,
                       const std::string& birth, char sex, const std::string& expiry,
                       std::string personal, const std::string& code = "P") {
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
inline std::string BreakDigit(std::string mrz, int line, int column) {
  std::size_t pos = 0;
  for (int l = 1; l < line; ++l) {
    pos = mrz.find('\n', pos) + 1;
  }
  pos += static_cast<std::size_t>(column - 1);
  mrz[pos] = mrz[pos] == '5' ? '6' : '5';
  return mrz;
}

inline PresentedDocument IinDocument() {
  PresentedDocument d;
  d.kind = DocumentKind::kIin;
  d.number = "900101300017";
  d.full_name = "Тестов Тест";
  return d;
}

inline PresentedDocument IdCardByMrz(std::string mrz = kTd1Kz) {
  PresentedDocument d;
  d.kind = DocumentKind::kIdCard;
  d.mrz = std::move(mrz);
  return d;
}

inline PresentedDocument PassportByMrz(std::string mrz = kTd3Kz) {
  PresentedDocument d;
  d.kind = DocumentKind::kPassport;
  d.mrz = std::move(mrz);
  return d;
}

inline PresentedDocument TypedIdCard() {
  PresentedDocument d;
  d.kind = DocumentKind::kIdCard;
  d.number = "ab 123456";
  d.full_name = "Тестов Тест";
  d.expiry_date = "2030-01-01";
  return d;
}

inline void ExpectFailure(const Result<CheckedDocument>& result, const std::string& reason,
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

}  // namespace simexit::document_test
