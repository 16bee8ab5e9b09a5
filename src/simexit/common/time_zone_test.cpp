#include "simexit/common/time_zone.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

TEST(TimeZoneTest, KazakhstanDatesFollowTheHoldersZone) {
  // 2026-11-30T20:30:00Z is already 1 December in Almaty (UTC+5 since March 2024).
  const UnixSeconds t = 1'796'070'600;
  ASSERT_EQ(FormatRfc3339(t), "2026-11-30T20:30:00Z");
  EXPECT_EQ(FormatDateInZone(t, "Asia/Almaty"), "2026-12-01");
  EXPECT_EQ(FormatDateInZone(t, "Asia/Qostanay"), "2026-12-01");
  EXPECT_EQ(FormatDateInZone(t, "Europe/London"), "2026-11-30");
  EXPECT_EQ(FormatDateInZone(t, "Asia/Shanghai"), "2026-12-01");
}

TEST(TimeZoneTest, UnknownZoneFallsBackToUtcAndSaysSo) {
  EXPECT_EQ(FormatDateInZone(1'796'070'600, "Mars/Olympus"), "2026-11-30 UTC");
  EXPECT_FALSE(IsKnownTimeZone("Mars/Olympus"));
  EXPECT_TRUE(IsKnownTimeZone("Asia/Almaty"));
}

}  // namespace
}  // namespace simexit
