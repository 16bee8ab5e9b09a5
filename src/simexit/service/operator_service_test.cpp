#include "simexit/service/operator_service.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

NewLine PassportLine() {
  NewLine line;
  line.operator_code = "kcell";
  line.msisdn = "+77011234567";
  line.iccid = "89770100000000100017";
  line.imsi = "001010000000001";
  line.holder_name = "ERIKSSON ANNA MARIA";
  line.document_kind = "passport";
  line.document_country = "UTO";
  // ICAO 9303 TD3 specimen.
  line.mrz =
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10";
  return line;
}

TEST(OperatorServiceValidateLineTest, MrzFillsAndMatchesTheDocument) {
  NewLine line = PassportLine();
  Result<void> valid = OperatorService::ValidateLine(line, 2026);
  ASSERT_TRUE(valid) << valid.error().message;
  EXPECT_EQ(line.document_number, "L898902C3");
}

TEST(OperatorServiceValidateLineTest, MrzCheckDigitFailureIsRefused) {
  NewLine line = PassportLine();
  line.mrz.back() = '1';  // composite check digit
  Result<void> valid = OperatorService::ValidateLine(line, 2026);
  ASSERT_FALSE(valid);
  EXPECT_EQ(valid.error().reason, "mrz_check_digit");
}

TEST(OperatorServiceValidateLineTest, NameMustMatchTheMrz) {
  NewLine line = PassportLine();
  line.holder_name = "ERIKSSON ANNA";
  Result<void> valid = OperatorService::ValidateLine(line, 2026);
  ASSERT_FALSE(valid);
  EXPECT_EQ(valid.error().reason, "invalid_line");
  EXPECT_NE(valid.error().message.find("holder_name"), std::string::npos);
}

TEST(OperatorServiceValidateLineTest, DocumentNumberMustMatchTheMrz) {
  NewLine line = PassportLine();
  line.document_number = "L898902C4";
  Result<void> valid = OperatorService::ValidateLine(line, 2026);
  ASSERT_FALSE(valid);
  EXPECT_NE(valid.error().message.find("document_number"), std::string::npos);
}

TEST(OperatorServiceValidateLineTest, MrzIsNotForAnIin) {
  NewLine line = PassportLine();
  line.document_kind = "iin";
  line.document_number = "900101300017";
  Result<void> valid = OperatorService::ValidateLine(line, 2026);
  ASSERT_FALSE(valid);
  EXPECT_NE(valid.error().message.find("MRZ"), std::string::npos);
}

TEST(OperatorServiceValidateLineTest, BadIinIsRefused) {
  NewLine line = PassportLine();
  line.mrz.clear();
  line.document_kind = "iin";
  line.document_number = "900101300016";
  Result<void> valid = OperatorService::ValidateLine(line, 2026);
  ASSERT_FALSE(valid);
  EXPECT_EQ(valid.error().reason, "invalid_iin");
}

}  // namespace
}  // namespace simexit
