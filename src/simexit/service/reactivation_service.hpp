#pragma once
// Reactivation use cases (docs/reactivation.md): giving a number that rests in
// quarantine back to its former holder within the operator's
// policy.reactivation_days, and the worker's step that provisions it again in
// the HLR.
//
// Every method confines itself to what the Caller may see (caller.hpp): a line
// or reactivation of another operator is kNotFound ("line_not_found",
// "reactivation_not_found"), exactly as if it did not exist. Every state change
// goes through one function (ApplyReactivationEvent in reactivation_service.cpp),
// which writes the reactivation, its event and its audit record in the
// caller's transaction.

#include <optional>
#include <string>
#include <vector>

#include "simexit/common/result.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/domain/identity_document.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/domain/reactivation.hpp"
#include "simexit/service/caller.hpp"
#include "simexit/service/context.hpp"
#include "simexit/service/fault_hook.hpp"
#include "simexit/service/termination_service.hpp"

namespace simexit {

// What the former holder brings (decoded at the edge: api/reactivation_json.hpp):
//   store  `document`: the holder's own, checked at the counter; approved at once
//   mail   `document` read from the application and `postmarked_on`; waits for
//          a second person's approval (four eyes)
// `iccid` and `imsi` (both or neither) name a new SIM; a physical line needs
// one, an eSIM without them downloads its old profile again.
struct OpenReactivationCommand {
  Msisdn msisdn;
  Channel channel = Channel::kStore;
  std::optional<PresentedDocument> document;
  std::optional<Iccid> iccid;
  std::optional<Imsi> imsi;
  std::optional<CivilDate> postmarked_on;
};

struct OpenedReactivation {
  ReactivationRecord reactivation;
  bool replayed = false;  // true when an earlier call with the same key opened it
};

struct ReactivationDetail {
  ReactivationRecord reactivation;
  std::vector<ReactivationEventRecord> events;
  UnixSeconds deadline = 0;  // the last moment of the window (closed_at + reactivation_days)
};

class ReactivationService {
 public:
  explicit ReactivationService(ServiceContext& ctx, FaultHook fault = {})
      : ctx_(ctx), fault_(std::move(fault)) {}

  // Opens a reactivation of the quarantined number `command.msisdn`: store
  // requests are approved and provisioned at once, mail requests wait in
  // pending_review. Nothing changes on any error. Errors:
  //   kInvalidArgument "invalid_channel" (not store or mail), "document_required",
  //     "postmark_required", "invalid_postmark" (in the future), "invalid_field"
  //     (postmarked_on for a store request), "sim_required" (a physical line needs
  //     a new SIM; a new SIM needs both iccid and imsi), every error of
  //     CheckDocument, and "document_mismatch" when the document is not the
  //     former holder's (audited, like a termination's mismatch);
  //   kPermissionDenied "insufficient_role";
  //   kNotFound "line_not_found";
  //   kResourceExhausted "too_many_mismatches" (five documents that did not
  //     match the holder within the hour, counted with a termination's);
  //   kFailedPrecondition "reactivation_disabled", "number_not_quarantined",
  //     "number_released", "reactivation_window_closed", "reactivation_exists",
  //     "sim_in_use", "idempotency_key_reused".
  Result<OpenedReactivation> Open(const Caller& caller, const OpenReactivationCommand& command,
                                  const std::optional<IdempotencyKey>& idempotency);

  // Approves a mail request in pending_review (four eyes: not whoever opened
  // it), after checking the rules again, and queues its provisioning.
  // Errors: kNotFound "reactivation_not_found"; kPermissionDenied
  // "insufficient_role"; kFailedPrecondition "illegal_transition" (not
  // pending review), "review_own_request", and the rules' errors as Open
  // ("number_released", "reactivation_window_closed", "sim_in_use", ...).
  Result<ReactivationRecord> Approve(const Caller& caller, const std::string& id);

  // Rejects a mail request in pending_review with `reason` (four eyes).
  // Errors: as Approve but the rules; kInvalidArgument "reason_required".
  Result<ReactivationRecord> Reject(const Caller& caller, const std::string& id,
                                    const std::string& reason);

  // Errors: kNotFound "reactivation_not_found".
  Result<ReactivationDetail> Get(const Caller& caller, const std::string& id);

  // The caller's operator's reactivations (admin: all), newest first. Errors:
  // kPermissionDenied "insufficient_role" (holders).
  Result<std::vector<ReactivationRecord>> List(const Caller& caller,
                                               std::optional<ReactivationState> state, int limit);

  // The worker's step provision_reactivation: creates the subscriber in the
  // HLR with the number (CS and PS enabled), then in one transaction makes the
  // line active again on the reactivation's SIM for its former holder, out of
  // quarantine, and the reactivation reactivated. Nothing of the refunded money
  // comes back (no ledger posting). Idempotent: a reactivation no longer
  // provisioning is left alone, and a subscriber already in the HLR with this
  // number (an earlier run that crashed) counts as created. When the number
  // can no longer be given back (released meanwhile) or the SIM is another
  // subscriber's, the reactivation is refused and the step succeeds.
  // Errors: kUnavailable (HLR or store; the worker retries), others from the HLR.
  Result<void> Provision(const std::string& reactivation_id);

 private:
  void Fault(std::string_view point) const {
    if (fault_) {
      fault_(point);
    }
  }

  ServiceContext& ctx_;
  FaultHook fault_;
};

}  // namespace simexit
