// Holders and their lines.

#include <limits>

#include "simexit/adapters/sqlite/sqlite_tx.hpp"

namespace simexit::sqlite {
namespace {

constexpr const char* kInsertHolder = R"sql(
INSERT INTO holders (operator_id, full_name, document_kind, document_number, document_country,
                     iin, language, time_zone, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9))sql";
constexpr const char* kGetHolder = R"sql(
SELECT id, operator_id, full_name, document_kind, document_number, document_country, iin,
       language, time_zone, created_at
FROM holders WHERE id = ?1)sql";

constexpr const char* kInsertLine = R"sql(
INSERT INTO lines (operator_id, holder_id, msisdn, iccid, imsi, kind, status, main_balance,
                   bonus_balance, outstanding_charges, last_paid_activity_at, quarantine_until,
                   created_at, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14))sql";
constexpr const char* kUpdateLine = R"sql(
UPDATE lines SET operator_id = ?2, holder_id = ?3, msisdn = ?4, iccid = ?5, imsi = ?6, kind = ?7,
                 status = ?8, main_balance = ?9, bonus_balance = ?10, outstanding_charges = ?11,
                 last_paid_activity_at = ?12, quarantine_until = ?13, updated_at = ?14
WHERE id = ?1)sql";
constexpr const char* kGetLine = R"sql(
SELECT id, operator_id, holder_id, msisdn, iccid, imsi, kind, status, main_balance, bonus_balance,
       outstanding_charges, last_paid_activity_at, quarantine_until, created_at, updated_at
FROM lines WHERE id = ?1)sql";
constexpr const char* kGetLineByMsisdn = R"sql(
SELECT id, operator_id, holder_id, msisdn, iccid, imsi, kind, status, main_balance, bonus_balance,
       outstanding_charges, last_paid_activity_at, quarantine_until, created_at, updated_at
FROM lines WHERE msisdn = ?1)sql";
constexpr const char* kListLines = R"sql(
SELECT id, operator_id, holder_id, msisdn, iccid, imsi, kind, status, main_balance, bonus_balance,
       outstanding_charges, last_paid_activity_at, quarantine_until, created_at, updated_at
FROM lines WHERE (?1 IS NULL OR operator_id = ?1) ORDER BY id LIMIT ?2)sql";

constexpr const char* kFindLines = R"sql(
SELECT l.id, l.operator_id, l.holder_id, l.msisdn, l.iccid, l.imsi, l.kind, l.status,
       l.main_balance, l.bonus_balance, l.outstanding_charges, l.last_paid_activity_at,
       l.quarantine_until, l.created_at, l.updated_at
FROM lines l LEFT JOIN holders h ON h.id = l.holder_id
WHERE (?1 IS NULL OR l.operator_id = ?1)
  AND ((?2 <> '' AND l.iccid = ?2)
       OR (?3 <> '' AND (h.document_number = ?3 OR h.iin = ?3)))
ORDER BY l.id LIMIT ?4)sql";

constexpr const char* kRecordPaidActivity = R"sql(
UPDATE lines SET last_paid_activity_at = ?2, updated_at = ?3
WHERE id = ?1 AND last_paid_activity_at < ?2)sql";

// The sweep's due lines (DormancyRepository::ListDormantLines): a range of the
// index on (operator_id, last_paid_activity_at), in its order, from the cursor.
constexpr const char* kListDormantLines = R"sql(
SELECT l.id, l.operator_id, l.holder_id, l.msisdn, l.iccid, l.imsi, l.kind, l.status,
       l.main_balance, l.bonus_balance, l.outstanding_charges, l.last_paid_activity_at,
       l.quarantine_until, l.created_at, l.updated_at,
       d.first_warned_at, d.final_warned_at, d.kept_at,
       EXISTS (SELECT 1 FROM terminations t
               WHERE t.line_id = l.id AND t.state NOT IN ('terminated', 'rejected', 'cancelled'))
FROM lines l LEFT JOIN line_dormancy d ON d.line_id = l.id
WHERE l.operator_id = ?1 AND l.last_paid_activity_at <= ?2
  AND l.last_paid_activity_at >= ?3 AND (l.last_paid_activity_at > ?3 OR l.id > ?4)
  AND l.status = 'active' AND l.holder_id IS NOT NULL
  AND (d.kept_at IS NULL OR d.kept_at <= ?2)
