#include "simexit/domain/contact_msisdn.hpp"

#include <ostream>
namespace simexit {
namespace {

// E.164: at most 15 digits; the shortest mobile numbers in use have 8.
constexpr std::size_t kMinDigits = 8;
constexpr std::size_t kMaxDigits = 15;
// Longer inputs are refused before any work (separators included).
constexpr std::size_t kMaxInput = 40;

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, "invalid_contact_msisdn", std::move(message));
}

bool IsSeparator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; }

}  // namespace

Result<ContactMsisdn> ContactMsisdn::Parse(std::string_view text) {
  if (text.size() > kMaxInput) {
    return Invalid("a phone number has at most 15 digits");
  }
  std::string compact;
  for (const char c : text) {
    if (IsSeparator(c)) {
      continue;
    }
    if (c != '+' && (c < '0' || c > '9')) {
      return Invalid("a phone number holds digits, an optional leading + and separators only");
    }
    compact += c;
  }
  std::string digits;
  if (compact.rfind('+', 0) == 0) {
    digits = compact.substr(1);
  } else if (compact.rfind("00", 0) == 0) {
    digits = compact.substr(2);
  } else {
    return Invalid(
        "write the number with its country code, starting with + (e.g. +44 7911 123456)");
  }
  if (digits.find('+') != std::string::npos) {
    return Invalid("a + may only lead the number");
  }
  if (digits.empty() || digits[0] == '0') {
    return Invalid("a country code does not start with 0");
  }
  if (digits.size() < kMinDigits || digits.size() > kMaxDigits) {
    return Invalid("a number in E.164 form has 8 to 15 digits after the + (got " +
                   std::to_string(digits.size()) + ")");
  }
  return ContactMsisdn("+" + digits);
}

std::ostream& operator<<(std::ostream& os, const ContactMsisdn& value) { return os << value.e164_; }

}  // namespace simexit
