#include "simexit/service/operator_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "simexit/testing/matchers.hpp"
#include "simexit/testing/service_world.hpp"

namespace simexit {
namespace {

using testing::IsError;
using testing::IsOk;

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
  ASSERT_THAT(valid, IsOk());
  EXPECT_EQ(line.document_number, "L898902C3");
}

TEST(OperatorServiceValidateLineTest, MrzCheckDigitFailureIsRefused) {
  NewLine line = PassportLine();
  line.mrz.back() = '1';  // composite check digit
  Result<void> valid = OperatorService::ValidateLine(line, 2026);
  ASSERT_THAT(valid, IsError(ErrorCode::kInvalidArgument, "mrz_check_digit"));
}

TEST(OperatorServiceValidateLineTest, NameMustMatchTheMrz) {
  NewLine line = PassportLine();
  line.holder_name = "ERIKSSON ANNA";
  Result<void> valid = OperatorService::ValidateLine(line, 2026);
  ASSERT_THAT(valid, IsError(ErrorCode::kInvalidArgument, "invalid_line"));
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
  ASSERT_THAT(valid, IsError(ErrorCode::kInvalidArgument, "invalid_iin"));
}

class OperatorServiceTest : public ::testing::Test {
 protected:
  OperatorServiceTest() : operators_(world_.ctx) { EXPECT_TRUE(world_.migrated); }

  testing::ServiceWorld world_;
  OperatorService operators_;
};

TEST_F(OperatorServiceTest, CreatesATypedNewOperator) {
  Result<OperatorRecord> op = operators_.CreateOperator(NewOperator{"kcell", "Kcell", "kk", {}});
  ASSERT_THAT(op, IsOk());
  EXPECT_EQ(op->default_language, "kk");
  EXPECT_THAT(operators_.CreateOperator(NewOperator{"kcell", "Kcell", "kk", {}}),
              IsError(ErrorCode::kAlreadyExists, "duplicate"));
}

TEST_F(OperatorServiceTest, RefusesABadOperator) {
  EXPECT_THAT(operators_.CreateOperator(NewOperator{"K", "Kcell", "ru", {}}),
              IsError(ErrorCode::kInvalidArgument, "invalid_operator"));
  EXPECT_THAT(operators_.CreateOperator(NewOperator{"kcell", "", "ru", {}}),
              IsError(ErrorCode::kInvalidArgument, "invalid_operator"));
  EXPECT_THAT(operators_.CreateOperator(NewOperator{"kcell", "Kcell", "de", {}}),
              IsError(ErrorCode::kInvalidArgument, "invalid_operator"));
}

// AddLine stores the values ValidateLine parsed: the MSISDN in E.164 form,
// however it was written.
TEST_F(OperatorServiceTest, AddLineStoresTheParsedValues) {
  ASSERT_THAT(operators_.CreateOperator(NewOperator{"kcell", "Kcell", "ru", {}}), IsOk());
  NewLine line = PassportLine();
  line.msisdn = "8 701 123 45 67";
  std::int64_t id = 0;
  ASSERT_THAT(world_.store->Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(id, operators_.AddLine(tx, line, testing::kTestStart));
    return {};
  }),
              IsOk());
  ASSERT_THAT(world_.store->Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(LineRecord stored, tx.GetLine(id));
    EXPECT_EQ(stored.msisdn.e164(), "+77011234567");
    EXPECT_EQ(stored.imsi.digits(), "001010000000001");
    return {};
  }),
              IsOk());
}

TEST_F(OperatorServiceTest, AddLineRefusesABadMsisdn) {
  ASSERT_THAT(operators_.CreateOperator(NewOperator{"kcell", "Kcell", "ru", {}}), IsOk());
  NewLine line = PassportLine();
  line.msisdn = "12";
  EXPECT_THAT(world_.store->Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_TRY(operators_.AddLine(tx, line, testing::kTestStart));
    return {};
  }),
              IsError(ErrorCode::kInvalidArgument, "invalid_msisdn"));
}

}  // namespace
}  // namespace simexit
