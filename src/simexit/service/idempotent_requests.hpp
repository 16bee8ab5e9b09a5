#pragma once
// Idempotent requests (docs/api.md "Idempotency-Key"): a POST that came with an
// Idempotency-Key claims (scope, key) before it runs and stores its answer
// after, so that a repeat is answered the same without running again. The
// HTTP side is api/idempotent.hpp; the rows are ports/store/idempotent_requests.hpp.
//
// Claim, for (scope, key, request_hash), in a transaction of its own:
//  - no row: a new 'running' claim; kRun with its claim_id.
//  - a row of another request_hash: kFailedPrecondition "idempotency_key_reused".
//  - 'done': kReplay with the stored answer.
//  - 'running', claimed less than kStaleAfterSeconds ago: kInProgress.
//  - 'running' and older (the process that claimed it died between the work and
//    storing the answer): the claim is taken over; kRun. The work then runs a
//    second time: every route this guards refuses a repeat of its effect by
//    state (a second payment, cancel or decision is a conflict).
// The store keeps a hash of the key, not the key, and the answer's body sealed
// with a key derived from it (a database reader learns no secret an answer
// carried).
// Two callers claiming at once: the unique (scope, key) decides; the loser gets
// kInProgress (or kReplay when the winner has finished).
//
// Thread-safe (the store is).

#include <string>

#include "simexit/common/clock.hpp"
#include "simexit/common/random.hpp"
#include "simexit/common/result.hpp"
#include "simexit/ports/store.hpp"

namespace simexit {

struct IdempotentClaim {
  enum class Outcome { kRun, kReplay, kInProgress };
  Outcome outcome = Outcome::kRun;
  std::string claim_id;     // kRun: pass to Finish or Release
  StoredResponse response;  // kReplay
};

class IdempotentRequests {
 public:
  // A 'running' claim older than this is taken over.
  static constexpr UnixSeconds kStaleAfterSeconds = 60;

  IdempotentRequests(Store& store, Clock& clock, Random& random)
      : store_(store), clock_(clock), random_(random) {}

  // Errors: kFailedPrecondition "idempotency_key_reused"; the store's.
  Result<IdempotentClaim> Claim(const std::string& scope, const std::string& key,
                                const std::string& request_hash);
  // Stores the answer of a kRun claim. A claim taken over meanwhile is left to
  // its new holder.
  Result<void> Finish(const std::string& scope, const std::string& key, const std::string& claim_id,
                      const StoredResponse& response);
  // Drops a kRun claim (the work failed and may be tried again).
  Result<void> Release(const std::string& scope, const std::string& key,
                       const std::string& claim_id);

 private:
  Result<IdempotentClaim> ClaimOnce(const std::string& scope, const std::string& key,
                                    const std::string& request_hash);

  Store& store_;
  Clock& clock_;
  Random& random_;
};

}  // namespace simexit
