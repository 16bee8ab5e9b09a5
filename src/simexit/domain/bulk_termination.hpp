#pragma once
// Bulk closures (docs/bulk-terminations.md): an operator closes many of its
// lines at once, each line an ordinary termination through channel `system`.
// The rules here need neither the database nor a clock: the limit, the reason
// codes, and reading the numbers of a request once, at the edge.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/domain/msisdn.hpp"

namespace simexit {

// The most numbers one bulk closure may carry.
inline constexpr std::size_t kMaxBulkNumbers = 100'000;

// Why an operator closes lines in bulk; stored as each termination's reason.
inline constexpr std::array<std::string_view, 4> kBulkReasonCodes = {
    "contract_ended",     // a corporate contract ended
    "suspected_fraud",    // a batch of fraudulent SIMs (the review word, the same idea)
    "regulator_order",    // the regulator ordered the lines closed
    "operator_decision",  // any other decision of the operator, explained elsewhere
};

bool IsBulkReasonCode(std::string_view code);

// A number of the request that is refused: its index in the request (0-based),
// the number as given, and why:
//   "invalid_msisdn"    not a Kazakhstan mobile number (Msisdn::Parse);
//   "duplicate_msisdn"  the same number (once parsed) is on an earlier row;
//   "unknown_msisdn"    no line of the operator has it (unknown, or another
//                       operator's: tenancy says nothing more).
struct BulkNumberProblem {
  std::size_t row = 0;
  std::string msisdn;
  std::string code;
  std::string message;

  bool operator==(const BulkNumberProblem&) const = default;
};

// The numbers of a request, read: every good one in order, and every problem
// (invalid or repeated) by row. A request is refused when `problems` is not
// empty; nothing of it is kept.
struct BulkNumbers {
  std::vector<Msisdn> msisdns;
  std::vector<std::size_t> rows;  // rows[i]: the request's index of msisdns[i]
  std::vector<BulkNumberProblem> problems;
};

// Parses each number and names the invalid and repeated ones. Does not check
// the count (the caller refuses more than kMaxBulkNumbers before reading).
BulkNumbers ReadBulkNumbers(const std::vector<std::string>& given);

}  // namespace simexit
