// Bulk closures and their lines (ports/store/bulk_terminations.hpp). The
// numbers of a bulk travel as one JSON array parameter, read by json_each, so
// that a hundred thousand lines are one statement, not a hundred thousand.

#include "simexit/adapters/sqlite/sqlite_tx.hpp"

namespace simexit::sqlite {
namespace {

constexpr const char* kFindLineOwners = R"sql(
SELECT j.value, COALESCE(l.id, 0), COALESCE(l.operator_id, 0)
FROM json_each(?1) AS j LEFT JOIN lines AS l ON l.msisdn = j.value
ORDER BY j.key)sql";
constexpr const char* kInsertBulkTermination = R"sql(
INSERT INTO bulk_terminations (id, operator_id, reason_code, requested_by, line_count, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6))sql";
constexpr const char* kInsertBulkLines = R"sql(
INSERT INTO bulk_termination_lines (bulk_id, position, msisdn, line_id, state)
SELECT ?1, j.key, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), 'pending'
FROM json_each(?2) AS j)sql";
constexpr const char* kGetBulkTermination = R"sql(
SELECT id, operator_id, reason_code, requested_by, line_count, created_at
FROM bulk_terminations WHERE id = ?1)sql";
constexpr const char* kListPendingBulkLines = R"sql(
SELECT bulk_id, position, msisdn, line_id, state, COALESCE(termination_id, ''), failure_code,
       failure_detail
FROM bulk_termination_lines WHERE bulk_id = ?1 AND state = 'pending'
ORDER BY position LIMIT ?2)sql";
constexpr const char* kFinishBulkLine = R"sql(
UPDATE bulk_termination_lines
SET state = ?3, termination_id = ?4, failure_code = ?5, failure_detail = ?6
WHERE bulk_id = ?1 AND position = ?2 AND state = 'pending')sql";
constexpr const char* kGetBulkProgress = R"sql(
SELECT COUNT(*),
       COALESCE(SUM(t.state = 'terminated'), 0),
       COALESCE(SUM(b.state = 'failed' OR t.state IN ('rejected', 'cancelled')), 0)
FROM bulk_termination_lines AS b LEFT JOIN terminations AS t ON t.id = b.termination_id
WHERE b.bulk_id = ?1)sql";
constexpr const char* kListBulkFailures = R"sql(
SELECT b.position, b.msisdn,
       CASE WHEN b.state = 'failed' THEN b.failure_code ELSE 'termination_' || t.state END,
       CASE WHEN b.state = 'failed' THEN b.failure_detail
            ELSE 'termination ' || t.id || ' was ' || t.state END
FROM bulk_termination_lines AS b LEFT JOIN terminations AS t ON t.id = b.termination_id
WHERE b.bulk_id = ?1 AND (b.state = 'failed' OR t.state IN ('rejected', 'cancelled'))
ORDER BY b.position LIMIT ?2)sql";

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

BulkTerminationRecord ReadBulk(const Statement& row) {
  BulkTerminationRecord b;
  b.id = row.Text(0);
  b.operator_id = row.Int64(1);
  b.reason_code = row.Text(2);
  b.requested_by = row.Text(3);
  b.line_count = row.Int64(4);
  b.created_at = row.Int64(5);
  return b;
}

Result<BulkLineRecord> ReadBulkLine(const Statement& row) {
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

Result<std::vector<LineOwner>> SqliteTx::FindLineOwners(const std::vector<Msisdn>& msisdns) {
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
      [](const Statement& row) {
        return LineOwner{Msisdn::FromStored(row.Text(0)), row.Int64(1), row.Int64(2)};
      },
      array);
}

Result<void> SqliteTx::InsertBulkTermination(const BulkTerminationRecord& b,
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

Result<BulkTerminationRecord> SqliteTx::GetBulkTermination(const std::string& id) {
  return Required(conn_.QueryOne(kGetBulkTermination, "bulk_terminations", ReadBulk, id),
                  "bulk termination", "bulk_termination_not_found");
}

Result<std::vector<BulkLineRecord>> SqliteTx::ListPendingBulkLines(const std::string& bulk_id,
                                                                   int limit) {
  return conn_.QueryAll(kListPendingBulkLines, "bulk_termination_lines", ReadBulkLine, bulk_id,
                        ClampLimit(limit));
}

Result<bool> SqliteTx::FinishBulkLine(const BulkLineRecord& line) {
  SIMEXIT_ASSIGN_OR_RETURN(
      std::int64_t rows,
      conn_.Change(kFinishBulkLine, "bulk_termination_lines", line.bulk_id, line.position,
                   std::string(ToString(line.state)), NullIfEmpty{line.termination_id},
                   line.failure_code, line.failure_detail));
  return rows > 0;
}

Result<BulkProgress> SqliteTx::GetBulkProgress(const std::string& bulk_id) {
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<BulkProgress> progress,
                           conn_.QueryOne(
                               kGetBulkProgress, "bulk_termination_lines",
                               [](const Statement& row) {
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

Result<std::vector<BulkFailure>> SqliteTx::ListBulkFailures(const std::string& bulk_id, int limit) {
  return conn_.QueryAll(
      kListBulkFailures, "bulk_termination_lines",
      [](const Statement& row) {
        return BulkFailure{row.Int64(0), Msisdn::FromStored(row.Text(1)), row.Text(2), row.Text(3)};
      },
      bulk_id, ClampLimit(limit));
}

}  // namespace simexit::sqlite
