// People signing in: staff and their sessions; holders' one-time codes and
// the sessions those codes open.

#include "simexit/adapters/postgres/pg_tx.hpp"

namespace simexit::pg {
namespace {

constexpr const char* kInsertSignInCode = R"sql(
INSERT INTO sign_in_codes (msisdn, code_hash, salt, created_at, expires_at, attempts,
                            max_attempts, consumed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id)sql";
constexpr const char* kUpdateSignInCode = R"sql(
UPDATE sign_in_codes SET msisdn = $2, code_hash = $3, salt = $4, expires_at = $5,
                          attempts = $6, max_attempts = $7, consumed_at = $8
WHERE id = $1)sql";
constexpr const char* kLatestSignInCode = R"sql(
SELECT id, msisdn, code_hash, salt, created_at, expires_at, attempts, max_attempts, consumed_at
FROM sign_in_codes WHERE msisdn = $1 ORDER BY created_at DESC, id DESC LIMIT 1)sql";
constexpr const char* kCountSignInCodesSince = R"sql(
SELECT COUNT(*) FROM sign_in_codes WHERE msisdn = $1 AND created_at >= $2)sql";

constexpr const char* kInsertSession = R"sql(
INSERT INTO sessions (token_hash, holder_id, msisdn, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5))sql";
constexpr const char* kFindSession = R"sql(
SELECT token_hash, holder_id, msisdn, created_at, expires_at FROM sessions
WHERE token_hash = $1)sql";
constexpr const char* kRevokeSession = R"sql(
DELETE FROM sessions WHERE token_hash = $1)sql";

#define SIMEXIT_STAFF_COLUMNS                                                            \
  "id, operator_id, username, full_name, role, password_hash, disabled, failed_logins, " \
  "locked_until, last_login_at, created_at, updated_at"
constexpr const char* kInsertStaff = R"sql(
INSERT INTO staff (operator_id, username, full_name, role, password_hash, disabled, failed_logins,
                   locked_until, last_login_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id)sql";
constexpr const char* kUpdateStaff = R"sql(
UPDATE staff SET operator_id = $2, username = $3, full_name = $4, role = $5, password_hash = $6,
                 disabled = $7, failed_logins = $8, locked_until = $9, last_login_at = $10,
                 updated_at = $11
WHERE id = $1)sql";
constexpr const char* kGetStaff = "SELECT " SIMEXIT_STAFF_COLUMNS " FROM staff WHERE id = $1";
constexpr const char* kFindStaffByUsername =
    "SELECT " SIMEXIT_STAFF_COLUMNS " FROM staff WHERE username = $1";
constexpr const char* kListStaff = "SELECT " SIMEXIT_STAFF_COLUMNS
                                   " FROM staff WHERE ($1 IS NULL OR operator_id = $1) ORDER BY id";
#undef SIMEXIT_STAFF_COLUMNS

constexpr const char* kInsertStaffSession = R"sql(
INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at, revoked_at)
VALUES ($1, $2, $3, $4, $5))sql";
constexpr const char* kFindStaffSession = R"sql(
SELECT token_hash, staff_id, created_at, expires_at, revoked_at FROM staff_sessions
WHERE token_hash = $1)sql";
// A session revoked twice keeps the first time.
constexpr const char* kRevokeStaffSession = R"sql(
UPDATE staff_sessions SET revoked_at = COALESCE(revoked_at, $2) WHERE token_hash = $1)sql";
constexpr const char* kRevokeStaffSessions = R"sql(
UPDATE staff_sessions SET revoked_at = $2 WHERE staff_id = $1 AND revoked_at IS NULL)sql";

SignInCodeRecord ReadSignInCode(const Row& row) {
  SignInCodeRecord c;
  c.id = row.Int64(0);
  c.msisdn = Msisdn::FromStored(row.Text(1));
  c.code_hash = row.Text(2);
  c.salt = row.Text(3);
  c.created_at = row.Int64(4);
  c.expires_at = row.Int64(5);
  c.attempts = row.Int(6);
  c.max_attempts = row.Int(7);
  c.consumed_at = row.OptionalInt64(8);
  return c;
}

SessionRecord ReadSession(const Row& row) {
  SessionRecord r;
  r.token_hash = row.Text(0);
  r.holder_id = row.Int64(1);
  r.msisdn = Msisdn::FromStored(row.Text(2));
  r.created_at = row.Int64(3);
  r.expires_at = row.Int64(4);
  return r;
}

Result<StaffRecord> ReadStaff(const Row& row) {
  StaffRecord r;
  r.id = row.Int64(0);
  r.operator_id = row.Int64(1);
  r.username = row.Text(2);
  r.full_name = row.Text(3);
  SIMEXIT_ASSIGN_OR_RETURN(r.role, ParseColumn(row, 4, ParseStaffRole, "staff", "role"));
  r.password_hash = row.Text(5);
  r.disabled = row.Int64(6) != 0;
  r.failed_logins = row.Int(7);
  r.locked_until = row.OptionalInt64(8);
  r.last_login_at = row.OptionalInt64(9);
  r.created_at = row.Int64(10);
  r.updated_at = row.Int64(11);
  return r;
}

