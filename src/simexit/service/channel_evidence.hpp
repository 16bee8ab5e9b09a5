#pragma once
// What proves a termination request through each channel, checked and kept
// (see CreateTerminationRequest in termination_service.hpp for the rules per
// channel). Used by TerminationService::Create inside its transaction.

#include <optional>
#include <string>
#include <vector>

#include "simexit/common/random.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/identity_document.hpp"
#include "simexit/domain/power_of_attorney.hpp"
#include "simexit/ports/store.hpp"
#include "simexit/service/caller.hpp"

namespace simexit {

struct CreateTerminationRequest;

struct Evidence {
  std::optional<CheckedDocument> holder_document;
  std::optional<CheckedDocument> attorney_document;
  std::optional<PowerOfAttorney> power_of_attorney;
  std::vector<UploadRecord> uploads;
  std::string proof;  // how identity was proven, for the audit trail (no numbers)
};

// Whether `caller` may open a request through `channel` (roles.hpp). Staff,
// admin staff included, never open online requests (holders do).
// Errors: "insufficient_role" (403).
Result<void> CheckMayOpen(const Caller& caller, Channel channel);

// The evidence the channel needs is there and fields other channels use are
// not. Errors (400, naming the field): "document_required",
// "power_of_attorney_required", "postmark_required", "invalid_postmark",
// "scans_required", "invalid_field".
Result<void> CheckEvidencePresent(Channel channel, const CreateTerminationRequest& request,
                                  UnixSeconds now);

// Checks the documents against the registered holder (dates in the holder's
// time zone) and the uploads against the operator. Errors: those of
// CheckDocument, MatchHolder and CheckPowerOfAttorney; "upload_not_found" (404),
// "upload_in_use" (409).
Result<Evidence> CheckEvidence(StoreTx& tx, Channel channel,
                               const CreateTerminationRequest& request,
                               const HolderRecord& holder, std::int64_t operator_id,
                               UnixSeconds now);

// Records the checked documents, the power of attorney, and attaches the uploads.
Result<void> StoreEvidence(StoreTx& tx, const TerminationRecord& termination,
                           const Evidence& evidence, const std::string& actor, UnixSeconds now,
                           Random& random);

// The holder as registered, in the form the document checks take.
RegisteredHolder RegisteredHolderOf(const HolderRecord& holder);

// Today's date in `zone` ("Asia/Almaty"): documents expire by local date.
CivilDate TodayIn(UnixSeconds now, const std::string& zone);

}  // namespace simexit
