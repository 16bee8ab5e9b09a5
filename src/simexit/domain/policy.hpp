#pragma once
// Policy: the rules one operator applies to line closures, as plain data.
//
// A Policy is loaded once (from configuration or the store), validated, and
// passed by const reference to whatever needs it. Defaults are the values the
// brief for simexit calls sensible; every one can be overridden per operator.
//
// JSON form (every key optional; missing keys keep the defaults below):
//   {
//     "allowed_channels": ["online","store","proxy","phone","mail"],
//     "review_channels": ["proxy","phone","mail"],
//     "termination_fee": "0.00",          // decimal KZT string
//     "channel_fees": {"store": "500.00"},  // per channel; replaces termination_fee
//     "minimum_refund": "100.00",         // decimal KZT string
//     "refund_methods": ["bank_card","iban","other_line"],
//     "allow_debt_online": false,
//     "quarantine_days": 180, "reactivation_days": 30,
//     "dormancy_days": 180, "dormancy_warning_days": 30, "dormancy_grace_days": 14,
//     "dormancy_sweep": false,
//     "phone_confirmation_minutes": 30, "review_sla_hours": 48,
//     "otp": {"length": 6, "lifetime_seconds": 300, "max_attempts": 5,
//             "max_codes_per_hour": 5, "resend_cooldown_seconds": 60}
//   }

#include <array>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "simexit/common/result.hpp"
#include "simexit/domain/money.hpp"
#include "simexit/domain/notices.hpp"
#include "simexit/domain/termination.hpp"

namespace simexit {

// One-time codes sent by SMS to prove control of the line.
struct OtpPolicy {
  int length = 6;                    // digits, 4..10
  int lifetime_seconds = 300;        // 30..3600
  int max_attempts = 5;              // wrong guesses before the code is burnt, 1..20
  int max_codes_per_hour = 5;        // codes sent to one line per rolling hour, 1..100
  int resend_cooldown_seconds = 60;  // minimum gap between two codes, 0..3600

  friend bool operator==(const OtpPolicy&, const OtpPolicy&) = default;
};

// How a refund of the remaining main balance is paid out.
enum class RefundMethod { kBankCard, kIban, kOtherLine };

inline constexpr std::array<RefundMethod, 3> kAllRefundMethods = {
    RefundMethod::kBankCard, RefundMethod::kIban, RefundMethod::kOtherLine};

// "bank_card", "iban", "other_line".
const char* ToString(RefundMethod method);
std::optional<RefundMethod> ParseRefundMethod(std::string_view text);

struct Policy {
  // Channels a termination may be requested through. Default: all five
  // request channels. The operator's own closures (Channel::kSystem) are
  // always allowed and never listed.
  std::vector<Channel> allowed_channels = {kRequestChannels.begin(), kRequestChannels.end()};
  // Channels whose requests an operator employee reviews before approval.
  std::vector<Channel> review_channels = {Channel::kProxy, Channel::kPhone, Channel::kMail};
  // Charged to the holder on closure.
  Money termination_fee = Money::Zero();
  // Fee for a channel, replacing termination_fee for requests through it.
  std::map<Channel, Money> channel_fees;
  // A main balance remaining after charges that is below this is not refunded
  // (the operator keeps it). Default 100.00 KZT.
  Money minimum_refund = Money::Tiyn(100'00);
  // Ways a refund may be paid. Default: all.
  std::vector<RefundMethod> refund_methods = {kAllRefundMethods.begin(), kAllRefundMethods.end()};
  // When false, an online closure is refused while charges exceed the balance.
  bool allow_debt_online = false;
  // Days a terminated number rests before it can be handed out again.
  int quarantine_days = 180;
  // Days after closure in which the former holder may get a quarantined number
  // back (docs/reactivation.md); 0 disables reactivation. 0..3650.
  int reactivation_days = 30;
  // Dormant-line reclamation: inactivity before reclamation, warning sent this
  // many days before, grace period after the warning deadline.
  int dormancy_days = 180;
  int dormancy_warning_days = 30;
  int dormancy_grace_days = 14;
  // Whether the daily dormancy sweep acts on this operator's lines (warns and
  // closes them); off until the operator turns it on. `simexit sweep dormant`
  // runs it by hand either way.
  bool dormancy_sweep = false;
  // A phone request the holder has not confirmed (code sent to the line) within
  // this many minutes expires. 5..1440.
  int phone_confirmation_minutes = 30;
  // Reviews waiting longer than this are overdue in the review queue. 1..720.
  int review_sla_hours = 48;
  OtpPolicy otp;
  // The operator's own SMS texts (notice -> language -> text); the built-in
  // texts are used for everything not given here.
  NoticeTemplates sms_templates;

  bool AllowsChannel(Channel channel) const;
  bool NeedsReview(Channel channel) const;
  bool AllowsRefund(RefundMethod method) const;
  // channel_fees[channel] when set, else termination_fee (nothing for
  // Channel::kSystem: the holder did not ask).
  Money FeeFor(Channel channel) const;

  // Success means every field is usable. Errors: kInvalidArgument with problem code
  // "invalid_policy" and a message that starts with the offending field's name
  // (e.g. "otp.length must be between 4 and 10, got 3"). Checked:
  // allowed_channels and refund_methods non-empty; no duplicates in any list;
  // termination_fee, channel_fees and minimum_refund not negative; the ranges
  // commented on phone_confirmation_minutes, review_sla_hours and reactivation_days; otp ranges as
  // commented on OtpPolicy; every *_days field not negative.
  Result<void> Validate() const;

  // The JSON form shown at the top of this file. Always contains every key.
  boost::json::object ToJson() const;

  // Parses the JSON form, then Validate()s it: a returned Policy is valid.
  // Missing keys take defaults. Errors: kInvalidArgument, problem code
  // "invalid_policy", message naming the key, when the value is not an object,
  // a key is unknown, a value has the wrong type or is out of int range, a
  // list item is not a known name, or an amount is not a decimal KZT string.
  static Result<Policy> FromJson(const boost::json::value& json);

  friend bool operator==(const Policy&, const Policy&) = default;
};

}  // namespace simexit
