#pragma once
// Use cases a caller invokes on lines and terminations (the request side).
// The background side (settle, deprovision, certify, release) is in
// termination_workflow.hpp.
//
// Every method confines itself to what the Caller may see (caller.hpp): a line
// or termination outside the caller's reach is kNotFound ("line_not_found",
// "termination_not_found"), exactly as if it did not exist.

#include <optional>
#include <string>
#include <vector>

#include "simexit/common/result.hpp"
#include "simexit/domain/contact_msisdn.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/domain/identity_document.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/domain/power_of_attorney.hpp"
#include "simexit/domain/settlement.hpp"
#include "simexit/service/caller.hpp"
#include "simexit/service/context.hpp"

namespace simexit {

struct LineView {
  LineRecord line;
  OperatorRecord op;
  std::optional<TerminationRecord> open_termination;
  // The registered holder (none while the number is in the pool): what a
  // store agent compares the presented document with.
  std::optional<HolderRecord> holder;
};

// How staff find lines besides their number: by the SIM's ICCID, or by the
// holder's document number or IIN (any spaces or case; NormaliseDocumentNumber).
struct LineSearch {
  std::optional<Iccid> iccid;
  std::string holder_document;
};

struct QuoteView {
  LineView line;
  SettlementQuote quote;
};

// What each channel must bring (checked by Create):
//   online  a holder signed in by SMS code; nothing else
//   store   `document`: the holder's own, checked at the counter
//   proxy   `attorney_document` and `power_of_attorney` naming the holder as principal
//   phone   nothing up front (`document` optional); the holder confirms by the
//           code sent to the line within policy.phone_confirmation_minutes
//   mail    `document` read from the application, `postmarked_on`, and at least
//           one upload (the scans); always reviewed
// Every member is already decoded (api/termination_json.hpp): the values are
// well formed; Create checks them against the rules, the line and the policy.
struct CreateTerminationCommand {
  Msisdn msisdn;
  Channel channel = Channel::kOnline;
  std::optional<UnixSeconds> scheduled_for;
  std::optional<RefundInstruction> refund;  // destination normalised (refund_destination.hpp)
  std::string reason;
  std::optional<PresentedDocument> document;
  std::optional<PresentedDocument> attorney_document;
  std::optional<PowerOfAttorney> power_of_attorney;
  std::optional<CivilDate> postmarked_on;
  std::vector<std::string> upload_ids;  // "upl_..." of the caller's operator
  // Where the final notice goes instead of the line, which is detached first.
  std::optional<ContactMsisdn> contact_msisdn;
};

// A reviewer's decision on a request in review.
struct ReviewDecision {
  bool approve = false;
  std::string reason_code;  // one of kReviewReasonCodes; required to reject
  std::string reason;       // free text; required with reason_code "other"
};

// A phone request waits for the holder: the code and link went to the line.
struct PendingConfirmation {
  UnixSeconds expires_at = 0;
  bool sent = false;  // false when the SMS could not be sent now (resend later)
};

// The Idempotency-Key of a create call: the same (scope, key) with the same
// request hash returns the first result; with another hash it is refused.
struct IdempotencyKey {
  std::string scope;
  std::string key;
  std::string request_hash;
};

struct CreatedTermination {
  TerminationRecord termination;
  bool replayed = false;  // true when an earlier call with the same key created it
  std::optional<PendingConfirmation> confirmation;  // phone requests
};

struct TerminationDetail {
  TerminationRecord termination;
  std::vector<TerminationEventRecord> events;
  std::optional<CertificateRecord> certificate;
  std::vector<DocumentCheckRecord> documents;
  std::optional<PowerOfAttorneyRecord> power_of_attorney;
  std::vector<UploadRecord> uploads;
  std::optional<ConfirmationRecord> confirmation;
};

// One entry of the review queue.
struct ReviewItem {
  TerminationRecord termination;
  std::string operator_code;
  UnixSeconds waiting_seconds = 0;  // since it entered review
  UnixSeconds sla_seconds = 0;      // policy.review_sla_hours
  bool overdue = false;
};

// What the printable application form shows.
struct ApplicationForm {
  TerminationRecord termination;
  OperatorRecord op;
  HolderRecord holder;
  LineRecord line;
  SettlementQuote quote;  // the fixed settlement once settling ran, else a quote now
  std::vector<DocumentCheckRecord> documents;
  std::optional<PowerOfAttorneyRecord> power_of_attorney;
  UnixSeconds printed_at = 0;
};

// A certificate with what printing it needs (documents/documents.hpp).
struct PrintableCertificate {
  CertificateRecord record;
  std::string language;    // the holder's: "zh", "en", "ru" or "kk"
  std::string time_zone;   // the holder's (IANA)
  std::string verify_url;  // public_url + "/verify/" + serial
};

// What the public verify page may say about a certificate, and nothing more.
struct CertificateCheck {
  bool valid = false;  // the stored document's signature verifies with this deployment's key
  std::string serial;
  std::string operator_name;
  std::string msisdn;  // E.164; the page shows it masked
  UnixSeconds terminated_at = 0;
  std::string time_zone;  // the holder's, for the date
};

class TerminationService {
 public:
  explicit TerminationService(ServiceContext& ctx) : ctx_(ctx) {}

