// Number recycling: the clients that check numbers, their checks, and the
// number history the answers come from (lines and completed terminations).

#include <sstream>

#include "simexit/adapters/postgres/pg_tx.hpp"

namespace simexit::pg {
namespace {

constexpr const char* kInsertClient = R"sql(
INSERT INTO number_recycling_clients
  (operator_id, name, key_hash, prefix, scopes, created_by, created_at, revoked_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id)sql";
constexpr const char* kGetClient = R"sql(
SELECT id, operator_id, name, key_hash, prefix, scopes, created_by, created_at, revoked_at
FROM number_recycling_clients WHERE id = $1)sql";
constexpr const char* kFindClient = R"sql(
SELECT id, operator_id, name, key_hash, prefix, scopes, created_by, created_at, revoked_at
FROM number_recycling_clients WHERE key_hash = $1)sql";
constexpr const char* kListClients = R"sql(
SELECT id, operator_id, name, key_hash, prefix, scopes, created_by, created_at, revoked_at
FROM number_recycling_clients WHERE $1 IS NULL OR operator_id = $1 ORDER BY id)sql";
constexpr const char* kRevokeClient = R"sql(
UPDATE number_recycling_clients SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1)sql";

// The line, and the latest move of one of the number's terminations into
// 'terminated' (the "complete" event): two index lookups.
constexpr const char* kNumberHistory = R"sql(
SELECT l.operator_id, l.status, l.created_at,
       (SELECT MAX(e.at) FROM terminations t
          JOIN termination_events e ON e.termination_id = t.id AND e.to_state = 'terminated'
        WHERE t.msisdn = l.msisdn)
FROM lines l WHERE l.msisdn = $1)sql";

constexpr const char* kAppendCheck = R"sql(
INSERT INTO number_recycling_checks
  (client_id, operator_id, msisdn, specified_date, answer, correlator, request_id, at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8))sql";
constexpr const char* kListChecks = R"sql(
SELECT id, client_id, operator_id, msisdn, specified_date, answer, correlator, request_id, at
FROM number_recycling_checks WHERE client_id = $1 ORDER BY id DESC LIMIT $2)sql";

constexpr const char* kListDisconnections = R"sql(
SELECT t.msisdn, t.operator_id, MAX(e.at) AS disconnected_at FROM terminations t
  JOIN termination_events e ON e.termination_id = t.id AND e.to_state = 'terminated'
WHERE $1 IS NULL OR t.operator_id = $1
GROUP BY t.msisdn, t.operator_id
HAVING MAX(e.at) >= $2
ORDER BY disconnected_at, t.msisdn)sql";

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& scope : scopes) {
    if (!out.empty()) {
      out += ' ';
    }
    out += scope;
  }
  return out;
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string scope;
  while (in >> scope) {
    out.push_back(scope);
  }
  return out;
}

NumberRecyclingClientRecord ReadClient(const Row& row) {
  NumberRecyclingClientRecord r;
  r.id = row.Int64(0);
  r.operator_id = row.Int64(1);
  r.name = row.Text(2);
  r.key_hash = row.Text(3);
  r.prefix = row.Text(4);
  r.scopes = SplitScopes(row.Text(5));
  r.created_by = row.Text(6);
  r.created_at = row.Int64(7);
  r.revoked_at = row.OptionalInt64(8);
  return r;
}

Result<NumberHistory> ReadHistory(const Row& row) {
  NumberHistory h;
  h.operator_id = row.Int64(0);
  SIMEXIT_ASSIGN_OR_RETURN(h.status, ParseColumn(row, 1, ParseLineStatus, "lines", "status"));
  h.known_since = row.Int64(2);
  h.last_disconnected_at = row.OptionalInt64(3);
  return h;
}

Result<NumberRecyclingCheckRecord> ReadCheck(const Row& row) {
  NumberRecyclingCheckRecord r;
  r.id = row.Int64(0);
  r.client_id = row.Int64(1);
  r.operator_id = row.Int64(2);
  r.msisdn = row.Text(3);
  SIMEXIT_ASSIGN_OR_RETURN(r.specified_date,
                           DateColumn(row, 4, "number_recycling_checks", "specified_date"));
  SIMEXIT_ASSIGN_OR_RETURN(
      r.answer, ParseColumn(row, 5, ParseRecyclingAnswer, "number_recycling_checks", "answer"));
  r.correlator = row.Text(6);
  r.request_id = row.Text(7);
  r.at = row.Int64(8);
  return r;
}

DisconnectionRecord ReadDisconnection(const Row& row) {
  return DisconnectionRecord{Msisdn::FromStored(row.Text(0)), row.Int64(1), row.Int64(2)};
}

}  // namespace

Result<std::int64_t> PgTx::InsertRecyclingClient(const NumberRecyclingClientRecord& c) {
  return conn_.Insert(kInsertClient, "number_recycling_clients", c.operator_id, c.name, c.key_hash,
                      c.prefix, JoinScopes(c.scopes), c.created_by, c.created_at, c.revoked_at);
}

Result<NumberRecyclingClientRecord> PgTx::GetRecyclingClient(std::int64_t id) {
  return Required(conn_.QueryOne(kGetClient, "number_recycling_clients", ReadClient, id),
                  "number recycling client", "recycling_client_not_found");
}

Result<std::optional<NumberRecyclingClientRecord>> PgTx::FindRecyclingClient(
    const std::string& key_hash) {
  return conn_.QueryOne(kFindClient, "number_recycling_clients", ReadClient, key_hash);
}

Result<std::vector<NumberRecyclingClientRecord>> PgTx::ListRecyclingClients(
    std::optional<std::int64_t> operator_id) {
  return conn_.QueryAll(kListClients, "number_recycling_clients", ReadClient, operator_id);
}

Result<void> PgTx::RevokeRecyclingClient(std::int64_t id, UnixSeconds at) {
  return ChangedOne(conn_.Change(kRevokeClient, "number_recycling_clients", id, at),
                    "number recycling client", "recycling_client_not_found");
}

Result<std::optional<NumberHistory>> PgTx::FindNumberHistory(const Msisdn& msisdn) {
  return conn_.QueryOne(kNumberHistory, "lines", ReadHistory, msisdn);
}

Result<void> PgTx::AppendRecyclingChecks(const std::vector<NumberRecyclingCheckRecord>& checks) {
  for (const NumberRecyclingCheckRecord& c : checks) {
    SIMEXIT_TRY(conn_.Run(kAppendCheck, "number_recycling_checks", c.client_id, c.operator_id,
                          c.msisdn, c.specified_date, ToString(c.answer), c.correlator,
                          c.request_id, c.at));
  }
  return {};
}

Result<std::vector<NumberRecyclingCheckRecord>> PgTx::ListRecyclingChecks(std::int64_t client_id,
                                                                          int limit) {
  return conn_.QueryAll(kListChecks, "number_recycling_checks", ReadCheck, client_id,
                        ClampLimit(limit));
}

Result<std::vector<DisconnectionRecord>> PgTx::ListDisconnections(
    std::optional<std::int64_t> operator_id, UnixSeconds since) {
  return conn_.QueryAll(kListDisconnections, "terminations", ReadDisconnection, operator_id, since);
}

}  // namespace simexit::pg
