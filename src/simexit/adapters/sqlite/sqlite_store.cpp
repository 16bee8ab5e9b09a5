#include "simexit/adapters/sqlite/sqlite_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <thread>
#include <utility>

#include "simexit/adapters/sqlite/migrations.hpp"

namespace simexit {
namespace {

using sqlite::Connection;
using sqlite::Statement;

// ---------------------------------------------------------------------------
// SQL. Column order in each SELECT matches the Read* function below it.

constexpr const char* kInsertOperator = R"sql(
INSERT INTO operators (code, name, policy_json, default_language, created_at)
VALUES (?1, ?2, ?3, ?4, ?5))sql";
constexpr const char* kUpdateOperator = R"sql(
UPDATE operators SET code = ?2, name = ?3, policy_json = ?4, default_language = ?5
WHERE id = ?1)sql";
constexpr const char* kGetOperator = R"sql(
SELECT id, code, name, policy_json, default_language, created_at FROM operators WHERE id = ?1)sql";
constexpr const char* kGetOperatorByCode = R"sql(
SELECT id, code, name, policy_json, default_language, created_at FROM operators
WHERE code = ?1)sql";
constexpr const char* kListOperators = R"sql(
SELECT id, code, name, policy_json, default_language, created_at FROM operators ORDER BY id)sql";

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

#define SIMEXIT_TERMINATION_COLUMNS                                                          \
  "id, operator_id, line_id, holder_id, msisdn, channel, state, scheduled_for, refund_method, " \
  "refund_destination, settlement_json, requested_by, reason, certificate_serial, created_at, " \
  "updated_at, review_since, reason_code, reviewed_by, postmarked_on"
constexpr const char* kInsertTermination =
    "INSERT INTO terminations (" SIMEXIT_TERMINATION_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20)";
constexpr const char* kUpdateTermination = R"sql(
UPDATE terminations SET operator_id = ?2, line_id = ?3, holder_id = ?4, msisdn = ?5,
                        channel = ?6, state = ?7, scheduled_for = ?8, refund_method = ?9,
                        refund_destination = ?10, settlement_json = ?11, requested_by = ?12,
                        reason = ?13, certificate_serial = ?14, updated_at = ?16,
                        review_since = ?17, reason_code = ?18, reviewed_by = ?19,
                        postmarked_on = ?20
WHERE id = ?1)sql";
constexpr const char* kGetTermination =
    "SELECT " SIMEXIT_TERMINATION_COLUMNS " FROM terminations WHERE id = ?1";
// The NOT IN list matches the partial index terminations_one_open.
constexpr const char* kFindOpenTermination =
    "SELECT " SIMEXIT_TERMINATION_COLUMNS
    " FROM terminations"
    " WHERE line_id = ?1 AND state NOT IN ('terminated', 'rejected', 'cancelled')";
#define SIMEXIT_TERMINATION_FILTER                                   \
  " FROM terminations"                                               \
  " WHERE (?1 IS NULL OR operator_id = ?1) AND (?2 IS NULL OR state = ?2)" \
  " AND (?3 IS NULL OR msisdn = ?3)"
constexpr const char* kListTerminations = "SELECT " SIMEXIT_TERMINATION_COLUMNS
    SIMEXIT_TERMINATION_FILTER " ORDER BY created_at DESC, id DESC LIMIT ?4";
// The review queue (index terminations_review_queue). Requests that never
// entered review sort last, as PostgreSQL orders NULLs in ascending order.
constexpr const char* kListTerminationsOldestFirst =
    "SELECT " SIMEXIT_TERMINATION_COLUMNS SIMEXIT_TERMINATION_FILTER
    " ORDER BY review_since ASC NULLS LAST, created_at ASC, id ASC LIMIT ?4";
#undef SIMEXIT_TERMINATION_FILTER
#undef SIMEXIT_TERMINATION_COLUMNS

constexpr const char* kInsertEvent = R"sql(
INSERT INTO termination_events (termination_id, event, from_state, to_state, actor, channel,
                                detail, at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8))sql";
constexpr const char* kListEvents = R"sql(
SELECT id, termination_id, event, from_state, to_state, actor, channel, detail, at
FROM termination_events WHERE termination_id = ?1 ORDER BY id)sql";

constexpr const char* kSavepointPosting = "SAVEPOINT posting";
constexpr const char* kReleasePosting = "RELEASE posting";
constexpr const char* kRollbackPosting = "ROLLBACK TO posting; RELEASE posting";
constexpr const char* kInsertPosting = R"sql(
INSERT INTO postings (operator_id, line_id, termination_id, kind, created_at)
VALUES (?1, ?2, ?3, ?4, ?5))sql";
constexpr const char* kInsertLedgerEntry = R"sql(
INSERT INTO ledger_entries (posting_id, account, amount) VALUES (?1, ?2, ?3))sql";
// One row per entry (NULL entry columns for a posting without entries).
constexpr const char* kListPostings = R"sql(
SELECT p.id, p.operator_id, p.line_id, p.termination_id, p.kind, p.created_at, e.account, e.amount
FROM postings p LEFT JOIN ledger_entries e ON e.posting_id = p.id
WHERE (?1 IS NULL OR p.line_id = ?1)
ORDER BY p.id, e.id)sql";
constexpr const char* kLedgerTotal = "SELECT COALESCE(SUM(amount), 0) FROM ledger_entries";

// Jobs. kWallClock stands in for `now` where the port passes none.
#define SIMEXIT_WALL_CLOCK "CAST(strftime('%s', 'now') AS INTEGER)"
#define SIMEXIT_JOB_COLUMNS                                                             \
  "id, kind, payload, dedupe_key, state, run_at, attempts, max_attempts, lease_owner, " \
  "lease_until, last_error, created_at, updated_at"

constexpr const char* kEnqueueJob =
    "INSERT INTO jobs (kind, payload, dedupe_key, state, run_at, attempts, max_attempts, "
    "lease_owner, lease_until, last_error, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?6, '', 0, ?7, ?8, ?9) "
    "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id";
constexpr const char* kJobIdByDedupeKey = "SELECT id FROM jobs WHERE dedupe_key = ?1";
// Selecting and leasing in one statement, inside the IMMEDIATE transaction,
// means no two connections can lease the same job.
constexpr const char* kClaimJobs =
    "UPDATE jobs SET state = 'running', lease_owner = ?1, lease_until = ?2, "
    "attempts = attempts + 1, updated_at = ?3 "
    "WHERE id IN (SELECT id FROM jobs "
    "             WHERE (state = 'pending' AND run_at <= ?3) "
    "                OR (state = 'running' AND lease_until < ?3) "
    "             ORDER BY run_at, id LIMIT ?4) "
    "RETURNING " SIMEXIT_JOB_COLUMNS;
constexpr const char* kCompleteJob =
    "UPDATE jobs SET state = 'done', lease_owner = '', lease_until = 0, "
    "updated_at = " SIMEXIT_WALL_CLOCK " WHERE id = ?1 AND state = 'running' AND lease_owner = ?2";
constexpr const char* kFailJob =
    "UPDATE jobs SET state = CASE WHEN ?5 THEN 'dead' ELSE 'pending' END, "
    "run_at = CASE WHEN ?5 THEN run_at ELSE ?4 END, last_error = ?3, lease_owner = '', "
    "lease_until = 0, updated_at = " SIMEXIT_WALL_CLOCK
    " WHERE id = ?1 AND state = 'running' AND lease_owner = ?2";
constexpr const char* kReleaseLeases =
    "UPDATE jobs SET state = 'pending', lease_owner = '', lease_until = 0, "
    "attempts = MAX(attempts - 1, 0), updated_at = " SIMEXIT_WALL_CLOCK
    " WHERE state = 'running' AND lease_owner = ?1";
constexpr const char* kRetryJob =
    "UPDATE jobs SET state = 'pending', run_at = ?2, attempts = 0, lease_owner = '', "
    "lease_until = 0, updated_at = ?2 WHERE id = ?1 AND state IN ('pending', 'dead')";
constexpr const char* kJobExists = "SELECT 1 FROM jobs WHERE id = ?1";
constexpr const char* kGetJob = "SELECT " SIMEXIT_JOB_COLUMNS " FROM jobs WHERE id = ?1";
constexpr const char* kListJobs = "SELECT " SIMEXIT_JOB_COLUMNS
                                  " FROM jobs WHERE (?1 IS NULL OR state = ?1) "
                                  "AND (?2 IS NULL OR kind = ?2) ORDER BY id LIMIT ?3";
#undef SIMEXIT_JOB_COLUMNS
#undef SIMEXIT_WALL_CLOCK

constexpr const char* kFindIdempotency = R"sql(
SELECT scope, "key", request_hash, status, response_body, created_at
FROM idempotency_keys WHERE scope = ?1 AND "key" = ?2)sql";
constexpr const char* kInsertIdempotency = R"sql(
INSERT INTO idempotency_keys (scope, "key", request_hash, status, response_body, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6))sql";

constexpr const char* kInsertOtp = R"sql(
INSERT INTO otp_challenges (msisdn, code_hash, salt, created_at, expires_at, attempts,
                            max_attempts, consumed_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8))sql";
constexpr const char* kUpdateOtp = R"sql(
UPDATE otp_challenges SET msisdn = ?2, code_hash = ?3, salt = ?4, expires_at = ?5,
                          attempts = ?6, max_attempts = ?7, consumed_at = ?8
WHERE id = ?1)sql";
constexpr const char* kLatestOtp = R"sql(
SELECT id, msisdn, code_hash, salt, created_at, expires_at, attempts, max_attempts, consumed_at
FROM otp_challenges WHERE msisdn = ?1 ORDER BY created_at DESC, id DESC LIMIT 1)sql";
constexpr const char* kCountOtpSince = R"sql(
SELECT COUNT(*) FROM otp_challenges WHERE msisdn = ?1 AND created_at >= ?2)sql";

constexpr const char* kInsertSession = R"sql(
INSERT INTO sessions (token_hash, holder_id, msisdn, created_at, expires_at)
VALUES (?1, ?2, ?3, ?4, ?5))sql";
constexpr const char* kFindSession = R"sql(
SELECT token_hash, holder_id, msisdn, created_at, expires_at FROM sessions
WHERE token_hash = ?1)sql";