  // Errors: kNotFound "line_not_found".
  Result<LineView> GetLine(const Caller& caller, const Msisdn& msisdn);

  // Lines the caller may see that `search` finds (at most `limit`, by id);
  // empty when none, as for lines outside the caller's reach.
  Result<std::vector<LineView>> FindLines(const Caller& caller, const LineSearch& search,
                                          int limit);

  // The settlement a termination through `channel` started now would make
  // (fees differ by channel). Errors as GetLine.
  Result<QuoteView> Quote(const Caller& caller, const Msisdn& msisdn, Channel channel);

  // Opens a termination. Errors: the rules of domain/termination_rules.hpp
  // (kInvalidArgument "invalid_channel", "invalid_schedule", "invalid_refund";
  // kPermissionDenied "channel_not_allowed", "insufficient_role";
  // kFailedPrecondition "line_not_active", "debt_outstanding",
  // "refund_method_required"); kNotFound "line_not_found";
  // kFailedPrecondition "termination_exists", "idempotency_key_reused".
  // Evidence (kInvalidArgument, each naming its `field`): "document_required",
  // "power_of_attorney_required", "postmark_required", "scans_required",
  // "invalid_postmark", "invalid_field", every error of CheckDocument /
  // MatchHolder / CheckPowerOfAttorney (identity_document.hpp,
  // power_of_attorney.hpp); kNotFound "upload_not_found" (also another
  // operator's upload); kFailedPrecondition "upload_in_use" (attached to
  // another request). A mismatch with the registered holder
  // ("document_mismatch", "power_of_attorney_wrong_principal") is audited
  // (action "document_mismatch", never the number presented); after 5 within
  // an hour on a line, evidence about its holder is refused for the rest of
  // the hour: kResourceExhausted "too_many_mismatches".
  Result<CreatedTermination> Create(const Caller& caller, const CreateTerminationCommand& command,
                                    const std::optional<IdempotencyKey>& idempotency);

  // Errors: kNotFound "termination_not_found".
  Result<TerminationDetail> Get(const Caller& caller, const std::string& id);

  // Cancels until deprovisioning starts. Errors: kNotFound
  // "termination_not_found"; kPermissionDenied "insufficient_role";
  // kFailedPrecondition "illegal_transition" once settling/deprovisioning
  // began or it ended.
  Result<TerminationRecord> Cancel(const Caller& caller, const std::string& id,
                                   const std::string& reason);

