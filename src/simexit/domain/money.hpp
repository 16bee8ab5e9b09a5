#pragma once
// Money: an amount of Kazakhstani tenge held as integer tiyn (1 KZT = 100 tiyn).
//
// No floating point anywhere. Money never mixes with raw integers: construct it
// with Money::Tiyn(n) and read it with .tiyn(). Arithmetic that would overflow
// int64 is a broken invariant (amounts are bounded far below it at the edges).

#include <compare>
#include <cstdint>
#include <string>

#include "simexit/common/result.hpp"

namespace simexit {

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money Tiyn(std::int64_t tiyn) { return Money(tiyn); }
  static constexpr Money Zero() { return Money(0); }

  // Parses a decimal tenge amount: "1500", "1500.5", "1500.50", "-20.00".
  // At most two fractional digits; at most 1e12 KZT in magnitude.
  static Result<Money> ParseKzt(std::string_view text);

  constexpr std::int64_t tiyn() const { return tiyn_; }
  constexpr bool IsZero() const { return tiyn_ == 0; }
  constexpr bool IsNegative() const { return tiyn_ < 0; }
  constexpr bool IsPositive() const { return tiyn_ > 0; }

  constexpr Money operator+(Money o) const { return Money(tiyn_ + o.tiyn_); }
  constexpr Money operator-(Money o) const { return Money(tiyn_ - o.tiyn_); }
  constexpr Money operator-() const { return Money(-tiyn_); }
  constexpr Money& operator+=(Money o) {
    tiyn_ += o.tiyn_;
    return *this;
  }
  constexpr Money& operator-=(Money o) {
    tiyn_ -= o.tiyn_;
    return *this;
  }
  constexpr auto operator<=>(const Money&) const = default;

  // "1500.50" (always two decimals, '-' for negatives): the JSON form.
  std::string ToDecimalString() const;

 private:
  constexpr explicit Money(std::int64_t tiyn) : tiyn_(tiyn) {}
  std::int64_t tiyn_ = 0;
};

constexpr Money Min(Money a, Money b) { return a < b ? a : b; }
constexpr Money Max(Money a, Money b) { return a < b ? b : a; }

// The currency simexit settles in. One currency per deployment today; the code
// is carried on every amount that leaves the process so that can change.
inline constexpr const char* kCurrency = "KZT";

// "1 000,00 ₸" as people read amounts (pages, printed documents): no-break
// spaces between groups of three and before the sign, "-" for negatives.
std::string FormatMoney(Money amount);

}  // namespace simexit