constexpr const char* kInsertApiKey = R"sql(
INSERT INTO api_keys (key_hash, prefix, role, operator_id, label, disabled, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7))sql";
constexpr const char* kFindApiKey = R"sql(
SELECT id, key_hash, prefix, role, operator_id, label, disabled, created_at FROM api_keys
WHERE key_hash = ?1)sql";

constexpr const char* kInsertCertificate = R"sql(
INSERT INTO certificates (serial, termination_id, operator_id, document, created_at)
VALUES (?1, ?2, ?3, ?4, ?5))sql";
constexpr const char* kFindCertificate = R"sql(
SELECT serial, termination_id, operator_id, document, created_at FROM certificates
WHERE termination_id = ?1)sql";

#define SIMEXIT_SMS_COLUMNS                                                                  \
  "id, operator_id, termination_id, to_msisdn, kind, language, text, state, attempts, "   \
  "message_ids, parts, last_error, created_at, updated_at, submitted_at, finished_at"
constexpr const char* kInsertSms = R"sql(
INSERT INTO sms_messages (operator_id, termination_id, to_msisdn, kind, language, text, state,
                          attempts, message_ids, parts, last_error, created_at, updated_at,
                          submitted_at, finished_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15))sql";
constexpr const char* kUpdateSms = R"sql(
UPDATE sms_messages SET text = ?2, state = ?3, attempts = ?4, message_ids = ?5, parts = ?6,
                        last_error = ?7, updated_at = ?8, submitted_at = ?9, finished_at = ?10
WHERE id = ?1)sql";
constexpr const char* kGetSms = "SELECT " SIMEXIT_SMS_COLUMNS " FROM sms_messages WHERE id = ?1";
constexpr const char* kListSms = "SELECT " SIMEXIT_SMS_COLUMNS
                                 " FROM sms_messages WHERE (?1 IS NULL OR state = ?1) "
                                 "AND (?2 IS NULL OR to_msisdn = ?2) ORDER BY id DESC LIMIT ?3";
#undef SIMEXIT_SMS_COLUMNS

// Issue 4: staff, documents, powers of attorney, uploads, confirmations.
#define SIMEXIT_STAFF_COLUMNS                                                              \
  "id, operator_id, username, full_name, role, password_hash, disabled, failed_logins, " \
  "locked_until, last_login_at, created_at, updated_at"
constexpr const char* kInsertStaff = R"sql(
INSERT INTO staff (operator_id, username, full_name, role, password_hash, disabled, failed_logins,
                   locked_until, last_login_at, created_at, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11))sql";
constexpr const char* kUpdateStaff = R"sql(
UPDATE staff SET operator_id = ?2, username = ?3, full_name = ?4, role = ?5, password_hash = ?6,
                 disabled = ?7, failed_logins = ?8, locked_until = ?9, last_login_at = ?10,
                 updated_at = ?11
WHERE id = ?1)sql";
constexpr const char* kGetStaff = "SELECT " SIMEXIT_STAFF_COLUMNS " FROM staff WHERE id = ?1";
constexpr const char* kFindStaffByUsername =
    "SELECT " SIMEXIT_STAFF_COLUMNS " FROM staff WHERE username = ?1";
constexpr const char* kListStaff = "SELECT " SIMEXIT_STAFF_COLUMNS
                                   " FROM staff WHERE (?1 IS NULL OR operator_id = ?1) ORDER BY id";
#undef SIMEXIT_STAFF_COLUMNS

constexpr const char* kInsertStaffSession = R"sql(
INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at, revoked_at)
VALUES (?1, ?2, ?3, ?4, ?5))sql";
constexpr const char* kFindStaffSession = R"sql(
SELECT token_hash, staff_id, created_at, expires_at, revoked_at FROM staff_sessions
WHERE token_hash = ?1)sql";
// A session revoked twice keeps the first time.
constexpr const char* kRevokeStaffSession = R"sql(
UPDATE staff_sessions SET revoked_at = COALESCE(revoked_at, ?2) WHERE token_hash = ?1)sql";
constexpr const char* kRevokeStaffSessions = R"sql(
UPDATE staff_sessions SET revoked_at = ?2 WHERE staff_id = ?1 AND revoked_at IS NULL)sql";

#define SIMEXIT_DOCUMENT_COLUMNS                                                             \
  "id, operator_id, termination_id, role, kind, number, country, full_name, iin, birth_date, " \
  "expiry_date, mrz_checked, checked_by, checked_at"
constexpr const char* kInsertDocumentCheck =
    "INSERT INTO document_checks (" SIMEXIT_DOCUMENT_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
constexpr const char* kGetDocumentCheck =
    "SELECT " SIMEXIT_DOCUMENT_COLUMNS " FROM document_checks WHERE id = ?1";
constexpr const char* kListDocumentChecks =
    "SELECT " SIMEXIT_DOCUMENT_COLUMNS
    " FROM document_checks WHERE termination_id = ?1 ORDER BY checked_at, rowid";
#undef SIMEXIT_DOCUMENT_COLUMNS

constexpr const char* kInsertPowerOfAttorney = R"sql(
INSERT INTO powers_of_attorney (termination_id, operator_id, number, issued_on, valid_until,
                                issuer, principal_document, scope_json, attorney_document_id,
                                created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10))sql";
constexpr const char* kFindPowerOfAttorney = R"sql(
SELECT termination_id, operator_id, number, issued_on, valid_until, issuer, principal_document,
       scope_json, attorney_document_id, created_at
FROM powers_of_attorney WHERE termination_id = ?1)sql";

#define SIMEXIT_UPLOAD_COLUMNS                                                             \
  "id, operator_id, termination_id, content_type, file_name, size, sha256, storage_key, " \
  "uploaded_by, created_at"
constexpr const char* kInsertUpload = "INSERT INTO uploads (" SIMEXIT_UPLOAD_COLUMNS ") "
                                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
constexpr const char* kUpdateUpload = R"sql(
UPDATE uploads SET operator_id = ?2, termination_id = ?3, content_type = ?4, file_name = ?5,
                   size = ?6, sha256 = ?7, storage_key = ?8, uploaded_by = ?9
WHERE id = ?1)sql";
constexpr const char* kGetUpload = "SELECT " SIMEXIT_UPLOAD_COLUMNS " FROM uploads WHERE id = ?1";
constexpr const char* kListUploads = "SELECT " SIMEXIT_UPLOAD_COLUMNS
                                     " FROM uploads WHERE termination_id = ?1"
                                     " ORDER BY created_at, rowid";
#undef SIMEXIT_UPLOAD_COLUMNS

#define SIMEXIT_CONFIRMATION_COLUMNS                                                          \
  "termination_id, code_hash, salt, link_token_hash, created_at, expires_at, attempts, " \
  "max_attempts, confirmed_at"
constexpr const char* kInsertConfirmation =
    "INSERT INTO confirmations (" SIMEXIT_CONFIRMATION_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr const char* kUpdateConfirmation = R"sql(
UPDATE confirmations SET code_hash = ?2, salt = ?3, link_token_hash = ?4, expires_at = ?5,
                         attempts = ?6, max_attempts = ?7, confirmed_at = ?8
WHERE termination_id = ?1)sql";
constexpr const char* kFindConfirmation =
    "SELECT " SIMEXIT_CONFIRMATION_COLUMNS " FROM confirmations WHERE termination_id = ?1";
constexpr const char* kFindConfirmationByLink =
    "SELECT " SIMEXIT_CONFIRMATION_COLUMNS " FROM confirmations WHERE link_token_hash = ?1";
#undef SIMEXIT_CONFIRMATION_COLUMNS

constexpr const char* kAppendAudit = R"sql(
INSERT INTO audit_log (actor, action, subject, detail, request_id, at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6))sql";
constexpr const char* kListAudit = R"sql(
SELECT id, actor, action, subject, detail, request_id, at FROM audit_log
WHERE subject = ?1 ORDER BY id DESC LIMIT ?2)sql";

constexpr const char* kNextSequence = R"sql(
INSERT INTO sequences (name, value) VALUES (?1, 1)
ON CONFLICT (name) DO UPDATE SET value = value + 1
RETURNING value)sql";

// Connection set-up and transactions.
constexpr const char* kJournalModeWal = "PRAGMA journal_mode = WAL";
constexpr const char* kSynchronousNormal = "PRAGMA synchronous = NORMAL";
constexpr const char* kForeignKeysOn = "PRAGMA foreign_keys = ON";
constexpr const char* kForeignKeysQuery = "PRAGMA foreign_keys";
constexpr const char* kBeginImmediate = "BEGIN IMMEDIATE";
constexpr const char* kCommit = "COMMIT";
constexpr const char* kRollback = "ROLLBACK";

constexpr const char* kCreateSchemaMigrations = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  applied_at INTEGER NOT NULL
) STRICT)sql";
constexpr const char* kSchemaMigrationsExists = R"sql(
SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations')sql";
constexpr const char* kAppliedMigrations = "SELECT version FROM schema_migrations ORDER BY version";
constexpr const char* kRecordMigration = R"sql(
INSERT INTO schema_migrations (version, name, applied_at)
VALUES (?1, ?2, CAST(strftime('%s', 'now') AS INTEGER)))sql";

// ---------------------------------------------------------------------------
// Helpers.

Error NotFound(std::string_view what) {
  return Error{ErrorCode::kNotFound, "not_found", fmt::format("{} not found", what)};
}

// Errors of the issue-4 tables name the missing thing in the reason
// ("staff_not_found"), so services can pass them through.
Error NotFoundAs(std::string_view reason, std::string_view what) {
  return Error{ErrorCode::kNotFound, std::string(reason), fmt::format("{} not found", what)};
}

Error Corrupt(std::string_view table, std::string_view column) {
  return Error{ErrorCode::kInternal, "corrupt_row",
               fmt::format("unreadable value in {}.{}", table, column)};
}

const char* ToString(ApiKeyRole role) { return role == ApiKeyRole::kAdmin ? "admin" : "operator"; }