ORDER BY l.last_paid_activity_at, l.id LIMIT ?5)sql";
// A first warning starts a new dormancy: a final one of an earlier one goes.
constexpr const char* kRecordFirstWarning = R"sql(
INSERT INTO line_dormancy (line_id, operator_id, first_warned_at) VALUES (?1, ?2, ?3)
ON CONFLICT (line_id) DO UPDATE SET first_warned_at = excluded.first_warned_at,
                                    final_warned_at = NULL)sql";
constexpr const char* kRecordFinalWarning = R"sql(
INSERT INTO line_dormancy (line_id, operator_id, final_warned_at) VALUES (?1, ?2, ?3)
ON CONFLICT (line_id) DO UPDATE SET final_warned_at = excluded.final_warned_at)sql";
constexpr const char* kRecordLineKept = R"sql(
INSERT INTO line_dormancy (line_id, operator_id, kept_at) VALUES (?1, ?2, ?3)
ON CONFLICT (line_id) DO UPDATE SET kept_at = max(coalesce(line_dormancy.kept_at, 0), excluded.kept_at))sql";
constexpr const char* kGetDormancyMarks = R"sql(
SELECT first_warned_at, final_warned_at, kept_at FROM line_dormancy WHERE line_id = ?1)sql";

Result<HolderRecord> ReadHolder(const Statement& row) {
  HolderRecord holder;
  holder.id = row.Int64(0);
  holder.operator_id = row.Int64(1);
  holder.full_name = row.Text(2);
  SIMEXIT_ASSIGN_OR_RETURN(holder.document_kind,
                           ParseColumn(row, 3, ParseDocumentKind, "holders", "document_kind"));
  holder.document_number = row.Text(4);
  holder.document_country = row.Text(5);
  holder.iin = row.Text(6);
  holder.language = row.Text(7);
  holder.time_zone = row.Text(8);
  holder.created_at = row.Int64(9);
  return holder;
}

Result<LineRecord> ReadLine(const Statement& row) {
  LineRecord line;
  line.id = row.Int64(0);
  line.operator_id = row.Int64(1);
  line.holder_id = row.Int64(2);
  line.msisdn = Msisdn::FromStored(row.Text(3));
  line.iccid = Iccid::FromStored(row.Text(4));
  line.imsi = Imsi::FromStored(row.Text(5));
  SIMEXIT_ASSIGN_OR_RETURN(line.kind, ParseColumn(row, 6, ParseLineKind, "lines", "kind"));
  SIMEXIT_ASSIGN_OR_RETURN(line.status, ParseColumn(row, 7, ParseLineStatus, "lines", "status"));
  line.main_balance = Money::Tiyn(row.Int64(8));
  line.bonus_balance = Money::Tiyn(row.Int64(9));
  line.outstanding_charges = Money::Tiyn(row.Int64(10));
  line.last_paid_activity_at = row.Int64(11);
  line.quarantine_until = row.OptionalInt64(12);
  line.created_at = row.Int64(13);
  line.updated_at = row.Int64(14);
  return line;
}

Result<DormantLine> ReadDormantLine(const Statement& row) {
  DormantLine out;
  SIMEXIT_ASSIGN_OR_RETURN(out.line, ReadLine(row));
  out.marks.first_warned_at = row.OptionalInt64(15);
  out.marks.final_warned_at = row.OptionalInt64(16);
  out.marks.kept_at = row.OptionalInt64(17);
  out.open_termination = row.Int64(18) != 0;
  return out;
}

DormancyMarks ReadDormancyMarks(const Statement& row) {
  return {row.OptionalInt64(0), row.OptionalInt64(1), row.OptionalInt64(2)};
}

}  // namespace

Result<std::int64_t> SqliteTx::InsertHolder(const HolderRecord& h) {
  return conn_.Insert(kInsertHolder, "holders", h.operator_id, h.full_name,
                      ToString(h.document_kind), h.document_number, h.document_country, h.iin,
                      h.language, h.time_zone, h.created_at);
}

Result<HolderRecord> SqliteTx::GetHolder(std::int64_t id) {
  return Required(conn_.QueryOne(kGetHolder, "holders", ReadHolder, id), "holder");
}

