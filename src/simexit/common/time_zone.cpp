#include "simexit/common/time_zone.hpp"

#include <date/tz.h>

#include <chrono>
#include <stdexcept>

namespace simexit {

bool IsKnownTimeZone(const std::string& zone) {
  try {
    return date::locate_zone(zone) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

std::string FormatDateInZone(UnixSeconds t, const std::string& zone) {
  const date::sys_seconds instant{std::chrono::seconds(t)};
  try {
    const date::zoned_seconds local(zone, instant);
    return date::format("%F", local.get_local_time());
  } catch (const std::exception&) {
    return FormatDate(t) + " UTC";
  }
}

std::string FormatDateTime(UnixSeconds t, const std::string& zone) {
  const date::sys_seconds instant{std::chrono::seconds(t)};
  try {
    const date::zoned_seconds local(zone, instant);
    return date::format("%F %R", local.get_local_time());
  } catch (const std::exception&) {
    return date::format("%F %R", instant) + " UTC";
  }
}

}  // namespace simexit
