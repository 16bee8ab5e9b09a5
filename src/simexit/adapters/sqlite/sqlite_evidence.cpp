// What proves a request: identity documents checked, powers of attorney,
// uploaded scans, and the holder's confirmation of a phone request.

#include <boost/json.hpp>

#include "simexit/adapters/sqlite/sqlite_tx.hpp"

namespace simexit::sqlite {
namespace {

#define SIMEXIT_DOCUMENT_COLUMNS                                                               \
  "id, operator_id, termination_id, role, kind, number, country, full_name, iin, birth_date, " \
  "expiry_date, mrz_checked, checked_by, checked_at"
constexpr const char* kInsertDocumentCheck =
    "INSERT INTO document_checks (" SIMEXIT_DOCUMENT_COLUMNS
    ") "
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

#define SIMEXIT_UPLOAD_COLUMNS                                                            \
  "id, operator_id, termination_id, content_type, file_name, size, sha256, storage_key, " \
  "uploaded_by, created_at"
constexpr const char* kInsertUpload = "INSERT INTO uploads (" SIMEXIT_UPLOAD_COLUMNS
                                      ") "
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

#define SIMEXIT_CONFIRMATION_COLUMNS                                                     \
  "termination_id, code_hash, salt, link_token_hash, created_at, expires_at, attempts, " \
  "max_attempts, confirmed_at"
constexpr const char* kInsertConfirmation =
    "INSERT INTO confirmations (" SIMEXIT_CONFIRMATION_COLUMNS
    ") "
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

Result<DocumentCheckRecord> ReadDocumentCheck(const Statement& row) {
  DocumentCheckRecord r;
  r.id = row.Text(0);
  r.operator_id = row.Int64(1);
  r.termination_id = row.Text(2);
  r.role = row.Text(3);
  SIMEXIT_ASSIGN_OR_RETURN(r.kind,
                           ParseColumn(row, 4, ParseDocumentKind, "document_checks", "kind"));
  r.number = row.Text(5);
  r.country = row.Text(6);
  r.full_name = row.Text(7);
  r.iin = row.Text(8);
  SIMEXIT_ASSIGN_OR_RETURN(r.birth_date,
                           OptionalDateColumn(row, 9, "document_checks", "birth_date"));
  SIMEXIT_ASSIGN_OR_RETURN(r.expiry_date,
                           OptionalDateColumn(row, 10, "document_checks", "expiry_date"));
  r.mrz_checked = row.Int64(11) != 0;
  r.checked_by = row.Text(12);
  r.checked_at = row.Int64(13);
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

Result<PowerOfAttorneyRecord> ReadPowerOfAttorney(const Statement& row) {
  PowerOfAttorneyRecord r;
  r.termination_id = row.Text(0);
  r.operator_id = row.Int64(1);
  r.number = row.Text(2);
  SIMEXIT_ASSIGN_OR_RETURN(r.issued_on, DateColumn(row, 3, "powers_of_attorney", "issued_on"));
  SIMEXIT_ASSIGN_OR_RETURN(r.valid_until, DateColumn(row, 4, "powers_of_attorney", "valid_until"));
  r.issuer = row.Text(5);
  r.principal_document = row.Text(6);
  SIMEXIT_ASSIGN_OR_RETURN(r.scope, DecodeScope(row.Text(7)));
  r.attorney_document_id = row.Text(8);
  r.created_at = row.Int64(9);
  return r;
}

UploadRecord ReadUpload(const Statement& row) {
  UploadRecord r;
  r.id = row.Text(0);
  r.operator_id = row.Int64(1);
  r.termination_id = row.Text(2);
  r.content_type = row.Text(3);
  r.file_name = row.Text(4);
  r.size = row.Int64(5);
  r.sha256 = row.Text(6);
  r.storage_key = row.Text(7);
  r.uploaded_by = row.Text(8);
  r.created_at = row.Int64(9);
  return r;
}

ConfirmationRecord ReadConfirmation(const Statement& row) {
  ConfirmationRecord r;
  r.termination_id = row.Text(0);
  r.code_hash = row.Text(1);
  r.salt = row.Text(2);
  r.link_token_hash = row.Text(3);
  r.created_at = row.Int64(4);
  r.expires_at = row.Int64(5);
  r.attempts = row.Int(6);
  r.max_attempts = row.Int(7);
  r.confirmed_at = row.OptionalInt64(8);
  return r;
}

}  // namespace

// ---- Documents checked for terminations.

Result<void> SqliteTx::InsertDocumentCheck(const DocumentCheckRecord& r) {
  return conn_.Run(kInsertDocumentCheck, "document_checks", r.id, r.operator_id, r.termination_id,
                   r.role, ToString(r.kind), r.number, r.country, r.full_name, r.iin, r.birth_date,
                   r.expiry_date, r.mrz_checked, r.checked_by, r.checked_at);
}

Result<DocumentCheckRecord> SqliteTx::GetDocumentCheck(const std::string& id) {
  return Required(conn_.QueryOne(kGetDocumentCheck, "document_checks", ReadDocumentCheck, id),
                  "document check", "document_not_found");
}

Result<std::vector<DocumentCheckRecord>> SqliteTx::ListDocumentChecks(
    const std::string& termination_id) {
  return conn_.QueryAll(kListDocumentChecks, "document_checks", ReadDocumentCheck, termination_id);
}

// ---- Powers of attorney.

Result<void> SqliteTx::InsertPowerOfAttorney(const PowerOfAttorneyRecord& r) {
  return conn_.Run(kInsertPowerOfAttorney, "powers_of_attorney", r.termination_id, r.operator_id,
                   r.number, r.issued_on, r.valid_until, r.issuer, r.principal_document,
                   EncodeScope(r.scope), NullIfEmpty{r.attorney_document_id}, r.created_at);
}

Result<std::optional<PowerOfAttorneyRecord>> SqliteTx::FindPowerOfAttorney(
    const std::string& termination_id) {
  return conn_.QueryOne(kFindPowerOfAttorney, "powers_of_attorney", ReadPowerOfAttorney,
                        termination_id);
}

// ---- Uploads. termination_id is NULL until the scan is attached.

Result<void> SqliteTx::InsertUpload(const UploadRecord& r) {
  return conn_.Run(kInsertUpload, "uploads", r.id, r.operator_id, NullIfEmpty{r.termination_id},
                   r.content_type, r.file_name, r.size, r.sha256, r.storage_key, r.uploaded_by,
                   r.created_at);
}

Result<void> SqliteTx::UpdateUpload(const UploadRecord& r) {
  return ChangedOne(
      conn_.Change(kUpdateUpload, "uploads", r.id, r.operator_id, NullIfEmpty{r.termination_id},
                   r.content_type, r.file_name, r.size, r.sha256, r.storage_key, r.uploaded_by),
      "upload", "upload_not_found");
}

Result<UploadRecord> SqliteTx::GetUpload(const std::string& id) {
  return Required(conn_.QueryOne(kGetUpload, "uploads", ReadUpload, id), "upload",
                  "upload_not_found");
}

Result<std::vector<UploadRecord>> SqliteTx::ListUploads(const std::string& termination_id) {
  return conn_.QueryAll(kListUploads, "uploads", ReadUpload, termination_id);
}

// ---- Phone confirmations. An empty link token is NULL and never matches.

Result<void> SqliteTx::InsertConfirmation(const ConfirmationRecord& r) {
  return conn_.Run(kInsertConfirmation, "confirmations", r.termination_id, r.code_hash, r.salt,
                   NullIfEmpty{r.link_token_hash}, r.created_at, r.expires_at, r.attempts,
                   r.max_attempts, r.confirmed_at);
}

Result<void> SqliteTx::UpdateConfirmation(const ConfirmationRecord& r) {
  return ChangedOne(conn_.Change(kUpdateConfirmation, "confirmations", r.termination_id,
                                 r.code_hash, r.salt, NullIfEmpty{r.link_token_hash}, r.expires_at,
                                 r.attempts, r.max_attempts, r.confirmed_at),
                    "confirmation", "confirmation_not_found");
}

Result<std::optional<ConfirmationRecord>> SqliteTx::FindConfirmation(
    const std::string& termination_id) {
  return conn_.QueryOne(kFindConfirmation, "confirmations", ReadConfirmation, termination_id);
}

Result<std::optional<ConfirmationRecord>> SqliteTx::FindConfirmationByLink(
    const std::string& link_token_hash) {
  if (link_token_hash.empty()) {
    return std::optional<ConfirmationRecord>();  // stored as NULL: never matches
  }
  return conn_.QueryOne(kFindConfirmationByLink, "confirmations", ReadConfirmation,
                        link_token_hash);
}

}  // namespace simexit::sqlite
