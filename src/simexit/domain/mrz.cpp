#include "simexit/domain/mrz.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace simexit {
namespace {

constexpr std::size_t kTd1LineLength = 30;
constexpr std::size_t kTd2LineLength = 36;
constexpr std::size_t kTd3LineLength = 44;

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, "invalid_mrz", std::move(message));
}

tl::unexpected<Error> CheckDigitFails(std::string_view field) {
  return FailField(ErrorCode::kInvalidArgument, "mrz_check_digit", std::string(field),
                   "the MRZ check digit for " + std::string(field) + " does not match");
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

// Splits on '\n', drops one trailing '\r' per line and one trailing empty line.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    start = end + 1;
  }
  if (lines.size() > 1 && lines.back().empty()) {
    lines.pop_back();
  }
  return lines;
}

// Removes leading and trailing fillers and turns inner fillers into spaces
// (runs of fillers become one space).
std::string Clean(std::string_view field) {
  std::string out;
  bool pending_space = false;
  for (char c : field) {
    if (c == '<') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(c);
  }
  return out;
}

// Verifies `check` (one MRZ character) against the check digit of `data`.
Result<void> Verify(std::string_view data, char check, std::string_view field) {
  if (!IsDigit(check) || Mrz::CheckDigit(data) != check - '0') {
    return CheckDigitFails(field);
  }
  return {};
}

int TwoDigits(std::string_view text, std::size_t i) {
  return (text[i] - '0') * 10 + (text[i + 1] - '0');
}

Result<CivilDate> ParseDate(std::string_view yymmdd, std::string_view field, int century_base,
                            int latest_year) {
  for (char c : yymmdd) {
    if (!IsDigit(c)) {
      return Invalid("the MRZ " + std::string(field) + " is not a YYMMDD date");
    }
  }
  CivilDate date{century_base + TwoDigits(yymmdd, 0), TwoDigits(yymmdd, 2), TwoDigits(yymmdd, 4)};
  if (date.year > latest_year) {
    date.year -= 100;
  }
  if (!date.IsValid()) {
    return Invalid("the MRZ " + std::string(field) + " is not a real date");
  }
  return date;
}

Result<Sex> ParseSex(char c) {
  switch (c) {
    case 'M':
      return Sex::kMale;
    case 'F':
      return Sex::kFemale;
    case '<':
    case 'X':
      return Sex::kUnspecified;
    default:
      return Invalid("the MRZ sex field must be M, F, X or '<'");
  }
}

void SplitName(std::string_view field, Mrz& mrz) {
  const std::size_t separator = field.find("<<");
  if (separator == std::string_view::npos) {
    mrz.surname = Clean(field);
    mrz.given_names.clear();
    return;
  }
  mrz.surname = Clean(field.substr(0, separator));
  mrz.given_names = Clean(field.substr(separator + 2));
}

// Dates, sex and the fields shared by TD1 and TD3 line 2 layouts.
Result<void> FillPersonal(std::string_view birth, char sex, std::string_view expiry,
                          int reference_year, Mrz& mrz) {
  const int reference_century = reference_year - reference_year % 100;
  auto birth_date = ParseDate(birth, "birth_date", reference_century, reference_year);
  if (!birth_date) {
    return Fail(std::move(birth_date.error()));
  }
  auto expiry_date = ParseDate(expiry, "expiry_date", 2000, 2099);
  if (!expiry_date) {
    return Fail(std::move(expiry_date.error()));
  }
  auto parsed_sex = ParseSex(sex);
  if (!parsed_sex) {
    return Fail(std::move(parsed_sex.error()));
  }
  mrz.birth_date = *birth_date;
  mrz.expiry_date = *expiry_date;
  mrz.sex = *parsed_sex;
  return {};
}

Result<Mrz> ParseTd3(std::string_view line1, std::string_view line2, int reference_year) {
  const std::string_view number = line2.substr(0, 9);
  const std::string_view birth = line2.substr(13, 6);
  const std::string_view expiry = line2.substr(21, 6);
  const std::string_view personal = line2.substr(28, 14);
  if (auto ok = Verify(number, line2[9], "document_number"); !ok) {
    return Fail(std::move(ok.error()));
  }
  if (auto ok = Verify(birth, line2[19], "birth_date"); !ok) {
    return Fail(std::move(ok.error()));
  }
  if (auto ok = Verify(expiry, line2[27], "expiry_date"); !ok) {
    return Fail(std::move(ok.error()));
  }
  const bool personal_empty = personal.find_first_not_of('<') == std::string_view::npos;
  if (!(personal_empty && line2[42] == '<')) {
    if (auto ok = Verify(personal, line2[42], "personal_number"); !ok) {
      return Fail(std::move(ok.error()));
    }
  }
  std::string composite;
  composite.append(line2.substr(0, 10)).append(line2.substr(13, 7)).append(line2.substr(21, 22));
  if (auto ok = Verify(composite, line2[43], "composite"); !ok) {
    return Fail(std::move(ok.error()));
  }

  Mrz mrz;
  mrz.format = MrzFormat::kTd3;
  if (auto ok = FillPersonal(birth, line2[20], expiry, reference_year, mrz); !ok) {
    return Fail(std::move(ok.error()));
  }
  mrz.document_code = Clean(line1.substr(0, 2));
  mrz.issuing_state = Clean(line1.substr(2, 3));
  mrz.document_number = Clean(number);
  mrz.nationality = Clean(line2.substr(10, 3));
  SplitName(line1.substr(5), mrz);
  mrz.optional_data = Clean(personal);
  return mrz;
}

