#pragma once
// Iccid: SIM card / eSIM profile serial (ITU-T E.118): 19 or 20 digits starting
// "89", the last being a Luhn check digit over the others. Spaces are removed.
// Errors: kInvalidArgument, problem code "invalid_iccid" (message names length,
// prefix, non-digit or check digit).

#include <iosfwd>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit {

class Iccid {
 public:
  static Result<Iccid> Parse(std::string_view text);
  // A value this program wrote to its store after Parse, read back by a store
  // adapter. Never for outside input: that goes through Parse.
  static Iccid FromStored(std::string digits) { return Iccid(std::move(digits)); }

  // The empty value: a record not filled in yet. Parse never returns it.
  Iccid() = default;
  bool empty() const { return digits_.empty(); }

  const std::string& digits() const { return digits_; }
  friend bool operator==(const Iccid&, const Iccid&) = default;
  // Writes the stored form (for logs and test messages).
  friend std::ostream& operator<<(std::ostream& os, const Iccid& value);

  // Luhn check digit ('0'..'9') to append to `digits` (the payload without its
  // check digit). Returns '\0' when `digits` contains a non-digit.
  static char LuhnDigit(std::string_view digits);

 private:
  explicit Iccid(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

}  // namespace simexit
