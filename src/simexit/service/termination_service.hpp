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
#include "simexit/domain/settlement.hpp"
#include "simexit/service/caller.hpp"
#include "simexit/service/context.hpp"

namespace simexit {

struct LineView {
  LineRecord line;
  OperatorRecord op;
  std::optional<TerminationRecord> open_termination;
};

struct QuoteView {
  LineView line;
  SettlementQuote quote;
};

struct RefundRequest {
  std::string method;       // "bank_card" | "iban" | "other_line"
  std::string destination;  // card number, IBAN, or MSISDN
};

struct CreateTerminationRequest {
  std::string msisdn;
  std::string channel;
  std::optional<std::string> scheduled_for;  // RFC 3339 or YYYY-MM-DD (UTC midnight)
  std::optional<RefundRequest> refund;
  std::string reason;
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
};

struct TerminationDetail {
  TerminationRecord termination;
  std::vector<TerminationEventRecord> events;
  std::optional<CertificateRecord> certificate;
};

class TerminationService {
 public:
  explicit TerminationService(ServiceContext& ctx) : ctx_(ctx) {}

  // Errors: "invalid_msisdn" (400), "line_not_found" (404).
  Result<LineView> GetLine(const Caller& caller, const std::string& msisdn_text);

  // The settlement a termination through `channel` started now would make
  // (fees differ by channel). Errors as GetLine.
  Result<QuoteView> Quote(const Caller& caller, const std::string& msisdn_text, Channel channel);

  // Opens a termination. Errors: "invalid_msisdn", "invalid_channel",
  // "invalid_schedule", "invalid_refund" (400); "line_not_found" (404);
  // "channel_not_allowed" (403: the operator's policy does not accept it);
  // "line_not_active", "termination_exists", "debt_outstanding",
  // "refund_method_required" (409); "idempotency_key_reused" (409).
  Result<CreatedTermination> Create(const Caller& caller, const CreateTerminationRequest& request,
                                    const std::optional<IdempotencyKey>& idempotency);

  // Errors: "termination_not_found".
  Result<TerminationDetail> Get(const Caller& caller, const std::string& id);

  // Cancels until deprovisioning starts. Errors: "termination_not_found",
  // "illegal_transition" (409) once settling/deprovisioning began or it ended.
  Result<TerminationRecord> Cancel(const Caller& caller, const std::string& id,
                                   const std::string& reason);

  // Decides a termination that is in_review (operators and admins only;
  // holders get kNotFound): approve continues as on creation (scheduled or
  // settling), reject ends it and tells the holder why. Errors:
  // "termination_not_found", "illegal_transition" (not in review),
  // "reason_required" (400: a rejection without a reason).
  Result<TerminationRecord> Review(const Caller& caller, const std::string& id, bool approve,
                                   const std::string& reason);

  // Records the holder's payment of the amount due (operators and admins only;
  // holders get kNotFound). Errors: "termination_not_found", "illegal_transition",
  // "wrong_amount" (400: must equal the amount due).
  Result<TerminationRecord> RecordPayment(const Caller& caller, const std::string& id,
                                          Money amount);

  // Errors: "termination_not_found", "certificate_not_ready" (409).
  Result<CertificateRecord> Certificate(const Caller& caller, const std::string& id);

  // Terminations the caller may see (operator: its own; admin: all; holder: its line).
  Result<std::vector<TerminationRecord>> List(const Caller& caller,
                                              std::optional<TerminationState> state, int limit);

 private:
  ServiceContext& ctx_;
};

}  // namespace simexit
