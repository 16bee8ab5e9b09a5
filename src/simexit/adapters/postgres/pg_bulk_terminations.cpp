// Bulk closures and their lines (ports/store/bulk_terminations.hpp). The
// numbers of a bulk travel as one JSON array parameter, read by jsonb_array_elements, so
// that a hundred thousand lines are one statement, not a hundred thousand.

#include "simexit/adapters/postgres/pg_tx.hpp"

namespace simexit::pg {
namespace {

constexpr const char* kFindLineOwners = R"sql(
SELECT j.value, COALESCE(l.id, 0), COALESCE(l.operator_id, 0)
FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS j(value, ord)
LEFT JOIN lines AS l ON l.msisdn = j.value
ORDER BY j.ord)sql";
constexpr const char* kInsertBulkTermination = R"sql(
INSERT INTO bulk_terminations (id, operator_id, reason_code, requested_by, line_count, created_at)
VALUES ($1, $2, $3, $4, $5, $6))sql";
constexpr const char* kInsertBulkLines = R"sql(
INSERT INTO bulk_termination_lines (bulk_id, position, msisdn, line_id, state)
SELECT $1, j.ord - 1, j.value ->> 0, (j.value ->> 1)::bigint, 'pending'
FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS j(value, ord))sql";
constexpr const char* kGetBulkTermination = R"sql(
SELECT id, operator_id, reason_code, requested_by, line_count, created_at
FROM bulk_terminations WHERE id = $1)sql";
constexpr const char* kListPendingBulkLines = R"sql(
SELECT bulk_id, position, msisdn, line_id, state, COALESCE(termination_id, ''), failure_code,
       failure_detail
FROM bulk_termination_lines WHERE bulk_id = $1 AND state = 'pending'
ORDER BY position LIMIT $2)sql";
constexpr const char* kFinishBulkLine = R"sql(
UPDATE bulk_termination_lines
SET state = $3, termination_id = $4, failure_code = $5, failure_detail = $6
WHERE bulk_id = $1 AND position = $2 AND state = 'pending')sql";
constexpr const char* kGetBulkProgress = R"sql(
SELECT COUNT(*),
       COUNT(*) FILTER (WHERE t.state = 'terminated'),
       COUNT(*) FILTER (WHERE b.state = 'failed' OR t.state IN ('rejected', 'cancelled'))
FROM bulk_termination_lines AS b LEFT JOIN terminations AS t ON t.id = b.termination_id
WHERE b.bulk_id = $1)sql";
constexpr const char* kListBulkFailures = R"sql(
SELECT b.position, b.msisdn,
       CASE WHEN b.state = 'failed' THEN b.failure_code ELSE 'termination_' || t.state END,
       CASE WHEN b.state = 'failed' THEN b.failure_detail
            ELSE 'termination ' || t.id || ' was ' || t.state END
FROM bulk_termination_lines AS b LEFT JOIN terminations AS t ON t.id = b.termination_id
WHERE b.bulk_id = $1 AND (b.state = 'failed' OR t.state IN ('rejected', 'cancelled'))
ORDER BY b.position LIMIT $2)sql";

void AppendJsonString(std::string& out, const std::string& text) {
  out += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';  // E.164 numbers have none; never let one break the array
    } else {
      out += c;
    }
  }
  out += '"';
}

BulkTerminationRecord ReadBulk(const Row& row) {
  BulkTerminationRecord b;
  b.id = row.Text(0);
  b.operator_id = row.Int64(1);
  b.reason_code = row.Text(2);
  b.requested_by = row.Text(3);
  b.line_count = row.Int64(4);
  b.created_at = row.Int64(5);
  return b;
}

Result<BulkLineRecord> ReadBulkLine(const Row& row) {
  BulkLineRecord l;
  l.bulk_id = row.Text(0);
  l.position = row.Int64(1);
  l.msisdn = Msisdn::FromStored(row.Text(2));
  l.line_id = row.Int64(3);
  SIMEXIT_ASSIGN_OR_RETURN(
      l.state, ParseColumn(row, 4, ParseBulkLineState, "bulk_termination_lines", "state"));
  l.termination_id = row.Text(5);
  l.failure_code = row.Text(6);
  l.failure_detail = row.Text(7);
  return l;
}

}  // namespace

Result<std::vector<LineOwner>> PgTx::FindLineOwners(const std::vector<Msisdn>& msisdns) {
  std::string array = "[";
  for (const Msisdn& msisdn : msisdns) {
    if (array.size() > 1) {
      array += ',';
    }
    AppendJsonString(array, msisdn.e164());
  }
  array += ']';
  return conn_.QueryAll(
      kFindLineOwners, "lines",
      [](const Row& row) {
        return LineOwner{Msisdn::FromStored(row.Text(0)), row.Int64(1), row.Int64(2)};
      },
      array);
}

Result<void> PgTx::InsertBulkTermination(const BulkTerminationRecord& b,
                                         const std::vector<BulkLineRecord>& lines) {
  SIMEXIT_TRY(conn_.Run(kInsertBulkTermination, "bulk_terminations", b.id, b.operator_id,
                        b.reason_code, b.requested_by, b.line_count, b.created_at));
  std::string array = "[";
  for (const BulkLineRecord& line : lines) {
    if (array.size() > 1) {
      array += ',';
    }
    array += '[';
    AppendJsonString(array, line.msisdn.e164());
    array += ',' + std::to_string(line.line_id) + ']';
  }
  array += ']';
  return conn_.Run(kInsertBulkLines, "bulk_termination_lines", b.id, array);
}

Result<BulkTerminationRecord> PgTx::GetBulkTermination(const std::string& id) {
  return Required(conn_.QueryOne(kGetBulkTermination, "bulk_terminations", ReadBulk, id),
                  "bulk termination", "bulk_termination_not_found");
}

Result<std::vector<BulkLineRecord>> PgTx::ListPendingBulkLines(const std::string& bulk_id,
                                                               int limit) {
  return conn_.QueryAll(kListPendingBulkLines, "bulk_termination_lines", ReadBulkLine, bulk_id,
                        ClampLimit(limit));
}

Result<bool> PgTx::FinishBulkLine(const BulkLineRecord& line) {
  SIMEXIT_ASSIGN_OR_RETURN(
      std::int64_t rows,
      conn_.Change(kFinishBulkLine, "bulk_termination_lines", line.bulk_id, line.position,
                   std::string(ToString(line.state)), NullIfEmpty{line.termination_id},
                   line.failure_code, line.failure_detail));
  return rows > 0;
}

Result<BulkProgress> PgTx::GetBulkProgress(const std::string& bulk_id) {
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<BulkProgress> progress,
                           conn_.QueryOne(
                               kGetBulkProgress, "bulk_termination_lines",
                               [](const Row& row) {
                                 BulkProgress p;
                                 p.total = row.Int64(0);
                                 p.done = row.Int64(1);
                                 p.failed = row.Int64(2);
                                 p.pending = p.total - p.done - p.failed;
                                 return p;
                               },
                               bulk_id));
  return progress.value_or(BulkProgress{});
}

Result<std::vector<BulkFailure>> PgTx::ListBulkFailures(const std::string& bulk_id, int limit) {
  return conn_.QueryAll(
      kListBulkFailures, "bulk_termination_lines",
      [](const Row& row) {
        return BulkFailure{row.Int64(0), Msisdn::FromStored(row.Text(1)), row.Text(2), row.Text(3)};
      },
      bulk_id, ClampLimit(limit));
}

}  // namespace simexit::pg
