#pragma once
// Idempotent requests: the claim and then the answer of a POST that came with an
// Idempotency-Key (api/idempotent.hpp), so that a repeat is answered the same
// without doing the work again. (POST /v1/terminations keeps its own
// idempotency_keys, idempotency.hpp, written in the create transaction.)
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict, kInternal otherwise.
//
// Contract:
//  - (scope, key) is unique: InsertIdempotentRequest of a pair that has a row
//    is kAlreadyExists "duplicate", whatever its state. Two callers racing on
//    one pair: one row wins, the other gets "duplicate".
//  - A row is 'running' (claimed, no answer yet) or 'done' (with the answer).
//  - TakeOverIdempotentRequest, FinishIdempotentRequest and
//    DeleteIdempotentRequest change the row only while it is 'running' under
//    the given claim_id, and say whether they did (false: another caller took
//    the claim over, or the row is gone or done).
//  - SweepIdempotentRequests deletes up to `limit` rows claimed before
//    `claimed_before`, whatever their state, the oldest claim first, and
//    returns how many; rows claimed later are untouched.

#include <cstdint>
#include <optional>
#include <string>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"

namespace simexit {

enum class IdempotentRequestState { kRunning, kDone };

// The answer stored for a repeat: what the first request was answered.
struct StoredResponse {
  int status = 0;
  std::string content_type;
  std::string location;  // the Location header, "" when none
  std::string body;      // in the store: sealed (service/idempotent_requests.hpp)

  bool operator==(const StoredResponse&) const = default;
};

struct IdempotentRequestRecord {
  std::string scope;         // the caller: "holder:12", "api_key:3", "anonymous:<path>"
  std::string key;           // a hash of the Idempotency-Key header
  std::string request_hash;  // hash of method + path + body
  IdempotentRequestState state = IdempotentRequestState::kRunning;
  std::string claim_id;  // random, per claim: who is running it
  UnixSeconds claimed_at = 0;
  StoredResponse response;  // set when done

  bool operator==(const IdempotentRequestRecord&) const = default;
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class IdempotentRequestRepository {
 public:
  virtual ~IdempotentRequestRepository() = default;

  virtual Result<std::optional<IdempotentRequestRecord>> FindIdempotentRequest(
      const std::string& scope, const std::string& key) = 0;
  // A new 'running' row (record.state and record.response are ignored).
  virtual Result<void> InsertIdempotentRequest(const IdempotentRequestRecord& record) = 0;
  // The claim passes from `old_claim_id` to `new_claim_id`, claimed at `now`.
  virtual Result<bool> TakeOverIdempotentRequest(const std::string& scope, const std::string& key,
                                                 const std::string& old_claim_id,
                                                 const std::string& new_claim_id,
                                                 UnixSeconds now) = 0;
  // 'done' with `response`.
  virtual Result<bool> FinishIdempotentRequest(const std::string& scope, const std::string& key,
                                               const std::string& claim_id,
                                               const StoredResponse& response) = 0;
  // Removes the claim, so that a repeat runs again.
  virtual Result<bool> DeleteIdempotentRequest(const std::string& scope, const std::string& key,
                                               const std::string& claim_id) = 0;
  virtual Result<std::int64_t> SweepIdempotentRequests(UnixSeconds claimed_before, int limit) = 0;
};

}  // namespace simexit
