#include "simexit/app/delivery_reports.hpp"

#include <gtest/gtest.h>

#include <atomic>

namespace simexit::app {
namespace {

TEST(DeliveryReportQueueTest, RetriesAReportThatArrivedBeforeItsMessageWasMarked) {
  std::atomic<int> calls{0};
  std::atomic<bool> recorded{false};
  {
    DeliveryReportQueue queue(
        [&](const DeliveryReport&) -> Result<std::int64_t> {
          if (++calls < 3) {
            return Fail(ErrorCode::kNotFound, "sms_not_found", "not yet");
          }
          recorded = true;
          return 7;
        },
        5, std::chrono::milliseconds(10));
    queue.Push(DeliveryReport{});
    for (int i = 0; i < 200 && !recorded; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  EXPECT_TRUE(recorded);
  EXPECT_EQ(calls, 3);
}

TEST(DeliveryReportQueueTest, GivesUpAfterTheAttemptsAndOtherErrorsAtOnce) {
  std::atomic<int> not_found{0};
  std::atomic<int> broken{0};
  {
    DeliveryReportQueue queue(
        [&](const DeliveryReport& r) -> Result<std::int64_t> {
          if (r.recipient == "a") {
            ++not_found;
            return Fail(ErrorCode::kNotFound, "sms_not_found", "never");
          }
          ++broken;
          return Fail(ErrorCode::kInternal, "x", "broken");
        },
        3, std::chrono::milliseconds(5));
    DeliveryReport a;
    a.recipient = "a";
    DeliveryReport b;
    b.recipient = "b";
    queue.Push(a);
    queue.Push(b);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(not_found, 3);
  EXPECT_EQ(broken, 1);
}

}  // namespace
}  // namespace simexit::app
