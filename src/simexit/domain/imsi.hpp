#pragma once
// Imsi: International Mobile Subscriber Identity, 6 to 15 decimal digits
// (MCC 3 + MNC 2-3 + MSIN). Kazakhstan's MCC is 401, but test networks use
// 001/901, so any MCC is accepted. Errors: kInvalidArgument, problem code "invalid_imsi".

#include <iosfwd>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit {

class Imsi {
 public:
  static Result<Imsi> Parse(std::string_view text);
  // A value this program wrote to its store after Parse, read back by a store
  // adapter. Never for outside input: that goes through Parse.
  static Imsi FromStored(std::string digits) { return Imsi(std::move(digits)); }

  // The empty value: a record not filled in yet. Parse never returns it.
  Imsi() = default;
  bool empty() const { return digits_.empty(); }

  const std::string& digits() const { return digits_; }
  friend bool operator==(const Imsi&, const Imsi&) = default;
  // Writes the stored form (for logs and test messages).
  friend std::ostream& operator<<(std::ostream& os, const Imsi& value);

 private:
  explicit Imsi(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

}  // namespace simexit
