#pragma once
// Where a refund is paid, checked and reduced to what simexit may keep.
//
// bank_card:  13-19 digits passing Luhn; only the last four are kept
//             ("**** 1234"): simexit never stores a card number.
// iban:       ISO 13616, mod-97 check; Kazakhstan IBANs are 20 characters ("KZ..").
//             Spaces are removed, letters upper-cased.
// other_line: a Kazakhstan mobile number (Msisdn rules), E.164.
// Errors: kInvalidArgument, problem code "invalid_refund", message naming the problem.

#include <string>
#include <string_view>

#include "simexit/common/result.hpp"
#include "simexit/domain/policy.hpp"

namespace simexit {

// Returns the destination as stored.
Result<std::string> NormaliseRefundDestination(RefundMethod method, std::string_view destination);

}  // namespace simexit
