#pragma once
// Keeps the rows that Idempotency-Keys leave bounded: every request with a new
// key stores one (idempotency_keys for POST /v1/terminations and
// POST /v1/reactivations, idempotent_requests for every other POST), so without
// a sweep the tables would grow by one row per request, forever.
//
// A key is kept kIdempotencyKeptSeconds (a day) after it was first used; then
// it may go, and a request repeated with it runs again as a new one (every
// route it guards refuses a repeat of its effect by state: docs/openapi.yaml,
// "Idempotency-Key"). A claim still 'running' after a day belongs to a process
// that died long ago and is swept the same way.
//
// Each new key sweeps up to kIdempotencySweepBatch of the oldest expired rows of
// both tables, in the transaction that stores it, so the tables hold about one
// day of keys however long the service runs, and no job is needed.

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/ports/store.hpp"

namespace simexit {

inline constexpr UnixSeconds kIdempotencyKeptSeconds = 24 * 3600;
// Each new key adds one row and may remove this many from each table.
inline constexpr int kIdempotencySweepBatch = 16;

// Deletes, in `tx`, up to kIdempotencySweepBatch rows of each idempotency table
// first used more than kIdempotencyKeptSeconds before `now`. Returns how many.
Result<std::int64_t> SweepIdempotencyKeys(StoreTx& tx, UnixSeconds now);

}  // namespace simexit
