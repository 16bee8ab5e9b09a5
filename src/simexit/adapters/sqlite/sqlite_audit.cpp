// The general audit trail (sign-in attempts and other actions that are not a
// termination's state).

#include "simexit/adapters/sqlite/sqlite_tx.hpp"

namespace simexit::sqlite {
namespace {

constexpr const char* kAppendAudit = R"sql(
INSERT INTO audit_log (actor, action, subject, detail, request_id, at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6))sql";
constexpr const char* kListAudit = R"sql(
SELECT id, actor, action, subject, detail, request_id, at FROM audit_log
WHERE subject = ?1 ORDER BY id DESC LIMIT ?2)sql";

AuditRecord ReadAudit(const Statement& row) {
  AuditRecord r;
  r.id = row.Int64(0);
  r.actor = row.Text(1);
  r.action = row.Text(2);
  r.subject = row.Text(3);
  r.detail = row.Text(4);
  r.request_id = row.Text(5);
  r.at = row.Int64(6);
  return r;
}

}  // namespace

Result<std::int64_t> SqliteTx::AppendAudit(const AuditRecord& a) {
  return conn_.Insert(kAppendAudit, "audit_log", a.actor, a.action, a.subject, a.detail,
                      a.request_id, a.at);
}

Result<std::vector<AuditRecord>> SqliteTx::ListAudit(const std::string& subject, int limit) {
  return conn_.QueryAll(kListAudit, "audit_log", ReadAudit, subject, ClampLimit(limit));
}

}  // namespace simexit::sqlite
