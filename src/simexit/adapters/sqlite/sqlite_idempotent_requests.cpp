// Idempotent requests: the claim and then the answer of a POST with an
// Idempotency-Key, per caller and key (ports/store/idempotent_requests.hpp).

#include "simexit/adapters/sqlite/sqlite_tx.hpp"

namespace simexit::sqlite {
namespace {

// The oldest first, through the index on claimed_at (migration 0016), so each
// call costs the same however large the table is.
constexpr const char* kSweepIdempotentRequests = R"sql(
DELETE FROM idempotent_requests WHERE rowid IN (
  SELECT rowid FROM idempotent_requests WHERE claimed_at < ?1 ORDER BY claimed_at LIMIT ?2))sql";

constexpr const char* kFindIdempotentRequest = R"sql(
SELECT scope, "key", request_hash, state, claim_id, claimed_at, response_status, content_type,
       location, response_body
FROM idempotent_requests WHERE scope = ?1 AND "key" = ?2)sql";
constexpr const char* kInsertIdempotentRequest = R"sql(
INSERT INTO idempotent_requests (scope, "key", request_hash, state, claim_id, claimed_at)
VALUES (?1, ?2, ?3, 'running', ?4, ?5))sql";
constexpr const char* kTakeOverIdempotentRequest = R"sql(
UPDATE idempotent_requests SET claim_id = ?4, claimed_at = ?5
WHERE scope = ?1 AND "key" = ?2 AND claim_id = ?3 AND state = 'running')sql";
constexpr const char* kFinishIdempotentRequest = R"sql(
UPDATE idempotent_requests
SET state = 'done', response_status = ?4, content_type = ?5, location = ?6, response_body = ?7
WHERE scope = ?1 AND "key" = ?2 AND claim_id = ?3 AND state = 'running')sql";
constexpr const char* kDeleteIdempotentRequest = R"sql(
DELETE FROM idempotent_requests
WHERE scope = ?1 AND "key" = ?2 AND claim_id = ?3 AND state = 'running')sql";

IdempotentRequestRecord ReadIdempotentRequest(const Statement& row) {
  IdempotentRequestRecord r;
  r.scope = row.Text(0);
  r.key = row.Text(1);
  r.request_hash = row.Text(2);
  r.state =
      row.Text(3) == "done" ? IdempotentRequestState::kDone : IdempotentRequestState::kRunning;
  r.claim_id = row.Text(4);
  r.claimed_at = row.Int64(5);
  r.response.status = static_cast<int>(row.Int64(6));
  r.response.content_type = row.Text(7);
  r.response.location = row.Text(8);
  r.response.body = row.Text(9);
  return r;
}

Result<bool> ChangedAny(Result<std::int64_t> changed) {
  SIMEXIT_ASSIGN_OR_RETURN(std::int64_t rows, std::move(changed));
  return rows > 0;
}

}  // namespace

Result<std::optional<IdempotentRequestRecord>> SqliteTx::FindIdempotentRequest(
    const std::string& scope, const std::string& key) {
  return conn_.QueryOne(kFindIdempotentRequest, "idempotent_requests", ReadIdempotentRequest, scope,
                        key);
}

Result<void> SqliteTx::InsertIdempotentRequest(const IdempotentRequestRecord& r) {
  return conn_.Run(kInsertIdempotentRequest, "idempotent_requests", r.scope, r.key, r.request_hash,
                   r.claim_id, r.claimed_at);
}

Result<bool> SqliteTx::TakeOverIdempotentRequest(const std::string& scope, const std::string& key,
                                                 const std::string& old_claim_id,
                                                 const std::string& new_claim_id, UnixSeconds now) {
  return ChangedAny(conn_.Change(kTakeOverIdempotentRequest, "idempotent_requests", scope, key,
                                 old_claim_id, new_claim_id, now));
}

Result<bool> SqliteTx::FinishIdempotentRequest(const std::string& scope, const std::string& key,
                                               const std::string& claim_id,
                                               const StoredResponse& response) {
  return ChangedAny(conn_.Change(kFinishIdempotentRequest, "idempotent_requests", scope, key,
                                 claim_id, static_cast<std::int64_t>(response.status),
                                 response.content_type, response.location, response.body));
}

Result<bool> SqliteTx::DeleteIdempotentRequest(const std::string& scope, const std::string& key,
                                               const std::string& claim_id) {
  return ChangedAny(
      conn_.Change(kDeleteIdempotentRequest, "idempotent_requests", scope, key, claim_id));
}

Result<std::int64_t> SqliteTx::SweepIdempotentRequests(UnixSeconds claimed_before, int limit) {
  return conn_.Change(kSweepIdempotentRequests, "idempotent_requests", claimed_before,
                      ClampLimit(limit));
}

}  // namespace simexit::sqlite
