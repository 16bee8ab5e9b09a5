#pragma once
// Port to whatever delivers SMS to a subscriber (an operator's SMSC over SMPP,
// or the development sink).
//
// Send() hands one message over. Success means the gateway accepted it (for
// SMPP: submit_sm_resp with ESME_ROK), not that the phone received it.
// Errors: kUnavailable (gateway down or throttled: retry later),
// kInvalidArgument (the gateway refused this message for good, reason
// "sms_rejected"). Implementations are thread-safe.

#include <string>

#include "simexit/common/result.hpp"

namespace simexit {

struct SmsMessage {
  std::string to;        // E.164 MSISDN
  std::string text;      // UTF-8
  std::string kind;      // template name: "otp", "termination_received", ...
  std::string reference; // caller's id for correlation (job id, challenge id)
};

class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  // Returns the gateway's message id.
  virtual Result<std::string> Send(const SmsMessage& message) = 0;
  // Human description for start-up logs, e.g. "development sink (file simexit-sms.log)".
  virtual std::string Describe() const = 0;
};

}  // namespace simexit
