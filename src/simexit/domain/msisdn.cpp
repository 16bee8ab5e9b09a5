#include "simexit/domain/msisdn.hpp"

#include <array>
#include <cstddef>
#include <ostream>
#include <string>

namespace simexit {
namespace {

// DEF codes that are valid MOBILE ranges in libphonenumber 8.12.57 metadata
// for KZ (docs/domain.md, numbering table).
constexpr std::array<std::string_view, 19> kMobileCodes = {
    "700", "701", "702", "705", "706", "707", "708", "747", "760", "761",
    "762", "763", "764", "771", "775", "776", "777", "778", "785"};

constexpr std::size_t kNsnLength = 10;

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, "invalid_msisdn", std::move(message));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsSeparator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; }

bool IsMobileCode(std::string_view code) {
  for (std::string_view mobile : kMobileCodes) {
    if (code == mobile) {
      return true;
    }
  }
  return false;
}

// Checks that the 10-digit national significant number is a KZ mobile number.
Result<void> CheckNsn(std::string_view nsn) {
  if (nsn.size() != kNsnLength) {
    return Invalid("a Kazakhstan number has 10 digits after +7 (got " + std::to_string(nsn.size()) +
                   ")");
  }
  const std::string code(nsn.substr(0, 3));
  switch (nsn[0]) {
    case '7':
      break;
    case '0':
    case '6':
      return Invalid("+7 " + code + " is a Kazakhstan range with no mobile numbers");
    case '1':
      return Invalid("+7 " + code + " is not an assigned number range");
    default:  // 2, 3, 4, 5, 8, 9
      return Invalid("+7 " + code + " is a Russian number range, not Kazakhstan");
  }
  if (nsn[1] == '1' || nsn[1] == '2') {
    return Invalid(code + " is a Kazakhstan fixed-line (geographic) code, not a mobile code");
  }
  if (code == "751") {
    return Invalid("751 is a Kazakhstan VoIP code, not a mobile code");
  }
  if (!IsMobileCode(code)) {
    return Invalid(code + " is not a Kazakhstan mobile code");
  }
  return {};
}

}  // namespace

Result<Msisdn> Msisdn::Parse(std::string_view text) {
  bool plus = false;
  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (IsSeparator(c)) {
      continue;
    } else if (c == '+' && !plus && digits.empty()) {
      plus = true;
    } else {
      return Invalid(
          "a phone number may contain only digits, spaces, dashes, dots, parentheses and a "
          "leading '+'");
    }
  }
  if (digits.empty()) {
    return Invalid("the phone number is empty");
  }

  std::string_view nsn;
  if (plus) {
    if (digits.rfind("997", 0) == 0) {
      return Invalid("+997 is not in use: Kazakhstan numbers are dialled as +7");
    }
    if (digits[0] != '7') {
      return Invalid("+" + digits.substr(0, 1) +
                     " is not the Kazakhstan country code (expected +7)");
    }
    nsn = std::string_view(digits).substr(1);
  } else if (digits.size() == kNsnLength + 1) {
    if (digits[0] != '7' && digits[0] != '8') {
      return Invalid("an 11-digit number must start with 7 (country code) or 8 (trunk prefix)");
    }
    nsn = std::string_view(digits).substr(1);
  } else if (digits.size() == kNsnLength && digits[0] == '8') {
    // Trunk prefix 8 followed by only 9 digits, not a 10-digit number.
    return Invalid("after the trunk prefix 8 a Kazakhstan number has 10 digits (got 9)");
  } else if (digits.size() == kNsnLength) {
    nsn = digits;
  } else {
    return Invalid("a Kazakhstan mobile number has 10 digits, or 11 starting with 7 or 8 (got " +
                   std::to_string(digits.size()) + ")");
  }

  if (auto ok = CheckNsn(nsn); !ok) {
    return Fail(std::move(ok.error()));
  }
  return Msisdn("+7" + std::string(nsn));
}

std::string Msisdn::Formatted() const {
  // e164_ is "+7" followed by 10 digits.
  return "+7 " + e164_.substr(2, 3) + " " + e164_.substr(5, 3) + " " + e164_.substr(8);
}

std::ostream& operator<<(std::ostream& os, const Msisdn& value) { return os << value.e164_; }

}  // namespace simexit
