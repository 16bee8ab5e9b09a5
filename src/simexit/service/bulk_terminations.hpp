#pragma once
// Bulk closures (docs/bulk-terminations.md): an operator closes up to
// kMaxBulkNumbers of its lines at once. Submit checks the whole request and
// stores it with its lines in one transaction, or refuses it and stores
// nothing; the job `open_bulk_terminations` then opens the lines' terminations
// in batches (channel `system`, reason = the bulk's reason code), each an
// ordinary termination from there on (settlement, deprovisioning, certificate,
// audit). Progress is counted by the store from the lines and their
// terminations.

#include <cstdint>
#include <string>
#include <vector>

#include "simexit/common/result.hpp"
#include "simexit/domain/bulk_termination.hpp"
#include "simexit/ports/store.hpp"
#include "simexit/service/caller.hpp"
#include "simexit/service/context.hpp"

namespace simexit {

// Lines one `open_bulk_terminations` job opens, in one transaction.
inline constexpr int kBulkBatchLines = 200;

struct BulkTerminationCommand {
  std::vector<std::string> msisdns;  // as given: any form Msisdn::Parse takes
  std::string reason_code;           // one of kBulkReasonCodes
};

// Submit's outcome: the bulk created, or the numbers that refused the whole
// request (nothing stored), by row.
struct BulkSubmission {
  BulkTerminationRecord bulk;              // when `refused` is empty
  std::vector<BulkNumberProblem> refused;  // by row; empty when created
};

struct BulkTerminationView {
  BulkTerminationRecord bulk;
  std::string operator_code;
  BulkProgress progress;
  std::vector<BulkFailure> failures;  // the first `failure_limit`, by position
};

class BulkTerminationService {
 public:
  explicit BulkTerminationService(ServiceContext& ctx) : ctx_(ctx) {}

  // Checks and stores a bulk closure of `operator_code`'s lines, and queues
  // the job that opens them. Who: admins, the operator's API key, its
  // operator_admin staff (Permission::kCloseInBulk). Errors:
  //   kNotFound "operator_not_found"          no such operator, or not the caller's;
  //   kPermissionDenied "insufficient_role"   the caller's role may not close in bulk;
  //   kInvalidArgument "invalid_reason_code"  (field reason_code) not in kBulkReasonCodes;
  //   kInvalidArgument "invalid_field"        (field msisdns) no number given;
  //   kInvalidArgument "too_many_bulk_numbers"  more than kMaxBulkNumbers;
  //   store errors.
  // Invalid, repeated and unknown numbers (another operator's are unknown
  // here) are not errors: they come back in BulkSubmission::refused, and
  // nothing is stored.
  Result<BulkSubmission> Submit(const Caller& caller, const std::string& operator_code,
                                const BulkTerminationCommand& command);

  // The bulk `id` of `operator_code` with its progress and up to
  // `failure_limit` failures. Errors: kNotFound "operator_not_found",
  // kNotFound "bulk_termination_not_found" (also another operator's),
  // kPermissionDenied "insufficient_role"; store errors.
  Result<BulkTerminationView> Get(const Caller& caller, const std::string& operator_code,
                                  const std::string& id, int failure_limit);

  // The job `open_bulk_terminations`: opens the next kBulkBatchLines pending
  // lines of bulk `bulk_id` in one transaction and, when lines remain, queues
  // itself for the next batch in that transaction. A line that cannot be
  // closed (not active, already has an open termination) is failed with the
  // rule's problem code; the others get their termination. Idempotent: only
  // pending lines are read. Errors: kNotFound "bulk_termination_not_found";
  // store errors.
  Result<void> OpenBatch(const std::string& bulk_id);

 private:
  ServiceContext& ctx_;
};

}  // namespace simexit