StaffSessionRecord ReadStaffSession(const Row& row) {
  StaffSessionRecord r;
  r.token_hash = row.Text(0);
  r.staff_id = row.Int64(1);
  r.created_at = row.Int64(2);
  r.expires_at = row.Int64(3);
  r.revoked_at = row.OptionalInt64(4);
  return r;
}

}  // namespace

// ---- One-time codes and holder sessions.

Result<std::int64_t> PgTx::InsertSignInCode(const SignInCodeRecord& c) {
  return conn_.Insert(kInsertSignInCode, "sign_in_codes", c.msisdn, c.code_hash, c.salt,
                      c.created_at, c.expires_at, c.attempts, c.max_attempts, c.consumed_at);
}

Result<void> PgTx::UpdateSignInCode(const SignInCodeRecord& c) {
  return ChangedOne(conn_.Change(kUpdateSignInCode, "sign_in_codes", c.id, c.msisdn, c.code_hash,
                                 c.salt, c.expires_at, c.attempts, c.max_attempts, c.consumed_at),
                    "sign-in code");
}

Result<std::optional<SignInCodeRecord>> PgTx::LatestSignInCode(const Msisdn& msisdn) {
  return conn_.QueryOne(kLatestSignInCode, "sign_in_codes", ReadSignInCode, msisdn);
}

Result<int> PgTx::CountSignInCodesSince(const Msisdn& msisdn, UnixSeconds since) {
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<int> count,
                           conn_.QueryOne(
                               kCountSignInCodesSince, "sign_in_codes",
                               [](const Row& row) { return row.Int(0); }, msisdn, since));
  return count.value_or(0);
}

Result<void> PgTx::InsertSession(const SessionRecord& s) {
  return conn_.Run(kInsertSession, "sessions", s.token_hash, s.holder_id, s.msisdn, s.created_at,
                   s.expires_at);
}

Result<std::optional<SessionRecord>> PgTx::FindSession(const std::string& token_hash) {
  return conn_.QueryOne(kFindSession, "sessions", ReadSession, token_hash);
}

Result<void> PgTx::RevokeSession(const std::string& token_hash) {
  return ChangedOne(conn_.Change(kRevokeSession, "sessions", token_hash), "session");
}

// ---- Staff. An admin's operator_id 0 is NULL (a CHECK ties it to the role).

Result<std::int64_t> PgTx::InsertStaff(const StaffRecord& r) {
  return conn_.Insert(kInsertStaff, "staff", NullIfZero{r.operator_id}, r.username, r.full_name,
                      ToString(r.role), r.password_hash, r.disabled, r.failed_logins,
                      r.locked_until, r.last_login_at, r.created_at, r.updated_at);
}

Result<void> PgTx::UpdateStaff(const StaffRecord& r) {
  return ChangedOne(conn_.Change(kUpdateStaff, "staff", r.id, NullIfZero{r.operator_id}, r.username,
                                 r.full_name, ToString(r.role), r.password_hash, r.disabled,
                                 r.failed_logins, r.locked_until, r.last_login_at, r.updated_at),
                    "staff member", "staff_not_found");
}

Result<StaffRecord> PgTx::GetStaff(std::int64_t id) {
  return Required(conn_.QueryOne(kGetStaff, "staff", ReadStaff, id), "staff member",
                  "staff_not_found");
}

Result<std::optional<StaffRecord>> PgTx::FindStaffByUsername(const std::string& username) {
  return conn_.QueryOne(kFindStaffByUsername, "staff", ReadStaff, username);
}

Result<std::vector<StaffRecord>> PgTx::ListStaff(std::optional<std::int64_t> operator_id) {
  return conn_.QueryAll(kListStaff, "staff", ReadStaff, operator_id);
}

Result<void> PgTx::InsertStaffSession(const StaffSessionRecord& r) {
  return conn_.Run(kInsertStaffSession, "staff_sessions", r.token_hash, r.staff_id, r.created_at,
                   r.expires_at, r.revoked_at);
}

Result<std::optional<StaffSessionRecord>> PgTx::FindStaffSession(const std::string& token_hash) {
  return conn_.QueryOne(kFindStaffSession, "staff_sessions", ReadStaffSession, token_hash);
}

Result<void> PgTx::RevokeStaffSession(const std::string& token_hash, UnixSeconds at) {
  return ChangedOne(conn_.Change(kRevokeStaffSession, "staff_sessions", token_hash, at),
                    "staff session", "staff_session_not_found");
}

Result<void> PgTx::RevokeStaffSessions(std::int64_t staff_id, UnixSeconds at) {
  return conn_.Run(kRevokeStaffSessions, "staff_sessions", staff_id, at);
}

}  // namespace simexit::pg
