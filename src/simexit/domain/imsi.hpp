#pragma once
// Imsi: International Mobile Subscriber Identity, 6 to 15 decimal digits
// (MCC 3 + MNC 2-3 + MSIN). Kazakhstan's MCC is 401, but test networks use
// 001/901, so any MCC is accepted. Errors: kInvalidArgument, problem code "invalid_imsi".

#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit {

class Imsi {
 public:
  static Result<Imsi> Parse(std::string_view text);
  const std::string& digits() const { return digits_; }
  friend bool operator==(const Imsi&, const Imsi&) = default;

 private:
  explicit Imsi(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

}  // namespace simexit
