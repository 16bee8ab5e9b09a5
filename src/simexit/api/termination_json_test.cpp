#include "simexit/api/termination_json.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "simexit/testing/matchers.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;
using ::testing::HasSubstr;

constexpr const char* kIban = "KZ86125KZT5004100100";

Result<CreateTerminationCommand> Create(std::string_view body) {
  return api::DecodeBody<CreateTerminationCommand>(body);
}

// The error's field and detail, for tables of refusals.
void ExpectRefused(std::string_view body, const char* reason, const char* field, const char* word) {
  SCOPED_TRACE(body);
  Result<CreateTerminationCommand> command = Create(body);
  ASSERT_THAT(command, IsError(ErrorCode::kInvalidArgument, reason));
  EXPECT_EQ(command.error().field, field);
  EXPECT_THAT(command.error().message, HasSubstr(word));
}

TEST(TerminationJsonTest, DecodesAFullStoreRequest) {
  Result<CreateTerminationCommand> command = Create(R"({
      "msisdn": "+7 701 123 45 67", "channel": "mail",
      "scheduled_for": "2026-12-01", "reason": "moving abroad",
      "refund": {"method": "iban", "destination": "kz86 125k zt50 0410 0100"},
      "document": {"kind": "iin", "number": "900101300017", "full_name": "TESTOV TEST"},
      "postmarked_on": "2026-09-15", "upload_ids": ["upl_1", "upl_2"]})");
  ASSERT_THAT(command, IsOk());
  EXPECT_EQ(command->msisdn.e164(), "+77011234567");
  EXPECT_EQ(command->channel, Channel::kMail);
  ASSERT_TRUE(command->scheduled_for);
  EXPECT_EQ(FormatRfc3339(*command->scheduled_for), "2026-12-01T00:00:00Z");
  ASSERT_TRUE(command->refund);
  EXPECT_EQ(command->refund->method, RefundMethod::kIban);
  EXPECT_EQ(command->refund->destination, kIban);
  ASSERT_TRUE(command->document);
  EXPECT_EQ(command->document->kind, DocumentKind::kIin);
  EXPECT_EQ(command->document->full_name, "TESTOV TEST");
  ASSERT_TRUE(command->postmarked_on);
  EXPECT_EQ(command->postmarked_on->ToString(), "2026-09-15");
  EXPECT_EQ(command->upload_ids, (std::vector<std::string>{"upl_1", "upl_2"}));
  EXPECT_EQ(command->reason, "moving abroad");
}

TEST(TerminationJsonTest, OnlineIsTheDefaultChannelAndNullMeansAbsent) {
  Result<CreateTerminationCommand> command =
      Create(R"({"msisdn": "+77011234567", "channel": null, "refund": null})");
  ASSERT_THAT(command, IsOk());
  EXPECT_EQ(command->channel, Channel::kOnline);
  EXPECT_FALSE(command->refund);
  EXPECT_FALSE(command->scheduled_for);
  EXPECT_FALSE(command->postmarked_on);
}

