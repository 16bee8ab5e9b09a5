#include "simexit/domain/policy.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/string.hpp>
#include <cstdint>
#include <limits>
#include <string>

namespace simexit {
namespace {

namespace json = boost::json;

constexpr std::array<const char*, 3> kRefundMethodNames = {"bank_card", "iban", "other_line"};

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, "invalid_policy", std::move(message));
}

std::string_view View(json::string_view text) { return {text.data(), text.size()}; }

template <typename T>
bool Contains(const std::vector<T>& items, T item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

template <typename T>
bool HasDuplicates(const std::vector<T>& items) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (std::size_t j = i + 1; j < items.size(); ++j) {
      if (items[i] == items[j]) {
        return true;
      }
    }
  }
  return false;
}

Result<void> CheckRange(const char* field, int value, int low, int high) {
  if (value < low || value > high) {
    return Invalid(std::string(field) + " must be between " + std::to_string(low) + " and " +
                   std::to_string(high) + ", got " + std::to_string(value));
  }
  return {};
}

Result<void> CheckNotNegative(const char* field, int value) {
  if (value < 0) {
    return Invalid(std::string(field) + " must not be negative, got " + std::to_string(value));
  }
  return {};
}

Result<void> CheckNotNegative(const char* field, Money value) {
  if (value.IsNegative()) {
    return Invalid(std::string(field) + " must not be negative, got " + value.ToDecimalString());
  }
  return {};
}

template <typename T>
json::array NamesArray(const std::vector<T>& items) {
  json::array out;
  for (T item : items) {
    out.emplace_back(ToString(item));
  }
  return out;
}

// Readers: each one names `key` (the full dotted path) in its error.

Result<void> ReadInt(const json::value& value, const std::string& key, int* out) {
  if (value.is_int64()) {
    const std::int64_t n = value.get_int64();
    if (n >= std::numeric_limits<int>::min() && n <= std::numeric_limits<int>::max()) {
      *out = static_cast<int>(n);
      return {};
    }
  } else if (!value.is_uint64()) {
    return Invalid(key + " must be an integer");
  }
  return Invalid(key + " is out of range");
}

Result<void> ReadBool(const json::value& value, const std::string& key, bool* out) {
  if (!value.is_bool()) {
    return Invalid(key + " must be true or false");
  }
  *out = value.get_bool();
  return {};
}

Result<void> ReadMoney(const json::value& value, const std::string& key, Money* out) {
  if (!value.is_string()) {
    return Invalid(key + " must be a decimal KZT string such as \"100.00\"");
  }
  Result<Money> money = Money::ParseKzt(View(value.get_string()));
  if (!money) {
    return Invalid(key + " must be a decimal KZT string such as \"100.00\"");
  }
  *out = *money;
  return {};
}

template <typename T, typename ParseFn>
Result<void> ReadNames(const json::value& value, const std::string& key, const char* what,
                       ParseFn parse, std::vector<T>* out) {
  if (!value.is_array()) {
    return Invalid(key + " must be an array of " + what + " names");
  }
  std::vector<T> items;
  const json::array& array = value.get_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string item_key = key + "[" + std::to_string(i) + "]";
    if (!array[i].is_string()) {
      return Invalid(item_key + " must be a string");
    }
    const std::string_view name = View(array[i].get_string());
    std::optional<T> parsed = parse(name);
    if (!parsed) {
      return Invalid(item_key + " is not a known " + what + ": \"" + std::string(name) + "\"");
    }
    items.push_back(*parsed);
  }
  *out = std::move(items);
  return {};
}

Result<void> ReadOtp(const json::value& value, OtpPolicy* otp) {
  if (!value.is_object()) {
    return Invalid("otp must be an object");
  }
  for (const json::key_value_pair& entry : value.get_object()) {
    const std::string_view name = View(entry.key());
    const std::string key = "otp." + std::string(name);
    int* field = nullptr;
    if (name == "length") {
      field = &otp->length;
    } else if (name == "lifetime_seconds") {
      field = &otp->lifetime_seconds;
    } else if (name == "max_attempts") {
      field = &otp->max_attempts;
    } else if (name == "max_codes_per_hour") {
      field = &otp->max_codes_per_hour;
    } else if (name == "resend_cooldown_seconds") {
      field = &otp->resend_cooldown_seconds;
    } else {
      return Invalid(key + " is not a known key");
    }
    if (Result<void> read = ReadInt(entry.value(), key, field); !read) {
      return read;
    }
  }
  return {};
}