std::optional<ApiKeyRole> ParseApiKeyRole(std::string_view text) {
  if (text == "admin") {
    return ApiKeyRole::kAdmin;
  }
  if (text == "operator") {
    return ApiKeyRole::kOperator;
  }
  return std::nullopt;
}

// Reads an enum column with `parse`, or reports the row as corrupt.
template <typename Parse>
auto ParseColumn(const Statement& stmt, int column, Parse parse, std::string_view table,
                 std::string_view name) -> Result<typename decltype(parse(""))::value_type> {
  std::string text = stmt.Text(column);
  auto parsed = parse(text);
  if (!parsed) {
    return Fail(Corrupt(table, name));
  }
  return *parsed;
}

std::int64_t ClampLimit(int limit) { return limit > 0 ? limit : 0; }

// The settlement quote's stored form: the same keys as SettlementQuote::ToJson()
// (decimal KZT strings), written and read here so the adapter owns its format.
struct QuoteField {
  const char* name;
  Money SettlementQuote::*member;
};
constexpr std::array<QuoteField, 9> kQuoteFields = {{
    {"outstanding_charges", &SettlementQuote::outstanding_charges},
    {"fee", &SettlementQuote::fee},
    {"main_balance", &SettlementQuote::main_balance},
    {"bonus_balance", &SettlementQuote::bonus_balance},
    {"applied_from_balance", &SettlementQuote::applied_from_balance},
    {"amount_due", &SettlementQuote::amount_due},
    {"refund", &SettlementQuote::refund},
    {"forfeited_main", &SettlementQuote::forfeited_main},
    {"forfeited_bonus", &SettlementQuote::forfeited_bonus},
}};

std::string EncodeSettlement(const SettlementQuote& quote) {
  boost::json::object json;
  for (const QuoteField& field : kQuoteFields) {
    json[field.name] = (quote.*field.member).ToDecimalString();
  }
  json["refund_below_minimum"] = quote.refund_below_minimum;
  json["currency"] = kCurrency;
  return boost::json::serialize(json);
}

Result<SettlementQuote> DecodeSettlement(const std::string& text) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) {
    return Fail(Corrupt("terminations", "settlement_json"));
  }
  const boost::json::object& json = value.as_object();
  SettlementQuote quote;
  for (const QuoteField& field : kQuoteFields) {
    const boost::json::value* amount = json.if_contains(field.name);
    if (amount == nullptr || !amount->is_string()) {
      return Fail(Corrupt("terminations", "settlement_json"));
    }
    const boost::json::string& decimal = amount->get_string();
    Result<Money> money = Money::ParseKzt(std::string_view(decimal.data(), decimal.size()));
    if (!money) {
      return Fail(Corrupt("terminations", "settlement_json"));
    }
    quote.*field.member = *money;
  }
  const boost::json::value* below = json.if_contains("refund_below_minimum");
  if (below == nullptr || !below->is_bool()) {
    return Fail(Corrupt("terminations", "settlement_json"));
  }
  quote.refund_below_minimum = below->get_bool();
  return quote;
}

Result<OperatorRecord> ReadOperator(const Statement& stmt) {
  OperatorRecord op;
  op.id = stmt.Int64(0);
  op.code = stmt.Text(1);
  op.name = stmt.Text(2);
  boost::system::error_code ec;
  boost::json::value policy_json = boost::json::parse(stmt.Text(3), ec);
  if (ec) {
    return Fail(Corrupt("operators", "policy_json"));
  }
  Result<Policy> policy = Policy::FromJson(policy_json);
  if (!policy) {
    return Fail(Corrupt("operators", "policy_json"));
  }
  op.policy = std::move(*policy);
  op.default_language = stmt.Text(4);
  op.created_at = stmt.Int64(5);
  return op;
}

Result<HolderRecord> ReadHolder(const Statement& stmt) {
  HolderRecord holder;
  holder.id = stmt.Int64(0);
  holder.operator_id = stmt.Int64(1);
  holder.full_name = stmt.Text(2);
  Result<DocumentKind> kind = ParseColumn(stmt, 3, ParseDocumentKind, "holders", "document_kind");
  if (!kind) {
    return Fail(kind.error());
  }
  holder.document_kind = *kind;
  holder.document_number = stmt.Text(4);
  holder.document_country = stmt.Text(5);
  holder.iin = stmt.Text(6);
  holder.language = stmt.Text(7);
  holder.time_zone = stmt.Text(8);
  holder.created_at = stmt.Int64(9);
  return holder;
}

Result<LineRecord> ReadLine(const Statement& stmt) {
  LineRecord line;
  line.id = stmt.Int64(0);
  line.operator_id = stmt.Int64(1);
  line.holder_id = stmt.Int64(2);
  line.msisdn = stmt.Text(3);
  line.iccid = stmt.Text(4);
  line.imsi = stmt.Text(5);
  Result<LineKind> kind = ParseColumn(stmt, 6, ParseLineKind, "lines", "kind");
  if (!kind) {
    return Fail(kind.error());
  }
  line.kind = *kind;
  Result<LineStatus> status = ParseColumn(stmt, 7, ParseLineStatus, "lines", "status");
  if (!status) {
    return Fail(status.error());
  }
  line.status = *status;
  line.main_balance = Money::Tiyn(stmt.Int64(8));
  line.bonus_balance = Money::Tiyn(stmt.Int64(9));
  line.outstanding_charges = Money::Tiyn(stmt.Int64(10));
  line.last_paid_activity_at = stmt.Int64(11);
  line.quarantine_until = stmt.OptionalInt64(12);
  line.created_at = stmt.Int64(13);
  line.updated_at = stmt.Int64(14);
  return line;
}

Result<TerminationRecord> ReadTermination(const Statement& stmt) {
  TerminationRecord t;
  t.id = stmt.Text(0);
  t.operator_id = stmt.Int64(1);
  t.line_id = stmt.Int64(2);
  t.holder_id = stmt.Int64(3);
  t.msisdn = stmt.Text(4);
  Result<Channel> channel = ParseColumn(stmt, 5, ParseChannel, "terminations", "channel");
  if (!channel) {
    return Fail(channel.error());
  }
  t.channel = *channel;
  Result<TerminationState> state =
      ParseColumn(stmt, 6, ParseTerminationState, "terminations", "state");
  if (!state) {
    return Fail(state.error());
  }
  t.state = *state;
  t.scheduled_for = stmt.OptionalInt64(7);
  if (!stmt.IsNull(8)) {
    Result<RefundMethod> method =
        ParseColumn(stmt, 8, ParseRefundMethod, "terminations", "refund_method");
    if (!method) {
      return Fail(method.error());
    }
    t.refund = RefundInstruction{*method, stmt.Text(9)};
  }
  if (!stmt.IsNull(10)) {
    Result<SettlementQuote> quote = DecodeSettlement(stmt.Text(10));
    if (!quote) {
      return Fail(quote.error());
    }
    t.settlement = *quote;
  }
  t.requested_by = stmt.Text(11);
  t.reason = stmt.Text(12);
  t.certificate_serial = stmt.Text(13);
  t.created_at = stmt.Int64(14);
  t.updated_at = stmt.Int64(15);
  t.review_since = stmt.OptionalInt64(16);
  t.reason_code = stmt.Text(17);
  t.reviewed_by = stmt.Text(18);
  t.postmarked_on = stmt.Text(19);
  return t;
}

void BindTermination(Statement& stmt, const TerminationRecord& t) {
  stmt.Bind(1, t.id)
      .Bind(2, t.operator_id)
      .Bind(3, t.line_id)
      .BindIdOrNull(4, t.holder_id)
      .Bind(5, t.msisdn)
      .Bind(6, ToString(t.channel))
      .Bind(7, ToString(t.state))
      .BindOptional(8, t.scheduled_for);
  if (t.refund) {
    stmt.Bind(9, ToString(t.refund->method)).Bind(10, t.refund->destination);
  } else {
    stmt.BindNull(9).BindNull(10);
  }
  if (t.settlement) {
    stmt.Bind(11, EncodeSettlement(*t.settlement));
  } else {
    stmt.BindNull(11);
  }
  stmt.Bind(12, t.requested_by)
      .Bind(13, t.reason)
      .Bind(14, t.certificate_serial)
      .Bind(15, t.created_at)
      .Bind(16, t.updated_at)
      .BindOptional(17, t.review_since)
      .Bind(18, t.reason_code)
      .Bind(19, t.reviewed_by)
      .Bind(20, t.postmarked_on);
}

TerminationEventRecord ReadEvent(const Statement& stmt) {
  TerminationEventRecord e;
  e.id = stmt.Int64(0);
  e.termination_id = stmt.Text(1);
  e.event = stmt.Text(2);
  e.from_state = stmt.Text(3);
  e.to_state = stmt.Text(4);
  e.actor = stmt.Text(5);
  e.channel = stmt.Text(6);
  e.detail = stmt.Text(7);
  e.at = stmt.Int64(8);
  return e;
}

Result<JobRecord> ReadJob(const Statement& stmt) {
  JobRecord job;
  job.id = stmt.Int64(0);
  job.kind = stmt.Text(1);
  job.payload = stmt.Text(2);
  job.dedupe_key = stmt.Text(3);
  Result<JobState> state = ParseColumn(stmt, 4, ParseJobState, "jobs", "state");
  if (!state) {
    return Fail(state.error());
  }
  job.state = *state;
  job.run_at = stmt.Int64(5);
  job.attempts = stmt.Int(6);
  job.max_attempts = stmt.Int(7);
  job.lease_owner = stmt.Text(8);
  job.lease_until = stmt.Int64(9);
  job.last_error = stmt.Text(10);
  job.created_at = stmt.Int64(11);
  job.updated_at = stmt.Int64(12);
  return job;
}

