// The ledger: postings and their entries.

#include <fmt/format.h>

#include "simexit/adapters/postgres/pg_tx.hpp"

namespace simexit::pg {
namespace {

constexpr const char* kSavepointPosting = "SAVEPOINT posting";
constexpr const char* kReleasePosting = "RELEASE posting";
constexpr const char* kRollbackPosting = "ROLLBACK TO posting; RELEASE posting";
constexpr const char* kInsertPosting = R"sql(
INSERT INTO postings (operator_id, line_id, termination_id, kind, created_at)
VALUES ($1, $2, $3, $4, $5) RETURNING id)sql";
constexpr const char* kInsertLedgerEntry = R"sql(
INSERT INTO ledger_entries (posting_id, account, amount) VALUES ($1, $2, $3))sql";
// One row per entry (NULL entry columns for a posting without entries).
constexpr const char* kListPostings = R"sql(
SELECT p.id, p.operator_id, p.line_id, p.termination_id, p.kind, p.created_at, e.account, e.amount
FROM postings p LEFT JOIN ledger_entries e ON e.posting_id = p.id
WHERE ($1 IS NULL OR p.line_id = $1)
ORDER BY p.id, e.id)sql";
constexpr const char* kLedgerTotal = "SELECT COALESCE(SUM(amount), 0) FROM ledger_entries";

}  // namespace

Result<std::int64_t> PgTx::InsertPosting(const PostingRecord& record) {
  if (!record.posting.Balanced()) {
    return Fail(ErrorCode::kInternal, "unbalanced_posting",
                fmt::format("posting '{}' does not balance (total {} KZT)", record.posting.kind,
                            record.posting.Total().ToDecimalString()));
  }
  // A savepoint keeps the posting and its entries all-or-nothing even when
  // the caller carries on after an error.
  SIMEXIT_TRY(conn_.Exec(kSavepointPosting, "postings"));
  Result<std::int64_t> id = InsertPostingRows(record);
  if (!id) {
    (void)conn_.Exec(kRollbackPosting, "postings");
    return id;
  }
  SIMEXIT_TRY(conn_.Exec(kReleasePosting, "postings"));
  return id;
}

Result<std::int64_t> PgTx::InsertPostingRows(const PostingRecord& record) {
  SIMEXIT_ASSIGN_OR_RETURN(
      std::int64_t posting_id,
      conn_.Insert(kInsertPosting, "postings", record.operator_id, NullIfZero{record.line_id},
                   NullIfEmpty{record.termination_id}, record.posting.kind, record.created_at));
  for (const LedgerEntry& entry : record.posting.entries) {
    SIMEXIT_TRY(conn_.Run(kInsertLedgerEntry, "ledger_entries", posting_id, entry.account,
                          entry.amount.tiyn()));
  }
  return posting_id;
}

Result<std::vector<PostingRecord>> PgTx::ListPostings(std::optional<std::int64_t> line_id) {
  SIMEXIT_ASSIGN_OR_RETURN(ResultPtr result,
                           conn_.Query(kListPostings, "postings", Params::Of(line_id)));
  // Rows come ordered by posting: a new id starts a record, each row adds its entry.
  std::vector<PostingRecord> out;
  for (int i = 0; i < PQntuples(result.get()); ++i) {
    const Row row(result.get(), i);
    std::int64_t id = row.Int64(0);
    if (out.empty() || out.back().id != id) {
      PostingRecord record;
      record.id = id;
      record.operator_id = row.Int64(1);
      record.line_id = row.Int64(2);
      record.termination_id = row.Text(3);
      record.posting.kind = row.Text(4);
      record.created_at = row.Int64(5);
      out.push_back(std::move(record));
    }
    if (!row.IsNull(6)) {
      out.back().posting.entries.push_back(LedgerEntry{row.Text(6), Money::Tiyn(row.Int64(7))});
    }
  }
  return out;
}

Result<Money> PgTx::LedgerTotal() {
  SIMEXIT_ASSIGN_OR_RETURN(
      std::optional<std::int64_t> total,
      conn_.QueryOne(kLedgerTotal, "ledger_entries", [](const Row& row) { return row.Int64(0); }));
  return Money::Tiyn(total.value_or(0));
}

}  // namespace simexit::pg
