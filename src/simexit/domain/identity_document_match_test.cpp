// MatchHolder: is a checked document the registered holder's?

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "simexit/domain/identity_document.hpp"
#include "simexit/domain/identity_document_test_support.hpp"

namespace simexit {
namespace {

using namespace ::simexit::document_test;  // NOLINT(google-build-using-namespace)
using ::testing::HasSubstr;
using ::testing::Not;

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
