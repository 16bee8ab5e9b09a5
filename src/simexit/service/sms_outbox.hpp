#pragma once
// The SMS outbox: every SMS simexit sends is a row first (sms_messages), sent
// by the job worker, and followed to its end by delivery reports.
//
//   queued --submit accepted--> submitted --report--> delivered | failed | expired
//   queued --refused for good--> failed      queued --validity passed--> expired
//
// A crash or an SMSC outage delays a message but does not lose it: the row and
// its send_sms job survive, and the job retries with back-off. A message is
// submitted again only while its row is still `queued`, i.e. the SMSC never
// acknowledged it (the one window left is a crash after the SMSC's
// acknowledgement and before the row is marked `submitted`).
// The worker sends queued messages in batches (SendBatch): one transaction
// reads the batch, every message goes to the gateway at once (a full SMPP
// window), and the acknowledgements are recorded as they come, each
// transaction taking all those that arrived while the previous one committed.
// So a crash loses (and the restart sends again) at most the acknowledgements
// of one commit, not those of the whole batch.
// Sign-in codes are the exception to "sent by the worker": they are sent at
// once, and their row keeps the text with the code masked.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/service/context.hpp"
#include "simexit/service/fault_hook.hpp"

namespace simexit {

class SmsOutbox {
 public:
  explicit SmsOutbox(ServiceContext& ctx, FaultHook fault = {})
      : ctx_(ctx), fault_(std::move(fault)) {}

  // How long a queued message may wait for the SMSC before it expires.
  static constexpr UnixSeconds kValiditySeconds = 24 * kSecondsPerHour;

  // Adds `sms` (to, kind, language, text, operator_id, termination_id) as a
  // queued row and the send_sms job that will send it, in the caller's
  // transaction. Returns the row id.
  static Result<std::int64_t> Queue(StoreTx& tx, SmsRecord sms, UnixSeconds now);

  // The worker's send_sms step for row `id`: submits it if it is still queued.
  // Errors: kUnavailable (SMSC down: the row stays queued, the job retries).
  // A message the SMSC refuses for good ends `failed` (success for the job).
  Result<void> Send(std::int64_t id);

  // Send() for several rows at once, as above: one outcome per id, in order.
  std::vector<Result<void>> SendBatch(const std::vector<std::int64_t>& ids);

  // Sends at once and records the row (sign-in codes). `stored_text` is what
  // the row keeps. Errors: those of the gateway.
  Result<void> SendNow(SmsRecord sms, const std::string& text_to_send);

  // Finds the submitted message a delivery report is about and records its
  // outcome. Correlation: the SMSC's message id when it names exactly one
  // message; otherwise (recipient, user_message_reference) among submitted
  // messages, newest first, also matching a reference the SMSC cut to 8 bits.
  // kNotFound "sms_not_found" when nothing matches.
  Result<std::int64_t> RecordDeliveryReport(const DeliveryReport& report);

  // Newest first.
  Result<std::vector<SmsRecord>> List(const SmsFilter& filter);

  // The user_message_reference sent with row `id`.
  static std::uint16_t UserMessageReference(std::int64_t id) {
    return static_cast<std::uint16_t>(id & 0xFFFF);
  }

 private:
  Result<void> Submit(SmsRecord& sms, const std::string& text);
  // The gateway's message for `sms`, routed by `operator_code`.
  static SmsMessage MessageFor(const SmsRecord& sms, const std::string& text,
                               const std::string& operator_code);
  // Applies the gateway's answer to `sms`; the job's outcome (kUnavailable:
  // retry; a refusal for good ends the row `failed` and the job done).
  Result<void> Apply(SmsRecord& sms, const Result<SmsAccepted>& accepted) const;
  // One transaction: the rows of `ids` (kNotFound kept per row) and the code
  // of each operator they name (kNotFound kept per operator).
  Result<void> ReadBatch(const std::vector<std::int64_t>& ids, std::vector<Result<SmsRecord>>& rows,
                         std::map<std::int64_t, Result<std::string>>& routes);
  // One transaction updating every row of `rows`.
  Result<void> Record(const std::vector<SmsRecord*>& rows);
  void Fault(std::string_view point) const {
    if (fault_) {
      fault_(point);
    }
  }

  ServiceContext& ctx_;
  FaultHook fault_;
};

}  // namespace simexit