Result<SmsRecord> ReadSms(const Statement& stmt) {
  SmsRecord m;
  m.id = stmt.Int64(0);
  m.operator_id = stmt.Int64(1);
  m.termination_id = stmt.Text(2);
  m.to = stmt.Text(3);
  m.kind = stmt.Text(4);
  m.language = stmt.Text(5);
  m.text = stmt.Text(6);
  Result<SmsState> state = ParseColumn(stmt, 7, ParseSmsState, "sms_messages", "state");
  if (!state) {
    return Fail(state.error());
  }
  m.state = *state;
  m.attempts = stmt.Int(8);
  m.message_ids = stmt.Text(9);
  m.parts = stmt.Int(10);
  m.last_error = stmt.Text(11);
  m.created_at = stmt.Int64(12);
  m.updated_at = stmt.Int64(13);
  m.submitted_at = stmt.OptionalInt64(14);
  m.finished_at = stmt.OptionalInt64(15);
  return m;
}

OtpChallengeRecord ReadOtp(const Statement& stmt) {
  OtpChallengeRecord c;
  c.id = stmt.Int64(0);
  c.msisdn = stmt.Text(1);
  c.code_hash = stmt.Text(2);
  c.salt = stmt.Text(3);
  c.created_at = stmt.Int64(4);
  c.expires_at = stmt.Int64(5);
  c.attempts = stmt.Int(6);
  c.max_attempts = stmt.Int(7);
  c.consumed_at = stmt.OptionalInt64(8);
  return c;
}

Result<StaffRecord> ReadStaff(const Statement& stmt) {
  StaffRecord r;
  r.id = stmt.Int64(0);
  r.operator_id = stmt.Int64(1);
  r.username = stmt.Text(2);
  r.full_name = stmt.Text(3);
  Result<StaffRole> role = ParseColumn(stmt, 4, ParseStaffRole, "staff", "role");
  if (!role) {
    return Fail(role.error());
  }
  r.role = *role;
  r.password_hash = stmt.Text(5);
  r.disabled = stmt.Int64(6) != 0;
  r.failed_logins = stmt.Int(7);
  r.locked_until = stmt.OptionalInt64(8);
  r.last_login_at = stmt.OptionalInt64(9);
  r.created_at = stmt.Int64(10);
  r.updated_at = stmt.Int64(11);
  return r;
}

StaffSessionRecord ReadStaffSession(const Statement& stmt) {
  StaffSessionRecord r;
  r.token_hash = stmt.Text(0);
  r.staff_id = stmt.Int64(1);
  r.created_at = stmt.Int64(2);
  r.expires_at = stmt.Int64(3);
  r.revoked_at = stmt.OptionalInt64(4);
  return r;
}

Result<DocumentCheckRecord> ReadDocumentCheck(const Statement& stmt) {
  DocumentCheckRecord r;
  r.id = stmt.Text(0);
  r.operator_id = stmt.Int64(1);
  r.termination_id = stmt.Text(2);
  r.role = stmt.Text(3);
  Result<DocumentKind> kind =
      ParseColumn(stmt, 4, ParseDocumentKind, "document_checks", "kind");
  if (!kind) {
    return Fail(kind.error());
  }
  r.kind = *kind;
  r.number = stmt.Text(5);
  r.country = stmt.Text(6);
  r.full_name = stmt.Text(7);
  r.iin = stmt.Text(8);
  r.birth_date = stmt.Text(9);
  r.expiry_date = stmt.Text(10);
  r.mrz_checked = stmt.Int64(11) != 0;
  r.checked_by = stmt.Text(12);
  r.checked_at = stmt.Int64(13);
  return r;
}

// A power of attorney's scope is stored as a JSON array of strings.
std::string EncodeScope(const std::vector<std::string>& scope) {
  boost::json::array json;
  for (const std::string& item : scope) {
    json.emplace_back(item);
  }
  return boost::json::serialize(json);
}

Result<std::vector<std::string>> DecodeScope(const std::string& text) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) {
    return Fail(Corrupt("powers_of_attorney", "scope_json"));
  }
  std::vector<std::string> scope;
  for (const boost::json::value& item : value.as_array()) {
    if (!item.is_string()) {
      return Fail(Corrupt("powers_of_attorney", "scope_json"));
    }
    scope.emplace_back(item.get_string().data(), item.get_string().size());
  }
  return scope;
}

Result<PowerOfAttorneyRecord> ReadPowerOfAttorney(const Statement& stmt) {
  PowerOfAttorneyRecord r;
  r.termination_id = stmt.Text(0);
  r.operator_id = stmt.Int64(1);
  r.number = stmt.Text(2);
  r.issued_on = stmt.Text(3);
  r.valid_until = stmt.Text(4);
  r.issuer = stmt.Text(5);
  r.principal_document = stmt.Text(6);
  Result<std::vector<std::string>> scope = DecodeScope(stmt.Text(7));
  if (!scope) {
    return Fail(scope.error());
  }
  r.scope = std::move(*scope);
  r.attorney_document_id = stmt.Text(8);
  r.created_at = stmt.Int64(9);
  return r;
}

UploadRecord ReadUpload(const Statement& stmt) {
  UploadRecord r;
  r.id = stmt.Text(0);
  r.operator_id = stmt.Int64(1);
  r.termination_id = stmt.Text(2);
  r.content_type = stmt.Text(3);
  r.file_name = stmt.Text(4);
  r.size = stmt.Int64(5);
  r.sha256 = stmt.Text(6);
  r.storage_key = stmt.Text(7);
  r.uploaded_by = stmt.Text(8);
  r.created_at = stmt.Int64(9);
  return r;
}

ConfirmationRecord ReadConfirmation(const Statement& stmt) {
  ConfirmationRecord r;
  r.termination_id = stmt.Text(0);
  r.code_hash = stmt.Text(1);
  r.salt = stmt.Text(2);
  r.link_token_hash = stmt.Text(3);
  r.created_at = stmt.Int64(4);
  r.expires_at = stmt.Int64(5);
  r.attempts = stmt.Int(6);
  r.max_attempts = stmt.Int(7);
  r.confirmed_at = stmt.OptionalInt64(8);
  return r;
}

// Steps a statement expected to return at most one row and reads it.
template <typename T, typename Read>
Result<std::optional<T>> QueryOne(Result<Statement>& stmt, Read read) {
  Result<bool> row = stmt->Step();
  if (!row) {
    return Fail(row.error());
  }
  if (!*row) {
    return std::optional<T>();
  }
  Result<T> value = read(*stmt);
  if (!value) {
    return Fail(value.error());
  }
  return std::optional<T>(std::move(*value));
}

template <typename T, typename Read>
Result<std::vector<T>> QueryAll(Result<Statement>& stmt, Read read) {
  std::vector<T> out;
  while (true) {
    Result<bool> row = stmt->Step();
    if (!row) {
      return Fail(row.error());
    }
    if (!*row) {
      return out;
    }
    Result<T> value = read(*stmt);
    if (!value) {
      return Fail(value.error());
    }
    out.push_back(std::move(*value));
  }
}

// Wraps a reader that cannot fail into one returning Result.
template <typename Read>
auto Infallible(Read read) {
  return [read](const Statement& stmt) -> Result<decltype(read(stmt))> { return read(stmt); };
}

// Runs an INSERT and returns the new rowid.
Result<std::int64_t> InsertReturningId(Connection& conn, Result<Statement>& stmt) {
  if (Result<void> done = stmt->Run(); !done) {
    return Fail(done.error());
  }
  return conn.LastInsertRowid();
}

// Runs an UPDATE of one row by key; kNotFound when no row matched.
Result<void> UpdateOne(Connection& conn, Result<Statement>& stmt, std::string_view what) {
  if (Result<void> done = stmt->Run(); !done) {
    return Fail(done.error());
  }
  if (conn.Changes() == 0) {
    return Fail(NotFound(what));
  }
  return {};
}

// ---------------------------------------------------------------------------
// The transaction handle given to Transact callbacks.

class SqliteTx final : public StoreTx {
 public:
  explicit SqliteTx(Connection& conn) : conn_(conn) {}

