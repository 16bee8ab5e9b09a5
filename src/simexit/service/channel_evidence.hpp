#pragma once
// What proves a termination request through each channel, checked and kept
// (see CreateTerminationCommand in termination_service.hpp for the rules per
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

struct CreateTerminationCommand;

struct Evidence {
  std::optional<CheckedDocument> holder_document;
  std::optional<CheckedDocument> attorney_document;
  std::optional<CheckedPowerOfAttorney> power_of_attorney;
  std::vector<UploadRecord> uploads;
  std::string proof;  // how identity was proven, for the audit trail (no numbers)
};

// Whether `caller` may open a request through `channel` (CheckRoleMayOpen in
// domain/termination_rules.hpp for people signed in with a password). Staff,
// admin staff included, never open online requests (holders do).
// Errors: kPermissionDenied "insufficient_role".
Result<void> CheckMayOpen(const Caller& caller, Channel channel);

// The evidence the channel needs is there and fields other channels use are
// not. Errors (kInvalidArgument, naming the field): "document_required",
// "power_of_attorney_required", "postmark_required", "invalid_postmark" (in
// the future), "scans_required", "invalid_field".
Result<void> CheckEvidencePresent(const CreateTerminationCommand& command, UnixSeconds now);

// Checks the documents against the registered holder (dates in the holder's
// time zone) and the uploads against the operator. Errors: those of
// CheckDocument, MatchHolder and CheckPowerOfAttorney; kNotFound
// "upload_not_found", kFailedPrecondition "upload_in_use".
Result<Evidence> CheckEvidence(StoreTx& tx, const CreateTerminationCommand& command,
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

// The date `t` falls on in UTC.
CivilDate UtcDateOf(UnixSeconds t);

}  // namespace simexit
