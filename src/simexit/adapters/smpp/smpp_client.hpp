#pragma once
// SmppClient: SmsGateway over SMPP 3.4 as an ESME (bind_transceiver), e.g. to
// osmo-msc's built-in SMSC. See docs/sms.md.
//
// Session: an Asio io_context on a thread owned by this object connects and binds
// in the background from construction on, keeps the session alive (enquire_link
// every enquire_link_interval; no enquire_link_resp within response_timeout drops
// the connection), answers the SMSC's enquire_link, answers deliver_sm with
// deliver_sm_resp at once (before the handler runs), ignores alert_notification
// (no response exists), and after any drop or bind rejection reconnects with
// exponential back-off from reconnect_min to reconnect_max. Bind rejections are
// logged at error level (the credentials may be fixed on the SMSC side, so it
// keeps trying). The destructor unbinds (waiting at most response_timeout for
// unbind_resp) and joins the thread.
//
// Send(message) (thread-safe): encodes the text (GSM 7-bit or UCS-2), splits it
// (UDH 05 00 03, esm_class 0x40), and submits every part, at most `window`
// submit_sm outstanding on the session and at most rate_per_second submits per
// second (token bucket; <= 0 means unlimited). Success: every part got
// submit_sm_resp ESME_ROK; message_ids are the SMSC's ids per part (osmo-msc:
// always "msg_id_not_implemented"). registered_delivery is set when
// options.registered_delivery && message.want_delivery_report; the TLV
// user_message_reference carries message.user_message_reference.
// Errors:
//   kInvalidArgument "invalid_text"        text empty, not UTF-8, or over 255 parts
//   kInvalidArgument "invalid_recipient"   `recipient` is not "+" and 1..15 digits
//   kInvalidArgument "sms_rejected"        a permanent command_status (message names it,
//                                          e.g. "ESME_RINVDSTADR (invalid destination
//                                          address) for part 1/1")
//   kUnavailable "smsc_not_bound"          no bound session (message says why, e.g.
//                                          "bind rejected: ESME_RINVPASWD (invalid
//                                          password)"); waits up to response_timeout for
//                                          a connect/bind attempt in progress first
//   kUnavailable "smsc_busy"               ESME_RTHROTTLED or ESME_RMSGQFUL
//   kUnavailable "smsc_temporary_error"    another retryable status (ESME_RSYSERR, ...)
//   kUnavailable "smsc_timeout"            no submit_sm_resp within response_timeout
//   kUnavailable "smsc_connection_lost"    the session dropped with parts unacknowledged
// After a failure some earlier parts may have been accepted (the port allows it).
//
// Delivery reports: deliver_sm with (esm_class & 0x3C) == 0x04 becomes a
// DeliveryReport {message_id = receipted_message_id TLV or the text's "id:",
// recipient = "+" + source_addr, user_message_reference = TLV 0x0204 if present,
// state from "stat:" (else the message_state TLV): DELIVRD -> kDelivered,
// EXPIRED -> kExpired, UNDELIV/REJECTD/DELETED -> kFailed, else kUnknown,
// detail = "stat:<stat> err:<err>"} passed to the handler on the I/O thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "simexit/adapters/smpp/pdu.hpp"
#include "simexit/ports/sms_gateway.hpp"

namespace simexit::smpp {

struct SmppOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 2775;
  std::string system_id, password, system_type;
  std::string source_addr = "simexit";
  double rate_per_second = 50;
  int window = 10;
  std::chrono::seconds enquire_link_interval{30};
  std::chrono::milliseconds response_timeout{5000};
  std::chrono::milliseconds reconnect_min{500}, reconnect_max{30000};
  bool registered_delivery = true;
};

// The submit_sm bodies Send() would submit for `message` (exposed for tests).
// Source: alphanumeric (TON 5, NPI 0) when source_addr contains a letter, else
// international (TON 1, NPI 1) without '+'. Destination: TON 1, NPI 1, digits
// without '+'. Errors: "invalid_text", "invalid_recipient" as for Send().
Result<std::vector<ShortMessage>> BuildSubmits(const SmppOptions& options,
                                               const SmsMessage& message,
                                               std::uint8_t concat_reference);

// DELIVRD -> kDelivered, EXPIRED -> kExpired, UNDELIV/REJECTD/DELETED -> kFailed.
DeliveryState DeliveryStateFromStat(std::string_view stat);

class SmppClient final : public SmsGateway {
 public:
  struct Status {
    bool bound = false;
    std::string last_error;  // empty once bound; why the last attempt or session ended
  };

  explicit SmppClient(SmppOptions options);
  ~SmppClient() override;
  SmppClient(const SmppClient&) = delete;
  SmppClient& operator=(const SmppClient&) = delete;

  Result<SmsAccepted> Send(const SmsMessage& message) override;
  // Queues every part of every message on the session at once (window and
  // throttle as for Send), so the window stays full across messages. A Send()
  // meanwhile goes ahead of the batch's messages still waiting.
  void SendBatch(const std::vector<SmsMessage>& messages, const SmsSettled& settled) override;
  void SetDeliveryReportHandler(std::function<void(const DeliveryReport&)> handler) override;
  // "SMPP 3.4 ESME <system_id>@<host>:<port>" (source_addr when system_id is empty).
  std::string Describe() const override;
  Status status() const;

 private:
  class Session;
  SmppOptions options_;
  std::unique_ptr<Session> session_;
};

}  // namespace simexit::smpp