  Result<std::int64_t> InsertOperator(const OperatorRecord& op) override {
    Result<Statement> stmt = conn_.Prepare(kInsertOperator, "operators");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, op.code)
        .Bind(2, op.name)
        .Bind(3, boost::json::serialize(op.policy.ToJson()))
        .Bind(4, op.default_language)
        .Bind(5, op.created_at);
    return InsertReturningId(conn_, stmt);
  }

  Result<void> UpdateOperator(const OperatorRecord& op) override {
    Result<Statement> stmt = conn_.Prepare(kUpdateOperator, "operators");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, op.id)
        .Bind(2, op.code)
        .Bind(3, op.name)
        .Bind(4, boost::json::serialize(op.policy.ToJson()))
        .Bind(5, op.default_language);
    return UpdateOne(conn_, stmt, "operator");
  }

  Result<OperatorRecord> GetOperator(std::int64_t id) override {
    Result<Statement> stmt = conn_.Prepare(kGetOperator, "operators");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, id);
    return Required(QueryOne<OperatorRecord>(stmt, ReadOperator), "operator");
  }

  Result<OperatorRecord> GetOperatorByCode(const std::string& code) override {
    Result<Statement> stmt = conn_.Prepare(kGetOperatorByCode, "operators");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, code);
    return Required(QueryOne<OperatorRecord>(stmt, ReadOperator), "operator");
  }

  Result<std::vector<OperatorRecord>> ListOperators() override {
    Result<Statement> stmt = conn_.Prepare(kListOperators, "operators");
    if (!stmt) {
      return Fail(stmt.error());
    }
    return QueryAll<OperatorRecord>(stmt, ReadOperator);
  }

  Result<std::int64_t> InsertHolder(const HolderRecord& h) override {
    Result<Statement> stmt = conn_.Prepare(kInsertHolder, "holders");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, h.operator_id)
        .Bind(2, h.full_name)
        .Bind(3, ToString(h.document_kind))
        .Bind(4, h.document_number)
        .Bind(5, h.document_country)
        .Bind(6, h.iin)
        .Bind(7, h.language)
        .Bind(8, h.time_zone)
        .Bind(9, h.created_at);
    return InsertReturningId(conn_, stmt);
  }

  Result<HolderRecord> GetHolder(std::int64_t id) override {
    Result<Statement> stmt = conn_.Prepare(kGetHolder, "holders");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, id);
    return Required(QueryOne<HolderRecord>(stmt, ReadHolder), "holder");
  }

  Result<std::int64_t> InsertLine(const LineRecord& line) override {
    Result<Statement> stmt = conn_.Prepare(kInsertLine, "lines");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, line.operator_id)
        .BindIdOrNull(2, line.holder_id)
        .Bind(3, line.msisdn)
        .BindTextOrNull(4, line.iccid)
        .BindTextOrNull(5, line.imsi)
        .Bind(6, ToString(line.kind))
        .Bind(7, ToString(line.status))
        .Bind(8, line.main_balance.tiyn())
        .Bind(9, line.bonus_balance.tiyn())
        .Bind(10, line.outstanding_charges.tiyn())
        .Bind(11, line.last_paid_activity_at)
        .BindOptional(12, line.quarantine_until)
        .Bind(13, line.created_at)
        .Bind(14, line.updated_at);
    return InsertReturningId(conn_, stmt);
  }

  Result<void> UpdateLine(const LineRecord& line) override {
    Result<Statement> stmt = conn_.Prepare(kUpdateLine, "lines");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, line.id)
        .Bind(2, line.operator_id)
        .BindIdOrNull(3, line.holder_id)
        .Bind(4, line.msisdn)
        .BindTextOrNull(5, line.iccid)
        .BindTextOrNull(6, line.imsi)
        .Bind(7, ToString(line.kind))
        .Bind(8, ToString(line.status))
        .Bind(9, line.main_balance.tiyn())
        .Bind(10, line.bonus_balance.tiyn())
        .Bind(11, line.outstanding_charges.tiyn())
        .Bind(12, line.last_paid_activity_at)
        .BindOptional(13, line.quarantine_until)
        .Bind(14, line.updated_at);
    return UpdateOne(conn_, stmt, "line");
  }

  Result<LineRecord> GetLine(std::int64_t id) override {
    Result<Statement> stmt = conn_.Prepare(kGetLine, "lines");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, id);
    return Required(QueryOne<LineRecord>(stmt, ReadLine), "line");
  }

  Result<LineRecord> GetLineByMsisdn(const std::string& msisdn) override {
    Result<Statement> stmt = conn_.Prepare(kGetLineByMsisdn, "lines");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, msisdn);
    return Required(QueryOne<LineRecord>(stmt, ReadLine), "line");
  }

  Result<std::vector<LineRecord>> ListLines(std::optional<std::int64_t> operator_id,
                                            int limit) override {
    Result<Statement> stmt = conn_.Prepare(kListLines, "lines");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->BindOptional(1, operator_id).Bind(2, ClampLimit(limit));
    return QueryAll<LineRecord>(stmt, ReadLine);
  }

  Result<void> InsertTermination(const TerminationRecord& t) override {
    Result<Statement> stmt = conn_.Prepare(kInsertTermination, "terminations");
    if (!stmt) {
      return Fail(stmt.error());
    }
    BindTermination(*stmt, t);
    return stmt->Run();
  }

  Result<void> UpdateTermination(const TerminationRecord& t) override {
    Result<Statement> stmt = conn_.Prepare(kUpdateTermination, "terminations");
    if (!stmt) {
      return Fail(stmt.error());
    }
    BindTermination(*stmt, t);
    return UpdateOne(conn_, stmt, "termination");
  }

  Result<TerminationRecord> GetTermination(const std::string& id) override {
    Result<Statement> stmt = conn_.Prepare(kGetTermination, "terminations");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, id);
    return Required(QueryOne<TerminationRecord>(stmt, ReadTermination), "termination");
  }

  Result<std::optional<TerminationRecord>> FindOpenTermination(std::int64_t line_id) override {
    Result<Statement> stmt = conn_.Prepare(kFindOpenTermination, "terminations");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, line_id);
    return QueryOne<TerminationRecord>(stmt, ReadTermination);
  }

  Result<std::vector<TerminationRecord>> ListTerminations(
      const TerminationFilter& filter) override {
    Result<Statement> stmt = conn_.Prepare(
        filter.oldest_first ? kListTerminationsOldestFirst : kListTerminations, "terminations");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->BindOptional(1, filter.operator_id);
    if (filter.state) {
      stmt->Bind(2, ToString(*filter.state));
    } else {
      stmt->BindNull(2);
    }
    if (filter.msisdn) {
      stmt->Bind(3, *filter.msisdn);
    } else {
      stmt->BindNull(3);
    }
    stmt->Bind(4, ClampLimit(filter.limit));
    return QueryAll<TerminationRecord>(stmt, ReadTermination);
  }

  Result<std::int64_t> AppendEvent(const TerminationEventRecord& e) override {
    Result<Statement> stmt = conn_.Prepare(kInsertEvent, "termination_events");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, e.termination_id)
        .Bind(2, e.event)
        .Bind(3, e.from_state)
        .Bind(4, e.to_state)
        .Bind(5, e.actor)
        .Bind(6, e.channel)
        .Bind(7, e.detail)
        .Bind(8, e.at);
    return InsertReturningId(conn_, stmt);
  }

  Result<std::vector<TerminationEventRecord>> ListEvents(
      const std::string& termination_id) override {
    Result<Statement> stmt = conn_.Prepare(kListEvents, "termination_events");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, termination_id);
    return QueryAll<TerminationEventRecord>(stmt, Infallible(ReadEvent));
  }

  Result<std::int64_t> InsertPosting(const PostingRecord& record) override {
    if (!record.posting.Balanced()) {
      return Fail(ErrorCode::kInternal, "unbalanced_posting",
                  fmt::format("posting '{}' does not balance (total {} KZT)", record.posting.kind,
                              record.posting.Total().ToDecimalString()));
    }
    // A savepoint keeps the posting and its entries all-or-nothing even when
    // the caller carries on after an error.
    if (Result<void> begun = conn_.Exec(kSavepointPosting, "postings"); !begun) {
      return Fail(begun.error());
    }
    Result<std::int64_t> id = InsertPostingRows(record);
    if (!id) {
      (void)conn_.Exec(kRollbackPosting, "postings");
      return id;
    }
    if (Result<void> released = conn_.Exec(kReleasePosting, "postings"); !released) {
      return Fail(released.error());
    }
    return id;
  }

  Result<std::vector<PostingRecord>> ListPostings(std::optional<std::int64_t> line_id) override {
    Result<Statement> stmt = conn_.Prepare(kListPostings, "postings");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->BindOptional(1, line_id);
    std::vector<PostingRecord> out;
    while (true) {
      Result<bool> row = stmt->Step();
      if (!row) {
        return Fail(row.error());
      }
      if (!*row) {
        return out;
      }
      std::int64_t id = stmt->Int64(0);
      if (out.empty() || out.back().id != id) {
        PostingRecord record;
        record.id = id;
        record.operator_id = stmt->Int64(1);
        record.line_id = stmt->Int64(2);
        record.termination_id = stmt->Text(3);
        record.posting.kind = stmt->Text(4);
        record.created_at = stmt->Int64(5);
        out.push_back(std::move(record));
      }
      if (!stmt->IsNull(6)) {
        out.back().posting.entries.push_back(
            LedgerEntry{stmt->Text(6), Money::Tiyn(stmt->Int64(7))});
      }
    }
  }

  Result<Money> LedgerTotal() override {
    Result<Statement> stmt = conn_.Prepare(kLedgerTotal, "ledger_entries");
    if (!stmt) {
      return Fail(stmt.error());
    }
    Result<bool> row = stmt->Step();
    if (!row) {
      return Fail(row.error());
    }
    return Money::Tiyn(*row ? stmt->Int64(0) : 0);
  }

  Result<std::int64_t> EnqueueJob(const JobRecord& job) override {
    Result<Statement> stmt = conn_.Prepare(kEnqueueJob, "jobs");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, job.kind)
        .Bind(2, job.payload)
        .BindTextOrNull(3, job.dedupe_key)
        .Bind(4, job.run_at)
        .Bind(5, std::int64_t{job.attempts})
        .Bind(6, std::int64_t{job.max_attempts})
        .Bind(7, job.last_error)
        .Bind(8, job.created_at)
        .Bind(9, job.updated_at);
    Result<bool> row = stmt->Step();
    if (!row) {
      return Fail(row.error());
    }
    if (*row) {
      std::int64_t id = stmt->Int64(0);
      if (Result<void> done = stmt->Run(); !done) {
        return Fail(done.error());
      }
      return id;
    }
    // The dedupe key is taken: the job already exists.
    Result<Statement> existing = conn_.Prepare(kJobIdByDedupeKey, "jobs");
    if (!existing) {
      return Fail(existing.error());
    }
    existing->Bind(1, job.dedupe_key);
    Result<bool> found = existing->Step();
    if (!found) {
      return Fail(found.error());
    }
    if (!*found) {
      return Fail(ErrorCode::kInternal, "database_error", "job dedupe conflict without a job");
    }
    return existing->Int64(0);
  }

  Result<std::vector<JobRecord>> ClaimJobs(const std::string& owner, UnixSeconds now,
                                           int lease_seconds, int limit) override {
    if (owner.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "invalid_owner", "a lease owner is required");
    }
    Result<Statement> stmt = conn_.Prepare(kClaimJobs, "jobs");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, owner)
        .Bind(2, now + std::int64_t{lease_seconds})
        .Bind(3, now)
        .Bind(4, ClampLimit(limit));
    Result<std::vector<JobRecord>> jobs = QueryAll<JobRecord>(stmt, ReadJob);
    if (jobs) {
      // RETURNING has no defined order; hand jobs out in the order they were due.
      std::sort(jobs->begin(), jobs->end(), [](const JobRecord& a, const JobRecord& b) {
        return std::pair(a.run_at, a.id) < std::pair(b.run_at, b.id);
      });
    }
    return jobs;
  }

  Result<void> CompleteJob(std::int64_t id, const std::string& owner) override {
    Result<Statement> stmt = conn_.Prepare(kCompleteJob, "jobs");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, id).Bind(2, owner);
    return LeasedUpdate(stmt, id);
  }

  Result<void> FailJob(std::int64_t id, const std::string& owner, const std::string& error,
                       UnixSeconds retry_at, bool dead) override {
    Result<Statement> stmt = conn_.Prepare(kFailJob, "jobs");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, id)
        .Bind(2, owner)
        .Bind(3, error)
        .Bind(4, retry_at)
        .Bind(5, std::int64_t{dead ? 1 : 0});
    return LeasedUpdate(stmt, id);
  }

  Result<void> ReleaseLeases(const std::string& owner) override {
    Result<Statement> stmt = conn_.Prepare(kReleaseLeases, "jobs");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, owner);
    return stmt->Run();
  }

  Result<void> RetryJob(std::int64_t id, UnixSeconds now) override {
    Result<Statement> stmt = conn_.Prepare(kRetryJob, "jobs");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, id).Bind(2, now);
    if (Result<void> done = stmt->Run(); !done) {
      return Fail(done.error());
    }
    if (conn_.Changes() > 0) {
      return {};
    }
    Result<bool> exists = JobExists(id);
    if (!exists) {
      return Fail(exists.error());
    }
    if (!*exists) {
      return Fail(NotFound("job"));
    }
    return Fail(ErrorCode::kFailedPrecondition, "job_not_retryable",
                fmt::format("job {} is running or done", id));
  }

  Result<JobRecord> GetJob(std::int64_t id) override {
    Result<Statement> stmt = conn_.Prepare(kGetJob, "jobs");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, id);
    return Required(QueryOne<JobRecord>(stmt, ReadJob), "job");
  }

  Result<std::vector<JobRecord>> ListJobs(const JobFilter& filter) override {
    Result<Statement> stmt = conn_.Prepare(kListJobs, "jobs");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->BindTextOrNull(1, filter.state ? ToString(*filter.state) : "")
        .BindTextOrNull(2, filter.kind.value_or(""))
        .Bind(3, ClampLimit(filter.limit));
    return QueryAll<JobRecord>(stmt, ReadJob);
  }

  Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& scope,
                                                           const std::string& key) override {
    Result<Statement> stmt = conn_.Prepare(kFindIdempotency, "idempotency_keys");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, scope).Bind(2, key);
    return QueryOne<IdempotencyRecord>(stmt, Infallible([](const Statement& s) {
                                         IdempotencyRecord r;
                                         r.scope = s.Text(0);
                                         r.key = s.Text(1);
                                         r.request_hash = s.Text(2);
                                         r.status = s.Int(3);
                                         r.response_body = s.Text(4);
                                         r.created_at = s.Int64(5);
                                         return r;
                                       }));
  }

  Result<void> InsertIdempotency(const IdempotencyRecord& r) override {
    Result<Statement> stmt = conn_.Prepare(kInsertIdempotency, "idempotency_keys");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, r.scope)
        .Bind(2, r.key)
        .Bind(3, r.request_hash)
        .Bind(4, std::int64_t{r.status})
        .Bind(5, r.response_body)
        .Bind(6, r.created_at);
    return stmt->Run();
  }

  Result<std::int64_t> InsertOtpChallenge(const OtpChallengeRecord& c) override {
    Result<Statement> stmt = conn_.Prepare(kInsertOtp, "otp_challenges");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, c.msisdn)
        .Bind(2, c.code_hash)
        .Bind(3, c.salt)
        .Bind(4, c.created_at)
        .Bind(5, c.expires_at)
        .Bind(6, std::int64_t{c.attempts})
        .Bind(7, std::int64_t{c.max_attempts})
        .BindOptional(8, c.consumed_at);
    return InsertReturningId(conn_, stmt);
  }

  Result<void> UpdateOtpChallenge(const OtpChallengeRecord& c) override {
    Result<Statement> stmt = conn_.Prepare(kUpdateOtp, "otp_challenges");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, c.id)
        .Bind(2, c.msisdn)
        .Bind(3, c.code_hash)
        .Bind(4, c.salt)
        .Bind(5, c.expires_at)
        .Bind(6, std::int64_t{c.attempts})
        .Bind(7, std::int64_t{c.max_attempts})
        .BindOptional(8, c.consumed_at);
    return UpdateOne(conn_, stmt, "otp challenge");
  }

  Result<std::optional<OtpChallengeRecord>> LatestOtpChallenge(const std::string& msisdn) override {
    Result<Statement> stmt = conn_.Prepare(kLatestOtp, "otp_challenges");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, msisdn);
    return QueryOne<OtpChallengeRecord>(stmt, Infallible(ReadOtp));
  }

  Result<int> CountOtpChallengesSince(const std::string& msisdn, UnixSeconds since) override {
    Result<Statement> stmt = conn_.Prepare(kCountOtpSince, "otp_challenges");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, msisdn).Bind(2, since);
    Result<bool> row = stmt->Step();
    if (!row) {
      return Fail(row.error());
    }
    return *row ? stmt->Int(0) : 0;
  }

  Result<void> InsertSession(const SessionRecord& s) override {
    Result<Statement> stmt = conn_.Prepare(kInsertSession, "sessions");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, s.token_hash)
        .Bind(2, s.holder_id)
        .Bind(3, s.msisdn)
        .Bind(4, s.created_at)
        .Bind(5, s.expires_at);
    return stmt->Run();
  }

  Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) override {
    Result<Statement> stmt = conn_.Prepare(kFindSession, "sessions");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, token_hash);
    return QueryOne<SessionRecord>(stmt, Infallible([](const Statement& s) {
                                     SessionRecord r;
                                     r.token_hash = s.Text(0);
                                     r.holder_id = s.Int64(1);
                                     r.msisdn = s.Text(2);
                                     r.created_at = s.Int64(3);
                                     r.expires_at = s.Int64(4);
                                     return r;
                                   }));
  }

  Result<std::int64_t> InsertApiKey(const ApiKeyRecord& k) override {
    Result<Statement> stmt = conn_.Prepare(kInsertApiKey, "api_keys");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, k.key_hash)
        .Bind(2, k.prefix)
        .Bind(3, ToString(k.role))
        .BindIdOrNull(4, k.operator_id)
        .Bind(5, k.label)
        .Bind(6, std::int64_t{k.disabled ? 1 : 0})
        .Bind(7, k.created_at);
    return InsertReturningId(conn_, stmt);
  }

  Result<std::optional<ApiKeyRecord>> FindApiKey(const std::string& key_hash) override {
    Result<Statement> stmt = conn_.Prepare(kFindApiKey, "api_keys");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, key_hash);
    return QueryOne<ApiKeyRecord>(stmt, [](const Statement& s) -> Result<ApiKeyRecord> {
      ApiKeyRecord r;
      r.id = s.Int64(0);
      r.key_hash = s.Text(1);
      r.prefix = s.Text(2);
      Result<ApiKeyRole> role = ParseColumn(s, 3, ParseApiKeyRole, "api_keys", "role");
      if (!role) {
        return Fail(role.error());
      }
      r.role = *role;
      r.operator_id = s.Int64(4);
      r.label = s.Text(5);
      r.disabled = s.Int64(6) != 0;
      r.created_at = s.Int64(7);
      return r;
    });
  }

  Result<void> InsertCertificate(const CertificateRecord& c) override {
    Result<Statement> stmt = conn_.Prepare(kInsertCertificate, "certificates");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, c.serial)
        .Bind(2, c.termination_id)
        .Bind(3, c.operator_id)
        .Bind(4, c.document)
        .Bind(5, c.created_at);
    return stmt->Run();
  }

  Result<std::optional<CertificateRecord>> FindCertificateForTermination(
      const std::string& termination_id) override {
    Result<Statement> stmt = conn_.Prepare(kFindCertificate, "certificates");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, termination_id);
    return QueryOne<CertificateRecord>(stmt, Infallible([](const Statement& s) {
                                         CertificateRecord r;
                                         r.serial = s.Text(0);
                                         r.termination_id = s.Text(1);
                                         r.operator_id = s.Int64(2);
                                         r.document = s.Text(3);
                                         r.created_at = s.Int64(4);
                                         return r;
                                       }));
  }

  Result<std::int64_t> AppendAudit(const AuditRecord& a) override {
    Result<Statement> stmt = conn_.Prepare(kAppendAudit, "audit_log");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, a.actor)
        .Bind(2, a.action)
        .Bind(3, a.subject)
        .Bind(4, a.detail)
        .Bind(5, a.request_id)
        .Bind(6, a.at);
    if (Result<void> done = stmt->Run(); !done) {
      return Fail(done.error());
    }
    return conn_.LastInsertRowid();
  }

  Result<std::vector<AuditRecord>> ListAudit(const std::string& subject, int limit) override {
    Result<Statement> stmt = conn_.Prepare(kListAudit, "audit_log");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, subject).Bind(2, ClampLimit(limit));
    return QueryAll<AuditRecord>(stmt, Infallible([](const Statement& st) {
                                   AuditRecord r;
                                   r.id = st.Int64(0);
                                   r.actor = st.Text(1);
                                   r.action = st.Text(2);
                                   r.subject = st.Text(3);
                                   r.detail = st.Text(4);
                                   r.request_id = st.Text(5);
                                   r.at = st.Int64(6);
                                   return r;
                                 }));
  }

  Result<std::int64_t> InsertSms(const SmsRecord& m) override {
    Result<Statement> stmt = conn_.Prepare(kInsertSms, "sms_messages");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->BindIdOrNull(1, m.operator_id)
        .BindTextOrNull(2, m.termination_id)
        .Bind(3, m.to)
        .Bind(4, m.kind)
        .Bind(5, m.language)
        .Bind(6, m.text)
        .Bind(7, ToString(m.state))
        .Bind(8, m.attempts)
        .Bind(9, m.message_ids)
        .Bind(10, m.parts)
        .Bind(11, m.last_error)
        .Bind(12, m.created_at)
        .Bind(13, m.updated_at)
        .BindOptional(14, m.submitted_at)
        .BindOptional(15, m.finished_at);
    if (Result<void> done = stmt->Run(); !done) {
      return Fail(done.error());
    }
    return conn_.LastInsertRowid();
  }

  Result<void> UpdateSms(const SmsRecord& m) override {
    Result<Statement> stmt = conn_.Prepare(kUpdateSms, "sms_messages");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, m.id)
        .Bind(2, m.text)
        .Bind(3, ToString(m.state))
        .Bind(4, m.attempts)
        .Bind(5, m.message_ids)
        .Bind(6, m.parts)
        .Bind(7, m.last_error)
        .Bind(8, m.updated_at)
        .BindOptional(9, m.submitted_at)
        .BindOptional(10, m.finished_at);
    if (Result<void> done = stmt->Run(); !done) {
      return done;
    }
    if (conn_.Changes() == 0) {
      return Fail(ErrorCode::kNotFound, "not_found", "no such SMS");
    }
    return {};
  }

  Result<SmsRecord> GetSms(std::int64_t id) override {
    Result<Statement> stmt = conn_.Prepare(kGetSms, "sms_messages");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, id);
    return Required(QueryOne<SmsRecord>(stmt, ReadSms), "SMS");
  }

  Result<std::vector<SmsRecord>> ListSms(const SmsFilter& filter) override {
    Result<Statement> stmt = conn_.Prepare(kListSms, "sms_messages");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->BindTextOrNull(1, filter.state ? ToString(*filter.state) : "")
        .BindTextOrNull(2, filter.to.value_or(""))
        .Bind(3, ClampLimit(filter.limit));
    return QueryAll<SmsRecord>(stmt, ReadSms);
  }

  // ---- Staff.

  Result<std::int64_t> InsertStaff(const StaffRecord& r) override {
    Result<Statement> stmt = conn_.Prepare(kInsertStaff, "staff");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->BindIdOrNull(1, r.operator_id)
        .Bind(2, r.username)
        .Bind(3, r.full_name)
        .Bind(4, ToString(r.role))
        .Bind(5, r.password_hash)
        .Bind(6, std::int64_t{r.disabled ? 1 : 0})
        .Bind(7, std::int64_t{r.failed_logins})
        .BindOptional(8, r.locked_until)
        .BindOptional(9, r.last_login_at)
        .Bind(10, r.created_at)
        .Bind(11, r.updated_at);
    return InsertReturningId(conn_, stmt);
  }

  Result<void> UpdateStaff(const StaffRecord& r) override {
    Result<Statement> stmt = conn_.Prepare(kUpdateStaff, "staff");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, r.id)
        .BindIdOrNull(2, r.operator_id)
        .Bind(3, r.username)
        .Bind(4, r.full_name)
        .Bind(5, ToString(r.role))
        .Bind(6, r.password_hash)
        .Bind(7, std::int64_t{r.disabled ? 1 : 0})
        .Bind(8, std::int64_t{r.failed_logins})
        .BindOptional(9, r.locked_until)
        .BindOptional(10, r.last_login_at)
        .Bind(11, r.updated_at);
    return UpdateOneAs(stmt, "staff_not_found", "staff member");
  }

  Result<StaffRecord> GetStaff(std::int64_t id) override {
    Result<Statement> stmt = conn_.Prepare(kGetStaff, "staff");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, id);
    return RequiredAs(QueryOne<StaffRecord>(stmt, ReadStaff), "staff_not_found", "staff member");
  }

  Result<std::optional<StaffRecord>> FindStaffByUsername(const std::string& username) override {
    Result<Statement> stmt = conn_.Prepare(kFindStaffByUsername, "staff");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, username);
    return QueryOne<StaffRecord>(stmt, ReadStaff);
  }

  Result<std::vector<StaffRecord>> ListStaff(std::optional<std::int64_t> operator_id) override {
    Result<Statement> stmt = conn_.Prepare(kListStaff, "staff");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->BindOptional(1, operator_id);
    return QueryAll<StaffRecord>(stmt, ReadStaff);
  }

  Result<void> InsertStaffSession(const StaffSessionRecord& r) override {
    Result<Statement> stmt = conn_.Prepare(kInsertStaffSession, "staff_sessions");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, r.token_hash)
        .Bind(2, r.staff_id)
        .Bind(3, r.created_at)
        .Bind(4, r.expires_at)
        .BindOptional(5, r.revoked_at);
    return stmt->Run();
  }

  Result<std::optional<StaffSessionRecord>> FindStaffSession(
      const std::string& token_hash) override {
    Result<Statement> stmt = conn_.Prepare(kFindStaffSession, "staff_sessions");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, token_hash);
    return QueryOne<StaffSessionRecord>(stmt, Infallible(ReadStaffSession));
  }

  Result<void> RevokeStaffSession(const std::string& token_hash, UnixSeconds at) override {
    Result<Statement> stmt = conn_.Prepare(kRevokeStaffSession, "staff_sessions");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, token_hash).Bind(2, at);
    return UpdateOneAs(stmt, "staff_session_not_found", "staff session");
  }

  Result<void> RevokeStaffSessions(std::int64_t staff_id, UnixSeconds at) override {
    Result<Statement> stmt = conn_.Prepare(kRevokeStaffSessions, "staff_sessions");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, staff_id).Bind(2, at);
    return stmt->Run();
  }

  // ---- Documents checked for terminations.

  Result<void> InsertDocumentCheck(const DocumentCheckRecord& r) override {
    Result<Statement> stmt = conn_.Prepare(kInsertDocumentCheck, "document_checks");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, r.id)
        .Bind(2, r.operator_id)
        .Bind(3, r.termination_id)
        .Bind(4, r.role)
        .Bind(5, ToString(r.kind))
        .Bind(6, r.number)
        .Bind(7, r.country)
        .Bind(8, r.full_name)
        .Bind(9, r.iin)
        .Bind(10, r.birth_date)
        .Bind(11, r.expiry_date)
        .Bind(12, std::int64_t{r.mrz_checked ? 1 : 0})
        .Bind(13, r.checked_by)
        .Bind(14, r.checked_at);
    return stmt->Run();
  }

  Result<DocumentCheckRecord> GetDocumentCheck(const std::string& id) override {
    Result<Statement> stmt = conn_.Prepare(kGetDocumentCheck, "document_checks");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, id);
    return RequiredAs(QueryOne<DocumentCheckRecord>(stmt, ReadDocumentCheck),
                      "document_not_found", "document check");
  }

  Result<std::vector<DocumentCheckRecord>> ListDocumentChecks(
      const std::string& termination_id) override {
    Result<Statement> stmt = conn_.Prepare(kListDocumentChecks, "document_checks");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, termination_id);
    return QueryAll<DocumentCheckRecord>(stmt, ReadDocumentCheck);
  }

  // ---- Powers of attorney.

  Result<void> InsertPowerOfAttorney(const PowerOfAttorneyRecord& r) override {
    Result<Statement> stmt = conn_.Prepare(kInsertPowerOfAttorney, "powers_of_attorney");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, r.termination_id)
        .Bind(2, r.operator_id)
        .Bind(3, r.number)
        .Bind(4, r.issued_on)
        .Bind(5, r.valid_until)
        .Bind(6, r.issuer)
        .Bind(7, r.principal_document)
        .Bind(8, EncodeScope(r.scope))
        .BindTextOrNull(9, r.attorney_document_id)
        .Bind(10, r.created_at);
    return stmt->Run();
  }

  Result<std::optional<PowerOfAttorneyRecord>> FindPowerOfAttorney(
      const std::string& termination_id) override {
    Result<Statement> stmt = conn_.Prepare(kFindPowerOfAttorney, "powers_of_attorney");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, termination_id);
    return QueryOne<PowerOfAttorneyRecord>(stmt, ReadPowerOfAttorney);
  }

  // ---- Uploads.

  Result<void> InsertUpload(const UploadRecord& r) override {
    Result<Statement> stmt = conn_.Prepare(kInsertUpload, "uploads");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, r.id)
        .Bind(2, r.operator_id)
        .BindTextOrNull(3, r.termination_id)
        .Bind(4, r.content_type)
        .Bind(5, r.file_name)
        .Bind(6, r.size)
        .Bind(7, r.sha256)
        .Bind(8, r.storage_key)
        .Bind(9, r.uploaded_by)
        .Bind(10, r.created_at);
    return stmt->Run();
  }

  Result<void> UpdateUpload(const UploadRecord& r) override {
    Result<Statement> stmt = conn_.Prepare(kUpdateUpload, "uploads");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, r.id)
        .Bind(2, r.operator_id)
        .BindTextOrNull(3, r.termination_id)
        .Bind(4, r.content_type)
        .Bind(5, r.file_name)
        .Bind(6, r.size)
        .Bind(7, r.sha256)
        .Bind(8, r.storage_key)
        .Bind(9, r.uploaded_by);
    return UpdateOneAs(stmt, "upload_not_found", "upload");
  }

  Result<UploadRecord> GetUpload(const std::string& id) override {
    Result<Statement> stmt = conn_.Prepare(kGetUpload, "uploads");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, id);
    return RequiredAs(QueryOne<UploadRecord>(stmt, Infallible(ReadUpload)), "upload_not_found",
                      "upload");
  }

  Result<std::vector<UploadRecord>> ListUploads(const std::string& termination_id) override {
    Result<Statement> stmt = conn_.Prepare(kListUploads, "uploads");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, termination_id);
    return QueryAll<UploadRecord>(stmt, Infallible(ReadUpload));
  }

  // ---- Phone confirmations.

  Result<void> InsertConfirmation(const ConfirmationRecord& r) override {
    Result<Statement> stmt = conn_.Prepare(kInsertConfirmation, "confirmations");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, r.termination_id)
        .Bind(2, r.code_hash)
        .Bind(3, r.salt)
        .BindTextOrNull(4, r.link_token_hash)
        .Bind(5, r.created_at)
        .Bind(6, r.expires_at)
        .Bind(7, std::int64_t{r.attempts})
        .Bind(8, std::int64_t{r.max_attempts})
        .BindOptional(9, r.confirmed_at);
    return stmt->Run();
  }

  Result<void> UpdateConfirmation(const ConfirmationRecord& r) override {
    Result<Statement> stmt = conn_.Prepare(kUpdateConfirmation, "confirmations");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, r.termination_id)
        .Bind(2, r.code_hash)
        .Bind(3, r.salt)
        .BindTextOrNull(4, r.link_token_hash)
        .Bind(5, r.expires_at)
        .Bind(6, std::int64_t{r.attempts})
        .Bind(7, std::int64_t{r.max_attempts})
        .BindOptional(8, r.confirmed_at);
    return UpdateOneAs(stmt, "confirmation_not_found", "confirmation");
  }

  Result<std::optional<ConfirmationRecord>> FindConfirmation(
      const std::string& termination_id) override {
    Result<Statement> stmt = conn_.Prepare(kFindConfirmation, "confirmations");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, termination_id);
    return QueryOne<ConfirmationRecord>(stmt, Infallible(ReadConfirmation));
  }

  Result<std::optional<ConfirmationRecord>> FindConfirmationByLink(
      const std::string& link_token_hash) override {
    if (link_token_hash.empty()) {
      return std::optional<ConfirmationRecord>();  // stored as NULL: never matches
    }
    Result<Statement> stmt = conn_.Prepare(kFindConfirmationByLink, "confirmations");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, link_token_hash);
    return QueryOne<ConfirmationRecord>(stmt, Infallible(ReadConfirmation));
  }

  Result<std::int64_t> NextSequence(const std::string& name) override {
    Result<Statement> stmt = conn_.Prepare(kNextSequence, "sequences");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, name);
    Result<bool> row = stmt->Step();
    if (!row) {
      return Fail(row.error());
    }
    if (!*row) {
      return Fail(ErrorCode::kInternal, "database_error", "sequence upsert returned no value");
    }
    std::int64_t value = stmt->Int64(0);
    if (Result<void> done = stmt->Run(); !done) {
      return Fail(done.error());
    }
    return value;
  }

 private:
  template <typename T>
  static Result<T> Required(Result<std::optional<T>> found, std::string_view what) {
    if (!found) {
      return Fail(found.error());
    }
    if (!*found) {
      return Fail(NotFound(what));
    }
    return std::move(**found);
  }

  template <typename T>
  static Result<T> RequiredAs(Result<std::optional<T>> found, std::string_view reason,
                              std::string_view what) {
    if (!found) {
      return Fail(found.error());
    }
    if (!*found) {
      return Fail(NotFoundAs(reason, what));
    }
    return std::move(**found);
  }

  // UpdateOne with a named reason for the missing row.
  Result<void> UpdateOneAs(Result<Statement>& stmt, std::string_view reason,
                           std::string_view what) {
    if (Result<void> done = stmt->Run(); !done) {
      return Fail(done.error());
    }
    if (conn_.Changes() == 0) {
      return Fail(NotFoundAs(reason, what));
    }
    return {};
  }

  Result<std::int64_t> InsertPostingRows(const PostingRecord& record) {
    Result<Statement> stmt = conn_.Prepare(kInsertPosting, "postings");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, record.operator_id)
        .BindIdOrNull(2, record.line_id)
        .BindTextOrNull(3, record.termination_id)
        .Bind(4, record.posting.kind)
        .Bind(5, record.created_at);
    Result<std::int64_t> posting_id = InsertReturningId(conn_, stmt);
    if (!posting_id) {
      return posting_id;
    }
    for (const LedgerEntry& entry : record.posting.entries) {
      Result<Statement> entry_stmt = conn_.Prepare(kInsertLedgerEntry, "ledger_entries");
      if (!entry_stmt) {
        return Fail(entry_stmt.error());
      }
      entry_stmt->Bind(1, *posting_id).Bind(2, entry.account).Bind(3, entry.amount.tiyn());
      if (Result<void> done = entry_stmt->Run(); !done) {
        return Fail(done.error());
      }
    }
    return posting_id;
  }

  Result<bool> JobExists(std::int64_t id) {
    Result<Statement> stmt = conn_.Prepare(kJobExists, "jobs");
    if (!stmt) {
      return Fail(stmt.error());
    }
    stmt->Bind(1, id);
    return stmt->Step();
  }

  // Finishes CompleteJob/FailJob: distinguishes a missing job from a lost lease.
  Result<void> LeasedUpdate(Result<Statement>& stmt, std::int64_t id) {
    if (Result<void> done = stmt->Run(); !done) {
      return Fail(done.error());
    }
    if (conn_.Changes() > 0) {
      return {};
    }
    Result<bool> exists = JobExists(id);
    if (!exists) {
      return Fail(exists.error());
    }
    if (!*exists) {
      return Fail(NotFound("job"));
    }
    return Fail(ErrorCode::kFailedPrecondition, "lease_lost",
                fmt::format("job {} is not leased to this worker", id));
  }

  Connection& conn_;
};

}  // namespace

