#include "simexit/domain/money.hpp"

#include <cstdlib>
#include <string_view>

namespace simexit {

Result<Money> Money::ParseKzt(std::string_view text) {
  auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument, "invalid_amount",
                "amount must be a decimal number of tenge with at most two decimals, e.g. "
                "\"1500.50\"");
  };
  if (text.empty()) {
    return bad();
  }
  bool negative = false;
  std::size_t i = 0;
  if (text[0] == '-') {
    negative = true;
    i = 1;
  }
  std::int64_t whole = 0;
  std::size_t whole_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (++whole_digits > 13) {
      return bad();
    }
    whole = whole * 10 + (text[i] - '0');
  }
  if (whole_digits == 0) {
    return bad();
  }
  std::int64_t fraction = 0;
  if (i < text.size()) {
    if (text[i] != '.') {
      return bad();
    }
    ++i;
    std::size_t frac_digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (++frac_digits > 2) {
        return bad();
      }
      fraction = fraction * 10 + (text[i] - '0');
    }
    if (frac_digits == 0 || i != text.size()) {
      return bad();
    }
    if (frac_digits == 1) {
      fraction *= 10;
    }
  }
  const std::int64_t tiyn = whole * 100 + fraction;
  if (tiyn > 1'000'000'000'000 * 100) {
    return bad();
  }
  return Money(negative ? -tiyn : tiyn);
}

std::string Money::ToDecimalString() const {
  const std::int64_t abs = tiyn_ < 0 ? -tiyn_ : tiyn_;
  std::string frac = std::to_string(abs % 100);
  if (frac.size() == 1) {
    frac.insert(0, "0");
  }
  return (tiyn_ < 0 ? "-" : "") + std::to_string(abs / 100) + "." + frac;
}

std::string FormatMoney(Money amount) {
  constexpr std::string_view kNbsp = "\u00a0";
  std::int64_t tiyn = amount.tiyn();
  const bool negative = tiyn < 0;
  if (negative) {
    tiyn = -tiyn;
  }
  const std::string whole = std::to_string(tiyn / 100);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) {
      grouped += kNbsp;
    }
    grouped += whole[i];
  }
  const std::int64_t cents = tiyn % 100;
  std::string out = negative ? "-" : "";
  out += grouped + "," + (cents < 10 ? "0" : "") + std::to_string(cents);
  out += kNbsp;
  out += "₸";
  return out;
}

}  // namespace simexit
