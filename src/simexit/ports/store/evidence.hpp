#pragma once
// What proves a request came from the holder: identity documents checked,
// powers of attorney, uploaded scans, phone confirmations. Personal data: never
// logged, served only to the owning operator.
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict, kNotFound from Get* when
// the row is absent, kInternal otherwise.
// Lists are in the order written.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/identity_document.hpp"
#include "simexit/domain/iin.hpp"

namespace simexit {

// An identity document checked for a termination: the holder's own (store,
// mail) or the attorney's (proxy). Personal data: never logged, served only to
// the owning operator.
struct DocumentCheckRecord {
  std::string id;  // "doc_" + 24 hex
  std::int64_t operator_id = 0;
  std::string termination_id;
  std::string role;  // "holder" | "attorney"
  DocumentKind kind = DocumentKind::kIin;
  std::string number;
  std::string country;                   // ISO 3166 alpha-3; "KAZ" for an IIN
  std::string full_name;                 // as on the document (Latin or Cyrillic)
  std::string iin;                       // when the document carries one
  std::optional<CivilDate> birth_date;   // nullopt when unknown
  std::optional<CivilDate> expiry_date;  // nullopt for an IIN
  bool mrz_checked = false;              // the MRZ was read and every check digit held
  std::string checked_by;                // actor
  UnixSeconds checked_at = 0;

  bool operator==(const DocumentCheckRecord&) const = default;
};

// The power of attorney an attorney presented (proxy channel). One per termination.
struct PowerOfAttorneyRecord {
  std::string termination_id;
  std::int64_t operator_id = 0;
  std::string number;
  CivilDate issued_on;
  CivilDate valid_until;             // inclusive
  std::string issuer;                // notary or issuing body
  std::string principal_document;    // the holder's IIN or passport number, as written
  std::vector<std::string> scope;    // e.g. {"termination"}
  std::string attorney_document_id;  // DocumentCheckRecord::id
  UnixSeconds created_at = 0;

  bool operator==(const PowerOfAttorneyRecord&) const = default;
};

// A scanned file (posted application, power of attorney). The bytes live in
// the blob store under storage_key; the row says whose they are.
struct UploadRecord {
  std::string id;  // "upl_" + 24 hex
  std::int64_t operator_id = 0;
  std::string termination_id;  // empty until attached to a request
  std::string content_type;    // "application/pdf", "image/jpeg", "image/png" (sniffed)
  std::string file_name;       // as uploaded, for display only
  std::int64_t size = 0;
  std::string sha256;       // hex of the content
  std::string storage_key;  // where the blob store keeps it
  std::string uploaded_by;  // actor
  UnixSeconds created_at = 0;

  bool operator==(const UploadRecord&) const = default;
};

// The holder's confirmation of a phone request: a code sent to the line, or the
// link in the same SMS. One per termination.
struct ConfirmationRecord {
  std::string termination_id;
  std::string code_hash;        // hex; never the code
  std::string salt;             // hex
  std::string link_token_hash;  // hex; never the token
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
  int attempts = 0;  // wrong codes so far
  int max_attempts = 5;
  std::optional<UnixSeconds> confirmed_at;

  bool operator==(const ConfirmationRecord&) const = default;
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class EvidenceRepository {
 public:
  virtual ~EvidenceRepository() = default;

  virtual Result<void> InsertDocumentCheck(const DocumentCheckRecord& document) = 0;
  virtual Result<DocumentCheckRecord> GetDocumentCheck(const std::string& id) = 0;
  virtual Result<std::vector<DocumentCheckRecord>> ListDocumentChecks(
      const std::string& termination_id) = 0;

  // Powers of attorney. One per termination (kAlreadyExists "duplicate").
  virtual Result<void> InsertPowerOfAttorney(const PowerOfAttorneyRecord& poa) = 0;
  virtual Result<std::optional<PowerOfAttorneyRecord>> FindPowerOfAttorney(
      const std::string& termination_id) = 0;

  virtual Result<void> InsertUpload(const UploadRecord& upload) = 0;
  virtual Result<void> UpdateUpload(const UploadRecord& upload) = 0;
  virtual Result<UploadRecord> GetUpload(const std::string& id) = 0;
  virtual Result<std::vector<UploadRecord>> ListUploads(const std::string& termination_id) = 0;

  // Phone confirmations. One per termination (kAlreadyExists "duplicate").
  virtual Result<void> InsertConfirmation(const ConfirmationRecord& confirmation) = 0;
  virtual Result<void> UpdateConfirmation(const ConfirmationRecord& confirmation) = 0;
  virtual Result<std::optional<ConfirmationRecord>> FindConfirmation(
      const std::string& termination_id) = 0;
  virtual Result<std::optional<ConfirmationRecord>> FindConfirmationByLink(
      const std::string& link_token_hash) = 0;
};

}  // namespace simexit
