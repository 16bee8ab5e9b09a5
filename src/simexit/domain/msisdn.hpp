#pragma once
// Msisdn: a Kazakhstan mobile number, always held in E.164 form (+77XXXXXXXXX).
//
// Accepted inputs (after removing spaces, dashes, dots and parentheses):
//   +77XXXXXXXXX, 77XXXXXXXXX (11 digits starting 7), 87XXXXXXXXX (trunk prefix 8),
//   7XXXXXXXXX (10-digit national significant number).
//   A leading '+' must be +7 (+997 was reserved for KZ but never deployed).
// The DEF code (the three digits after +7) must be a mobile code of the
// Kazakhstan numbering plan (see docs/domain.md: 700-702, 705-708, 747,
// 760-764, 771, 775-778, 785; the other 78x codes are not valid in the
// verified numbering metadata). Russian ranges (+7 2xx/3xx/4xx/5xx/8xx/9xx),
// +7 0xx/6xx, fixed lines (71x/72x), VoIP (751) and unassigned 7xx codes
// (703, 704, 709, 740, 770, 772, 779...) are refused.
// Errors: kInvalidArgument with problem code "invalid_msisdn" and a message saying why
// (characters, length, country code, or which range the DEF code belongs to).

#include <iosfwd>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit {

class Msisdn {
 public:
  static Result<Msisdn> Parse(std::string_view text);
  // A number this program wrote to its store after Parse, read back by a store
  // adapter. Never for outside input: that goes through Parse.
  static Msisdn FromStored(std::string e164) { return Msisdn(std::move(e164)); }

  // The empty value, "no number": a record not filled in yet. Parse never
  // returns it, and the stores refuse to write it where a number is required.
  Msisdn() = default;
  bool empty() const { return e164_.empty(); }

  // "+77011234567"
  const std::string& e164() const { return e164_; }
  // "77011234567": the form HLRs and SMSCs use (no '+'); "" when empty.
  std::string digits() const { return e164_.empty() ? std::string() : e164_.substr(1); }
  // "701": the DEF (operator) code; "" when empty.
  std::string def_code() const { return e164_.size() < 5 ? std::string() : e164_.substr(2, 3); }
  // "+7 701 123 4567"
  std::string Formatted() const;

  friend bool operator==(const Msisdn&, const Msisdn&) = default;
  // Writes the stored form (for logs and test messages).
  friend std::ostream& operator<<(std::ostream& os, const Msisdn& value);

 private:
  explicit Msisdn(std::string e164) : e164_(std::move(e164)) {}
  std::string e164_;
};

}  // namespace simexit