Result<void> ReadField(const json::value& value, std::string_view name, Policy* policy) {
  const std::string key(name);
  if (name == "allowed_channels") {
    return ReadNames(value, key, "channel", ParseChannel, &policy->allowed_channels);
  }
  if (name == "review_channels") {
    return ReadNames(value, key, "channel", ParseChannel, &policy->review_channels);
  }
  if (name == "refund_methods") {
    return ReadNames(value, key, "refund method", ParseRefundMethod, &policy->refund_methods);
  }
  if (name == "termination_fee") {
    return ReadMoney(value, key, &policy->termination_fee);
  }
  if (name == "minimum_refund") {
    return ReadMoney(value, key, &policy->minimum_refund);
  }
  if (name == "channel_fees") {
    if (!value.is_object()) {
      return Invalid("channel_fees must be an object of channel: amount");
    }
    std::map<Channel, Money> fees;
    for (const json::key_value_pair& entry : value.get_object()) {
      const std::string_view channel_name = View(entry.key());
      const std::string entry_key = key + "." + std::string(channel_name);
      std::optional<Channel> channel = ParseChannel(channel_name);
      if (!channel) {
        return Invalid(entry_key + " is not a known channel");
      }
      Money fee;
      if (Result<void> read = ReadMoney(entry.value(), entry_key, &fee); !read) {
        return read;
      }
      fees[*channel] = fee;
    }
    policy->channel_fees = std::move(fees);
    return {};
  }
  if (name == "phone_confirmation_minutes") {
    return ReadInt(value, key, &policy->phone_confirmation_minutes);
  }
  if (name == "review_sla_hours") {
    return ReadInt(value, key, &policy->review_sla_hours);
  }
  if (name == "allow_debt_online") {
    return ReadBool(value, key, &policy->allow_debt_online);
  }
  if (name == "quarantine_days") {
    return ReadInt(value, key, &policy->quarantine_days);
  }
  if (name == "reactivation_days") {
    return ReadInt(value, key, &policy->reactivation_days);
  }
  if (name == "dormancy_days") {
    return ReadInt(value, key, &policy->dormancy_days);
  }
  if (name == "dormancy_warning_days") {
    return ReadInt(value, key, &policy->dormancy_warning_days);
  }
  if (name == "dormancy_grace_days") {
    return ReadInt(value, key, &policy->dormancy_grace_days);
  }
  if (name == "dormancy_sweep") {
    return ReadBool(value, key, &policy->dormancy_sweep);
  }
  if (name == "otp") {
    return ReadOtp(value, &policy->otp);
  }
  if (name == "sms_templates") {
    if (!value.is_object()) {
      return Invalid("sms_templates must be an object of notices");
    }
    for (const json::key_value_pair& notice : value.get_object()) {
      const std::string notice_key = key + "." + std::string(View(notice.key()));
      if (!notice.value().is_object()) {
        return Invalid(notice_key + " must be an object of languages");
      }
      for (const json::key_value_pair& text : notice.value().get_object()) {
        if (!text.value().is_string()) {
          return Invalid(notice_key + "." + std::string(View(text.key())) + " must be a string");
        }
        policy->sms_templates[std::string(View(notice.key()))][std::string(View(text.key()))] =
            std::string(View(text.value().get_string()));
      }
    }
    return {};
  }
  return Invalid(key + " is not a known key");
}

}  // namespace

const char* ToString(RefundMethod method) {
  return kRefundMethodNames[static_cast<std::size_t>(method)];
}

std::optional<RefundMethod> ParseRefundMethod(std::string_view text) {
  for (std::size_t i = 0; i < kAllRefundMethods.size(); ++i) {
    if (text == kRefundMethodNames[i]) {
      return kAllRefundMethods[i];
    }
  }
  return std::nullopt;
}

bool Policy::AllowsChannel(Channel channel) const {
  return channel == Channel::kSystem || Contains(allowed_channels, channel);
}

bool Policy::NeedsReview(Channel channel) const { return Contains(review_channels, channel); }

bool Policy::AllowsRefund(RefundMethod method) const { return Contains(refund_methods, method); }

Money Policy::FeeFor(Channel channel) const {
  auto it = channel_fees.find(channel);
  if (it != channel_fees.end()) {
    return it->second;
  }
  // The operator's own closures charge the holder nothing unless the policy
  // names a fee for them.
  return channel == Channel::kSystem ? Money::Zero() : termination_fee;
}