// ---------------------------------------------------------------------------
// SqliteStore.

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const SqliteOptions& options) {
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  if (Result<void> opened = store->conn_.Open(path); !opened) {
    return Fail(opened.error());
  }
  if (Result<void> configured = store->Configure(options); !configured) {
    Error error = configured.error();
    error.code = ErrorCode::kUnavailable;
    error.reason = "database_unavailable";
    return Fail(std::move(error));
  }
  return store;
}

Result<void> SqliteStore::Configure(const SqliteOptions& options) {
  sqlite3_busy_timeout(conn_.handle(), options.busy_timeout_ms);
  // In-memory databases answer "memory"; any file that cannot do WAL keeps its
  // journal mode (and full sync, below).
  Result<std::string> mode = conn_.QueryText(kJournalModeWal, "journal_mode");
  if (!mode) {
    return Fail(mode.error());
  }
  if (*mode == "wal") {
    if (Result<void> sync = conn_.Exec(kSynchronousNormal, "synchronous"); !sync) {
      return sync;
    }
  }
  if (Result<void> fk = conn_.Exec(kForeignKeysOn, "foreign_keys"); !fk) {
    return fk;
  }
  Result<std::string> fk_on = conn_.QueryText(kForeignKeysQuery, "foreign_keys");
  if (!fk_on) {
    return Fail(fk_on.error());
  }
  if (*fk_on != "1") {
    return Fail(ErrorCode::kUnavailable, "database_unavailable",
                "this SQLite build cannot enforce foreign keys");
  }
  return {};
}