Result<Mrz> ParseTd1(std::string_view line1, std::string_view line2, std::string_view line3,
                     int reference_year) {
  std::string number(line1.substr(5, 9));
  char number_check = line1[14];
  std::string_view optional1 = line1.substr(15, 15);
  if (number_check == '<') {
    // Long document number (Doc 9303 Part 5): the number continues in optional
    // data 1 up to the first filler, and the last character before it is the
    // check digit over the whole number.
    const std::size_t end = std::min(optional1.find('<'), optional1.size());
    if (end >= 1) {
      number.append(optional1.substr(0, end - 1));
      number_check = optional1[end - 1];
      optional1 = optional1.substr(end);
    }
  }
  const std::string_view birth = line2.substr(0, 6);
  const std::string_view expiry = line2.substr(8, 6);
  if (auto ok = Verify(number, number_check, "document_number"); !ok) {
    return Fail(std::move(ok.error()));
  }
  if (auto ok = Verify(birth, line2[6], "birth_date"); !ok) {
    return Fail(std::move(ok.error()));
  }
  if (auto ok = Verify(expiry, line2[14], "expiry_date"); !ok) {
    return Fail(std::move(ok.error()));
  }
  std::string composite;
  composite.append(line1.substr(5, 25))
      .append(line2.substr(0, 7))
      .append(line2.substr(8, 7))
      .append(line2.substr(18, 11));
  if (auto ok = Verify(composite, line2[29], "composite"); !ok) {
    return Fail(std::move(ok.error()));
  }

  Mrz mrz;
  mrz.format = MrzFormat::kTd1;
  if (auto ok = FillPersonal(birth, line2[7], expiry, reference_year, mrz); !ok) {
    return Fail(std::move(ok.error()));
  }
  mrz.document_code = Clean(line1.substr(0, 2));
  mrz.issuing_state = Clean(line1.substr(2, 3));
  mrz.document_number = Clean(number);
  mrz.nationality = Clean(line2.substr(15, 3));
  SplitName(line3, mrz);
  const std::string data1 = Clean(optional1);
  const std::string data2 = Clean(line2.substr(18, 11));
  mrz.optional_data = data1.empty() || data2.empty() ? data1 + data2 : data1 + " " + data2;
  return mrz;
}

}  // namespace

int Mrz::CheckDigit(std::string_view field) {
  static constexpr int kWeights[] = {7, 3, 1};
  int sum = 0;
  for (std::size_t i = 0; i < field.size(); ++i) {
    const char c = field[i];
    int value = 0;
    if (IsDigit(c)) {
      value = c - '0';
    } else if (IsUpper(c)) {
      value = c - 'A' + 10;
    } else if (c != '<') {
      return -1;
    }
    sum += value * kWeights[i % 3];
  }
  return sum % 10;
}

Result<Mrz> Mrz::Parse(std::string_view text, int reference_year) {
  const std::vector<std::string_view> lines = SplitLines(text);
  std::size_t expected_length = 0;
  if (lines.size() == 2) {
    if (lines[0].size() == kTd2LineLength && lines[1].size() == kTd2LineLength) {
      return Invalid("TD2 MRZs (2 lines of 36 characters) are not supported");
    }
    expected_length = kTd3LineLength;
  } else if (lines.size() == 3) {
    expected_length = kTd1LineLength;
  } else {
    return Invalid("an MRZ has 2 lines (TD3 passport) or 3 lines (TD1 ID card), got " +
                   std::to_string(lines.size()));
  }
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string_view line = lines[n];
    const std::string where = "MRZ line " + std::to_string(n + 1);
    if (line.size() != expected_length) {
      return Invalid(where + " has " + std::to_string(line.size()) + " characters, expected " +
                     std::to_string(expected_length));
    }
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (IsLower(c)) {
        return Invalid(where + " has lowercase letters; the MRZ is upper case");
      }
      if (!IsDigit(c) && !IsUpper(c) && c != '<') {
        return Invalid(where + " position " + std::to_string(i + 1) +
                       " is not A-Z, 0-9 or the filler '<'");
      }
    }
  }
  if (lines.size() == 2) {
    return ParseTd3(lines[0], lines[1], reference_year);
  }
  return ParseTd1(lines[0], lines[1], lines[2], reference_year);
}

}  // namespace simexit
