#pragma once
// Port to whatever delivers SMS to a subscriber (an operator's SMSC over SMPP,
// or the development sink).
//
// Send() hands one message over (split into parts by the gateway if it is
// long). Success means the gateway accepted every part (for SMPP: a
// submit_sm_resp with ESME_ROK for each), not that the phone received it;
// delivery reports arrive later through the handler set with
// SetDeliveryReportHandler().
// Errors: kUnavailable (gateway down, not bound, throttled, timed out: retry
// later; nothing was accepted, or the SMSC never acknowledged), kInvalidArgument
// (the gateway refused this message for good, problem code "sms_rejected").
// Implementations are thread-safe.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "simexit/common/result.hpp"

namespace simexit {

struct SmsMessage {
  std::string recipient;      // E.164 MSISDN
  std::string operator_code;  // whose SMSC sends it ("kcell"); empty: the default route
  std::string text;           // UTF-8
  std::string kind;           // template name: "sign_in_code", "terminated", ...
  std::string reference;      // caller's id for correlation (outbox id, termination id)
  // Correlation handle the SMSC echoes in delivery reports (SMPP TLV
  // user_message_reference). Some SMSCs keep only its low 8 bits.
  std::uint16_t user_message_reference = 0;
  bool want_delivery_report = false;
};

struct SmsAccepted {
  std::vector<std::string> message_ids;  // one per part, as the SMSC named them
  int parts = 1;
};

enum class DeliveryState { kDelivered, kFailed, kExpired, kUnknown };

struct DeliveryReport {
  std::string message_id;                               // the SMSC's id, when it gives a usable one
  std::string recipient;                                // E.164 of the handset the report is about
  std::optional<std::uint16_t> user_message_reference;  // as echoed (maybe truncated)
  DeliveryState state = DeliveryState::kUnknown;
  std::string detail;  // e.g. the SMSC's "stat:" and "err:" values
};

// Called once per message of a batch, with its index and Send()'s result.
using SmsSettled = std::function<void(std::size_t index, Result<SmsAccepted> result)>;

class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  virtual Result<SmsAccepted> Send(const SmsMessage& message) = 0;
  // Hands several messages over at once, so that the gateway can keep its
  // window full (SMPP: every part of the batch queued on the session together,
  // still at most `window` outstanding and `rate_per_second` a second). Calls
  // `settled` exactly once per message, as soon as its result (as for Send) is
  // known, from any thread and possibly from several at once; returns when
  // every message is settled. The default sends them one after the other.
  virtual void SendBatch(const std::vector<SmsMessage>& messages, const SmsSettled& settled) {
    for (std::size_t i = 0; i < messages.size(); ++i) {
      settled(i, Send(messages[i]));
    }
  }
  // Called (on the gateway's thread) for every delivery report. Set before the
  // first Send(); the default gateway never reports.
  // By value: the gateways that report keep it (std::move); this default drops it.
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  virtual void SetDeliveryReportHandler(std::function<void(const DeliveryReport&)> handler) {
    (void)handler;
  }
  // Human description for start-up logs, e.g. "development sink (file simexit-sms.log)".
  virtual std::string Describe() const = 0;
};

}  // namespace simexit
