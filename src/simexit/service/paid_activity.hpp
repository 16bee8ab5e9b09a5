#pragma once
// Paid activity of lines, as their operators report it: `simexit import
// activity FILE.csv` and POST /v1/operators/{code}/activity (docs/dormancy.md).
// Both check every row the same way and write the good ones with one batched
// store call (LineRepository::RecordPaidActivity): a line's
// last_paid_activity_at only moves forward, so a repeated report changes
// nothing. The dormancy sweep (domain/dormancy.hpp) reads it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/ports/store.hpp"

namespace simexit {

// The most rows one POST /v1/operators/{code}/activity may carry.
inline constexpr std::size_t kMaxActivityRows = 10'000;

// One row as given: the number (any form Msisdn::Parse takes) and the time of
// its latest paid activity (RFC 3339 or a date, ParseRfc3339), as text.
struct ActivityRow {
  std::string msisdn;
  std::string last_paid_activity_at;
  // Non-empty when the edge could not read the row (a CSV row with the wrong
  // number of fields): why. The row is then refused as "invalid_row".
  std::string unreadable = {};
};

// A refused row: its index in the input (0-based) and why.
struct ActivityRowProblem {
  std::size_t row = 0;
  // "invalid_row" (ActivityRow::unreadable), "invalid_msisdn", "invalid_time", "future_time",
  // "duplicate_msisdn" (the number is on an earlier row too) or "unknown_msisdn" (no such line, or
  // another operator's).
  std::string code;
  std::string message;

  bool operator==(const ActivityRowProblem&) const = default;
};

struct ActivityReport {
  std::int64_t updated = 0;             // lines whose last_paid_activity_at moved forward
  std::int64_t unchanged = 0;           // good rows whose line had that or newer activity
  std::vector<ActivityRowProblem> bad;  // by row
  bool written = false;                 // false: bad rows and no skip_bad, nothing was written
};

// Checks every row (the MSISDN, the time, not after `now`, each number once, a
// line of `operator_id`, of any operator when nullopt); then, when no row is
// bad or `skip_bad`, records the good rows, all in one transaction. Bad rows
// are in the report, not errors. Errors: the store's.
Result<ActivityReport> RecordPaidActivity(Store& store, std::optional<std::int64_t> operator_id,
                                          const std::vector<ActivityRow>& rows, bool skip_bad,
                                          UnixSeconds now);

}  // namespace simexit
