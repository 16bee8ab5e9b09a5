#pragma once
// A power of attorney an attorney presents to close a line on the holder's
// behalf (proxy channel). Pure; `today` comes from the caller.

#include <string>
#include <vector>

#include "simexit/common/result.hpp"
#include "simexit/domain/identity_document.hpp"
#include "simexit/domain/iin.hpp"

namespace simexit {

struct PowerOfAttorney {
  std::string number;              // required, 1..64 printable characters
  std::string issued_on;           // YYYY-MM-DD
  std::string valid_until;         // YYYY-MM-DD, inclusive, not before issued_on
  std::string issuer;              // notary or issuing body, required
  std::string principal_document;  // the principal's IIN or passport number as written on it
  std::vector<std::string> scope;  // what it allows; closing a line needs "termination"
};

// A power of attorney CheckPowerOfAttorney accepted: its fields as presented,
// its dates read.
struct CheckedPowerOfAttorney {
  std::string number;
  CivilDate issued_on;
  CivilDate valid_until;  // inclusive
  std::string issuer;
  std::string principal_document;
  std::vector<std::string> scope;
};

// The scope entry that allows closing a line.
inline constexpr const char* kTerminationScope = "termination";

// Checks the power of attorney for closing a line of `principal` on `today`.
// Errors kInvalidArgument with field "power_of_attorney.<name>", looked for in
// this order:
//  "invalid_power_of_attorney"          a missing or malformed field: number (1..64
//                                       printable characters), issued_on and valid_until
//                                       (YYYY-MM-DD; valid_until before issued_on blames
//                                       valid_until), issuer (1..256 printable characters),
//                                       principal_document, scope (empty list or entry)
//  "power_of_attorney_not_yet_valid"    issued_on after today (field issued_on)
//  "power_of_attorney_expired"          valid_until before today (field valid_until;
//                                       valid through valid_until inclusive)
//  "power_of_attorney_wrong_principal"  principal_document is neither the holder's IIN
//                                       nor the holder's document number (compared in
//                                       upper case without spaces)
//  "power_of_attorney_out_of_scope"     no scope entry is "termination" (case and
//                                       surrounding spaces ignored); field scope
// Messages never echo the numbers.
Result<CheckedPowerOfAttorney> CheckPowerOfAttorney(const PowerOfAttorney& poa, CivilDate today,
                                                    const RegisteredHolder& principal);

}  // namespace simexit
