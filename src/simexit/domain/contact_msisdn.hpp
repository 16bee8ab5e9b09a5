#pragma once
// ContactMsisdn: a mobile number in any country, in E.164 form (+ then 8 to 15
// digits, no leading 0 in the country code), where a holder wants the notices
// sent after closure (the closed line is detached first and cannot receive
// them; docs/web.md).
//
// Accepted inputs (after removing spaces, dashes, dots and parentheses):
// "+<digits>" or "00<digits>" (the international prefix). A national number
// without its country code is refused: the country cannot be guessed.
// Errors: kInvalidArgument "invalid_contact_msisdn" with a message saying why.

#include <iosfwd>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit {

class ContactMsisdn {
 public:
  static Result<ContactMsisdn> Parse(std::string_view text);
  // A number this program wrote to its store after Parse, read back by a store
  // adapter. Never for outside input: that goes through Parse.
  static ContactMsisdn FromStored(std::string e164) { return ContactMsisdn(std::move(e164)); }

  // "+447911123456"
  const std::string& e164() const { return e164_; }

  friend bool operator==(const ContactMsisdn&, const ContactMsisdn&) = default;
  // Writes the stored form (for logs and test messages).
  friend std::ostream& operator<<(std::ostream& os, const ContactMsisdn& value);

 private:
  explicit ContactMsisdn(std::string e164) : e164_(std::move(e164)) {}
  std::string e164_;
};

}  // namespace simexit
