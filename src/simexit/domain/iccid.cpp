#include "simexit/domain/iccid.hpp"

#include <cstddef>
#include <ostream>

namespace simexit {
namespace {

constexpr std::size_t kMinLength = 19;
constexpr std::size_t kMaxLength = 20;

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, "invalid_iccid", std::move(message));
}

}  // namespace

char Iccid::LuhnDigit(std::string_view digits) {
  // Double every second digit from the right of the payload, starting with its
  // last digit (the one next to where the check digit goes).
  int sum = 0;
  bool double_it = true;
  for (std::size_t i = digits.size(); i > 0; --i) {
    const char c = digits[i - 1];
    if (c < '0' || c > '9') {
      return '\0';
    }
    int value = c - '0';
    if (double_it) {
      value *= 2;
      if (value > 9) {
        value -= 9;
      }
    }
    sum += value;
    double_it = !double_it;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

Result<Iccid> Iccid::Parse(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c == ' ') {
      continue;
    }
    if (c < '0' || c > '9') {
      return Invalid("an ICCID contains only digits");
    }
    digits.push_back(c);
  }
  if (digits.size() < kMinLength || digits.size() > kMaxLength) {
    return Invalid("an ICCID has 19 or 20 digits (got " + std::to_string(digits.size()) + ")");
  }
  if (digits.rfind("89", 0) != 0) {
    return Invalid("an ICCID starts with 89 (telecommunications industry identifier)");
  }
  const std::string_view payload = std::string_view(digits).substr(0, digits.size() - 1);
  if (LuhnDigit(payload) != digits.back()) {
    return Invalid("the ICCID Luhn check digit does not match");
  }
  return Iccid(std::move(digits));
}

std::ostream& operator<<(std::ostream& os, const Iccid& value) { return os << value.digits_; }

}  // namespace simexit
