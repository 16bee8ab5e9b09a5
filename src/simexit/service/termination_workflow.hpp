#pragma once
// The background side of a termination: the steps the job worker runs.
//
//   start_termination  scheduled -> settling (when the date comes)
//   settle             fixes the settlement, posts it to the ledger,
//                      settling -> deprovisioning (or -> awaiting_payment)
//   deprovision        bars and removes the subscriber in the HLR,
//                      deprovisioning -> terminated, line -> quarantined
//   issue_certificate  signs and stores the termination certificate
//   release_number     quarantined -> available when quarantine ends
//   send_reminder      the day before a scheduled termination, tells the holder
//   expire_confirmation  a phone request the holder did not confirm in time is
//                      cancelled (reason_code "confirmation_expired")
//   send_sms           submits a queued outbox message (sms_outbox.hpp)
//   deliver_webhook    POSTs an event to a webhook endpoint (event_delivery.hpp)
//   provision_reactivation  a reactivated number's subscriber created again in
//                      the HLR, the line active (ReactivationService::Provision)
//   open_bulk_terminations  opens the next batch of a bulk closure's
//                      terminations (BulkTerminationService::OpenBatch)
//
// Each step is idempotent: it checks the state it expects and does nothing
// when the work is already done, so a crash anywhere and a re-run of the job
// repeats nothing visible (one ledger posting, one certificate, one delete).
// Errors: kUnavailable (retry with back-off), others as documented per step;
// the worker decides retry or dead-letter from the ErrorCode.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/common/result.hpp"
#include "simexit/service/context.hpp"
#include "simexit/service/event_delivery.hpp"
#include "simexit/service/fault_hook.hpp"
#include "simexit/service/job_kind.hpp"
#include "simexit/service/sms_outbox.hpp"

namespace simexit {

class TerminationWorkflow {
 public:
  explicit TerminationWorkflow(ServiceContext& ctx, FaultHook fault = {});
  ~TerminationWorkflow();

  // Runs one job of the given kind with its JSON payload. kInvalidArgument
  // "bad_payload" for a payload it cannot read.
  Result<void> Run(JobKind kind, const std::string& payload);
  // Runs several send_sms jobs as one outbox batch (SmsOutbox::SendBatch): one
  // outcome per payload, in order. Another kind runs one job at a time.
  std::vector<Result<void>> RunBatch(JobKind kind, const std::vector<std::string>& payloads);

  Result<void> StartScheduled(const std::string& termination_id);
  Result<void> Settle(const std::string& termination_id);
  Result<void> Deprovision(const std::string& termination_id);
  Result<void> IssueCertificate(const std::string& termination_id);
  Result<void> ReleaseNumber(const std::string& termination_id);
  Result<void> SendReminder(const std::string& termination_id);
  Result<void> ExpireConfirmation(const std::string& termination_id);
  Result<void> SendSms(const std::string& payload);
  Result<void> DeliverWebhook(const std::string& payload);

  SmsOutbox& outbox() { return *outbox_; }

 private:
  void Fault(std::string_view point) const {
    if (fault_) {
      fault_(point);
    }
  }

  ServiceContext& ctx_;
  FaultHook fault_;
  std::unique_ptr<SmsOutbox> outbox_;
  std::unique_ptr<EventDelivery> events_;
};

}  // namespace simexit