// Unknown ICCID/IMSI ("") are NULL, so they never collide in their UNIQUE columns.
Result<std::int64_t> SqliteTx::InsertLine(const LineRecord& line) {
  return conn_.Insert(kInsertLine, "lines", line.operator_id, NullIfZero{line.holder_id},
                      line.msisdn, line.iccid, line.imsi, ToString(line.kind),
                      ToString(line.status), line.main_balance.tiyn(), line.bonus_balance.tiyn(),
                      line.outstanding_charges.tiyn(), line.last_paid_activity_at,
                      line.quarantine_until, line.created_at, line.updated_at);
}

Result<void> SqliteTx::UpdateLine(const LineRecord& line) {
  return ChangedOne(
      conn_.Change(kUpdateLine, "lines", line.id, line.operator_id, NullIfZero{line.holder_id},
                   line.msisdn, line.iccid, line.imsi, ToString(line.kind), ToString(line.status),
                   line.main_balance.tiyn(), line.bonus_balance.tiyn(),
                   line.outstanding_charges.tiyn(), line.last_paid_activity_at,
                   line.quarantine_until, line.updated_at),
      "line");
}

Result<LineRecord> SqliteTx::GetLine(std::int64_t id) {
  return Required(conn_.QueryOne(kGetLine, "lines", ReadLine, id), "line");
}

Result<LineRecord> SqliteTx::GetLineByMsisdn(const Msisdn& msisdn) {
  return Required(conn_.QueryOne(kGetLineByMsisdn, "lines", ReadLine, msisdn), "line");
}

Result<std::vector<LineRecord>> SqliteTx::ListLines(std::optional<std::int64_t> operator_id,
                                                    int limit) {
  return conn_.QueryAll(kListLines, "lines", ReadLine, operator_id, ClampLimit(limit));
}

Result<std::vector<LineRecord>> SqliteTx::FindLines(std::optional<std::int64_t> operator_id,
                                                    const std::optional<Iccid>& iccid,
                                                    const std::string& holder_document, int limit) {
  return conn_.QueryAll(kFindLines, "lines", ReadLine, operator_id,
                        iccid ? iccid->digits() : std::string(), holder_document,
                        ClampLimit(limit));
}

// One prepared statement, run per line, inside the caller's transaction.
Result<std::int64_t> SqliteTx::RecordPaidActivity(const std::vector<PaidActivity>& activity,
                                                  UnixSeconds updated_at) {
  std::int64_t changed = 0;
  for (const PaidActivity& a : activity) {
    SIMEXIT_ASSIGN_OR_RETURN(
        std::int64_t n, conn_.Change(kRecordPaidActivity, "lines", a.line_id, a.at, updated_at));
    changed += n;
  }
  return changed;
}

Result<std::vector<DormantLine>> SqliteTx::ListDormantLines(std::int64_t operator_id,
                                                            UnixSeconds idle_since,
                                                            std::optional<DormantCursor> after,
                                                            int limit) {
  const DormantCursor from =
      after.value_or(DormantCursor{std::numeric_limits<UnixSeconds>::min(), 0});
  return conn_.QueryAll(kListDormantLines, "lines", ReadDormantLine, operator_id, idle_since,
                        from.last_paid_activity_at, from.line_id, ClampLimit(limit));
}

Result<void> SqliteTx::RecordDormancyWarning(std::int64_t line_id, std::int64_t operator_id,
                                             DormancyWarning which, UnixSeconds at) {
  return conn_.Run(which == DormancyWarning::kFirst ? kRecordFirstWarning : kRecordFinalWarning,
                   "line_dormancy", line_id, operator_id, at);
}

Result<void> SqliteTx::RecordLineKept(std::int64_t line_id, std::int64_t operator_id,
                                      UnixSeconds at) {
  return conn_.Run(kRecordLineKept, "line_dormancy", line_id, operator_id, at);
}

Result<DormancyMarks> SqliteTx::GetDormancyMarks(std::int64_t line_id) {
  SIMEXIT_ASSIGN_OR_RETURN(
      std::optional<DormancyMarks> marks,
      conn_.QueryOne(kGetDormancyMarks, "line_dormancy", ReadDormancyMarks, line_id));
  return marks.value_or(DormancyMarks{});
}

}  // namespace simexit::sqlite