Result<void> SqliteStore::Begin() { return conn_.Exec(kBeginImmediate, "transaction"); }

void SqliteStore::Rollback() {
  if (conn_.InTransaction()) {
    (void)conn_.Exec(kRollback, "transaction");
  }
}

Result<std::vector<int>> SqliteStore::AppliedLocked() {
  Result<Statement> exists = conn_.Prepare(kSchemaMigrationsExists, "schema_migrations");
  if (!exists) {
    return Fail(exists.error());
  }
  Result<bool> row = exists->Step();
  if (!row) {
    return Fail(row.error());
  }
  std::vector<int> versions;
  if (!*row || exists->Int64(0) == 0) {
    return versions;
  }
  Result<Statement> stmt = conn_.Prepare(kAppliedMigrations, "schema_migrations");
  if (!stmt) {
    return Fail(stmt.error());
  }
  while (true) {
    Result<bool> next = stmt->Step();
    if (!next) {
      return Fail(next.error());
    }
    if (!*next) {
      return versions;
    }
    versions.push_back(stmt->Int(0));
  }
}

Result<std::vector<int>> SqliteStore::AppliedMigrations() {
  std::lock_guard<std::mutex> lock(mu_);
  return AppliedLocked();
}

Result<void> SqliteStore::Migrate() {
  std::lock_guard<std::mutex> lock(mu_);
  if (Result<void> created = conn_.Exec(kCreateSchemaMigrations, "schema_migrations"); !created) {
    return created;
  }
  const std::span<const sqlite::Migration> migrations = sqlite::Migrations();
  for (const sqlite::Migration& migration : migrations) {
    if (Result<void> begun = Begin(); !begun) {
      return begun;
    }
    // Read inside the write transaction: another process may have just applied it.
    Result<std::vector<int>> applied = AppliedLocked();
    if (!applied) {
      Rollback();
      return Fail(applied.error());
    }
    if (!applied->empty() && applied->back() > migrations.back().version) {
      Rollback();
      return Fail(ErrorCode::kFailedPrecondition, "schema_too_new",
                  fmt::format("the database has migration {}; this build knows up to {}",
                              applied->back(), migrations.back().version));
    }
    if (std::find(applied->begin(), applied->end(), migration.version) != applied->end()) {
      Rollback();
      continue;
    }
    if (Result<void> ran = conn_.Exec(migration.sql, migration.name); !ran) {
      Rollback();
      return ran;
    }
    Result<Statement> record = conn_.Prepare(kRecordMigration, "schema_migrations");
    if (!record) {
      Rollback();
      return Fail(record.error());
    }
    record->Bind(1, std::int64_t{migration.version}).Bind(2, migration.name);
    Result<void> recorded = record->Run();
    if (!recorded) {
      Rollback();
      return recorded;
    }
    if (Result<void> committed = conn_.Exec(kCommit, "transaction"); !committed) {
      Rollback();
      return committed;
    }
  }
  return {};
}

Result<void> SqliteStore::Transact(const std::function<Result<void>(StoreTx&)>& fn) {
  if (tx_thread_.load() == std::this_thread::get_id()) {
    return Fail(ErrorCode::kInternal, "reentrant_transaction",
                "Transact was called from inside a transaction");
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (Result<void> begun = Begin(); !begun) {
    return begun;
  }
  SqliteTx tx(conn_);
  Result<void> result;
  tx_thread_.store(std::this_thread::get_id());
  try {
    result = fn(tx);
  } catch (...) {
    tx_thread_.store(std::thread::id());
    Rollback();
    throw;
  }
  tx_thread_.store(std::thread::id());
  if (!result) {
    Rollback();
    return result;
  }
  if (!conn_.InTransaction()) {
    // SQLite rolled the transaction back itself (I/O error, disk full, ...)
    // while the callback carried on: nothing it did is in the database.
    return Fail(ErrorCode::kUnavailable, "transaction_aborted",
                "the database aborted the transaction");
  }
  if (Result<void> committed = conn_.Exec(kCommit, "transaction"); !committed) {
    Rollback();
    return committed;
  }
  return {};
}

}  // namespace simexit
