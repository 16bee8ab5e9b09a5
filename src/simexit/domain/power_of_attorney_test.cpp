#include "simexit/domain/power_of_attorney.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace simexit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr CivilDate kToday{2025, 6, 10};

PowerOfAttorney Valid() {
  PowerOfAttorney poa;
  poa.number = "№ 0421-Н/2025";
  poa.issued_on = "2025-06-01";
  poa.valid_until = "2026-06-01";
  poa.issuer = "Нотариус Тестова А. (лицензия 0001)";
  poa.principal_document = "900101300017";
  poa.scope = {"sim_replacement", "termination"};
  return poa;
}

// Registered with a passport, IIN known.
RegisteredHolder Holder() {
  return RegisteredHolder{"TESTOV TEST", DocumentKind::kPassport, "N12345678", "KAZ",
                          "900101300017"};
}

void ExpectFailure(const Result<CheckedPowerOfAttorney>& result, const std::string& reason,
                   const std::string& field) {
  ASSERT_FALSE(result.has_value()) << "expected " << reason << " at " << field;
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().problem_code, reason) << result.error().message;
  EXPECT_EQ(result.error().field, field) << result.error().message;
  EXPECT_THAT(result.error().message, Not(HasSubstr("900101300017")));
  EXPECT_THAT(result.error().message, Not(HasSubstr("N12345678")));
}

TEST(PowerOfAttorneyTest, ValidOneForTheHolder) {
  Result<CheckedPowerOfAttorney> checked = CheckPowerOfAttorney(Valid(), kToday, Holder());
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->number, Valid().number);
  EXPECT_EQ(checked->issued_on, (CivilDate{2025, 6, 1}));
  EXPECT_EQ(checked->valid_until, (CivilDate{2026, 6, 1}));
  EXPECT_EQ(checked->issuer, Valid().issuer);
  EXPECT_EQ(checked->principal_document, Valid().principal_document);
  EXPECT_EQ(checked->scope, Valid().scope);
}

TEST(PowerOfAttorneyTest, DatesAreReadWithoutSurroundingSpaces) {
  PowerOfAttorney poa = Valid();
  poa.issued_on = " 2025-06-01";
  poa.valid_until = "2026-06-01 ";
  Result<CheckedPowerOfAttorney> checked = CheckPowerOfAttorney(poa, kToday, Holder());
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->issued_on.ToString(), "2025-06-01");
  EXPECT_EQ(checked->valid_until.ToString(), "2026-06-01");
}

TEST(PowerOfAttorneyTest, PrincipalMayBeNamedByDocumentNumberInAnyCaseAndSpacing) {
  PowerOfAttorney poa = Valid();
  poa.principal_document = " n1234 5678 ";
  EXPECT_TRUE(CheckPowerOfAttorney(poa, kToday, Holder()).has_value());
  // A holder registered by IIN: the number is the IIN.
  const RegisteredHolder by_iin{"TESTOV TEST", DocumentKind::kIin, "900101300017", "", ""};
  poa.principal_document = "900101 300017";
  EXPECT_TRUE(CheckPowerOfAttorney(poa, kToday, by_iin).has_value());
}

TEST(PowerOfAttorneyTest, ValidityIsInclusiveOnBothEnds) {
  PowerOfAttorney poa = Valid();
  poa.issued_on = "2025-06-10";
  poa.valid_until = "2025-06-10";
  EXPECT_TRUE(CheckPowerOfAttorney(poa, kToday, Holder()).has_value());
}

TEST(PowerOfAttorneyTest, ScopeIgnoresCaseAndSurroundingSpaces) {
  PowerOfAttorney poa = Valid();
  poa.scope = {" Termination "};
  EXPECT_TRUE(CheckPowerOfAttorney(poa, kToday, Holder()).has_value());
}

