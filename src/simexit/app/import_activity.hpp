#pragma once
// `simexit import activity FILE.csv`: the paid activity of lines, as their
// operators report it (docs/dormancy.md).
//
// RFC 4180 CSV with a header row naming exactly the columns msisdn and
// last_paid_activity_at (either order; an RFC 3339 time or a date). Rows are
// checked by RecordPaidActivity (service/paid_activity.hpp); each bad row is
// reported with its line number and reason and, unless skip_bad, nothing is
// written. A line's last_paid_activity_at only moves forward: importing the
// same file again changes nothing.

#include <ostream>
#include <string>

#include "simexit/app/runtime.hpp"
#include "simexit/service/paid_activity.hpp"

namespace simexit::app {

// Errors: kInvalidArgument "invalid_csv" (unterminated quote, empty file, a
// header other than msisdn,last_paid_activity_at), the store's.
Result<ActivityReport> ImportActivity(Runtime& rt, const std::string& csv_text, bool skip_bad,
                                      std::ostream& out);

}  // namespace simexit::app
