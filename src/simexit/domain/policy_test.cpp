#include "simexit/domain/policy.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

namespace simexit {
namespace {

// Expects `result` to be the invalid_policy error whose message starts with `field`.
template <typename T>
void ExpectInvalid(const Result<T>& result, const std::string& field) {
  ASSERT_FALSE(result.has_value()) << "expected an error naming " << field;
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().problem_code, "invalid_policy");
  EXPECT_EQ(result.error().message.rfind(field, 0), 0u)
      << "message \"" << result.error().message << "\" should start with " << field;
}

Result<Policy> Parse(const std::string& text) { return Policy::FromJson(boost::json::parse(text)); }

TEST(PolicyTest, DefaultsMatchTheDocumentedValues) {
  Policy policy;
  EXPECT_TRUE(policy.Validate().has_value());
  for (Channel channel : kRequestChannels) {
    EXPECT_TRUE(policy.AllowsChannel(channel)) << ToString(channel);
  }
  // The operator's own closures (dormancy sweep, bulk terminations) are always
  // allowed; no caller requests through the channel (CheckRoleMayOpen).
  EXPECT_TRUE(policy.AllowsChannel(Channel::kSystem));
  EXPECT_FALSE(policy.dormancy_sweep);
  EXPECT_FALSE(policy.NeedsReview(Channel::kOnline));
  EXPECT_FALSE(policy.NeedsReview(Channel::kStore));
  EXPECT_TRUE(policy.NeedsReview(Channel::kProxy));
  EXPECT_TRUE(policy.NeedsReview(Channel::kPhone));
  EXPECT_TRUE(policy.NeedsReview(Channel::kMail));
  for (RefundMethod method : kAllRefundMethods) {
    EXPECT_TRUE(policy.AllowsRefund(method)) << ToString(method);
  }
  EXPECT_EQ(policy.termination_fee, Money::Zero());
  EXPECT_EQ(policy.minimum_refund, Money::Tiyn(10000));
  EXPECT_FALSE(policy.allow_debt_online);
  EXPECT_EQ(policy.quarantine_days, 180);
  EXPECT_EQ(policy.reactivation_days, 30);
  EXPECT_EQ(policy.dormancy_days, 180);
  EXPECT_EQ(policy.dormancy_warning_days, 30);
  EXPECT_EQ(policy.dormancy_grace_days, 14);
  EXPECT_EQ(policy.otp.length, 6);
  EXPECT_EQ(policy.otp.lifetime_seconds, 300);
  EXPECT_EQ(policy.otp.max_attempts, 5);
  EXPECT_EQ(policy.otp.max_codes_per_hour, 5);
  EXPECT_EQ(policy.otp.resend_cooldown_seconds, 60);
}

TEST(PolicyTest, PredicatesFollowTheLists) {
  Policy policy;
  policy.allowed_channels = {Channel::kStore};
  policy.review_channels = {};
  policy.refund_methods = {RefundMethod::kIban};
  EXPECT_TRUE(policy.AllowsChannel(Channel::kStore));
  EXPECT_FALSE(policy.AllowsChannel(Channel::kOnline));
  EXPECT_FALSE(policy.NeedsReview(Channel::kMail));
  EXPECT_TRUE(policy.AllowsRefund(RefundMethod::kIban));
  EXPECT_FALSE(policy.AllowsRefund(RefundMethod::kBankCard));
  EXPECT_TRUE(policy.Validate().has_value());
}

TEST(PolicyTest, RefundMethodNamesRoundTrip) {
  EXPECT_STREQ(ToString(RefundMethod::kBankCard), "bank_card");
  EXPECT_STREQ(ToString(RefundMethod::kIban), "iban");
  EXPECT_STREQ(ToString(RefundMethod::kOtherLine), "other_line");
  for (RefundMethod method : kAllRefundMethods) {
    EXPECT_EQ(ParseRefundMethod(ToString(method)), method);
  }
  EXPECT_EQ(ParseRefundMethod("cash"), std::nullopt);
  EXPECT_EQ(ParseRefundMethod("IBAN"), std::nullopt);
}

TEST(PolicyValidateTest, EachBrokenFieldIsNamed) {
  struct Case {
    const char* field;
    void (*mutate)(Policy&);
  };
  const Case cases[] = {
      {"allowed_channels", [](Policy& p) { p.allowed_channels.clear(); }},
      {"allowed_channels",
       [](Policy& p) {
         p.allowed_channels = {Channel::kOnline, Channel::kOnline};
       }},
      {"review_channels",
       [](Policy& p) {
         p.review_channels = {Channel::kMail, Channel::kMail};
       }},
      {"refund_methods", [](Policy& p) { p.refund_methods.clear(); }},
      {"refund_methods",
       [](Policy& p) {
         p.refund_methods = {RefundMethod::kIban, RefundMethod::kIban};
       }},
      {"termination_fee", [](Policy& p) { p.termination_fee = Money::Tiyn(-1); }},
      {"minimum_refund", [](Policy& p) { p.minimum_refund = Money::Tiyn(-100); }},
      {"quarantine_days", [](Policy& p) { p.quarantine_days = -1; }},
      {"reactivation_days", [](Policy& p) { p.reactivation_days = -1; }},
      {"reactivation_days", [](Policy& p) { p.reactivation_days = 3651; }},
      {"dormancy_days", [](Policy& p) { p.dormancy_days = -1; }},
      {"dormancy_warning_days", [](Policy& p) { p.dormancy_warning_days = -1; }},
      {"dormancy_grace_days", [](Policy& p) { p.dormancy_grace_days = -1; }},
      {"otp.length", [](Policy& p) { p.otp.length = 3; }},
      {"otp.length", [](Policy& p) { p.otp.length = 11; }},
      {"otp.lifetime_seconds", [](Policy& p) { p.otp.lifetime_seconds = 29; }},
      {"otp.lifetime_seconds", [](Policy& p) { p.otp.lifetime_seconds = 3601; }},
      {"otp.max_attempts", [](Policy& p) { p.otp.max_attempts = 0; }},
      {"otp.max_attempts", [](Policy& p) { p.otp.max_attempts = 21; }},
      {"otp.max_codes_per_hour", [](Policy& p) { p.otp.max_codes_per_hour = 0; }},
      {"otp.resend_cooldown_seconds", [](Policy& p) { p.otp.resend_cooldown_seconds = -1; }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    Policy policy;
    c.mutate(policy);
    ExpectInvalid(policy.Validate(), c.field);
  }
}

TEST(PolicyValidateTest, BoundariesAreAccepted) {
  Policy policy;
  policy.otp.length = 4;
  policy.otp.lifetime_seconds = 30;
  policy.otp.max_attempts = 1;
  policy.otp.resend_cooldown_seconds = 0;
  policy.quarantine_days = 0;
  policy.reactivation_days = 0;
  policy.dormancy_days = 0;
  policy.dormancy_warning_days = 0;
  policy.dormancy_grace_days = 0;
  policy.minimum_refund = Money::Zero();
  EXPECT_TRUE(policy.Validate().has_value());
  policy.otp.length = 10;
  policy.otp.lifetime_seconds = 3600;
  policy.otp.max_attempts = 20;
  EXPECT_TRUE(policy.Validate().has_value());
}

TEST(PolicyValidateTest, MessageGivesTheOffendingValue) {
  Policy policy;
  policy.otp.length = 3;
  Result<void> valid = policy.Validate();
  ASSERT_FALSE(valid.has_value());
  EXPECT_EQ(valid.error().message, "otp.length must be between 4 and 10, got 3");
}

TEST(PolicyJsonTest, ToJsonUsesStringsForMoneyAndChannels) {
  Policy policy;
  policy.termination_fee = Money::Tiyn(150050);
  boost::json::object json = policy.ToJson();
  EXPECT_EQ(json.at("termination_fee").as_string(), "1500.50");
  EXPECT_EQ(json.at("minimum_refund").as_string(), "100.00");
  EXPECT_EQ(boost::json::serialize(json.at("review_channels")), R"(["proxy","phone","mail"])");
  EXPECT_EQ(boost::json::serialize(json.at("refund_methods")),
            R"(["bank_card","iban","other_line"])");
  EXPECT_EQ(json.at("allow_debt_online").as_bool(), false);
  EXPECT_EQ(json.at("otp").as_object().at("length").as_int64(), 6);
  EXPECT_TRUE(json.at("channel_fees").as_object().empty());
  EXPECT_EQ(json.at("phone_confirmation_minutes").as_int64(), 30);
  EXPECT_EQ(json.at("review_sla_hours").as_int64(), 48);
  EXPECT_EQ(json.at("reactivation_days").as_int64(), 30);
  EXPECT_EQ(json.at("dormancy_sweep").as_bool(), false);
  EXPECT_EQ(json.size(), 17u);
  EXPECT_TRUE(json.at("sms_templates").as_object().empty());
}

TEST(PolicyJsonTest, RoundTripsDefaultAndCustomPolicies) {
  Policy custom;
  custom.allowed_channels = {Channel::kStore, Channel::kOnline};
  custom.review_channels = {Channel::kStore};
  custom.termination_fee = Money::Tiyn(99);
  custom.minimum_refund = Money::Tiyn(0);
  custom.refund_methods = {RefundMethod::kOtherLine};
  custom.allow_debt_online = true;
  custom.quarantine_days = 365;
  custom.reactivation_days = 0;
  custom.dormancy_days = 90;
  custom.dormancy_warning_days = 7;
  custom.dormancy_grace_days = 0;
  custom.otp = {8, 600, 3, 10, 120};
  custom.channel_fees = {{Channel::kStore, Money::Tiyn(50000)}, {Channel::kMail, Money::Zero()}};
  custom.phone_confirmation_minutes = 15;
  custom.review_sla_hours = 24;
  for (const Policy& policy : {Policy{}, custom}) {
    Result<Policy> back = Policy::FromJson(policy.ToJson());
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(*back, policy);
    // And through text, as it would be stored.
    back = Parse(boost::json::serialize(policy.ToJson()));
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(*back, policy);
  }
}

TEST(PolicyJsonTest, MissingKeysTakeDefaults) {
  Result<Policy> empty = Parse("{}");
  ASSERT_TRUE(empty.has_value()) << empty.error().message;
  EXPECT_EQ(*empty, Policy{});

  Result<Policy> partial = Parse(R"({"termination_fee":"250","otp":{"length":4}})");
  ASSERT_TRUE(partial.has_value()) << partial.error().message;
  Policy expected;
  expected.termination_fee = Money::Tiyn(25000);
  expected.otp.length = 4;
  EXPECT_EQ(*partial, expected);
}

TEST(PolicyJsonTest, EmptyReviewListMeansNoReview) {
  Result<Policy> policy = Parse(R"({"review_channels":[]})");
  ASSERT_TRUE(policy.has_value()) << policy.error().message;
  EXPECT_FALSE(policy->NeedsReview(Channel::kMail));
}

TEST(PolicyJsonTest, EachRejectionNamesTheKey) {
  struct Case {
    const char* json;
    const char* field;
  };
  const Case cases[] = {
      {R"({"colour":"red"})", "colour"},
      {R"({"otp":{"digits":6}})", "otp.digits"},
      {R"({"otp":6})", "otp"},
      {R"({"allowed_channels":"online"})", "allowed_channels"},
      {R"({"allowed_channels":["online","fax"]})", "allowed_channels[1]"},
      {R"({"allowed_channels":[1]})", "allowed_channels[0]"},
      {R"({"allowed_channels":[]})", "allowed_channels"},
      {R"({"review_channels":["post"]})", "review_channels[0]"},
      {R"({"refund_methods":["cash"]})", "refund_methods[0]"},
      {R"({"termination_fee":100})", "termination_fee"},
      {R"({"termination_fee":"1.234"})", "termination_fee"},
      {R"({"termination_fee":"-5.00"})", "termination_fee"},
      {R"({"minimum_refund":null})", "minimum_refund"},
      {R"({"allow_debt_online":"yes"})", "allow_debt_online"},
      {R"({"allow_debt_online":1})", "allow_debt_online"},
      {R"({"quarantine_days":"180"})", "quarantine_days"},
      {R"({"quarantine_days":180.5})", "quarantine_days"},
      {R"({"quarantine_days":-1})", "quarantine_days"},
      {R"({"reactivation_days":"30"})", "reactivation_days"},
      {R"({"reactivation_days":3651})", "reactivation_days"},
      {R"({"dormancy_days":3000000000})", "dormancy_days"},
      {R"({"dormancy_warning_days":18446744073709551615})", "dormancy_warning_days"},
      {R"({"dormancy_grace_days":true})", "dormancy_grace_days"},
      {R"({"otp":{"length":"6"}})", "otp.length"},
      {R"({"otp":{"length":12}})", "otp.length"},
      {R"({"otp":{"lifetime_seconds":10}})", "otp.lifetime_seconds"},
      {R"({"otp":{"max_attempts":0}})", "otp.max_attempts"},
      {R"({"otp":{"max_codes_per_hour":-2}})", "otp.max_codes_per_hour"},
      {R"({"otp":{"resend_cooldown_seconds":1.0}})", "otp.resend_cooldown_seconds"},
      {R"({"channel_fees":["store"]})", "channel_fees"},
      {R"({"channel_fees":{"fax":"1.00"}})", "channel_fees.fax"},
      {R"({"channel_fees":{"store":500}})", "channel_fees.store"},
      {R"({"channel_fees":{"store":"-1.00"}})", "channel_fees.store"},
      {R"({"phone_confirmation_minutes":4})", "phone_confirmation_minutes"},
      {R"({"phone_confirmation_minutes":1441})", "phone_confirmation_minutes"},
      {R"({"review_sla_hours":0})", "review_sla_hours"},
      {R"({"review_sla_hours":"48"})", "review_sla_hours"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json);
    ExpectInvalid(Parse(c.json), c.field);
  }
}

TEST(PolicyJsonTest, NonObjectIsRefused) {
  ExpectInvalid(Parse("[]"), "policy");
  ExpectInvalid(Parse("null"), "policy");
}

TEST(PolicyJsonTest, UnknownKeyMessageIsExact) {
  Result<Policy> policy = Parse(R"({"colour":"red"})");
  ASSERT_FALSE(policy.has_value());
  EXPECT_EQ(policy.error().message, "colour is not a known key");
}

}  // namespace
}  // namespace simexit

namespace simexit {
namespace {

TEST(PolicySystemChannelTest, AlwaysAllowedNeverListedAndFreeUnlessPriced) {
  Policy policy;
  policy.allowed_channels = {Channel::kStore};
  policy.termination_fee = Money::Tiyn(500'00);
  EXPECT_TRUE(policy.AllowsChannel(Channel::kSystem));
  EXPECT_FALSE(policy.AllowsChannel(Channel::kOnline));
  EXPECT_EQ(Policy{}.allowed_channels.size(), kRequestChannels.size());
  EXPECT_EQ(policy.FeeFor(Channel::kSystem), Money::Zero());
  EXPECT_EQ(policy.FeeFor(Channel::kStore), Money::Tiyn(500'00));
  policy.channel_fees[Channel::kSystem] = Money::Tiyn(100'00);
  EXPECT_EQ(policy.FeeFor(Channel::kSystem), Money::Tiyn(100'00));
}

}  // namespace
}  // namespace simexit
