// Idempotency keys: what the first request did (the termination it created), per
// caller and key.

#include "simexit/adapters/postgres/pg_tx.hpp"

namespace simexit::pg {
namespace {

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

}  // namespace simexit::pg
