#include "simexit/domain/iin.hpp"

#include <fmt/format.h>

#include <array>
#include <cstddef>

namespace simexit {
namespace {

constexpr std::size_t kIinLength = 12;
constexpr std::array<int, 11> kWeights1 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
constexpr std::array<int, 11> kWeights2 = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, "invalid_iin", std::move(message));
}

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

int DigitAt(std::string_view text, std::size_t i) { return text[i] - '0'; }

int TwoDigits(std::string_view text, std::size_t i) {
  return DigitAt(text, i) * 10 + DigitAt(text, i + 1);
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) {
    return 29;
  }
  return kDays[static_cast<std::size_t>(month - 1)];
}

}  // namespace

std::string CivilDate::ToString() const {
  return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
}

bool CivilDate::IsValid() const {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  return day <= DaysInMonth(year, month);
}

Result<CivilDate> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !AllDigits(text.substr(0, 4)) ||
      !AllDigits(text.substr(5, 2)) || !AllDigits(text.substr(8, 2))) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_date", "a date must be YYYY-MM-DD");
  }
  const CivilDate date{TwoDigits(text, 0) * 100 + TwoDigits(text, 2), TwoDigits(text, 5),
                       TwoDigits(text, 8)};
  if (!date.IsValid()) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_date", "the date does not exist");
  }
  return date;
}

int Iin::CheckDigit(std::string_view first_eleven) {
  if (first_eleven.size() != kWeights1.size() || !AllDigits(first_eleven)) {
    return -1;
  }
  for (const auto& weights : {kWeights1, kWeights2}) {
    int sum = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      sum += DigitAt(first_eleven, i) * weights[i];
    }
    const int remainder = sum % 11;
    if (remainder != 10) {
      return remainder;
    }
  }
  return -1;
}

Result<Iin> Iin::Parse(std::string_view text) {
  if (text.size() != kIinLength || !AllDigits(text)) {
    return Invalid("an IIN is exactly 12 digits");
  }
  const int century_digit = DigitAt(text, 6);
  if (century_digit < 1 || century_digit > 6) {
    return Invalid("the 7th IIN digit (century and sex) must be 1 to 6");
  }
  // 1,2 -> 1800s; 3,4 -> 1900s; 5,6 -> 2000s. Odd = male.
  const int century = 1800 + 100 * ((century_digit - 1) / 2);
  const CivilDate birth{century + TwoDigits(text, 0), TwoDigits(text, 2), TwoDigits(text, 4)};
  if (!birth.IsValid()) {
    return Invalid("the IIN's first six digits are not a real date of birth in its century");
  }
  const int check = CheckDigit(text.substr(0, 11));
  if (check < 0) {
    return Invalid("the IIN cannot exist: both check-digit passes give 10");
  }
  if (check != DigitAt(text, 11)) {
    return Invalid("the IIN check digit does not match");
  }
  const Sex sex = century_digit % 2 == 1 ? Sex::kMale : Sex::kFemale;
  return Iin(std::string(text), birth, sex);
}

}  // namespace simexit
