// The general audit trail (sign-in attempts and other actions that are not a
// termination's state). Each record is also a link of its operator's audit
// chain (sqlite_audit_chain.cpp).

#include "simexit/adapters/sqlite/sqlite_tx.hpp"

namespace simexit::sqlite {
namespace {

constexpr const char* kAppendAudit = R"sql(
INSERT INTO audit_log (actor, action, subject, detail, request_id, at, operator_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7))sql";
constexpr const char* kListAudit = R"sql(
SELECT id, actor, action, subject, detail, request_id, at, operator_id FROM audit_log
WHERE subject = ?1 ORDER BY id DESC LIMIT ?2)sql";

// Lists are bound as JSON arrays and read back with json_each, so one
// statement serves any number of actions and details.
constexpr const char* kTallyAudit = R"sql(
SELECT COUNT(*), COALESCE(MAX(id), 0) FROM audit_log
WHERE subject = ?1 AND id > ?2 AND at >= ?3
  AND action IN (SELECT value FROM json_each(?4))
  AND (?5 = '[]' OR detail IN (SELECT value FROM json_each(?5))))sql";
constexpr const char* kAuditAt = R"sql(SELECT at FROM audit_log WHERE id = ?1)sql";

std::string JsonArray(const std::vector<std::string>& items) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "[";
  for (const std::string& item : items) {
    if (out.size() > 1) {
      out += ',';
    }
    out += '"';
    for (const char c : item) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (byte < 0x20) {
        out += "\\u00";
        out += kHex[byte >> 4];
        out += kHex[byte & 0xF];
      } else {
        out += c;
      }
    }
    out += '"';
  }
  return out + "]";
}

AuditRecord ReadAudit(const Statement& row) {
  AuditRecord r;
  r.id = row.Int64(0);
  r.actor = row.Text(1);
  r.action = row.Text(2);
  r.subject = row.Text(3);
  r.detail = row.Text(4);
  r.request_id = row.Text(5);
  r.at = row.Int64(6);
  r.operator_id = row.Int64(7);
  return r;
}

}  // namespace

Result<std::int64_t> SqliteTx::AppendAudit(const AuditRecord& a) {
  SIMEXIT_ASSIGN_OR_RETURN(std::int64_t id,
                           conn_.Insert(kAppendAudit, "audit_log", a.actor, a.action, a.subject,
                                        a.detail, a.request_id, a.at, NullIfZero{a.operator_id}));
  AuditRecord stored = a;
  stored.id = id;
  SIMEXIT_ASSIGN_OR_RETURN(std::string canonical, ChainRecordJson(stored));
  SIMEXIT_TRY(AppendChainLink(a.operator_id, kChainedAudit, id, a.at, canonical));
  return id;
}

Result<std::vector<AuditRecord>> SqliteTx::ListAudit(const std::string& subject, int limit) {
  return conn_.QueryAll(kListAudit, "audit_log", ReadAudit, subject, ClampLimit(limit));
}

Result<AuditTally> SqliteTx::TallyAudit(const AuditQuery& q) {
  SIMEXIT_ASSIGN_OR_RETURN(
      std::optional<AuditTally> tally,
      conn_.QueryOne(
          kTallyAudit, "audit_log",
          [](const Statement& row) {
            AuditTally t;
            t.count = row.Int(0);
            t.newest_id = row.Int64(1);
            return t;
          },
          q.subject, q.after_id, q.since, JsonArray(q.actions), JsonArray(q.details)));
  AuditTally out = tally.value_or(AuditTally{});
  if (out.count > 0) {
    SIMEXIT_ASSIGN_OR_RETURN(std::optional<std::int64_t> at,
                             conn_.QueryOne(
                                 kAuditAt, "audit_log",
                                 [](const Statement& row) { return row.Int64(0); }, out.newest_id));
    out.newest_at = at.value_or(0);
  }
  return out;
}

}  // namespace simexit::sqlite
