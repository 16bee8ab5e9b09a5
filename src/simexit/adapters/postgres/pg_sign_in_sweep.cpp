// Deleting sign-in rows that no rule reads any more, so that failed sign-ins
// do not grow the database without bound (service/sign_in_sweep.hpp says which).

#include "simexit/adapters/postgres/pg_tx.hpp"

namespace simexit::pg {
namespace {

// Looks at the `batch` oldest codes only (by id, which follows creation),
// so each call costs the same however large the table is.
constexpr const char* kSweepSignInCodes = R"sql(
DELETE FROM sign_in_codes WHERE id IN (
  SELECT id FROM (SELECT id, created_at, expires_at FROM sign_in_codes ORDER BY id LIMIT $3) AS oldest
  WHERE created_at < $1 AND expires_at <= $2))sql";

}  // namespace

Result<std::int64_t> PgTx::SweepSignInCodes(UnixSeconds created_before, UnixSeconds now,
                                            int batch) {
  return conn_.Change(kSweepSignInCodes, "sign_in_codes", created_before, now, ClampLimit(batch));
}

}  // namespace simexit::pg
