#pragma once
// Bulk closures (docs/bulk-terminations.md): a request to close many of one
// operator's lines, kept with its lines so that a job can open their
// terminations in batches, and its progress read from the store.
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict, kInternal otherwise.
//
// Contract:
//  - A bulk's lines are numbered by position 0..line_count-1, in the order
//    given; each starts 'pending' and is finished once: 'opened' (with the
//    termination opened for it) or 'failed' (with a code and why).
//  - Progress counts every line once: done when its termination is
//    terminated; failed when the line failed to open or its termination ended
//    rejected or cancelled; pending otherwise (not opened yet, or its
//    termination still under way).
//  - FindLineOwners and InsertBulkTermination are one statement each however
//    many numbers they carry (up to kMaxBulkNumbers).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/msisdn.hpp"

namespace simexit {

struct BulkTerminationRecord {
  std::string id;  // "blk_<hex>"
  std::int64_t operator_id = 0;
  std::string reason_code;   // domain/bulk_termination.hpp: kBulkReasonCodes
  std::string requested_by;  // the caller's actor: "api_key:3", "staff:7", "cli"
  std::int64_t line_count = 0;
  UnixSeconds created_at = 0;

  bool operator==(const BulkTerminationRecord&) const = default;
};

enum class BulkLineState { kPending, kOpened, kFailed };
const char* ToString(BulkLineState state);  // "pending", "opened", "failed"
std::optional<BulkLineState> ParseBulkLineState(std::string_view text);

struct BulkLineRecord {
  std::string bulk_id;
  std::int64_t position = 0;
  Msisdn msisdn;
  std::int64_t line_id = 0;
  BulkLineState state = BulkLineState::kPending;
  std::string termination_id;  // kOpened
  std::string failure_code;    // kFailed: a problem code, e.g. "line_not_active"
  std::string failure_detail;  // kFailed: why, in words

  bool operator==(const BulkLineRecord&) const = default;
};

// The line a number belongs to; line_id and operator_id 0 when none has it.
struct LineOwner {
  Msisdn msisdn;
  std::int64_t line_id = 0;
  std::int64_t operator_id = 0;

  bool operator==(const LineOwner&) const = default;
};

struct BulkProgress {
  std::int64_t total = 0;
  std::int64_t done = 0;
  std::int64_t failed = 0;
  std::int64_t pending = 0;

  bool operator==(const BulkProgress&) const = default;
};

// A line that failed: to open ("failure_code" of the line), or later (its
// termination ended: code "termination_rejected" / "termination_cancelled").
struct BulkFailure {
  std::int64_t position = 0;
  Msisdn msisdn;
  std::string code;
  std::string detail;

  bool operator==(const BulkFailure&) const = default;
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class BulkTerminationRepository {
 public:
  virtual ~BulkTerminationRepository() = default;

  // For each number of `msisdns`, in the same order: the line that has it, of
  // any operator (the caller confines).
  virtual Result<std::vector<LineOwner>> FindLineOwners(const std::vector<Msisdn>& msisdns) = 0;
  // The bulk and its lines: lines[i] becomes position i, 'pending' (only each
  // line's msisdn and line_id are read). kAlreadyExists "duplicate" for a used id.
  virtual Result<void> InsertBulkTermination(const BulkTerminationRecord& bulk,
                                             const std::vector<BulkLineRecord>& lines) = 0;
  // kNotFound "bulk_termination_not_found" when there is none with this id.
  virtual Result<BulkTerminationRecord> GetBulkTermination(const std::string& id) = 0;
  // The bulk's pending lines, lowest position first, at most `limit`.
  virtual Result<std::vector<BulkLineRecord>> ListPendingBulkLines(const std::string& bulk_id,
                                                                   int limit) = 0;
  // Finishes the pending line (bulk_id, position) as `line` says: kOpened with
  // its termination_id, or kFailed with failure_code and failure_detail.
  // False, changing nothing, when that line is not pending (already finished).
  virtual Result<bool> FinishBulkLine(const BulkLineRecord& line) = 0;
  // The bulk's counts (see the contract above); all zero for an unknown id.
  virtual Result<BulkProgress> GetBulkProgress(const std::string& bulk_id) = 0;
  // The bulk's failed lines, lowest position first, at most `limit`.
  virtual Result<std::vector<BulkFailure>> ListBulkFailures(const std::string& bulk_id,
                                                            int limit) = 0;
};

}  // namespace simexit
