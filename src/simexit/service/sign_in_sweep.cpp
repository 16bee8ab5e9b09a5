#include "simexit/service/sign_in_sweep.hpp"

namespace simexit {

Result<std::int64_t> SweepSignInCodes(StoreTx& tx, UnixSeconds now) {
  return tx.SweepSignInCodes(now - kSignInCodeWindowSeconds, now, kSignInSweepBatch);
}

}  // namespace simexit
