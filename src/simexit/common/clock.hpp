#pragma once
// Time as a port: domain code never reads the system clock, so tests can move it.

#include <chrono>
#include <cstdint>
#include <string>

namespace simexit {

// Seconds since the Unix epoch, UTC. Storage and the domain use this one type.
using UnixSeconds = std::int64_t;

// Spans in seconds, as UnixSeconds, so `days * kSecondsPerDay` is computed in 64 bits
// (in int it overflows for dates after January 2038).
inline constexpr UnixSeconds kSecondsPerMinute = 60;
inline constexpr UnixSeconds kSecondsPerHour = 3'600;
inline constexpr UnixSeconds kSecondsPerDay = 86'400;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixSeconds Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixSeconds Now() const override;
};

// A clock tests set by hand. Not thread-safe against concurrent Set/Advance.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UnixSeconds now) : now_(now) {}
  UnixSeconds Now() const override { return now_; }
  void Set(UnixSeconds now) { now_ = now; }
  void Advance(std::int64_t seconds) { now_ += seconds; }

 private:
  UnixSeconds now_;
};

// RFC 3339 in UTC with a Z suffix, e.g. "2026-11-25T04:12:13Z".
std::string FormatRfc3339(UnixSeconds t);
// Accepts "YYYY-MM-DDTHH:MM:SSZ", "...+HH:MM"/"-HH:MM" offsets, and a bare
// "YYYY-MM-DD" (midnight UTC). Returns false on anything else.
bool ParseRfc3339(const std::string& text, UnixSeconds* out);
// "YYYY-MM-DD" of the UTC day containing t.
std::string FormatDate(UnixSeconds t);

}  // namespace simexit
