// The SMS outbox: every SMS is a row before it is sent.

#include "simexit/adapters/postgres/pg_tx.hpp"

namespace simexit::pg {
namespace {

#define SIMEXIT_SMS_COLUMNS                                                             \
  "id, operator_id, termination_id, recipient, kind, language, text, state, attempts, " \
  "message_ids, parts, last_error, created_at, updated_at, submitted_at, finished_at"
constexpr const char* kInsertSms = R"sql(
INSERT INTO sms_messages (operator_id, termination_id, recipient, kind, language, text, state,
                          attempts, message_ids, parts, last_error, created_at, updated_at,
                          submitted_at, finished_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id)sql";
constexpr const char* kUpdateSms = R"sql(
UPDATE sms_messages SET text = $2, state = $3, attempts = $4, message_ids = $5, parts = $6,
                        last_error = $7, updated_at = $8, submitted_at = $9, finished_at = $10
WHERE id = $1)sql";
constexpr const char* kGetSms = "SELECT " SIMEXIT_SMS_COLUMNS " FROM sms_messages WHERE id = $1";
constexpr const char* kListSms = "SELECT " SIMEXIT_SMS_COLUMNS
                                 " FROM sms_messages WHERE ($1 IS NULL OR state = $1) "
                                 "AND ($2 IS NULL OR recipient = $2) ORDER BY id DESC LIMIT $3";
#undef SIMEXIT_SMS_COLUMNS

Result<SmsRecord> ReadSms(const Row& row) {
  SmsRecord m;
  m.id = row.Int64(0);
  m.operator_id = row.Int64(1);
  m.termination_id = row.Text(2);
  m.recipient = row.Text(3);
  m.kind = row.Text(4);
  m.language = row.Text(5);
  m.text = row.Text(6);
  SIMEXIT_ASSIGN_OR_RETURN(m.state, ParseColumn(row, 7, ParseSmsState, "sms_messages", "state"));
  m.attempts = row.Int(8);
  m.message_ids = row.Text(9);
  m.parts = row.Int(10);
  m.last_error = row.Text(11);
  m.created_at = row.Int64(12);
  m.updated_at = row.Int64(13);
  m.submitted_at = row.OptionalInt64(14);
  m.finished_at = row.OptionalInt64(15);
  return m;
}

}  // namespace

Result<std::int64_t> PgTx::InsertSms(const SmsRecord& m) {
  return conn_.Insert(kInsertSms, "sms_messages", NullIfZero{m.operator_id},
                      NullIfEmpty{m.termination_id}, m.recipient, m.kind, m.language, m.text,
                      ToString(m.state), m.attempts, m.message_ids, m.parts, m.last_error,
                      m.created_at, m.updated_at, m.submitted_at, m.finished_at);
}

Result<void> PgTx::UpdateSms(const SmsRecord& m) {
  SIMEXIT_ASSIGN_OR_RETURN(std::int64_t changed,
                           conn_.Change(kUpdateSms, "sms_messages", m.id, m.text, ToString(m.state),
                                        m.attempts, m.message_ids, m.parts, m.last_error,
                                        m.updated_at, m.submitted_at, m.finished_at));
  if (changed == 0) {
    return Fail(ErrorCode::kNotFound, "not_found", "no such SMS");
  }
  return {};
}

Result<SmsRecord> PgTx::GetSms(std::int64_t id) {
  return Required(conn_.QueryOne(kGetSms, "sms_messages", ReadSms, id), "SMS");
}

Result<std::vector<SmsRecord>> PgTx::ListSms(const SmsFilter& filter) {
  return conn_.QueryAll(kListSms, "sms_messages", ReadSms,
                        NullIfEmpty{filter.state ? ToString(*filter.state) : ""},
                        NullIfEmpty{filter.recipient.value_or("")}, ClampLimit(filter.limit));
}

}  // namespace simexit::pg
