#pragma once
// Msisdn: a Kazakhstan mobile number, always held in E.164 form (+77XXXXXXXXX).
//
// Accepted inputs (after removing spaces, dashes, dots and parentheses):
//   +77XXXXXXXXX, 77XXXXXXXXX (11 digits starting 7), 87XXXXXXXXX (trunk prefix 8),
//   7XXXXXXXXX (10-digit national significant number).
// The DEF code (the three digits after +7) must be a mobile code of the
// Kazakhstan numbering plan (see docs/domain.md: 700-702, 705-708, 747,
// 760-764, 771, 775-778, 78x). Russian numbers (+7 9xx...), +7 0xx/6xx,
// fixed lines (71x/72x) and VoIP (751) are refused.
// Errors: kInvalidArgument with reason "invalid_msisdn" and a message saying why.

#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit {

class Msisdn {
 public:
  static Result<Msisdn> Parse(std::string_view text);

  // "+77011234567"
  const std::string& e164() const { return e164_; }
  // "77011234567": the form HLRs and SMSCs use (no '+').
  std::string digits() const { return e164_.substr(1); }
  // "701": the DEF (operator) code.
  std::string def_code() const { return e164_.substr(2, 3); }
  // "+7 701 123 4567"
  std::string Formatted() const;

  friend bool operator==(const Msisdn&, const Msisdn&) = default;

 private:
  explicit Msisdn(std::string e164) : e164_(std::move(e164)) {}
  std::string e164_;
};

}  // namespace simexit
