// Idempotency keys: what the first request did (the termination it created), per
// caller and key.

#include "simexit/adapters/postgres/pg_tx.hpp"

namespace simexit::pg {
namespace {

// The oldest first, through the index on created_at (migration 0016), so each
// call costs the same however large the table is.
constexpr const char* kSweepIdempotency = R"sql(
DELETE FROM idempotency_keys WHERE (scope, "key") IN (
  SELECT scope, "key" FROM idempotency_keys WHERE created_at < $1 ORDER BY created_at LIMIT $2
  FOR UPDATE SKIP LOCKED))sql";

constexpr const char* kFindIdempotency = R"sql(
SELECT scope, "key", request_hash, termination_id, created_at
FROM idempotency_keys WHERE scope = $1 AND "key" = $2)sql";
constexpr const char* kInsertIdempotency = R"sql(
INSERT INTO idempotency_keys (scope, "key", request_hash, termination_id, created_at)
VALUES ($1, $2, $3, $4, $5))sql";

IdempotencyRecord ReadIdempotency(const Row& row) {
  IdempotencyRecord r;
  r.scope = row.Text(0);
  r.key = row.Text(1);
  r.request_hash = row.Text(2);
  r.termination_id = row.Text(3);
  r.created_at = row.Int64(4);
  return r;
}

}  // namespace

Result<std::optional<IdempotencyRecord>> PgTx::FindIdempotency(const std::string& scope,
                                                               const std::string& key) {
  return conn_.QueryOne(kFindIdempotency, "idempotency_keys", ReadIdempotency, scope, key);
}

Result<void> PgTx::InsertIdempotency(const IdempotencyRecord& r) {
  return conn_.Run(kInsertIdempotency, "idempotency_keys", r.scope, r.key, r.request_hash,
                   r.termination_id, r.created_at);
}

Result<std::int64_t> PgTx::SweepIdempotency(UnixSeconds created_before, int limit) {
  return conn_.Change(kSweepIdempotency, "idempotency_keys", created_before, ClampLimit(limit));
}

}  // namespace simexit::pg