TEST(TerminationJsonTest, EachRefusalNamesItsField) {
  ExpectRefused(R"({})", "invalid_field", "msisdn", "msisdn");
  ExpectRefused(R"({"msisdn": 77011000001})", "invalid_field", "msisdn", "must be a string");
  ExpectRefused(R"({"msisdn": "+79161234567"})", "invalid_msisdn", "msisdn", "Russian");
  ExpectRefused(R"({"msisdn": "+77011234567", "colour": "red"})", "unknown_field", "colour",
                "colour");
  ExpectRefused(R"({"msisdn": "+77011234567", "channel": 1})", "invalid_field", "channel",
                "channel");
  ExpectRefused(R"({"msisdn": "+77011234567", "channel": "fax"})", "invalid_channel", "channel",
                "online");
  // The dormancy sweep's own channel is not one a request may name.
  ExpectRefused(R"({"msisdn": "+77011234567", "channel": "system"})", "invalid_channel", "channel",
                "online");
  ExpectRefused(R"({"msisdn": "+77011234567", "scheduled_for": 1767225600})", "invalid_field",
                "scheduled_for", "scheduled_for");
  ExpectRefused(R"({"msisdn": "+77011234567", "scheduled_for": "garbage"})", "invalid_schedule",
                "scheduled_for", "RFC 3339");
  ExpectRefused(R"({"msisdn": "+77011234567", "reason": ["x"]})", "invalid_field", "reason",
                "reason");
  ExpectRefused(R"({"msisdn": "+77011234567", "reason": ")" + std::string(501, 'x') + R"("})",
                "text_too_long", "reason", "500");
  ExpectRefused(R"({"msisdn": "+77011234567", "refund": "iban"})", "invalid_field", "refund",
                "refund");
  ExpectRefused(R"({"msisdn": "+77011234567", "refund": {"method": "iban"}})", "invalid_field",
                "refund.destination", "destination");
  ExpectRefused(R"({"msisdn": "+77011234567", "refund": {"method": "cash", "destination": "x"}})",
                "invalid_refund", "refund.method", "refund.method");
  ExpectRefused(
      R"({"msisdn": "+77011234567", "refund": {"method": "iban", "destination": "KZ12"}})",
      "invalid_refund", "refund.destination", "IBAN");
  ExpectRefused(
      R"({"msisdn": "+77011234567", "refund": {"method": "iban", "destination": "KZ86125KZT5004100100", "x": 1}})",
      "unknown_field", "refund.x", "'x'");
  ExpectRefused(R"({"msisdn": "+77011234567", "document": {"number": "1"}})", "invalid_field",
                "document.kind", "document.kind");
  ExpectRefused(R"({"msisdn": "+77011234567", "attorney_document": {"kind": "visa"}})",
                "invalid_field", "attorney_document.kind", "passport");
  ExpectRefused(R"({"msisdn": "+77011234567", "document": {"kind": "iin", "shoe": "42"}})",
                "unknown_field", "document.shoe", "shoe");
  ExpectRefused(R"({"msisdn": "+77011234567", "power_of_attorney": {"scope": "all"}})",
                "invalid_field", "power_of_attorney.scope", "array");
  ExpectRefused(R"({"msisdn": "+77011234567", "upload_ids": [1]})", "invalid_field", "upload_ids",
                "upload ids");
}

TEST(TerminationJsonTest, PostmarkMustBeARealDate) {
  // Moved from the use-case tests: a malformed postmark never reaches Create.
  ExpectRefused(R"({"msisdn": "+77011234567", "postmarked_on": "2026-13-01"})", "invalid_postmark",
                "postmarked_on", "YYYY-MM-DD");
  ExpectRefused(R"({"msisdn": "+77011234567", "postmarked_on": 20260915})", "invalid_field",
                "postmarked_on", "string");
}

TEST(TerminationJsonTest, AContactNumberIsAnyCountrysInE164) {
  Result<CreateTerminationCommand> command =
      Create(R"({"msisdn": "+77011234567", "contact_msisdn": "+44 7911 123456"})");
  ASSERT_THAT(command, IsOk());
  ASSERT_TRUE(command->contact_msisdn);
  EXPECT_EQ(command->contact_msisdn->e164(), "+447911123456");
  EXPECT_FALSE(Create(R"({"msisdn": "+77011234567"})")->contact_msisdn);
  ExpectRefused(R"({"msisdn": "+77011234567", "contact_msisdn": "87011234567"})",
                "invalid_contact_msisdn", "contact_msisdn", "country code");
  ExpectRefused(R"({"msisdn": "+77011234567", "contact_msisdn": "+44 79x"})",
                "invalid_contact_msisdn", "contact_msisdn", "digits");
  ExpectRefused(R"({"msisdn": "+77011234567", "contact_msisdn": 447911123456})", "invalid_field",
                "contact_msisdn", "string");
}

TEST(TerminationJsonTest, BodyMustBeAJsonObject) {
  EXPECT_THAT(Create(""), IsError(ErrorCode::kInvalidArgument, "malformed_json"));
  EXPECT_THAT(Create(R"({"msisdn":)"), IsError(ErrorCode::kInvalidArgument, "malformed_json"));
  EXPECT_THAT(Create(R"(["+77011234567"])"),
              IsError(ErrorCode::kInvalidArgument, "malformed_json"));
}

