#pragma once
// Idempotency keys: what the first request with a key did.
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict, kNotFound from Get* when
// the row is absent, kInternal otherwise.
// A (scope, key) pair is unique: InsertIdempotency of a used pair is
// kAlreadyExists "duplicate".
// SweepIdempotency deletes up to `limit` rows created before `created_before`,
// the oldest first, and returns how many; rows created later are untouched.

#include <cstdint>
#include <optional>
#include <string>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"

namespace simexit {

// What the first request with an Idempotency-Key did, so that a repeat can be
// answered the same: the termination it created. (How that is answered over
// HTTP is the API's business.)
struct IdempotencyRecord {
  std::string scope;           // the caller: "holder:12", "api_key:3"
  std::string key;             // Idempotency-Key header
  std::string request_hash;    // hash of method + path + body
  std::string termination_id;  // the termination the first request created
  UnixSeconds created_at = 0;

  bool operator==(const IdempotencyRecord&) const = default;
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class IdempotencyRepository {
 public:
  virtual ~IdempotencyRepository() = default;

  virtual Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& scope,
                                                                   const std::string& key) = 0;
  virtual Result<void> InsertIdempotency(const IdempotencyRecord& record) = 0;
  virtual Result<std::int64_t> SweepIdempotency(UnixSeconds created_before, int limit) = 0;
};

}  // namespace simexit
