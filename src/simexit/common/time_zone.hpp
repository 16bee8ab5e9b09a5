#pragma once
// Dates as a holder reads them: in their own time zone (IANA name, e.g.
// "Asia/Almaty"), from the system's tz database (Debian tzdata, read through
// Howard Hinnant's date library).

#include <string>

#include "simexit/common/clock.hpp"

namespace simexit {

// "YYYY-MM-DD" of the day `t` falls on in `zone`. An unknown zone falls back
// to UTC and the result says so ("2026-12-01 UTC").
std::string FormatDateInZone(UnixSeconds t, const std::string& zone);

// Whether `zone` is a time zone the system knows.
bool IsKnownTimeZone(const std::string& zone);

// "2026-12-01 14:05" in `zone`; an unknown zone falls back to UTC and says so
// ("2026-12-01 09:05 UTC").
std::string FormatDateTime(UnixSeconds t, const std::string& zone);

}  // namespace simexit
