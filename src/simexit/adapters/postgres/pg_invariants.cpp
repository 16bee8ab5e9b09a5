// The rules between repositories (ports/store/invariants.hpp), one query each.
// Each query returns (subject, detail) rows, at most $1 of them.

#include <array>

#include "simexit/adapters/postgres/pg_tx.hpp"

namespace simexit::pg {
namespace {

struct InvariantQuery {
  const char* invariant;
  const char* sql;
  bool reads_now = false;  // takes $2 = now
};

// $1 = limit, $2 = now. Open states are those the unique partial index of
// migration 0001 treats as open. Derived tables carry an alias (PostgreSQL 15 needs one).
constexpr std::array<InvariantQuery, 6> kQueries{{
    {"posting_balanced", R"sql(
SELECT 'posting:' || posting_id, 'entries sum to ' || SUM(amount) || ' tiyn'
FROM ledger_entries GROUP BY posting_id HAVING SUM(amount) != 0
ORDER BY posting_id LIMIT $1)sql"},
    {"ledger_balanced", R"sql(
SELECT 'ledger', 'all entries sum to ' || total || ' tiyn'
FROM (SELECT COALESCE(SUM(amount), 0) AS total FROM ledger_entries) AS totals
WHERE total != 0 LIMIT $1)sql"},
    {"certificate_issued", R"sql(
SELECT subject, detail FROM (
  SELECT t.id AS subject, 'terminated without a certificate' AS detail
  FROM terminations t LEFT JOIN certificates c ON c.termination_id = t.id
  WHERE t.state = 'terminated' AND c.serial IS NULL
  UNION ALL
  SELECT c.termination_id, 'certificate ' || c.serial || ' for a termination in state ' ||
         COALESCE(t.state, '(missing)')
  FROM certificates c LEFT JOIN terminations t ON t.id = c.termination_id
  WHERE t.state IS NULL OR t.state != 'terminated') AS found
ORDER BY subject LIMIT $1)sql"},
    {"line_status", R"sql(
SELECT subject, detail FROM (
  SELECT 'line:' || l.id AS subject, l.id AS line_id,
         'line is ' || l.status || ' with open termination ' || t.id AS detail
  FROM lines l JOIN terminations t ON t.line_id = l.id
  WHERE t.state NOT IN ('terminated', 'rejected', 'cancelled')
    AND l.status NOT IN ('active', 'barred')
  UNION ALL
  SELECT 'line:' || l.id, l.id,
         'line is ' || l.status || ' but its latest termination is ' ||
         COALESCE((SELECT t.id || ' (' || t.state || ')' FROM terminations t
                   WHERE t.line_id = l.id ORDER BY t.created_at DESC, t.id DESC LIMIT 1),
                  'none')
  FROM lines l
  WHERE l.status IN ('terminated', 'quarantined')
    AND COALESCE((SELECT t.state FROM terminations t WHERE t.line_id = l.id
                  ORDER BY t.created_at DESC, t.id DESC LIMIT 1), '') != 'terminated') AS found
ORDER BY line_id LIMIT $1)sql"},
    {"job_lease", R"sql(
SELECT 'job:' || id, kind || ' running for ' || lease_owner || ', lease expired at ' || lease_until
FROM jobs WHERE state = 'running' AND lease_until < $2
ORDER BY id LIMIT $1)sql",
     true},
    {"audit_trail", R"sql(
SELECT subject, detail FROM (
  SELECT t.id AS subject, 'no "created" event' AS detail
  FROM terminations t
  WHERE NOT EXISTS (SELECT 1 FROM termination_events e
                    WHERE e.termination_id = t.id AND e.event = 'created')
  UNION ALL
  SELECT t.id, 'state is ' || t.state || ' but the latest transition leads to ' ||
               COALESCE((SELECT e.to_state FROM termination_events e
                         WHERE e.termination_id = t.id AND e.to_state != ''
                         ORDER BY e.id DESC LIMIT 1), 'submitted (none recorded)')
  FROM terminations t
  WHERE t.state != COALESCE((SELECT e.to_state FROM termination_events e
                             WHERE e.termination_id = t.id AND e.to_state != ''
                             ORDER BY e.id DESC LIMIT 1), 'submitted')) AS found
ORDER BY subject LIMIT $1)sql"},
}};

}  // namespace

Result<std::vector<InvariantViolation>> PgTx::CheckInvariants(UnixSeconds now, int limit) {
  std::vector<InvariantViolation> found;
  for (const InvariantQuery& query : kQueries) {
    const auto read = [&query](const Row& row) {
      return InvariantViolation{query.invariant, row.Text(0), row.Text(1)};
    };
    SIMEXIT_ASSIGN_OR_RETURN(std::vector<InvariantViolation> rows,
                             query.reads_now
                                 ? conn_.QueryAll(query.sql, query.invariant, read, limit, now)
                                 : conn_.QueryAll(query.sql, query.invariant, read, limit));
    found.insert(found.end(), rows.begin(), rows.end());
  }
  return found;
}

}  // namespace simexit::pg
