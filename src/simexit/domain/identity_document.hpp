#pragma once
// Identity documents presented when a line is closed (at a store, by an
// attorney, by mail): checked on their own (CheckDocument) and against the
// line's registered holder (MatchHolder). Pure; `today` comes from the caller.
//
// Errors are kInvalidArgument and name the offending request field
// (Error::field, prefixed with the document's JSON path, e.g. "document" or
// "attorney_document"). Messages never echo document numbers, IINs or names.

#include <optional>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"
#include "simexit/domain/iin.hpp"

namespace simexit {

enum class DocumentKind { kIin, kIdCard, kPassport };
const char* ToString(DocumentKind kind);  // "iin", "id_card", "passport"
std::optional<DocumentKind> ParseDocumentKind(std::string_view text);

// What a person presented, as typed by staff (or read by an MRZ scanner).
struct PresentedDocument {
  DocumentKind kind = DocumentKind::kIin;
  // IIN digits (kind iin) or the document number; may be empty when mrz is given.
  std::string number;
  // ISO 3166 alpha-3; empty means "KAZ" for iin and id_card; required for passport
  // unless mrz is given.
  std::string country;
  // As printed, Latin or Cyrillic; may be empty when mrz is given.
  std::string full_name;
  std::string iin;         // optional: the IIN printed on an ID card or KZ passport
  std::string birth_date;  // optional YYYY-MM-DD
  // YYYY-MM-DD; required for id_card and passport unless mrz is given; unused for iin.
  std::string expiry_date;
  // Optional: TD1 for id_card, TD3 for passport; lines joined by '\n' or '|'.
  std::string mrz;
};

// The document after checking: every field filled from the MRZ where it was given.
// number: IIN digits, or the document number upper-cased without spaces (the MRZ's
// when read); country: alpha-3 upper case ("KAZ" for an IIN; the MRZ's "D" becomes
// "DEU"); full_name: as typed when typed (it may carry Cyrillic and a patronymic),
// else the MRZ's "SURNAME GIVEN NAMES"; iin: the IIN when the document carries one
// (typed, or the MRZ's: TD1 optional data 1 or TD3 personal number holding a valid
// IIN whose date of birth agrees with the MRZ's); birth_date: nullopt when unknown
// (an IIN's own century wins over the MRZ's two-digit year); expiry_date:
// nullopt for an IIN; mrz_checked: an MRZ was read and every check digit held.
struct CheckedDocument {
  DocumentKind kind = DocumentKind::kIin;
  std::string number, country, full_name, iin;
  std::optional<CivilDate> birth_date, expiry_date;
  bool mrz_checked = false;
};

// Checks the document on its own. `field_prefix` is the JSON path of the
// document in the request ("document", "attorney_document") and prefixes every
// Error::field. Errors (all kInvalidArgument), in the order they are looked for:
//  "invalid_document"  a missing or malformed field (field e.g. "document.expiry_date",
//                      "document.full_name", "document.country"); an MRZ given for an
//                      IIN, or of the wrong format for the kind (TD1 for id_card, TD3
//                      for passport) or document code (I/A/C, P) (field "document.mrz")
//  "invalid_iin"       kind iin with a bad IIN (field "document.number"), or a bad
//                      typed `iin` (field "document.iin")
//  "invalid_mrz"       an MRZ layout error (field "document.mrz")
//  "mrz_check_digit"   a check digit fails; the field names which one:
//                      "document.mrz.document_number", "document.mrz.birth_date",
//                      "document.mrz.expiry_date", "document.mrz.personal_number",
//                      "document.mrz.composite"
//  "mrz_mismatch"      a typed field disagrees with the MRZ: "document.number",
//                      "document.country", "document.full_name" (NamesMatch),
//                      "document.birth_date", "document.expiry_date", "document.iin"
//  "document_expired"  expiry_date before `today` (a document expiring today is still
//                      valid); field "document.expiry_date"
// For an IIN (kind iin, or a typed/MRZ iin) a typed birth_date must agree with the
// IIN's ("invalid_document", field "document.birth_date").
Result<CheckedDocument> CheckDocument(const PresentedDocument& document, CivilDate today,
                                      std::string_view field_prefix);

// The line's registered holder as the operator recorded it.
struct RegisteredHolder {
  std::string full_name;
  DocumentKind kind = DocumentKind::kIin;
  std::string number;
  std::string country;
  std::string iin;
};

// Whether the checked document is the registered holder's. The document is the
// holder's when it is the same document (same kind, number and country, compared
// case-insensitively without spaces; an empty country is "KAZ" for iin and id_card)
// or carries the same IIN (an iin-kind document's number, or the document's iin,
// equal to the holder's iin, or to the holder's number when the holder was
// registered by IIN). Then the names must match (NamesMatch). Errors
// kInvalidArgument "document_mismatch" with field "<prefix>" whether the
// document or the name differs (or both): one answer and the same work, so
// that the answer is no oracle for the holder's document number. Messages
// never echo numbers or names.
Result<void> MatchHolder(const CheckedDocument& document, const RegisteredHolder& holder,
                         std::string_view field_prefix);

// Document numbers and IINs compared the way MatchHolder does: ASCII upper case,
// spaces removed.
std::string NormaliseDocumentNumber(std::string_view number);

}  // namespace simexit
