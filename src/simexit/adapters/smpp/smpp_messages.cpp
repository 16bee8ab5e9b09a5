#include "simexit/adapters/smpp/smpp_messages.hpp"

#include <algorithm>
#include <string>

#include "simexit/adapters/smpp/gsm_encoding.hpp"
#include "simexit/adapters/smpp/smpp_client.hpp"

namespace simexit::smpp {

namespace {

bool HasLetter(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

std::string StripPlus(std::string_view s) {
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
  }
  return std::string(s);
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string PartName(std::size_t part, std::size_t parts) {
  return "part " + std::to_string(part + 1) + "/" + std::to_string(parts);
}

Error SubmitStatusError(std::uint32_t command_status, std::size_t part, std::size_t parts) {
  const std::string what = DescribeCommandStatus(command_status) + " for " + PartName(part, parts);
  switch (ClassifyStatus(command_status)) {
    case StatusClass::kPermanent:
      return Error{ErrorCode::kInvalidArgument, "sms_rejected", "SMSC rejected the SMS: " + what};
    case StatusClass::kRetry:
      if (command_status == status::kThrottled || command_status == status::kMsgQFul) {
        return Error{ErrorCode::kUnavailable, "smsc_busy", "SMSC is busy: " + what};
      }
      if (command_status == status::kInvBndSts) {
        return Error{ErrorCode::kUnavailable, "smsc_not_bound", "SMSC says not bound: " + what};
      }
      [[fallthrough]];
    case StatusClass::kBindRejected:
    case StatusClass::kOk:
      break;
  }
  return Error{ErrorCode::kUnavailable, "smsc_temporary_error", "SMSC error: " + what};
}

Result<std::vector<ShortMessage>> BuildSubmits(const SmppOptions& options,
                                               const SmsMessage& message,
                                               std::uint8_t concat_reference) {
  const std::string to = StripPlus(message.recipient);
  if (!AllDigits(to) || to.size() > 15) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_recipient",
                "recipient must be + and 1 to 15 digits");
  }
  if (message.text.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_text", "the SMS text is empty");
  }
  auto encoded = EncodeText(message.text);
  if (!encoded) {
    return Fail(encoded.error());
  }
  const auto parts = SplitForSms(*encoded, concat_reference);
  if (parts.size() > kMaxParts) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_text",
                "the SMS text needs " + std::to_string(parts.size()) + " parts (max 255)");
  }
  ShortMessage base;
  if (HasLetter(options.source_addr)) {
    base.source = Address{5, 0, options.source_addr};
  } else {
    base.source = Address{1, 1, StripPlus(options.source_addr)};
  }
  base.destination = Address{1, 1, to};
  base.registered_delivery = (options.registered_delivery && message.want_delivery_report) ? 1 : 0;
  base.data_coding = static_cast<std::uint8_t>(encoded->coding);
  base.tlvs = {Uint16Tlv(tlv::kUserMessageReference, message.user_message_reference)};
  std::vector<ShortMessage> out;
  out.reserve(parts.size());
  for (const auto& part : parts) {
    ShortMessage m = base;
    if (!part.udh.empty()) {
      m.esm_class = kEsmClassUdhi;
    }
    m.short_message = part.udh;
    m.short_message.insert(m.short_message.end(), part.payload.begin(), part.payload.end());
    out.push_back(std::move(m));
  }
  return out;
}

DeliveryState DeliveryStateFromStat(std::string_view stat) {
  if (stat == "DELIVRD") {
    return DeliveryState::kDelivered;
  }
  if (stat == "EXPIRED") {
    return DeliveryState::kExpired;
  }
  if (stat == "UNDELIV" || stat == "REJECTD" || stat == "DELETED") {
    return DeliveryState::kFailed;
  }
  return DeliveryState::kUnknown;
}

DeliveryReport DeliveryReportFrom(const ShortMessage& message) {
  DeliveryReport report;
  const std::string text(message.short_message.begin(), message.short_message.end());
  const auto receipt = ParseReceiptText(text);
  if (const Tlv* id = FindTlv(message.tlvs, tlv::kReceiptedMessageId)) {
    report.message_id.assign(id->value.begin(), id->value.end());
    while (!report.message_id.empty() && report.message_id.back() == '\0') {
      report.message_id.pop_back();
    }
  } else if (receipt) {
    report.message_id = receipt->id;
  }
  report.recipient = "+" + StripPlus(message.source.addr);
  if (const Tlv* umr = FindTlv(message.tlvs, tlv::kUserMessageReference)) {
    report.user_message_reference = TlvUint(*umr);
  }
  std::string stat = receipt ? receipt->stat : std::string();
  if (stat.empty()) {
    if (const Tlv* state = FindTlv(message.tlvs, tlv::kMessageState);
        state && state->value.size() == 1) {
      stat = MessageStateName(state->value[0]);
    }
  }
  report.state = DeliveryStateFromStat(stat);
  report.detail = "stat:" + stat + " err:" + (receipt ? receipt->err : std::string());
  return report;
}

}  // namespace simexit::smpp
