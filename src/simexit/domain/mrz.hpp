#pragma once
// Mrz: the machine-readable zone of an identity document (ICAO Doc 9303):
// TD1 (ID card, 3 lines of 30) and TD3 (passport, 2 lines of 44).
//
// Parse() takes the lines joined by '\n' (a trailing newline and '\r' are
// tolerated; lowercase is refused, as OCR output should already be upper case).
// Every check digit is verified: document number, birth date, expiry date,
// TD3 personal number, and the composite. Errors: kInvalidArgument with problem code
//   "invalid_mrz"              layout (line count, length, characters),
//   "mrz_check_digit"          a check digit fails; the message names the field
//                               ("document_number", "birth_date", "expiry_date",
//                                "personal_number", "composite") and so does
//                               Error::field (the bare name, e.g. "birth_date");
//                               checked in that order, the first failure is reported.
// Fields are also checked: sex is M, F, '<' or X (both unspecified); birth and
// expiry must be real dates ("invalid_mrz" otherwise). TD2 (2 lines of 36) is
// not supported ("invalid_mrz").
// Dates in the MRZ have two-digit years: a birth date is placed in the latest
// century whose year is not after `reference_year` (pass the current year);
// expiry dates are 20YY.
// Messages never echo document numbers or names.

#include <string>
#include <string_view>

#include "simexit/common/result.hpp"
#include "simexit/domain/iin.hpp"

namespace simexit {

enum class MrzFormat { kTd1, kTd3 };

struct Mrz {
  MrzFormat format = MrzFormat::kTd3;
  std::string document_code;    // "P", "ID", "I" (fillers removed)
  std::string issuing_state;    // "KAZ", "UTO"
  std::string document_number;  // fillers removed
  std::string nationality;
  CivilDate birth_date;
  Sex sex = Sex::kUnspecified;
  CivilDate expiry_date;
  std::string surname;      // "ERIKSSON" ('<' between name parts -> ' ')
  std::string given_names;  // "ANNA MARIA"
  // TD3: the personal number; TD1: optional data 1 and optional data 2 joined by
  // one space when both are present. Leading/trailing fillers removed, inner
  // '<' -> ' '. For a TD1 long document number (check digit position holding
  // '<'), the number's continuation and its check digit are not included here.
  std::string optional_data;

  static Result<Mrz> Parse(std::string_view text, int reference_year);

  // ICAO 9303 check digit (weights 7,3,1; '<'=0, A=10..Z=35). -1 on a bad character.
  static int CheckDigit(std::string_view field);
};

}  // namespace simexit
