#include "simexit/service/idempotency_sweep.hpp"

namespace simexit {

Result<std::int64_t> SweepIdempotencyKeys(StoreTx& tx, UnixSeconds now) {
  const UnixSeconds before = now - kIdempotencyKeptSeconds;
  SIMEXIT_ASSIGN_OR_RETURN(std::int64_t keys, tx.SweepIdempotency(before, kIdempotencySweepBatch));
  SIMEXIT_ASSIGN_OR_RETURN(std::int64_t requests,
                           tx.SweepIdempotentRequests(before, kIdempotencySweepBatch));
  return keys + requests;
}

}  // namespace simexit
