#pragma once
// The rules that hold between rows of different repositories, checked on a live
// database (`simexit check`, and the fault tests after a crash or a fail-over):
//
//   posting_balanced       every posting's entries sum to zero
//   ledger_balanced        all entries together sum to zero
//   certificate_issued     every terminated termination has its certificate, and
//                          a certificate belongs to a terminated termination
//   line_status            a line with an open termination is active or barred; a
//                          terminated or quarantined line's latest termination is
//                          terminated
//   job_lease              no job is running past its lease (a worker died and
//                          nobody took the job over)
//   audit_trail            every termination has its "created" event, and its
//                          state is the to_state of its latest transition event
//                          (submitted when it has none)
//
// Errors as in store.hpp. The check reads only; on a large database it is a
// few indexed scans, meant for operations, not for the request path.

#include <string>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"

namespace simexit {

struct InvariantViolation {
  std::string invariant;  // one of the names above
  std::string subject;    // what breaks it: "trm_…", "line:12", "posting:7", "job:3", "ledger"
  std::string detail;     // human text

  bool operator==(const InvariantViolation&) const = default;
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class InvariantRepository {
 public:
  virtual ~InvariantRepository() = default;

  // Every violation found, grouped by invariant in the order above, then by
  // subject; at most `limit` per invariant. Empty when the database is sound.
  // `now` decides which leases have expired.
  virtual Result<std::vector<InvariantViolation>> CheckInvariants(UnixSeconds now, int limit) = 0;
};

}  // namespace simexit