  // Decides a termination that is in_review (holders get kNotFound): approve
  // continues as on creation (scheduled or settling), reject ends it; either
  // way the holder gets an SMS. Four eyes: whoever opened the request cannot
  // decide it. Errors: kNotFound "termination_not_found"; kPermissionDenied
  // "insufficient_role"; kFailedPrecondition "illegal_transition" (not in
  // review), "review_own_request"; kInvalidArgument "reason_code_required" /
  // "invalid_reason_code" (a rejection needs one of kReviewReasonCodes),
  // "reason_required" (reason_code "other" without a text).
  Result<TerminationRecord> Review(const Caller& caller, const std::string& id,
                                   const ReviewDecision& decision);

  // Requests waiting for review, oldest first, with their SLA age. Errors:
  // kPermissionDenied "insufficient_role" (holders: kNotFound).
  Result<std::vector<ReviewItem>> ReviewQueue(const Caller& caller, int limit);

  // The holder confirms a phone request with the code from the SMS (no sign-in:
  // the code is the proof of holding the line). An anonymous caller learns
  // nothing but whether the code confirmed the request (docs/security.md):
  // Errors: kInvalidArgument "invalid_code" (field "code": not 1..10 digits);
  // kUnauthenticated "invalid_code" (field "code") for a wrong code and alike
  // for an unknown request, one with no confirmation, or one whose code
  // expired, was used, or is burnt (policy.otp.max_attempts wrong guesses,
  // counted while the request waits).
  Result<TerminationRecord> ConfirmByCode(const std::string& id, const std::string& code);
  // Same, with the token of the link in the SMS. Errors: kNotFound
  // "confirmation_not_found" for a token that is not "cf_" + 32 hex, unknown,
  // expired, used, or whose request no longer waits, alike.
  Result<TerminationRecord> ConfirmByLink(const std::string& token);
  // Sends a new code (the old one stops working) and restarts the window, at
  // most kMaxConfirmationResends times per request. Errors: kNotFound
  // "termination_not_found"; kPermissionDenied "insufficient_role";
  // kFailedPrecondition "already_confirmed", "illegal_transition" (the request
  // is no longer waiting); kResourceExhausted "too_many_codes"; kUnavailable
  // "sms_unavailable" when the SMS cannot be sent.
  Result<PendingConfirmation> ResendConfirmation(const Caller& caller, const std::string& id);
  static constexpr int kMaxConfirmationResends = 3;
  // The data of the printable application form (store, proxy, mail, phone).
  // Errors: kNotFound "termination_not_found" (also for holders).
  Result<ApplicationForm> Form(const Caller& caller, const std::string& id);

  // Records the holder's payment of the amount due (operators and admins only;
  // holders get kNotFound). Errors: kNotFound "termination_not_found";
  // kPermissionDenied "insufficient_role"; kFailedPrecondition
  // "illegal_transition"; kInvalidArgument "wrong_amount" (must equal the
  // amount due).
  Result<TerminationRecord> RecordPayment(const Caller& caller, const std::string& id,
                                          Money amount);

  // Errors: kNotFound "termination_not_found"; kFailedPrecondition
  // "certificate_not_ready".
  Result<CertificateRecord> Certificate(const Caller& caller, const std::string& id);

  // The certificate as Certificate returns it, with the holder's language and
  // time zone and the verify URL. Errors as Certificate.
  Result<PrintableCertificate> CertificateForPrint(const Caller& caller, const std::string& id);

  // The certificate with this serial, for anyone (no caller): nullopt when no
  // certificate has it. A serial that cannot be one (IsPlausibleCertificateSerial)
  // is not looked up, yet the same work is done (a lookup and a signature
  // check) so that the time of the answer does not tell the cases apart.
  Result<std::optional<CertificateCheck>> CheckCertificate(const std::string& serial);

  // Terminations the caller may see (operator: its own; admin: all; holder: its line).
  Result<std::vector<TerminationRecord>> List(const Caller& caller,
                                              std::optional<TerminationState> state, int limit);

 private:
  // Sends the confirmation code and link of a phone request at once (the code
  // never rests in clear text). False when the SMS could not be sent.
  bool SendConfirmation(const TerminationRecord& t, const std::string& code,
                        const std::string& token, int minutes);

  ServiceContext& ctx_;
};

}  // namespace simexit