TEST(TerminationJsonTest, SmallBodiesOfTheOtherRoutes) {
  EXPECT_THAT(api::DecodeBody<api::CancelRequest>("", true), IsOk());
  EXPECT_THAT(api::DecodeBody<api::CancelRequest>(R"({"why": "x"})", true),
              IsError(ErrorCode::kInvalidArgument, "unknown_field"));
  EXPECT_THAT(api::DecodeBody<api::CancelRequest>(R"({"reason": 5})", true),
              IsError(ErrorCode::kInvalidArgument, "invalid_field"));
  Result<api::PaymentRequest> paid = api::DecodeBody<api::PaymentRequest>(R"({"amount": "15"})");
  ASSERT_THAT(paid, IsOk());
  EXPECT_EQ(paid->amount, Money::Tiyn(15'00));
  EXPECT_THAT(api::DecodeBody<api::PaymentRequest>(R"({"amount": "10.001"})"),
              IsError(ErrorCode::kInvalidArgument, "invalid_amount"));
  EXPECT_THAT(api::DecodeBody<api::PaymentRequest>(""),
              IsError(ErrorCode::kInvalidArgument, "malformed_json"));
  Result<api::SignInCodeVerification> otp = api::DecodeBody<api::SignInCodeVerification>(
      R"({"msisdn": "87011234567", "code": "123456"})");
  ASSERT_THAT(otp, IsOk());
  EXPECT_EQ(otp->msisdn.e164(), "+77011234567");
  EXPECT_EQ(otp->code, "123456");
  EXPECT_THAT(api::DecodeBody<api::SignInCodeRequest>(R"({"msisdn": "+770112"})"),
              IsError(ErrorCode::kInvalidArgument, "invalid_msisdn"));
  Result<ReviewDecision> decision =
      api::DecodeBody<ReviewDecision>(R"({"reason_code": "other", "reason": "asked to"})");
  ASSERT_THAT(decision, IsOk());
  EXPECT_EQ(decision->reason_code, "other");
  EXPECT_EQ(decision->reason, "asked to");
  EXPECT_THAT(api::DecodeBody<ReviewDecision>("", false),
              IsError(ErrorCode::kInvalidArgument, "malformed_json"));
  EXPECT_THAT(api::DecodeBody<api::EmptyCommand>(R"({"x": 1})", true),
              IsError(ErrorCode::kInvalidArgument, "unknown_field"));
}

std::string Repeat(const std::string& piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) {
    out += piece;
  }
  return out;
}

// Free text is limited in characters, not bytes: 500 Cyrillic letters (1000
// bytes) are a valid reason, 501 letters are not, and the answer names the field.
TEST(TerminationJsonTest, FreeTextIsLimitedInCharacters) {
  const std::string ok_reason = Repeat("Ж", 500);
  const std::string long_reason = Repeat("Ж", 501);
  const std::string online = R"({"msisdn": "+77011234567", "reason": ")";
  EXPECT_THAT(Create(online + ok_reason + "\"}"), IsOk());
  Result<CreateTerminationCommand> too_long = Create(online + long_reason + "\"}");
  ASSERT_THAT(too_long, IsError(ErrorCode::kInvalidArgument, "text_too_long"));
  EXPECT_EQ(too_long.error().field, "reason");
  EXPECT_NE(too_long.error().message.find("500 characters"), std::string::npos);

  EXPECT_THAT(api::DecodeBody<api::CancelRequest>(R"({"reason": ")" + ok_reason + "\"}", true),
              IsOk());
  Result<api::CancelRequest> cancel =
      api::DecodeBody<api::CancelRequest>(R"({"reason": ")" + long_reason + "\"}", true);
  ASSERT_THAT(cancel, IsError(ErrorCode::kInvalidArgument, "text_too_long"));
  EXPECT_EQ(cancel.error().field, "reason");
  Result<ReviewDecision> review = api::DecodeBody<ReviewDecision>(
      R"({"reason_code": "other", "reason": ")" + long_reason + "\"}", false);
  ASSERT_THAT(review, IsError(ErrorCode::kInvalidArgument, "text_too_long"));
  EXPECT_EQ(review.error().field, "reason");

  const std::string store = R"({"msisdn": "+77011234567", "channel": "store", "document": )";
  EXPECT_THAT(Create(store + R"({"kind": "iin", "number": "1", "full_name": ")" + Repeat("Ә", 200) +
                     "\"}}"),
              IsOk());
  Result<CreateTerminationCommand> name = Create(
      store + R"({"kind": "iin", "number": "1", "full_name": ")" + Repeat("a", 201) + "\"}}");
  ASSERT_THAT(name, IsError(ErrorCode::kInvalidArgument, "text_too_long"));
  EXPECT_EQ(name.error().field, "document.full_name");
  Result<CreateTerminationCommand> issuer =
      Create(R"({"msisdn": "+77011234567", "power_of_attorney": {"issuer": ")" + Repeat("n", 257) +
             "\"}}");
  ASSERT_THAT(issuer, IsError(ErrorCode::kInvalidArgument, "text_too_long"));
  EXPECT_EQ(issuer.error().field, "power_of_attorney.issuer");
}

}  // namespace
}  // namespace simexit
