#include "simexit/common/clock.hpp"

#include <cstdio>

namespace simexit {
namespace {

// Howard Hinnant's civil-date algorithms (public domain), exact for all int64 days.
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void CivilFromDays(std::int64_t z, std::int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<std::int64_t>(yoe) + era * 400 + (*m <= 2 ? 1 : 0);
}

bool IsLeap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

UnixSeconds SystemClock::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatRfc3339(UnixSeconds t) {
  std::int64_t days = t / 86400;
  std::int64_t rem = t % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  std::int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  CivilFromDays(days, &y, &m, &d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                static_cast<long long>(rem % 3600 / 60), static_cast<long long>(rem % 60));
  return buf;
}

std::string FormatDate(UnixSeconds t) { return FormatRfc3339(t).substr(0, 10); }

bool ParseRfc3339(const std::string& text, UnixSeconds* out) {
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
  int consumed = 0;
  if (text.size() == 10) {
    if (std::sscanf(text.c_str(), "%4d-%2u-%2u%n", &y, &mo, &d, &consumed) != 3 || consumed != 10) {
      return false;
    }
  } else if (std::sscanf(text.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%n", &y, &mo, &d, &h, &mi, &s,
                         &consumed) != 6 ||
             consumed != 19) {
    return false;
  }
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h > 23 || mi > 59 ||
      s > 59) {
    return false;
  }
  for (int i : {4, 7}) {
    if (text[static_cast<std::size_t>(i)] != '-') {
      return false;
    }
  }
  std::int64_t offset = 0;
  if (text.size() > 10) {
    if (text[10] != 'T' || text[13] != ':' || text[16] != ':') {
      return false;
    }
    const std::string tz = text.substr(19);
    if (tz == "Z") {
      offset = 0;
    } else if (tz.size() == 6 && (tz[0] == '+' || tz[0] == '-') && tz[3] == ':') {
      unsigned oh = 0, om = 0;
      int c2 = 0;
      if (std::sscanf(tz.c_str() + 1, "%2u:%2u%n", &oh, &om, &c2) != 2 || c2 != 5 || oh > 23 ||
          om > 59) {
        return false;
      }
      offset = (tz[0] == '+' ? 1 : -1) *
               static_cast<std::int64_t>(oh * kSecondsPerHour + om * kSecondsPerMinute);
    } else {
      return false;
    }
  }
  *out =
      DaysFromCivil(y, mo, d) * 86400 + h * kSecondsPerHour + mi * kSecondsPerMinute + s - offset;
  return true;
}

}  // namespace simexit