TEST(PowerOfAttorneyTest, MissingOrMalformedFields) {
  struct Case {
    void (*change)(PowerOfAttorney&);
    const char* field;
  };
  const Case cases[] = {
      {[](PowerOfAttorney& p) { p.number = ""; }, "power_of_attorney.number"},
      {[](PowerOfAttorney& p) { p.number = "   "; }, "power_of_attorney.number"},
      {[](PowerOfAttorney& p) { p.number = std::string(65, '7'); }, "power_of_attorney.number"},
      {[](PowerOfAttorney& p) { p.number = "12\n34"; }, "power_of_attorney.number"},
      {[](PowerOfAttorney& p) { p.number = "12\xFF"; }, "power_of_attorney.number"},
      {[](PowerOfAttorney& p) { p.issued_on = ""; }, "power_of_attorney.issued_on"},
      {[](PowerOfAttorney& p) { p.issued_on = "2025-02-29"; }, "power_of_attorney.issued_on"},
      {[](PowerOfAttorney& p) { p.valid_until = "10.06.2026"; }, "power_of_attorney.valid_until"},
      {[](PowerOfAttorney& p) { p.valid_until = "2025-05-31"; },  // before issued_on
       "power_of_attorney.valid_until"},
      {[](PowerOfAttorney& p) { p.issuer = ""; }, "power_of_attorney.issuer"},
      {[](PowerOfAttorney& p) { p.issuer = "\t"; }, "power_of_attorney.issuer"},
      {[](PowerOfAttorney& p) { p.principal_document = " "; },
       "power_of_attorney.principal_document"},
      {[](PowerOfAttorney& p) { p.scope.clear(); }, "power_of_attorney.scope"},
      {[](PowerOfAttorney& p) { p.scope.push_back(""); }, "power_of_attorney.scope"},
  };
  for (const Case& c : cases) {
    PowerOfAttorney poa = Valid();
    c.change(poa);
    ExpectFailure(CheckPowerOfAttorney(poa, kToday, Holder()), "invalid_power_of_attorney",
                  c.field);
  }
}

TEST(PowerOfAttorneyTest, SixtyFourCharactersAreEnough) {
  PowerOfAttorney poa = Valid();
  poa.number = std::string(60, '7') + "ЖЖЖЖ";  // 64 characters, 68 bytes
  EXPECT_TRUE(CheckPowerOfAttorney(poa, kToday, Holder()).has_value());
}

TEST(PowerOfAttorneyTest, NotYetValid) {
  PowerOfAttorney poa = Valid();
  poa.issued_on = "2025-06-11";
  ExpectFailure(CheckPowerOfAttorney(poa, kToday, Holder()), "power_of_attorney_not_yet_valid",
                "power_of_attorney.issued_on");
}

TEST(PowerOfAttorneyTest, Expired) {
  PowerOfAttorney poa = Valid();
  poa.issued_on = "2024-06-01";
  poa.valid_until = "2025-06-09";
  ExpectFailure(CheckPowerOfAttorney(poa, kToday, Holder()), "power_of_attorney_expired",
                "power_of_attorney.valid_until");
}

TEST(PowerOfAttorneyTest, WrongPrincipal) {
  PowerOfAttorney poa = Valid();
  poa.principal_document = "850615400016";
  ExpectFailure(CheckPowerOfAttorney(poa, kToday, Holder()), "power_of_attorney_wrong_principal",
                "power_of_attorney.principal_document");
  // A holder without an IIN on record is only named by the document number.
  RegisteredHolder foreigner{"DOE JOHN", DocumentKind::kPassport, "X1234567", "USA", ""};
  poa.principal_document = "900101300017";
  ExpectFailure(CheckPowerOfAttorney(poa, kToday, foreigner), "power_of_attorney_wrong_principal",
                "power_of_attorney.principal_document");
  poa.principal_document = "x1234567";
  EXPECT_TRUE(CheckPowerOfAttorney(poa, kToday, foreigner).has_value());
}

TEST(PowerOfAttorneyTest, OutOfScope) {
  PowerOfAttorney poa = Valid();
  poa.scope = {"sim_replacement", "terminations", "tariff_change"};
  ExpectFailure(CheckPowerOfAttorney(poa, kToday, Holder()), "power_of_attorney_out_of_scope",
                "power_of_attorney.scope");
}

TEST(PowerOfAttorneyTest, DatesAreJudgedBeforeThePrincipalAndScope) {
  PowerOfAttorney poa = Valid();
  poa.valid_until = "2025-06-09";
  poa.issued_on = "2025-01-01";
  poa.principal_document = "850615400016";
  poa.scope = {"sim_replacement"};
  ExpectFailure(CheckPowerOfAttorney(poa, kToday, Holder()), "power_of_attorney_expired",
                "power_of_attorney.valid_until");
  poa.valid_until = "2026-01-01";
  ExpectFailure(CheckPowerOfAttorney(poa, kToday, Holder()), "power_of_attorney_wrong_principal",
                "power_of_attorney.principal_document");
}

}  // namespace
}  // namespace simexit
