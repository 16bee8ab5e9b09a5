#pragma once
// Iin: Kazakhstan Individual Identification Number (ИИН / ЖСН), 12 digits
// YYMMDD C SSSS K. C (1..6) gives century and sex; the date must exist in that
// century; K is the two-pass mod-11 check digit (a number whose both passes
// give 10 is unassignable and refused). See docs/domain.md.
// Errors: kInvalidArgument, problem code "invalid_iin"; the message says which rule failed
// (length/non-digit, century digit, date, check digit) without echoing the number.

#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit {

enum class Sex { kMale, kFemale, kUnspecified };

struct CivilDate {
  int year = 0;
  int month = 0;
  int day = 0;
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
  std::string ToString() const;  // "YYYY-MM-DD"
  // True when the date exists in the proleptic Gregorian calendar (year 1..9999).
  bool IsValid() const;
};

// Parses exactly "YYYY-MM-DD" (a real date, year 0001..9999). Errors:
// kInvalidArgument "invalid_date" (callers usually re-label it with their own
// reason and field).
Result<CivilDate> ParseIsoDate(std::string_view text);

class Iin {
 public:
  static Result<Iin> Parse(std::string_view text);

  const std::string& digits() const { return digits_; }
  CivilDate birth_date() const { return birth_date_; }
  Sex sex() const { return sex_; }
  friend bool operator==(const Iin& a, const Iin& b) { return a.digits_ == b.digits_; }

  // The check digit for the first 11 digits, or -1 when both passes give 10
  // (also -1 when `first_eleven` is not exactly 11 decimal digits).
  static int CheckDigit(std::string_view first_eleven);

 private:
  Iin(std::string digits, CivilDate birth_date, Sex sex)
      : digits_(std::move(digits)), birth_date_(birth_date), sex_(sex) {}
  std::string digits_;
  CivilDate birth_date_;
  Sex sex_;
};

}  // namespace simexit