Result<void> Policy::Validate() const {
  if (allowed_channels.empty()) {
    return Invalid("allowed_channels must name at least one channel");
  }
  if (HasDuplicates(allowed_channels)) {
    return Invalid("allowed_channels must not repeat a channel");
  }
  if (HasDuplicates(review_channels)) {
    return Invalid("review_channels must not repeat a channel");
  }
  if (refund_methods.empty()) {
    return Invalid("refund_methods must name at least one method");
  }
  if (HasDuplicates(refund_methods)) {
    return Invalid("refund_methods must not repeat a method");
  }
  for (const auto& [channel, fee] : channel_fees) {
    const std::string field = std::string("channel_fees.") + ToString(channel);
    if (Result<void> r = CheckNotNegative(field.c_str(), fee); !r) {
      return r;
    }
  }
  const Result<void> checks[] = {
      CheckRange("phone_confirmation_minutes", phone_confirmation_minutes, 5, 1440),
      CheckRange("review_sla_hours", review_sla_hours, 1, 720),
      CheckNotNegative("termination_fee", termination_fee),
      CheckNotNegative("minimum_refund", minimum_refund),
      CheckNotNegative("quarantine_days", quarantine_days),
      CheckRange("reactivation_days", reactivation_days, 0, 3650),
      CheckNotNegative("dormancy_days", dormancy_days),
      CheckNotNegative("dormancy_warning_days", dormancy_warning_days),
      CheckNotNegative("dormancy_grace_days", dormancy_grace_days),
      CheckRange("otp.length", otp.length, 4, 10),
      CheckRange("otp.lifetime_seconds", otp.lifetime_seconds, 30, 3600),
      CheckRange("otp.max_attempts", otp.max_attempts, 1, 20),
      CheckRange("otp.max_codes_per_hour", otp.max_codes_per_hour, 1, 100),
      CheckRange("otp.resend_cooldown_seconds", otp.resend_cooldown_seconds, 0, 3600),
      ValidateNoticeTemplates(sms_templates),
  };
  for (const Result<void>& check : checks) {
    if (!check) {
      return check;
    }
  }
  return {};
}

boost::json::object Policy::ToJson() const {
  json::object out;
  out["allowed_channels"] = NamesArray(allowed_channels);
  out["review_channels"] = NamesArray(review_channels);
  out["termination_fee"] = termination_fee.ToDecimalString();
  json::object fees;
  for (const auto& [channel, fee] : channel_fees) {
    fees[ToString(channel)] = fee.ToDecimalString();
  }
  out["channel_fees"] = std::move(fees);
  out["minimum_refund"] = minimum_refund.ToDecimalString();
  out["refund_methods"] = NamesArray(refund_methods);
  out["allow_debt_online"] = allow_debt_online;
  out["quarantine_days"] = quarantine_days;
  out["reactivation_days"] = reactivation_days;
  out["dormancy_days"] = dormancy_days;
  out["dormancy_warning_days"] = dormancy_warning_days;
  out["dormancy_grace_days"] = dormancy_grace_days;
  out["dormancy_sweep"] = dormancy_sweep;
  out["phone_confirmation_minutes"] = phone_confirmation_minutes;
  out["review_sla_hours"] = review_sla_hours;
  json::object otp_json;
  otp_json["length"] = otp.length;
  otp_json["lifetime_seconds"] = otp.lifetime_seconds;
  otp_json["max_attempts"] = otp.max_attempts;
  otp_json["max_codes_per_hour"] = otp.max_codes_per_hour;
  otp_json["resend_cooldown_seconds"] = otp.resend_cooldown_seconds;
  out["otp"] = std::move(otp_json);
  json::object templates;
  for (const auto& [notice, by_language] : sms_templates) {
    json::object texts;
    for (const auto& [language, text] : by_language) {
      texts[language] = text;
    }
    templates[notice] = std::move(texts);
  }
  out["sms_templates"] = std::move(templates);
  return out;
}

Result<Policy> Policy::FromJson(const boost::json::value& input) {
  if (!input.is_object()) {
    return Invalid("policy must be a JSON object");
  }
  Policy policy;
  for (const json::key_value_pair& entry : input.get_object()) {
    if (Result<void> read = ReadField(entry.value(), View(entry.key()), &policy); !read) {
      return Fail(read.error());
    }
  }
  if (Result<void> valid = policy.Validate(); !valid) {
    return Fail(valid.error());
  }
  return policy;
}

}  // namespace simexit
